"""One table of every benchmark figure beside its goal, from bench/results/*.json."""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def rows() -> list[tuple[str, str, str, bool]]:
    table = []
    if engine := load("engine"):
        table.append(
            (
                "rules engine, one assessment",
                f"{engine['assessment_us']:.1f} µs",
                f"< {engine['goal_us']:.0f} µs",
                engine["assessment_us"] < engine["goal_us"],
            )
        )
        table.append(
            (
                f"rules engine, all {engine['combinations']:,} answer paths",
                f"{engine['all_combinations_s']:.2f} s",
                "reported",
                True,
            )
        )
    if pages := load("pages"):
        for row in pages["load"]:
            if row["goal"] is None:
                value = f"{row['rps']:.0f} req/s, {row['ratio']:.0%} of bare view"
                table.append((row["page"], value, "yardstick", True))
                continue
            table.append(
                (
                    f"{row['page']}, req/s vs bare view",
                    f"{row['ratio']:.0%} (p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms)",
                    f">= {row['goal']:.0%}",
                    row["ratio"] >= row["goal"],
                )
            )
            table.append((f"{row['page']}, errors under load", str(row["errors"]), "0",
                          row["errors"] == 0))  # fmt: skip
        sizes = list(pages["sql"])
        for path in pages["sql"][sizes[0]]:
            counts = [pages["sql"][size][path] for size in sizes]
            table.append(
                (
                    f"SQL queries {path} ({' / '.join(sizes)})",
                    " / ".join(map(str, counts)),
                    "same, <= 8",
                    len(set(counts)) == 1 and max(counts) <= 8,
                )
            )
        for name, weight in pages["weight"].items():
            table.append(
                (f"{name}, bytes on the wire", f"{weight['total']:,}", "< 102,400",
                 weight["total"] < 102_400)
            )  # fmt: skip
    if content := load("content"):
        for row in content["pages"]:
            if row["goal"] is None:
                continue
            table.append(
                (
                    f"{row['page']}, in-process req/s vs bare view",
                    f"{row['ratio']:.0%}, {row['sql']} SQL queries",
                    f">= {row['goal']:.0%}",
                    row["ratio"] >= row["goal"],
                )
            )
    if journal := load("journal"):
        for name, by_size in journal["pages"].items():
            times = " / ".join(f"{f['median_ms']} ms" for f in by_size.values())
            table.append(
                (
                    f"journal {name}, rendered after a change ({' / '.join(by_size)} entries)",
                    times,
                    f"< {journal['goal_ms']:.0f} ms",
                    all(f["median_ms"] < journal["goal_ms"] for f in by_size.values()),
                )
            )
    return table


def main() -> None:
    table = rows()
    if not table:
        sys.exit("No results yet: run make bench.")
    width = max(len(row[0]) for row in table)
    print(f"\n{'measure':<{width}}  {'result':<44} {'goal':<12} met")
    for measure, result, goal, met in table:
        print(f"{measure:<{width}}  {result:<44} {goal:<12} {'yes' if met else 'NO'}")
    (RESULTS / "summary.json").write_text(
        json.dumps(
            [{"measure": m, "result": r, "goal": g, "met": ok} for m, r, g, ok in table], indent=2
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
