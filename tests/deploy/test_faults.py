"""`make faults`'s short run, end to end: Redis stopped, PostgreSQL stopped and started,
a gunicorn worker and the background worker killed, under a mixed load through nginx."""

import os
import subprocess

import pytest
from django.conf import settings

from bench.cluster import missing_packages
from tests.deploy.servers import ROOT

pytestmark = [pytest.mark.deploy, pytest.mark.cluster]


def test_the_fault_drill_holds():
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("The drill brings its own PostgreSQL and Redis: the SQLite pass runs it.")
    missing = missing_packages()
    if missing and os.geteuid() != 0:
        pytest.skip(f"The drill needs {', '.join(missing)}; run as root to install them.")
    # The shortest drill bench/faults.py runs (20 s): every fault still happens under load.
    env = {
        **os.environ,
        "FAULTS_SECONDS": "20",
        "FAULTS_CONNECTIONS": "4",
        "FAULTS_IMPORT_ENTRIES": "20000",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)

    run = subprocess.run(
        ["make", "faults"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )

    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    for held in (
        "no request saw a 500",
        "every acknowledged journal write is stored exactly once",
        "the import's page said nothing was saved",
        "All checks passed.",
    ):
        assert held in run.stdout, held
