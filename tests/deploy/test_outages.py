"""Degrade, never fail, on real servers: gunicorn over a real redis-server and PostgreSQL,
with the background worker, each shared part stopped or killed as it would be in life.

- Redis stopped: signed-in pages, sign-in and explainer pages still answer 200 (sessions
  from the database, pages drawn without their cached part), /health/ says the cache is
  failing, and the failure is logged once, not once a request.
- PostgreSQL stopped and started: people are told "Try again in a minute" (503, with
  Retry-After), never shown the 500 page; the background worker waits for it and goes on.
- The background worker killed mid-import: the import's page says within a minute that
  nothing was saved and offers a new upload, the file is emptied from the database once
  a worker runs again, and work queued meanwhile is done by the new worker.
"""

import json
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bench.cluster import postgres_bin, program, throwaway_postgres, throwaway_redis
from tests.deploy.servers import (
    ROOT,
    AppServer,
    Visitor,
    migrate,
    site_env,
    start_app_server,
    start_worker,
)

pytestmark = pytest.mark.deploy

PASSWORD = "a-long-password-1"
SIGNED_IN = ">Sign out</button>"
EXPLAINER = "/read/eyelid-twitching/"
STOPPED = "Nothing from this file was saved."


def needs(name: str, found: object) -> None:
    if not found:
        pytest.skip(f"{name} is not installed on this machine.")


def make_accounts(database_url: str, *emails: str, **env: str) -> None:
    migrate(database_url, **env)
    code = "from accounts.models import User\n" + "".join(
        f"User.objects.create_user({email!r}, {PASSWORD!r})\n" for email in emails
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=site_env(database_url, **env),
        check=True,
        timeout=300,
    )


def sign_in(visitor: Visitor, server: AppServer, email: str) -> None:
    response = visitor.post_form(
        f"{server.url}/journal/sign-in/", {"username": email, "password": PASSWORD}
    )
    assert response.status == 302, (response.status, response.text[-2000:])


def wait_for[T](check: Callable[[], T], seconds: float, what: str) -> T:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.25)
    return found


# Redis --------------------------------------------------------------------------------


def test_with_redis_stopped_pages_sign_in_and_sessions_still_work(database_url, tmp_path):
    needs("redis-server", program("redis-server"))
    with throwaway_redis(tmp_path) as redis:
        env = {"REDIS_URL": redis.url, "CACHE_KEY_PREFIX": secrets.token_hex(4)}
        make_accounts(database_url, "ana@example.com", "ben@example.com", **env)
        log = tmp_path / "gunicorn.log"
        server = start_app_server(database_url, log=log, **env)
        try:
            ana = Visitor()
            sign_in(ana, server, "ana@example.com")
            assert ana.get(f"{server.url}{EXPLAINER}").status == 200  # cached now

            redis.stop()
            for _ in range(5):
                journal = ana.get(f"{server.url}/journal/")
                assert journal.status == 200 and SIGNED_IN in journal.text
                page = Visitor().get(f"{server.url}{EXPLAINER}")
                assert page.status == 200 and "Eyelid" in page.text
            ben = Visitor()
            sign_in(ben, server, "ben@example.com")
            journal = ben.get(f"{server.url}/journal/")
            assert journal.status == 200 and SIGNED_IN in journal.text
            health = Visitor().get(f"{server.url}/health/")
            assert health.status == 503
            assert json.loads(health.text) == {
                "status": "failing",
                "database": "ok",
                "cache": "failing",
            }
            logged = log.read_text()
            assert logged.count("Exception ignored") == 1, "once a minute, not once a request"
            assert "at most once a minute" in logged
            assert "Internal Server Error" not in logged

            redis.start()
            wait_for(
                lambda: Visitor().get(f"{server.url}/health/").status == 200,
                15,
                "/health/ answers 200 again once Redis is back",
            )
            journal = ben.get(f"{server.url}/journal/")
            assert journal.status == 200 and SIGNED_IN in journal.text
        finally:
            server.stop()


# PostgreSQL ---------------------------------------------------------------------------


def test_while_postgresql_is_down_people_are_told_to_try_again_never_shown_a_500(tmp_path):
    needs("PostgreSQL", postgres_bin())
    with throwaway_postgres() as postgres:
        make_accounts(postgres.url, "ana@example.com", "ben@example.com")
        server = start_app_server(postgres.url, workers=2, log=tmp_path / "gunicorn.log")
        worker = start_worker(postgres.url, log=tmp_path / "worker.log")
        try:
            ana = Visitor()
            sign_in(ana, server, "ana@example.com")
            form = ana.get(f"{server.url}/journal/entries/new/")
            assert form.status == 200

            postgres.stop()
            answers = [
                ana.get(f"{server.url}/journal/"),
                ana.get(f"{server.url}{EXPLAINER}"),
                Visitor().post_form(
                    f"{server.url}/journal/sign-in/",
                    {"username": "ben@example.com", "password": PASSWORD},
                ),
            ]
            for answer in answers:
                assert answer.status == 503, answer.text[-2000:]
                assert answer.headers["Retry-After"] == "60"
                assert "Try again in a minute" in answer.text
                assert "Nothing you sent was saved twice" in answer.text
            assert Visitor().get(f"{server.url}/health/").status == 503
            time.sleep(6)  # past a heartbeat of the worker, which cannot reach it either
            postgres.start()

            journal = wait_for(
                lambda: (r := ana.get(f"{server.url}/journal/")).status == 200 and r,
                30,
                "the journal answers once PostgreSQL is back",
            )
            assert SIGNED_IN in journal.text, "the session outlived the restart"
            assert worker.process.poll() is None, "the worker waited for the database"
            imported = upload(ana, server, journal_file(2, datetime(2025, 1, 1, tzinfo=UTC)))
            wait_for(
                lambda: "2 new records added" in ana.get(imported).text,
                60,
                "the worker goes on with its work once PostgreSQL is back",
            )

            # Stopped and started again under load: 200s, redirects and 503s, never a 500.
            statuses: list[tuple[int, str | None]] = []
            done = threading.Event()

            def keep_asking(visitor: Visitor) -> None:
                while not done.is_set():
                    for path in ("/journal/", EXPLAINER, "/check/"):
                        response = visitor.get(f"{server.url}{path}")
                        statuses.append((response.status, response.headers.get("Retry-After")))

            askers = [threading.Thread(target=keep_asking, args=(ana,)) for _ in range(3)]
            for asker in askers:
                asker.start()
            time.sleep(1)
            postgres.stop()
            time.sleep(2)
            postgres.start()
            time.sleep(2)
            done.set()
            for asker in askers:
                asker.join()
            assert {status for status, _ in statuses} <= {200, 503}, statuses
            assert all(retry == "60" for status, retry in statuses if status == 503)
            assert any(status == 503 for status, _ in statuses)
            assert statuses[-1][0] == 200
        finally:
            worker.stop()
            server.stop()


# The background worker ----------------------------------------------------------------


def journal_file(entries: int, start: datetime) -> bytes:
    twitch = {"region": "calf", "side": "left", "duration": "seconds", "intensity": 2}
    records = [
        {**twitch, "occurred_at": (start + timedelta(minutes=n)).isoformat()}
        for n in range(entries)
    ]
    return json.dumps({"format": "twitch-check-journal", "version": 1, "entries": records}).encode()


def upload(visitor: Visitor, server: AppServer, file: bytes) -> str:
    response = visitor.post_form(
        f"{server.url}/journal/import/", {}, files={"file": ("journal.json", file)}
    )
    assert response.status == 302, response.text[-2000:]
    return f"{server.url}{response.headers['Location']}"


IMPORTS = """
import json
from django_tasks_db.models import DBTaskResult
from journal.models import JournalImport
print(json.dumps([
    {"email": i.user.email, "status": i.status, "file_kept": i.data is not None,
     "tasks": list(DBTaskResult.objects.filter(args_kwargs__kwargs__import_id=i.pk)
                   .values_list("status", flat=True))}
    for i in JournalImport.objects.select_related("user").order_by("pk")
]))
"""


def imports(database_url: str) -> list[dict]:
    ran = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", IMPORTS],
        cwd=ROOT,
        env=site_env(database_url),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(ran.stdout.strip().splitlines()[-1])


def test_a_worker_killed_mid_import_is_noticed_and_queued_work_survives(database_url, tmp_path):
    make_accounts(database_url, "ana@example.com", "ben@example.com")
    server = start_app_server(database_url, log=tmp_path / "gunicorn.log")
    worker = start_worker(database_url, log=tmp_path / "worker.log")
    try:
        ana, ben = Visitor(), Visitor()
        sign_in(ana, server, "ana@example.com")
        sign_in(ben, server, "ben@example.com")
        big = journal_file(20_000, datetime(2025, 1, 1, tzinfo=UTC))
        status_url = upload(ana, server, big)
        page = wait_for(
            lambda: (
                (text := ana.get(status_url).text)
                and ("Saving" in text or "Journal imported" in text)
                and text
            ),
            60,
            "the worker starts saving the import",
        )
        assert "Journal imported" not in page, "the import finished before the worker was killed"
        worker.stop(signal.SIGKILL)
        killed = time.monotonic()

        queued_url = upload(ben, server, journal_file(3, datetime(2025, 6, 1, tzinfo=UTC)))
        assert "Waiting to start" in ben.get(queued_url).text

        page = wait_for(
            lambda: STOPPED in (text := ana.get(status_url).text) and text,
            60,
            "the import's page says nothing was saved",
        )
        assert time.monotonic() - killed < 60
        assert "Import the file again" in page
        assert "saved so far" not in page

        worker = start_worker(database_url, log=tmp_path / "worker.log")  # as a supervisor does
        stopped = wait_for(
            lambda: (
                (found := imports(database_url))
                and not found[0]["file_kept"]
                and found[0]["tasks"] == ["FAILED"]
                and found
            ),
            60,
            "the stopped import's file is emptied and its task failed",
        )
        assert stopped[0]["status"] == "failed"
        wait_for(
            lambda: "3 new records added" in ben.get(queued_url).text,
            60,
            "the import queued while no worker ran is saved by the new worker",
        )
        again = upload(ana, server, big)
        done = wait_for(
            lambda: "Journal imported" in (text := ana.get(again).text) and text,
            180,
            "the same file, imported again, is saved",
        )
        assert "20,000 new records added" in done
    finally:
        worker.stop()
        server.stop()
