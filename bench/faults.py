"""A fault drill: the shared parts of the deployment fail, one after another, under load.

`make faults` runs this. It starts the deployment of `make cluster` (bench/cluster.py:
two gunicorn app servers, 2 workers each, behind nginx, one background worker), always
over a throwaway PostgreSQL and redis-server of its own on private ports, since it stops
and restarts them. For FAULTS_SECONDS (60) it sends FAULTS_CONNECTIONS (8) people at once
through nginx, as `make cluster` does (reading, self-checks, journal writes), people who,
like real ones, send a page again after a 503, a 502 or a page cut off. Meanwhile it:

1. stops Redis for a while, checking that signed-in pages, sign-in and explainer pages
   still answer, that /health/ reports the cache failing, and, once Redis is started
   again on its port, that /health/ is well again;
2. restarts PostgreSQL: stops it (`pg_ctl stop -m fast`, every connection cut) and
   starts it again a few seconds later;
3. kills one gunicorn worker of the first app server with SIGKILL (gunicorn starts
   another);
4. kills the background worker with SIGKILL while it saves a large journal import
   (FAULTS_IMPORT_ENTRIES, 30,000), queues a second person's import while no worker
   runs, then starts the worker again as a supervisor would.

Then it checks, and exits 1 if anything did not hold: no request saw a 500 (a 503 only
while PostgreSQL restarted, each with Retry-After; a 502 or an answer cut off part way
only for the one request in flight in the killed gunicorn worker, at most one each
kill); every journal write the site acknowledged is stored exactly once, re-sent ones
included; every self-check kept exactly its answers; the background worker rode out the
PostgreSQL restart; the killed import's page said within a minute that nothing was
saved, with no count of entries saved so far, and offered a new upload; its file was
emptied and its task marked failed; the queued import was saved after the restart; and
the same file imported again was saved in full. It prints what it did, when, and what
held.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster import (  # noqa: E402
    PASSWORD,
    Cluster,
    ClusterError,
    Dropped,
    Load,
    Person,
    Sample,
    check_journal,
    check_load,
    check_sign_out,
    cluster,
    create_accounts,
    elapsed_ms,
    run_load,
)
from tests.deploy.servers import CSRF_INPUT, ONCE_INPUT, Response, Visitor  # noqa: E402

SECONDS = float(os.environ.get("FAULTS_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("FAULTS_CONNECTIONS", "8"))
IMPORT_ENTRIES = int(os.environ.get("FAULTS_IMPORT_ENTRIES", "30000"))
# When each fault starts, as a share of the run.
REDIS_AT, POSTGRES_AT, GUNICORN_AT, WORKER_AT = 0.08, 0.3, 0.45, 0.55
# A person sends a page again after this pause, this many times at most.
RESEND_AFTER, RESENDS = 0.25, 120
# How long after the database is back a 503 may still be answered (a request that
# started while it was down).
GRACE = 3.0
SIGNED_IN = ">Sign out</button>"
STOPPED_IMPORT = "Nothing from this file was saved."
SAVED_SO_FAR = re.compile(r"([\d,]+) twitch(?:es)? saved so far")
AGAIN = re.compile(r">Import (?:the|a) file again<")


# What people saw -----------------------------------------------------------------------


@dataclass
class Seen:
    """Every 5xx people were answered, by kind, with when (monotonic seconds)."""

    unavailable: list[tuple[float, str, bool]] = field(default_factory=list)  # 503s
    bad_gateway: list[tuple[float, str]] = field(default_factory=list)  # 502s
    cut_off: list[tuple[float, str]] = field(default_factory=list)  # no whole answer
    resent_writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


SEEN = Seen()


class PatientPerson(Person):
    """A person who, shown a 503 ("Try again in a minute"), a 502 or a page cut off part
    way, sends the same request again (the same form, with the same one-time token) a
    moment later.

    Every answer is recorded; any other 5xx is a problem at once. A page is cut off when
    the gunicorn worker answering it is killed once nginx has passed on the start of its
    answer: the checks afterwards allow that only then, as they allow a 502."""

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> Response:
        url = url if url.startswith("http") else self.base + url
        path = urllib.parse.urlsplit(url).path
        for attempt in range(RESENDS + 1):
            started = time.perf_counter()
            try:
                response = Visitor.request(self, url, data, files)
            except Exception as error:  # a dropped connection
                self.load.samples.append(Sample(self.kind, 0, elapsed_ms(started)))
                if attempt == RESENDS:
                    self.load.problem(f"{self.kind}: {path} failed: {error!r}")
                    raise Dropped from error
                with SEEN.lock:
                    SEEN.cut_off.append((time.monotonic(), path))
                time.sleep(RESEND_AFTER)
                continue
            self.load.samples.append(Sample(self.kind, response.status, elapsed_ms(started)))
            if response.status not in (502, 503):
                if response.status >= 500:
                    self.load.problem(f"{self.kind}: {path} answered {response.status}")
                if attempt and data is not None and path.startswith("/journal/entries/"):
                    with SEEN.lock:
                        SEEN.resent_writes += 1
                return response
            with SEEN.lock:
                if response.status == 503:
                    retry = bool(response.headers.get("Retry-After"))
                    SEEN.unavailable.append((time.monotonic(), path, retry))
                else:
                    SEEN.bad_gateway.append((time.monotonic(), path))
            time.sleep(RESEND_AFTER)
        self.load.problem(f"{self.kind}: {path} still answered {response.status} after resends")
        return response


# The drill -----------------------------------------------------------------------------


@dataclass
class Drill:
    cluster: Cluster
    tag: str
    started: float = 0.0
    log: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    postgres_down: tuple[float, float] | None = None
    gunicorn_kills: list[float] = field(default_factory=list)

    def did(self, what: str) -> None:
        line = f"{time.monotonic() - self.started:6.1f} s  {what}"
        self.log.append(line)
        print(line, flush=True)

    def check(self, ok: bool, held: str, failed: str | None = None) -> bool:
        (self.held if ok else self.failed).append(held if ok else (failed or held))
        return ok

    def wait_until(self, at: float) -> None:
        time.sleep(max(0.0, self.started + at - time.monotonic()))

    def run(self, load: Load, started: float) -> None:
        """The faults, one after another, beside the load (run_load's `during`)."""
        self.started = started
        steps: list[tuple[float, Callable[[], None]]] = [
            (SECONDS * REDIS_AT, self.stop_redis),
            (SECONDS * POSTGRES_AT, self.restart_postgres),
            (SECONDS * GUNICORN_AT, self.kill_gunicorn_worker),
            (SECONDS * WORKER_AT, self.kill_task_worker_mid_import),
        ]
        for at, step in steps:
            self.wait_until(at)
            try:
                step()
            except Exception as error:  # reported, and the drill goes on
                self.failed.append(f"{step.__name__}: {error!r}")
                self.did(f"{step.__name__} could not be done: {error!r}")

    # 1. Redis ---------------------------------------------------------------------------

    def stop_redis(self) -> None:
        redis = self.cluster.redis
        outage = max(4.0, SECONDS * 0.12)
        redis.stop()
        self.did(f"Redis stopped (for {outage:.0f} s)")
        down_until = time.monotonic() + outage
        person = Visitor()
        email = f"{self.tag}-redis@example.com"
        health = [self.health(server.url) for server in self.cluster.servers]
        self.check(
            all(status == 503 and body.get("cache") == "failing" for status, body in health),
            "with Redis down, /health/ on each app server answered 503, naming the cache",
            f"with Redis down, /health/ answered {health}",
        )
        signed_in = person.post_form(
            f"{self.cluster.url}/journal/sign-in/", {"username": email, "password": PASSWORD}
        )
        journal = person.get(f"{self.cluster.url}/journal/")
        explainer = person.get(f"{self.cluster.url}/read/eyelid-twitching/")
        self.check(
            signed_in.status == 302 and journal.status == 200 and SIGNED_IN in journal.text,
            "with Redis down, signing in worked and the journal opened (sessions read from "
            "the database)",
            f"with Redis down, sign-in answered {signed_in.status}, the journal {journal.status}",
        )
        self.check(
            explainer.status == 200 and "Eyelid" in explainer.text,
            "with Redis down, explainer pages were drawn without their cached part",
            f"with Redis down, an explainer page answered {explainer.status}",
        )
        time.sleep(max(0.0, down_until - time.monotonic()))
        redis.start()
        self.did("Redis started again on its port")
        deadline = time.monotonic() + 15
        while (health := self.health(self.cluster.servers[0].url))[0] != 200:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.check(
            health[0] == 200,
            "with Redis back, /health/ answered 200 again",
            f"with Redis back, /health/ still answered {health}",
        )
        back = person.get(f"{self.cluster.url}/journal/")
        self.check(
            back.status == 200 and SIGNED_IN in back.text,
            "the session opened during the Redis outage still opened the journal after it",
            f"after the Redis outage, the journal answered {back.status}",
        )

    @staticmethod
    def health(base: str) -> tuple[int, dict]:
        response = Visitor().get(f"{base}/health/")
        try:
            return response.status, json.loads(response.text)
        except ValueError:
            return response.status, {}

    # 2. PostgreSQL ------------------------------------------------------------------------

    def restart_postgres(self) -> None:
        """Stopped (`pg_ctl stop -m fast`: connections cut, transactions rolled back) and
        started again a few seconds later, as a restart for an upgrade or a failover takes."""
        worker = self.cluster.worker.process
        outage = max(3.0, SECONDS * 0.06)
        # Someone has the journal's entry form open when the database goes.
        writer, note = Visitor(), f"{self.tag}-outage"
        sign_in_at(writer, self.cluster.url, f"{self.tag}-outage@example.com")
        action = f"{self.cluster.url}/journal/entries/new/"
        form = writer.get(action).text
        when = datetime.now(UTC) - timedelta(minutes=1)
        entry = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(form)[1],
            "once": ONCE_INPUT.search(form)[1],
            "occurred_at": f"{when:%Y-%m-%dT%H:%M}",
            "region": "calf",
            "side": "left",
            "duration": "seconds",
            "intensity": "2",
            "notes": note,
        }
        down = time.monotonic()
        self.cluster.postgres.stop()
        self.did(f"PostgreSQL stopped (pg_ctl stop -m fast), for {outage:.0f} s")
        during = writer.request(action, entry)
        self.check(
            during.status == 503
            and during.headers.get("Retry-After") == "60"
            and "Try again in a minute" in during.text,
            'a journal entry sent while PostgreSQL was down was answered 503 "Try again in a '
            'minute" with Retry-After: 60',
            f"a journal entry sent while PostgreSQL was down answered {during.status}",
        )
        time.sleep(max(0.0, down + outage - time.monotonic()))
        self.cluster.postgres.start()
        self.postgres_down = (down, time.monotonic())
        self.did(f"PostgreSQL started again ({time.monotonic() - down:.1f} s after it stopped)")
        again, twice = writer.request(action, entry), writer.request(action, entry)
        stored = notes_stored(note)
        self.check(
            again.status == twice.status == 302 and stored == 1,
            "that entry, sent again after the restart and then once more, was stored once",
            f"that entry, sent again, answered {again.status} then {twice.status}, and is "
            f"stored {stored} times",
        )
        time.sleep(6.0)  # past a heartbeat of the background worker
        self.check(
            worker.poll() is None,
            "the background worker rode out the PostgreSQL restart",
            f"the background worker ended ({worker.returncode}) when PostgreSQL restarted",
        )

    # 3. A gunicorn worker -----------------------------------------------------------------

    def kill_gunicorn_worker(self) -> None:
        master = self.cluster.servers[0].process.pid
        workers = children(master)
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        self.gunicorn_kills.append(time.monotonic())
        self.did(f"gunicorn worker {victim} of the first app server killed (SIGKILL)")
        deadline = time.monotonic() + 30
        while len(set(children(master)) - {victim}) < len(workers):
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        replaced = len(set(children(master)) - {victim}) >= len(workers)
        self.check(
            replaced,
            "gunicorn replaced its killed worker",
            "gunicorn did not replace its killed worker within 30 s",
        )
        if replaced:
            self.did("gunicorn started a new worker in its place")

    # 4. The background worker, mid-import ---------------------------------------------------

    def kill_task_worker_mid_import(self) -> None:
        first, second = f"{self.tag}-import@example.com", f"{self.tag}-queued@example.com"
        importer, queued = Visitor(), Visitor()
        base = self.cluster.url
        sign_in_at(importer, base, first)
        sign_in_at(queued, base, second)
        journal = journal_file(IMPORT_ENTRIES, datetime(2025, 1, 1, tzinfo=UTC))
        uploaded = upload(importer, base, journal)
        if uploaded.status != 302:
            self.check(False, "", f"import: uploading answered {uploaded.status}")
            return
        status_url = base + uploaded.headers["Location"]
        self.did(f"{IMPORT_ENTRIES:,}-entry journal uploaded; waiting for the worker to save")
        deadline, page, so_far = time.monotonic() + 120, "", None
        while time.monotonic() < deadline:
            page = importer.get(status_url).text
            if (match := SAVED_SO_FAR.search(page)) or "Journal imported" in page:
                so_far = match[1] if match else None
                break
            time.sleep(0.05)
        if so_far is None:
            self.check(
                False,
                "",
                "import: the worker was not caught part-way (raise FAULTS_IMPORT_ENTRIES)",
            )
            return
        self.cluster.worker.stop(signal.SIGKILL)
        killed = time.monotonic()
        self.did(f"background worker killed (SIGKILL) with {so_far} twitches saved so far")

        waiting = upload(queued, base, journal_file(3, datetime(2025, 6, 1, tzinfo=UTC)))
        queued_url = base + waiting.headers.get("Location", "/journal/import/")
        self.did("a second person's journal uploaded while no worker runs")

        while time.monotonic() < killed + 60:
            page = importer.get(status_url).text
            if STOPPED_IMPORT in page:
                break
            time.sleep(0.25)
        told = time.monotonic() - killed
        self.check(
            STOPPED_IMPORT in page and "saved so far" not in page and AGAIN.search(page),
            f"the import's page said nothing was saved {told:.1f} s after the kill, with no "
            "count saved so far, and offered a new upload",
            "import: its page did not say nothing was saved within a minute of the kill",
        )
        self.cluster.restart_worker()
        self.did("background worker started again, as a supervisor would")
        self.check_stopped_import(first)
        self.check(
            wait_for_text(queued, queued_url, "3 new records added", 120),
            "the import queued while no worker ran was saved once the worker was back",
            "import: the queued import was not saved after the worker came back",
        )
        again = upload(importer, base, journal)
        saved = again.status == 302 and wait_for_text(
            importer, base + again.headers.get("Location", ""), "Journal imported", 180
        )
        self.check(
            saved and entries_of(first) == IMPORT_ENTRIES,
            f"the same file imported again was saved in full ({IMPORT_ENTRIES:,} entries, once)",
            f"import: importing again left {entries_of(first)} entries, not {IMPORT_ENTRIES}",
        )
        self.did("the file imported again was saved")

    def check_stopped_import(self, email: str) -> None:
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        from journal.models import JournalImport

        connections.close_all()
        deadline = time.monotonic() + 30
        while True:
            upload = JournalImport.objects.filter(user__email=email).order_by("pk").first()
            task = (
                DBTaskResult.objects.filter(args_kwargs__kwargs__import_id=upload.pk).first()
                if upload
                else None
            )
            done = upload and upload.data is None and task and task.status == "FAILED"
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.check(
            bool(done) and upload.status == "failed",
            "the stopped import's file was emptied and its task marked failed "
            f"({task.exception_class_path.rsplit('.', 1)[-1] if task else '?'})",
            f"import: the stopped import is {upload and upload.status}, its file "
            f"{'emptied' if upload and upload.data is None else 'kept'}, its task "
            f"{task and task.status}",
        )
        from django.core.cache import cache

        self.check(
            cache.get(upload.progress_key) is None,
            "its count of twitches saved so far was forgotten",
            "import: its count of twitches saved so far is still shared",
        )
        running = DBTaskResult.objects.filter(status="RUNNING").count()
        self.check(running == 0, "no task was left RUNNING", f"{running} tasks left RUNNING")

    # After the load ---------------------------------------------------------------------------

    def check_answers(self, load: Load) -> None:
        down = self.postgres_down
        outside = [
            (at, path)
            for at, path, _ in SEEN.unavailable
            if down is None or not down[0] - 1 <= at <= down[1] + GRACE
        ]
        without = [path for _, path, retry in SEEN.unavailable if not retry]
        fives = sum(1 for s in load.samples if s.status >= 500 and s.status not in (502, 503))
        self.check(
            fives == 0,
            f"no request saw a 500 ({len(load.samples):,} requests)",
            f"{fives} requests saw a 5xx other than 502 or 503",
        )
        self.check(
            bool(SEEN.unavailable) and not outside and not without,
            f'{len(SEEN.unavailable)} requests answered 503 ("Try again in a minute") with '
            "Retry-After, all while PostgreSQL was down, and were sent again",
            f"503s: {len(SEEN.unavailable)}, outside the outage: {outside[:3]}, without "
            f"Retry-After: {without[:3]}",
        )
        in_flight = SEEN.bad_gateway + SEEN.cut_off
        stray = [
            (at, path)
            for at, path in in_flight
            if not any(kill <= at <= kill + 10 for kill in self.gunicorn_kills)
        ]
        self.check(
            not stray and len(in_flight) <= len(self.gunicorn_kills),
            f"{len(SEEN.bad_gateway)} request(s) in flight in the killed gunicorn worker "
            f"answered 502 and {len(SEEN.cut_off)} were cut off part way; each was sent again "
            "(nginx never resends a POST itself)",
            f"502s: {len(SEEN.bad_gateway)} and cut off: {len(SEEN.cut_off)} for "
            f"{len(self.gunicorn_kills)} kills, outside them: {stray[:3]}",
        )
        problems = check_load(load)
        self.check(
            not problems,
            f"every self-check kept exactly its answers ({len(load.finished_checks)} finished)",
            "; ".join(problems[:5]),
        )


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def sign_in_at(visitor: Visitor, base: str, email: str) -> None:
    response = visitor.post_form(
        f"{base}/journal/sign-in/", {"username": email, "password": PASSWORD}
    )
    if response.status != 302:
        raise ClusterError(f"Signing in {email} answered {response.status}.")


def journal_file(entries: int, start: datetime) -> bytes:
    twitch = {"region": "calf", "side": "left", "duration": "seconds", "intensity": 2}
    records = [
        {**twitch, "occurred_at": (start + timedelta(minutes=n)).isoformat()}
        for n in range(entries)
    ]
    return json.dumps({"format": "twitch-check-journal", "version": 1, "entries": records}).encode()


def upload(visitor: Visitor, base: str, file: bytes) -> Response:
    return visitor.post_form(f"{base}/journal/import/", {}, files={"file": ("journal.json", file)})


def wait_for_text(visitor: Visitor, url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if text in visitor.get(url).text:
                return True
        time.sleep(0.5)
    return False


def notes_stored(note: str) -> int:
    from django.db import connections

    from journal.models import Entry

    connections.close_all()  # the database restarted under this process's connection
    return Entry.objects.filter(notes=note).count()


def entries_of(email: str) -> int:
    from journal.models import Entry

    return Entry.objects.filter(user__email=email).count()


def use_the_cluster_database(running: Cluster) -> None:
    """Let this process read the cluster's database and cache, for the checks."""
    os.environ.update(running.env | {"DATABASE_URL": running.database_url, "CONN_MAX_AGE": "0"})
    import django

    django.setup()


def run() -> Drill:
    if SECONDS < 20 or CONNECTIONS < 2:
        raise ClusterError("FAULTS_SECONDS must be at least 20 and FAULTS_CONNECTIONS at least 2.")
    tag = f"drill{secrets.token_hex(3)}"
    started = time.monotonic()
    with cluster(throwaway=True) as running:
        print(
            f"nginx {running.url} -> app servers "
            f"{', '.join(server.url for server in running.servers)}, over a throwaway "
            f"PostgreSQL and Redis, ready in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        use_the_cluster_database(running)
        create_accounts(
            running,
            [f"{tag}-{who}@example.com" for who in ("redis", "outage", "import", "queued")],
        )
        drill = Drill(running, tag)
        print(
            f"{CONNECTIONS} people for {SECONDS:.0f} s: reading, self-checks, journal writes",
            flush=True,
        )
        load = run_load(
            running,
            seconds=SECONDS,
            connections=CONNECTIONS,
            stop="none",
            tag=tag,
            person_class=PatientPerson,
            during=drill.run,
        )
        drill.did(f"load finished: {len(load.samples):,} requests")
        drill.check_answers(load)
        written = check_journal(load, tag)
        drill.check(
            not written,
            f"every acknowledged journal write is stored exactly once ({len(load.acknowledged)}"
            f" writes, {SEEN.resent_writes} of them sent again after a 503, a 502 or an answer"
            " cut off)",
            "; ".join(written[:5]),
        )
        signed_out = check_sign_out(running, tag)
        drill.check(
            not signed_out,
            "signing out on one server still ends the session everywhere",
            "; ".join(signed_out[:5]),
        )
        return drill


def main() -> None:
    try:
        drill = run()
    except ClusterError as error:
        sys.exit(str(error))
    print("What held:")
    for line in drill.held:
        print(f"  ok    {line}")
    if drill.failed:
        print("What did not:")
        for line in drill.failed:
            print(f"  FAIL  {line}")
        sys.exit(f"FAILED: {len(drill.failed)} of {len(drill.held) + len(drill.failed)} checks.")
    print("All checks passed.")


if __name__ == "__main__":
    main()
