"""The journal at 10 and at 10,000 entries: SQL queries and time per page.

A throwaway SQLite test database holds two people, one with 10 entries and one with
10,000. Each page is fetched through Django's test client, each time just after the
journal changed, so it is rendered rather than served from the page cache: the first
view after a write. The query count must be the same at both sizes and at most 8.
Figures are printed beside their goals and written to bench/results/journal.json.
"""

import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

from bench.people import make_person  # noqa: E402

SIZES = (10, 10_000)
PAGES = {
    "timeline": "/journal/",
    "patterns": "/journal/patterns/",
    "report": "/journal/report/",
    "report_3_years": "/journal/report/?from={three_years_ago}&to={today}",
    "export_json": "/journal/export.json",
    "export_csv": "/journal/export.csv",
}
QUERY_GOAL = 8
TIME_GOAL_MS = 500.0
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))


def measure(client: Client, person_id: int, path: str) -> dict:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    queries = len(captured)  # read now: the next request clears the query log
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {"queries": queries, "median_ms": round(statistics.median(times), 1)}


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        today = timezone.localdate()
        three_years_ago = today - timedelta(days=3 * 366 - 10)
        results: dict[str, dict[str, dict]] = {}
        for size in SIZES:
            person = make_person(f"bench-{size}@example.com", size)
            client = Client()
            client.force_login(person)
            client.post("/journal/plan/start/")
            for name, path in PAGES.items():
                url = path.format(today=today, three_years_ago=three_years_ago)
                results.setdefault(name, {})[str(size)] = measure(client, person.pk, url)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    failures = []
    print(f"{'page':<16}{'entries':>9}{'queries':>9}{'median ms':>11}   goal")
    for name, by_size in results.items():
        for size, figures in by_size.items():
            print(
                f"{name:<16}{size:>9}{figures['queries']:>9}{figures['median_ms']:>11}"
                f"   <= {QUERY_GOAL} queries, same at every size; < {TIME_GOAL_MS:.0f} ms"
            )
        counts = {figures["queries"] for figures in by_size.values()}
        if len(counts) > 1 or max(counts) > QUERY_GOAL:
            failures.append(f"{name}: queries {sorted(counts)}")
    out = ROOT / "bench" / "results" / "journal.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"goal_queries": QUERY_GOAL, "goal_ms": TIME_GOAL_MS, "pages": results}, indent=2
        )
        + "\n"
    )
    print(f"Written to {out.relative_to(ROOT)}")
    if failures:
        raise SystemExit("Query goals missed: " + "; ".join(failures))


if __name__ == "__main__":
    main()
