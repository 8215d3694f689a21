"""The site as deployed, under the mixed load, and the weight of its pages.

The two-server cluster of `make cluster` (bench/cluster.py: gunicorn 2 workers x 2 over
one PostgreSQL and one Redis, behind nginx) with both servers running throughout, loaded
by 32 people at once (BENCH_CONNECTIONS) for 30 s (BENCH_SECONDS); the same checks run
afterwards. Then each page's bytes on the wire through nginx, compressed as a browser
asks, with its CSS and JS. Figures are printed beside their goals and written to
bench/results/cluster.json.
"""

import gzip
import json
import os
import re
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster import (  # noqa: E402
    ClusterError,
    Load,
    check_journal,
    check_load,
    check_sign_out,
    cluster,
    run_load,
    summary,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
P99_GOAL_MS = 100.0
WEIGHT_GOAL = 100 * 1024
PAGES = {
    "home": "/",
    "content page": "/read/eyelid-twitching/",
    "self-check start": "/check/",
    "reading list": "/read/",
}
ASSET = re.compile(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def fetch(url: str) -> tuple[bytes, int]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        wire = response.read()
        gzipped = response.headers.get("Content-Encoding") == "gzip"
        return (gzip.decompress(wire) if gzipped else wire), len(wire)


def page_weight(base: str, path: str) -> dict[str, int]:
    html, html_bytes = fetch(base + path)
    assets = sorted(set(ASSET.findall(html)))
    asset_bytes = sum(fetch(base + asset.decode())[1] for asset in assets)
    return {"html": html_bytes, "assets": asset_bytes, "total": html_bytes + asset_bytes}


def main() -> None:
    tag = f"bench{os.getpid()}"
    try:
        with cluster() as running:
            load: Load = run_load(
                running, seconds=SECONDS, connections=CONNECTIONS, stop="none", tag=tag
            )
            failures = check_load(load) + check_sign_out(running, tag)
            os.environ.update(running.env | {"DATABASE_URL": running.database_url})
            failures += check_journal(load, tag)
            weight = {name: page_weight(running.url, path) for name, path in PAGES.items()}
    except ClusterError as error:
        sys.exit(str(error))

    figures = summary(load) | {"connections": CONNECTIONS}
    errors = figures["errors_5xx"] + figures["connection_errors"]
    mix = ", ".join(f"{share:.0f}% {kind}" for kind, share in figures["mix"].items())
    print(
        f"\nMixed load on two app servers behind nginx: {CONNECTIONS} connections for "
        f"{figures['seconds']} s ({mix} of requests; machine load average "
        f"{figures['load_average_1min']} at the end)"
    )
    rows = [
        ("requests per second", f"{figures['rps']:.0f}", "reported", True),
        ("latency p50", f"{figures['p50_ms']:.1f} ms", "reported", True),
        ("latency p95", f"{figures['p95_ms']:.1f} ms", "reported", True),
        (
            "latency p99",
            f"{figures['p99_ms']:.1f} ms",
            f"< {P99_GOAL_MS:.0f} ms",
            figures["p99_ms"] < P99_GOAL_MS,
        ),
        ("errors (5xx and dropped connections)", str(errors), "0", errors == 0),
        (
            "checks after the load",
            "passed" if not failures else f"{len(failures)} failed",
            "all pass",
            not failures,
        ),
    ]
    for name, result, goal, met in rows:
        print(f"  {name:38} {result:>10}  {goal:>10}  {'ok' if met else 'MISSED'}")
    for failure in failures[:10]:
        print(f"    {failure}")
    print(f"\nPage weight through nginx, compressed, with CSS and JS (goal < {WEIGHT_GOAL:,} B)")
    for name, sizes in weight.items():
        print(
            f"  {name:20} html {sizes['html']:7,}  css+js {sizes['assets']:7,}  "
            f"total {sizes['total']:7,}  {'ok' if sizes['total'] < WEIGHT_GOAL else 'MISSED'}"
        )

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "cluster.json").write_text(
        json.dumps(
            {
                "load": figures,
                "goal_p99_ms": P99_GOAL_MS,
                "failures": failures,
                "weight": weight,
                "goal_weight_bytes": WEIGHT_GOAL,
            },
            indent=2,
        )
        + "\n"
    )
    if failures:
        sys.exit("The cluster's checks failed under load.")


if __name__ == "__main__":
    main()
