"""Pages under a real server, SQL per page, and page weight.

gunicorn (2 workers) serves a throwaway SQLite copy of the site on 127.0.0.1; wrk, in
its own process, loads each page at fixed concurrency, sending the cookies a returning
browser would (its session and CSRF cookie, where it was given them). A second
yardstick, the bare form view, does only what every self-check page must (session, CSRF
token, never-cache headers): the most such a page can reach. The bare view and
the pages take turns in several rounds; each page's ratio is the median of its ratios to
the bare view in the same round, so a busy moment on the machine weighs on both. Every
figure is printed beside its goal and written to bench/results/pages.json.
"""

import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.throwaway import build, set_up  # noqa: E402

set_up("twitch-bench-")

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.people import make_person  # noqa: E402
from journal.models import User  # noqa: E402
from tests.triage.answer_sets import BENIGN  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
PUBLIC_GOAL = 0.70
JOURNAL_GOAL = 0.40
WEIGHT_GOAL = 100 * 1024
SMALL, LARGE = 10, 10_000


def signed_in_session(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def questionnaire_session(answers: dict[str, str]) -> str:
    """Walk the self-check the way a person does, and keep their session."""
    client = Client()
    client.get("/check/")
    for question_id, value in answers.items():
        client.post(f"/check/q/{question_id}/", {"answer": value})
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def browser_cookies(url: str, session: str | None) -> str:
    """The cookies a returning browser sends: its session and the CSRF cookie it was given."""
    cookies = [f"{settings.SESSION_COOKIE_NAME}={session}"] if session else []
    request = urllib.request.Request(url, headers={"Cookie": "; ".join(cookies)})
    with urllib.request.urlopen(request) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith(f"{settings.CSRF_COOKIE_NAME}="):
                cookies.append(header.split(";", 1)[0])
    return "; ".join(cookies)


def wrk(url: str, session: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    cookies = browser_cookies(url, session)
    if cookies:
        command += ["-H", f"Cookie: {cookies}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=SECONDS + 30
    ).stdout
    latency = {
        pct: float(value) * UNITS[unit]
        for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "errors": errors,
    }


def fetch(url: str, session: str | None) -> tuple[bytes, int]:
    headers = {"Accept-Encoding": "gzip"}
    if session:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        wire = response.read()
        body = gzip.decompress(wire) if response.headers.get("Content-Encoding") == "gzip" else wire
        return body, len(wire)


def page_weight(base: str, path: str, session: str | None) -> dict:
    html, html_bytes = fetch(base + path, session)
    assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html))
    asset_bytes = sum(fetch(base + asset.decode(), None)[1] for asset in assets)
    return {"html": html_bytes, "assets": asset_bytes, "total": html_bytes + asset_bytes}


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def main() -> None:
    build()
    small = make_person("small@example.com", SMALL)
    large = make_person("large@example.com", LARGE)
    small_session, large_session = signed_in_session(small), signed_in_session(large)
    full_answers = {**BENIGN, "duration": "over_2_weeks", "spread": "several_areas"}
    step_session = questionnaire_session({"emergency_signs": "no"})
    result_session = questionnaire_session(full_answers)

    pages = [
        ("bare view", "/bench/bare/", None, None),
        ("bare form view", "/bench/bare-form/", step_session, None),
        ("home", "/", None, PUBLIC_GOAL),
        ("content page", "/read/eyelid-twitching/", None, PUBLIC_GOAL),
        ("questionnaire step", "/check/q/area/", step_session, PUBLIC_GOAL),
        ("result page", "/check/result/", result_session, PUBLIC_GOAL),
        ("journal timeline (10,000)", "/journal/", large_session, JOURNAL_GOAL),
        ("journal charts (10,000)", "/journal/patterns/", large_session, JOURNAL_GOAL),
    ]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        for _name, path, session, _goal in pages:
            wrk(base + path, session)  # warm up both workers
        runs: dict[str, list[dict]] = {name: [] for name, *_ in pages}
        for _ in range(ROUNDS):
            for name, path, session, _goal in pages:
                runs[name].append(wrk(base + path, session))
        weight = {
            name: page_weight(base, path, session)
            for name, path, session, _goal in pages
            if not name.startswith("bare ")
        }
    finally:
        server.terminate()
        server.wait(timeout=10)

    sql = {}
    for label, session_key in (
        (f"{SMALL} entries", small_session),
        (f"{LARGE:,} entries", large_session),
    ):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        sql[label] = {
            path: queries(client, path)
            for path in ("/journal/", "/journal/patterns/", "/journal/report/")
        }

    bare = runs["bare view"]
    load = {
        name: {
            "rps": statistics.median(run["rps"] for run in figures),
            "ratio": statistics.median(
                run["rps"] / yardstick["rps"] for run, yardstick in zip(figures, bare, strict=True)
            ),
            "p50_ms": statistics.median(run["p50_ms"] for run in figures),
            "p99_ms": statistics.median(run["p99_ms"] for run in figures),
            "errors": sum(run["errors"] for run in figures),
        }
        for name, figures in runs.items()
    }
    rows = []
    print(
        f"\nPages: gunicorn 2 workers, wrk {CONNECTIONS} connections, "
        f"{ROUNDS} rounds of {SECONDS:g} s each (medians)"
    )
    header = ("page", "req/s", "ratio", "goal", "p50 ms", "p99 ms", "errors")
    print("{:28} {:>8} {:>6} {:>6} {:>7} {:>7} {:>6}".format(*header))
    for name, path, _session, goal in pages:
        figures = load[name]
        ratio = figures["ratio"]
        rows.append({"page": name, "path": path, "goal": goal, **figures, "ratio": round(ratio, 3)})
        goal_text = f">={goal:.0%}" if goal else ""
        print(
            f"{name:28} {figures['rps']:8.0f} {ratio:6.0%} {goal_text:>6} "
            f"{figures['p50_ms']:7.2f} {figures['p99_ms']:7.2f} {figures['errors']:6d}"
        )
    print("\nSQL queries per journal page (goal: the same small number at both sizes, <= 8)")
    for label, counts in sql.items():
        print(f"  {label:16} " + "  ".join(f"{path} {n}" for path, n in counts.items()))
    print(f"\nPage weight, compressed bytes on the wire (goal: content page < {WEIGHT_GOAL:,})")
    for name, figures in weight.items():
        print(
            f"  {name:28} html {figures['html']:7,}  css+js {figures['assets']:7,}  "
            f"total {figures['total']:7,}"
        )

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "pages.json").write_text(
        json.dumps({"load": rows, "sql": sql, "weight": weight}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
