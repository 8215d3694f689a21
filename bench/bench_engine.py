"""Rules engine speed: microseconds per assessment, and a check of every answer combination."""

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.engine import assess, get_ruleset  # noqa: E402
from triage.engine.paths import complete_answer_sets  # noqa: E402

GOAL_US = 50.0
GOAL_ALL_S = 1.0
SAMPLES = 20_000


def main() -> None:
    ruleset = get_ruleset()
    started = time.perf_counter()
    combinations = complete_answer_sets(ruleset)
    levels = {assess(answers, ruleset).level.id for answers in combinations}
    exhaustive_s = time.perf_counter() - started

    rng = random.Random(20261125)
    sample = [rng.choice(combinations) for _ in range(SAMPLES)]
    for answers in sample[:1000]:
        assess(answers, ruleset)
    started = time.perf_counter()
    for answers in sample:
        assess(answers, ruleset)
    per_assessment_us = (time.perf_counter() - started) / SAMPLES * 1e6

    rows = [
        (
            "one assessment (random complete answers)",
            f"{per_assessment_us:.1f} µs",
            f"< {GOAL_US:.0f} µs",
            per_assessment_us < GOAL_US,
        ),
        (
            f"all {len(combinations):,} answer combinations",
            f"{exhaustive_s:.2f} s",
            f"< {GOAL_ALL_S:.0f} s",
            exhaustive_s < GOAL_ALL_S,
        ),
    ]
    print(f"\nRules engine, ruleset {ruleset.version} ({len(levels)} levels reached)")
    print(f"  {'measure':44} {'result':>10}  {'goal':>8}")
    for name, figure, goal, met in rows:
        print(f"  {name:44} {figure:>10}  {goal:>8}  {'ok' if met else 'MISSED'}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "engine.json").write_text(
        json.dumps(
            {
                "ruleset_version": ruleset.version,
                "assessment_us": round(per_assessment_us, 2),
                "goal_us": GOAL_US,
                "combinations": len(combinations),
                "all_combinations_s": round(exhaustive_s, 3),
                "goal_all_combinations_s": GOAL_ALL_S,
                "levels_reached": len(levels),
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
