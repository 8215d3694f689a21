"""`make cluster`'s short run, end to end: two app servers behind nginx over one
PostgreSQL and one Redis, one server stopped part-way through a mixed load."""

import os
import subprocess

import pytest
from django.conf import settings

from bench.cluster import missing_packages
from tests.deploy.servers import ROOT

pytestmark = [pytest.mark.deploy, pytest.mark.cluster]


def test_stopping_a_server_mid_load_loses_no_write_answer_or_session(request):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    redis_url = os.environ.get("REDIS_URL", "")
    missing = missing_packages(postgres=not on_postgres, redis=not redis_url)
    if missing and os.geteuid() != 0:
        pytest.skip(f"The cluster needs {', '.join(missing)}; run as root to install them.")
    env = {**os.environ, "CLUSTER_SECONDS": "6", "CLUSTER_CONNECTIONS": "6"}
    env.pop("DATABASE_URL", None)
    if on_postgres:
        env["DATABASE_URL"] = request.getfixturevalue("database_url")

    run = subprocess.run(
        ["make", "cluster"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 5xx, 0 dropped connections" in run.stdout
    assert "All checks passed." in run.stdout
