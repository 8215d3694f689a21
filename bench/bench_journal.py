"""The journal at 10 and at 10,000 entries: SQL queries and time per page; and moving a
whole journal out and back in at 10,000 and 100,000 entries.

A throwaway SQLite test database holds people with 10, 10,000 and 100,000 entries. Each
page is fetched through Django's test client (every page is rendered afresh). The query
count must be the same at both sizes and at most 12. Then each large journal is exported
(JSON and CSV) and its JSON imported into a new, empty account through the import page:
the time until the page answers (the file checked and queued; goal under 10 s), and the
time until the background worker, run in this process, has saved it. An import that
takes longer than BENCH_IMPORT_LIMIT seconds (60) is stopped and reported as such. A file
over the import page's size cap is refused there, so its import is started by calling
the service itself. An import's CPU time is reported beside its time: on a machine shared
with other work the two differ, and the CPU time (SQLite's included, as it runs in this
process) is what the import itself costs. Figures are printed beside their
goals and written to bench/results/journal.json. Last, the password-reset form's answer
time is compared for an address with an account and one without.
"""

import json
import os
import signal
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

from accounts.models import ThrottleHit  # noqa: E402
from bench.people import make_person  # noqa: E402
from journal.exports import MAX_FILE_BYTES  # noqa: E402
from journal.models import Entry  # noqa: E402
from journal.services import journal_import_start  # noqa: E402


def sizes(name: str, default: str) -> tuple[int, ...]:
    """Journal sizes to measure; smaller ones make a quick run (the README's test uses them)."""
    return tuple(int(size) for size in os.environ.get(name, default).split(","))


SIZES = sizes("BENCH_SIZES", "10,10000")
TRANSFER_SIZES = sizes("BENCH_TRANSFER_SIZES", "10000,100000")
IMPORT_LIMIT_S = float(os.environ.get("BENCH_IMPORT_LIMIT", "60"))
IMPORT_GOAL_S = 10.0
PAGES = {
    "timeline": "/journal/",
    "patterns": "/journal/patterns/",
    "report": "/journal/report/",
    "report_3_years": "/journal/report/?from={three_years_ago}&to={today}",
    "export_json": "/journal/export.json",
    "export_csv": "/journal/export.csv",
}
QUERY_GOAL = 12
TIME_GOAL_MS = 500.0
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
RESET_REPEATS = 20
RESET_GOAL_MS = 1.0


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


class TookTooLong(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Stop the work inside after `seconds` (its transaction is rolled back)."""

    def stop(signum, frame):
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed_export(client: Client, path: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    # A download is a FileResponse: the time counts until its last byte is read.
    body = response.getvalue()
    return body, time.perf_counter() - started


def timed_import(size: int, export: bytes) -> dict:
    """Import a journal file into a new account, as a person moving their journal would:
    upload it on the import page, which checks it and queues it, then let the background
    worker (here in this process, so its CPU time is counted) save it."""
    person = make_person(f"import-{size}@example.com", 0)
    through_page = len(export) <= MAX_FILE_BYTES
    answered = None
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        with time_limit(IMPORT_LIMIT_S):
            if through_page:
                client = Client()
                client.force_login(person)
                upload = SimpleUploadedFile("journal.json", export, "application/json")
                response = client.post("/journal/import/", {"file": upload})
                if response.status_code != 302:
                    raise SystemExit(f"Importing {size:,} entries answered {response.status_code}")
            else:
                result, _ = journal_import_start(user=person, data=json.loads(export))
                if not result.ok:
                    raise SystemExit(f"Importing {size:,} entries failed: {result.errors[:3]}")
            answered = time.perf_counter() - started
            call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        seconds, finished = time.perf_counter() - started, True
    except TookTooLong:
        seconds, finished = IMPORT_LIMIT_S, False
    cpu_seconds = time.process_time() - started_cpu
    stored = Entry.objects.filter(user=person).count()
    if finished and stored != size:
        raise SystemExit(f"Importing {size:,} entries stored {stored:,}.")
    return {
        "answered_s": None if answered is None else round(answered, 2),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "finished": finished,
        "through_page": through_page,
        "megabytes": round(len(export) / 1e6, 1),
    }


def transfers(person_for: dict) -> dict[str, dict]:
    figures = {}
    for size in TRANSFER_SIZES:
        client = Client()
        client.force_login(person_for[size])
        exported, json_s = timed_export(client, "/journal/export.json")
        _csv, csv_s = timed_export(client, "/journal/export.csv")
        figures[str(size)] = {
            "export_json_s": round(json_s, 2),
            "export_csv_s": round(csv_s, 2),
            "import": timed_import(size, exported),
        }
    return figures


def reset_timing() -> dict:
    """The password-reset form's median answer time for an address with an account and
    for one without. Rate-limit counts are cleared before each request, so every request
    does the whole of its work."""
    make_person("reset@example.com", 0)
    client = Client()
    times: dict[str, list[float]] = {"account": [], "no_account": []}
    for _ in range(RESET_REPEATS):
        for kind, email in (("account", "reset@example.com"), ("no_account", "no@example.com")):
            ThrottleHit.objects.all().delete()
            started = time.perf_counter()
            response = client.post("/journal/password-reset/", {"email": email})
            times[kind].append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                raise SystemExit(f"The password reset answered {response.status_code}")
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    return {
        "account_ms": round(medians["account"], 2),
        "no_account_ms": round(medians["no_account"], 2),
        "difference_ms": round(abs(medians["account"] - medians["no_account"]), 2),
    }


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        today = timezone.localdate()
        three_years_ago = today - timedelta(days=3 * 366 - 10)
        results: dict[str, dict[str, dict]] = {}
        person_for = {}
        for size in SIZES:
            person = person_for[size] = make_person(f"bench-{size}@example.com", size)
            client = Client()
            client.force_login(person)
            client.post("/journal/plan/start/")
            for name, path in PAGES.items():
                url = path.format(today=today, three_years_ago=three_years_ago)
                results.setdefault(name, {})[str(size)] = measure(client, person.pk, url)
        for size in TRANSFER_SIZES:
            if size not in person_for:
                person_for[size] = make_person(f"bench-{size}@example.com", size)
        moved = transfers(person_for)
        reset = reset_timing()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    failures = []
    print(f"{'page':<16}{'entries':>9}{'queries':>9}{'median ms':>11}   goal")
    for name, by_size in results.items():
        for size, figures in by_size.items():
            time_goal = "" if name.startswith("export") else f"; < {TIME_GOAL_MS:.0f} ms"
            print(
                f"{name:<16}{size:>9}{figures['queries']:>9}{figures['median_ms']:>11}"
                f"   <= {QUERY_GOAL} queries, same at every size{time_goal}"
            )
        counts = {figures["queries"] for figures in by_size.values()}
        if len(counts) > 1 or max(counts) > QUERY_GOAL:
            failures.append(f"{name}: queries {sorted(counts)}")
    print(f"\n{'whole journal':<16}{'entries':>9}{'seconds':>9}   goal")
    for size, figures in moved.items():
        imported = figures["import"]
        how = "import page" if imported["through_page"] else "over the page's cap, import itself"
        answered = imported["answered_s"]
        met = "ok" if answered is not None and answered < IMPORT_GOAL_S else "MISSED"
        saved = f"{imported['seconds']}" if imported["finished"] else f"> {IMPORT_LIMIT_S:.0f}"
        print(f"{'export JSON':<16}{size:>9}{figures['export_json_s']:>9}   reported")
        print(f"{'export CSV':<16}{size:>9}{figures['export_csv_s']:>9}   reported")
        print(
            f"{'import: answer':<16}{size:>9}{answered or '-':>9}   < {IMPORT_GOAL_S:.0f} s  {met}"
            f"  (checked and queued; {imported['megabytes']} MB file; {how})"
        )
        print(
            f"{'import: saved':<16}{size:>9}{saved:>9}   reported"
            f"  (upload to saved by the worker; {imported['cpu_seconds']} s CPU)"
        )
    met = "ok" if reset["difference_ms"] < RESET_GOAL_MS else "MISSED"
    print(
        f"\npassword reset, median of {RESET_REPEATS}: {reset['account_ms']} ms for an address "
        f"with an account, {reset['no_account_ms']} ms without; difference "
        f"{reset['difference_ms']} ms   < {RESET_GOAL_MS:.0f} ms  {met}"
    )
    out = ROOT / "bench" / "results" / "journal.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "goal_queries": QUERY_GOAL,
                "goal_ms": TIME_GOAL_MS,
                "pages": results,
                "goal_import_s": IMPORT_GOAL_S,
                "import_limit_s": IMPORT_LIMIT_S,
                "transfer": moved,
                "goal_reset_difference_ms": RESET_GOAL_MS,
                "reset": reset,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"Written to {out.relative_to(ROOT)}")
    if failures:
        raise SystemExit("Query goals missed: " + "; ".join(failures))


if __name__ == "__main__":
    main()
