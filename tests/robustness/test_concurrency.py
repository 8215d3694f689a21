"""Several processes write at once; every write acknowledged is in the database."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("concurrent_writer.py")
PROCESSES = 4
WRITES_EACH = 40


def run(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_concurrent_writers_lose_nothing_and_never_see_a_locked_database(database_url):
    migrated = run(["manage.py", "migrate", "--noinput"], database_url)
    assert migrated.returncode == 0, migrated.stderr

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    emails = [f"writer{n}@example.com" for n in range(PROCESSES)]
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "write", email, str(WRITES_EACH)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for email in emails
    ]
    acknowledged = {}
    for email, writer in zip(emails, writers, strict=True):
        out, err = writer.communicate(timeout=300)
        assert "database is locked" not in err
        assert writer.returncode == 0, err
        acknowledged[email] = json.loads(out)

    stored = json.loads(run([str(WRITER), "count", *emails], database_url).stdout)
    for email in emails:
        assert len(acknowledged[email]["entries"]) == WRITES_EACH
        assert stored[email]["entries"] == sorted(acknowledged[email]["entries"])
        assert stored[email]["checks"] == sorted(acknowledged[email]["checks"])
