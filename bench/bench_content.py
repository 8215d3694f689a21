"""Explainer pages against a bare Django view, in one process and one run.

Each page is requested straight through Django's WSGI handler (every middleware, no
network), the way a returning browser would: with any cookie it was given (reading
pages give none). Pages
and the bare view take turns in short rounds so both see the same machine. Figures are
printed beside the goal (a content page serves at least 70% of the bare view's
requests per second) and written to bench/results/content.json.
"""

import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.throwaway import build, set_up  # noqa: E402

set_up("twitch-bench-content-")

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

GOAL = 0.70
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
ROUND_SECONDS = float(os.environ.get("BENCH_ROUND_SECONDS", "0.5"))
RESULTS = ROOT / "bench" / "results" / "content.json"
BARE = "/bench/bare/"
PAGES = {
    "content page (eyelid twitching)": "/read/eyelid-twitching/",
    "content page (red flags, engine blocks)": "/read/red-flags/",
    "reading list": "/read/",
    "search for “caffeine”": "/search/?q=caffeine",
}

StartResponse = Callable[[str, list[tuple[str, str]]], None]


def environ_for(path: str, cookie: str) -> dict[str, object]:
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


class Browser:
    """Sends requests to the WSGI app and keeps the cookies it is given."""

    def __init__(self, app: WSGIHandler) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}
        self.status = ""
        self.headers: list[tuple[str, str]] = []

    def _start(self, status: str, headers: list[tuple[str, str]], exc_info=None) -> None:
        self.status, self.headers = status, headers

    def get(self, path: str) -> bytes:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body: Iterable[bytes] = self.app(environ_for(path, cookie), self._start)
        try:
            content = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if not self.status.startswith("200"):
            raise SystemExit(f"{path} answered {self.status}")
        return content


def requests_per_second(browser: Browser, path: str, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while (now := time.perf_counter()) < deadline or count == 0:
        for _ in range(20):
            browser.get(path)
        count += 20
    return count / (now - start)


def sql_queries(browser: Browser, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        browser.get(path)
    return len(captured)


def main() -> None:
    build()
    browser = Browser(WSGIHandler())
    paths = [BARE, *PAGES.values()]
    for path in paths:
        requests_per_second(browser, path, ROUND_SECONDS / 2)
    rounds: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(ROUNDS):
        for path in paths:
            rounds[path].append(requests_per_second(browser, path, ROUND_SECONDS))

    bare = statistics.median(rounds[BARE])
    rows = [{"page": "bare view", "path": BARE, "rps": round(bare, 1), "ratio": 1.0,
             "goal": None, "sql": sql_queries(browser, BARE)}]  # fmt: skip
    for name, path in PAGES.items():
        rps = statistics.median(rounds[path])
        rows.append(
            {
                "page": name,
                "path": path,
                "rps": round(rps, 1),
                "ratio": round(rps / bare, 3),
                "goal": GOAL,
                "sql": sql_queries(browser, path),
            }
        )

    width = max(len(row["page"]) for row in rows)
    print(f"{'page':<{width}}  {'req/s':>8}  {'vs bare':>7}  {'goal':>6}  {'SQL':>3}  met")
    for row in rows:
        goal = f">= {row['goal']:.0%}" if row["goal"] else "yardstick"
        met = "" if row["goal"] is None else ("yes" if row["ratio"] >= row["goal"] else "NO")
        print(
            f"{row['page']:<{width}}  {row['rps']:>8.0f}  {row['ratio']:>7.0%}  {goal:>6}"
            f"  {row['sql']:>3}  {met}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "method": "in-process WSGI loop, returning browser, median of "
                f"{ROUNDS} interleaved rounds of {ROUND_SECONDS} s",
                "goal_ratio": GOAL,
                "pages": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
