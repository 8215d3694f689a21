"""One table of every benchmark figure beside its goal, from bench/results/*.json."""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

Row = tuple[str, str, str, bool]


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def cluster_rows(cluster: dict) -> list[Row]:
    figures = cluster["load"]
    errors = figures["errors_5xx"] + figures["connection_errors"]
    where = f"mixed load, 2 servers, {figures['connections']} connections"
    rows = [
        (f"{where}, req/s", f"{figures['rps']:.0f}", "reported", True),
        (
            f"{where}, latency p50 / p95 / p99",
            f"{figures['p50_ms']:.0f} / {figures['p95_ms']:.0f} / {figures['p99_ms']:.0f} ms",
            f"p99 < {cluster['goal_p99_ms']:.0f} ms",
            figures["p99_ms"] < cluster["goal_p99_ms"],
        ),
        (f"{where}, errors", str(errors), "0", errors == 0),
        (
            f"{where}, checks afterwards",
            "passed" if not cluster["failures"] else f"{len(cluster['failures'])} failed",
            "all pass",
            not cluster["failures"],
        ),
    ]
    goal = cluster["goal_weight_bytes"]
    for name, weight in cluster["weight"].items():
        rows.append(
            (
                f"{name}, bytes on the wire with CSS and JS",
                f"{weight['total']:,}",
                f"< {goal:,}",
                weight["total"] < goal,
            )
        )
    return rows


def journal_rows(journal: dict) -> list[Row]:
    rows = []
    for name, by_size in journal["pages"].items():
        sizes = " / ".join(by_size)
        counts = [figures["queries"] for figures in by_size.values()]
        rows.append(
            (
                f"journal {name}, SQL queries ({sizes} entries)",
                " / ".join(map(str, counts)),
                f"same, <= {journal['goal_queries']}",
                len(set(counts)) == 1 and max(counts) <= journal["goal_queries"],
            )
        )
        # A download's time grows with the journal; a page's must not.
        download = name.startswith("export")
        rows.append(
            (
                f"journal {name}, time ({sizes} entries)",
                " / ".join(f"{figures['median_ms']} ms" for figures in by_size.values()),
                "reported" if download else f"< {journal['goal_ms']:.0f} ms",
                download
                or all(figures["median_ms"] < journal["goal_ms"] for figures in by_size.values()),
            )
        )
    for size, figures in journal.get("transfer", {}).items():
        entries = f"{int(size):,} entries"
        rows.append(
            (
                f"export JSON / CSV, {entries}",
                f"{figures['export_json_s']} / {figures['export_csv_s']} s",
                "reported",
                True,
            )
        )
        imported = figures["import"]
        answered = imported.get("answered_s")
        cap = "" if imported["through_page"] else ", file over the page's cap"
        rows.append(
            (
                f"import JSON, {entries}: the page answers (checked, queued){cap}",
                f"{answered} s" if answered is not None else "no answer",
                f"< {journal['goal_import_s']:.0f} s",
                answered is not None and answered < journal["goal_import_s"],
            )
        )
        rows.append(
            (
                f"import JSON, {entries}: saved by the background worker",
                f"{imported['seconds']} s ({imported['cpu_seconds']} s CPU)"
                if imported["finished"]
                else f"> {journal['import_limit_s']:.0f} s (stopped)",
                "reported",
                True,
            )
        )
    if "reset" in journal:
        reset = journal["reset"]
        rows.append(
            (
                "password reset answer, with / without an account (median)",
                f"{reset['account_ms']} / {reset['no_account_ms']} ms",
                f"differ by < {journal['goal_reset_difference_ms']:.0f} ms",
                reset["difference_ms"] < journal["goal_reset_difference_ms"],
            )
        )
    return rows


def engine_rows(engine: dict) -> list[Row]:
    return [
        (
            "rules engine, one assessment",
            f"{engine['assessment_us']:.1f} µs",
            f"< {engine['goal_us']:.0f} µs",
            engine["assessment_us"] < engine["goal_us"],
        ),
        (
            f"rules engine, all {engine['combinations']:,} answer paths",
            f"{engine['all_combinations_s']:.2f} s",
            "reported",
            True,
        ),
    ]


def rows() -> list[Row]:
    table = []
    if cluster := load("cluster"):
        table += cluster_rows(cluster)
    if journal := load("journal"):
        table += journal_rows(journal)
    if engine := load("engine"):
        table += engine_rows(engine)
    return table


def main() -> None:
    table = rows()
    if not table:
        sys.exit("No results yet: run make bench.")
    width = max(len(row[0]) for row in table)
    print(f"\n{'measure':<{width}}  {'result':<40} {'goal':<14} met")
    for measure, result, goal, met in table:
        print(f"{measure:<{width}}  {result:<40} {goal:<14} {'yes' if met else 'NO'}")
    (RESULTS / "summary.json").write_text(
        json.dumps(
            [{"measure": m, "result": r, "goal": g, "met": ok} for m, r, g, ok in table], indent=2
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
