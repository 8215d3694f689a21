"""Two stateless app servers behind nginx, under a mixed load, with one stopped part-way.

`make cluster` runs this. Two gunicorn servers (2 workers each, production settings over
plain HTTP) share one PostgreSQL and one Redis; Debian's nginx on 127.0.0.1 balances
between them and, when one stops answering, passes each request it could not deliver to
the other (`proxy_next_upstream`). A POST that reached a server is never sent twice.

DATABASE_URL (PostgreSQL) and REDIS_URL are used when given; otherwise a throwaway
PostgreSQL and redis-server are started on private ports and removed afterwards. The
load is bounded: CLUSTER_SECONDS of CLUSTER_CONNECTIONS people at once, each a closed
loop of requests through nginx, about 70% reading pages, 25% self-checks walked to their
result and 5% journal writes by signed-in people.

At 40% of the run the second server is stopped as a deploy stops one: nginx is reloaded
without it and finishes the requests it had passed there, then gunicorn gets SIGTERM (its
graceful stop). nginx then lists the stopped server again, so the requests it sends there
meet a refused connection and go to the first server (`proxy_next_upstream`). Why drain
first: SIGTERM alone resets the connections still waiting in gunicorn's accept queue, and
nginx rightly never resends a POST it has sent, so someone would see a 502.
CLUSTER_STOP=none keeps both servers running. The stopped server is started again on its
port after the load.

Afterwards it checks what people would notice: every acknowledged journal entry is in
the database exactly once, every self-check's "Check your answers" page lists exactly the
answers given, nobody saw a 5xx or a dropped connection, and signing out on one server
ends the session on every server, reached directly and through nginx. It prints req/s,
latency percentiles and error counts, and exits 1 when a check fails.
"""

import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy.servers import (  # noqa: E402
    AppServer,
    Response,
    SiteProcess,
    Visitor,
    free_port,
    migrate,
    start_app_server,
    start_worker,
)
from triage.engine import get_ruleset  # noqa: E402
from triage.engine.paths import complete_answer_sets  # noqa: E402

SECONDS = float(os.environ.get("CLUSTER_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("CLUSTER_CONNECTIONS", "32"))
STOP = os.environ.get("CLUSTER_STOP", "sigterm")
STOPS = ("sigterm", "none")
STOP_AT = 0.4
MIX = {"read": 70, "self-check": 25, "journal": 5}
WRITERS = 8
PASSWORD = secrets.token_urlsafe(16)
READING = ["/", "/read/", "/search/?q=caffeine"] + [
    f"/read/{page.stem}/" for page in sorted((ROOT / "content" / "pages").glob("*.md"))
]
SIGN_IN = "/journal/sign-in/"
CHANGE_LINK = re.compile(r'href="/check/q/([a-z_]+)/\?return=check"')


class ClusterError(Exception):
    """The cluster could not be set up (a missing program, a service that did not start)."""


# Programs ----------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name or 0))
    return found[-1] if found else None


def program(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


def missing_packages(*, postgres: bool = True, redis: bool = True) -> list[str]:
    """The Debian packages this run needs and the machine lacks."""
    missing = [] if program("nginx") else ["nginx"]
    if postgres and postgres_bin() is None:
        missing.append("postgresql")
    if redis and not program("redis-server"):
        missing.append("redis-server")
    return missing


def install(packages: list[str]) -> None:
    """Install with apt when running as root, as `make test` does for Chromium."""
    if not packages:
        return
    if os.geteuid() != 0 or not program("apt-get"):
        raise ClusterError(
            f"The cluster needs {' '.join(packages)}: run 'sudo apt-get install "
            f"{' '.join(packages)}'."
        )
    quiet = {
        "stdout": subprocess.DEVNULL,
        "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    }
    subprocess.run(["apt-get", "update", "-qq"], check=True, **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, **quiet)


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{what} exited with {process.returncode}.")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise ClusterError(f"{what} did not listen on port {port} within 30 s.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Services ----------------------------------------------------------------------------


@dataclass
class Postgres:
    """A throwaway PostgreSQL server (see `throwaway_postgres`), which `make faults` stops
    and starts again."""

    url: str
    pg_ctl: list[str]
    log: Path
    options: str

    def stop(self) -> None:
        """`pg_ctl stop -m fast`: every connection is cut, open transactions roll back."""
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        """Start it again with its options; returns once it accepts connections."""
        self._pg_ctl("-l", str(self.log), "-w", "-o", self.options, "start")

    def _pg_ctl(self, *arguments: str) -> None:
        subprocess.run(
            [*self.pg_ctl, *arguments], check=True, stdout=subprocess.DEVNULL, timeout=120
        )


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[Postgres]:
    """A PostgreSQL cluster on a private port, fast rather than durable (no fsync), removed
    after, as .ci/run starts one."""
    pg_bin = postgres_bin()
    work = Path(tempfile.mkdtemp(prefix="twitch-cluster-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(work, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "timeout": 120}
    pg_ctl = [*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(work / "data")]
    try:
        subprocess.run(
            [
                *as_postgres,
                str(pg_bin / "initdb"),
                "-D",
                str(work / "data"),
                "--auth=trust",
                "--username=postgres",
                "-E",
                "UTF8",
            ],
            **quiet,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {work} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run([*pg_ctl, "-l", str(work / "log"), "-w", "-o", options, "start"], **quiet)
        try:
            subprocess.run(
                [
                    *as_postgres,
                    str(pg_bin / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "twitch_cluster",
                ],
                **quiet,
            )
            url = f"postgres://postgres@127.0.0.1:{port}/twitch_cluster"
            yield Postgres(url, pg_ctl, work / "log", options)
        finally:
            subprocess.run([*pg_ctl, "-m", "fast", "stop"], check=False, stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Redis:
    """redis-server on a private port, memory only (no snapshots, no append-only file);
    `make faults` stops it and starts it again on the same port."""

    def __init__(self, work: Path) -> None:
        self.work, self.port = work, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                program("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
                "--logfile",
                str(self.work / "redis.log"),
            ],
        )
        try:
            wait_for_port(self.port, self.process, "redis-server")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@contextlib.contextmanager
def throwaway_redis(work: Path) -> Iterator[Redis]:
    redis = Redis(work)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


NGINX_CONF = """\
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    gzip on;
    gzip_types text/css application/javascript application/json text/csv;
    upstream app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 65m;
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A request nginx could not deliver (connection refused) goes to the other
            # server, and so does a GET whose server failed. A POST that was sent is never
            # resent: "non_idempotent" is left out on purpose.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


class ReverseProxy:
    """Debian's nginx in the foreground with its own prefix, pid and logs: no system config."""

    def __init__(self, work: Path, upstream_ports: list[int]) -> None:
        self.work = work / "nginx"
        self.work.mkdir()
        self.port = free_port()
        self.upstream_ports = upstream_ports
        self.conf = self.work / "nginx.conf"
        self.write_conf(drained=set())
        self.process = subprocess.Popen(
            [
                program("nginx"),
                "-p",
                str(self.work),
                "-e",
                str(self.work / "error.log"),
                "-c",
                str(self.conf),
                "-g",
                "daemon off;",
            ],
        )
        try:
            wait_for_port(self.port, self.process, "nginx")
        except BaseException:
            stop(self.process)
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_conf(self, drained: set[int]) -> None:
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s"
            + (" down;" if port in drained else ";")
            for port in self.upstream_ports
        )
        self.conf.write_text(NGINX_CONF.format(work=self.work, servers=servers, port=self.port))

    def reload(self, drained: set[int]) -> None:
        """Apply a new upstream list, as `nginx -s reload` does, and wait until the workers
        of the old configuration have finished every request they were passing on."""
        old_workers = self.workers()
        self.write_conf(drained)
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while self.workers() & old_workers or not self.workers():
            if time.monotonic() > deadline:
                raise ClusterError("nginx's old workers did not finish within 30 s.")
            time.sleep(0.05)

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def passed_on(self) -> int:
        """Requests nginx could not deliver to a server and passed to the next one."""
        log = (self.work / "error.log").read_text(errors="replace")
        return log.count("while connecting to upstream")

    def stop(self) -> None:
        stop(self.process)


@dataclass
class Cluster:
    proxy: ReverseProxy
    servers: list[AppServer]
    database_url: str
    env: dict[str, str]
    work: Path
    worker: SiteProcess
    # The throwaway servers this cluster started (None: given by DATABASE_URL, REDIS_URL).
    postgres: Postgres | None = None
    redis: Redis | None = None

    @property
    def url(self) -> str:
        return self.proxy.url

    def stop_gracefully(self, index: int) -> None:
        """Stop a server the way a deploy does: nginx stops sending it new requests and waits
        for those it holds, gunicorn stops (SIGTERM: its workers finish and exit); then nginx
        lists it again while it is down, so the requests it is given meet a refused
        connection and are passed to the other server."""
        port = self.servers[index].port
        self.proxy.reload(drained={port})
        self.servers[index].stop(signal.SIGTERM)
        self.proxy.reload(drained=set())

    def restart_worker(self) -> None:
        """Start the background worker again, as a supervisor would."""
        self.worker = start_worker(self.database_url, log=self.work / "worker.log", **self.env)

    def restart(self, index: int) -> None:
        """Start a stopped server again on its port, as a supervisor would."""
        old = self.servers[index]
        self.servers[index] = start_app_server(
            self.database_url,
            workers=2,
            port=old.port,
            log=self.work / f"app{index}.log",
            **self.env,
        )


@contextlib.contextmanager
def cluster(
    database_url: str | None = None, redis_url: str | None = None, *, throwaway: bool = False
) -> Iterator[Cluster]:
    """Two app servers and nginx over the given PostgreSQL and Redis, or throwaway ones
    (always, with `throwaway`)."""
    if throwaway:
        database_url = redis_url = None
    else:
        database_url = database_url or os.environ.get("DATABASE_URL") or None
        redis_url = redis_url or os.environ.get("REDIS_URL") or None
    if database_url and not database_url.startswith(("postgres://", "postgresql://")):
        raise ClusterError("The cluster shares one PostgreSQL: DATABASE_URL must be postgres://.")
    install(missing_packages(postgres=database_url is None, redis=redis_url is None))
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="twitch-cluster-")))
        work.chmod(0o755)  # nginx's workers run as nobody when started by root
        postgres = redis = None
        if database_url is None:
            postgres = stack.enter_context(throwaway_postgres())
            database_url = postgres.url
        if redis_url is None:
            redis = stack.enter_context(throwaway_redis(work))
            redis_url = redis.url
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(work / "static"),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"cluster-{secrets.token_hex(4)}",
        }
        migrate(database_url, **env)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, **env, "DATABASE_URL": database_url},
            check=True,
        )
        servers: list[AppServer] = []
        stack.callback(lambda: [server.stop() for server in servers])
        for index in range(2):
            servers.append(
                start_app_server(database_url, workers=2, log=work / f"app{index}.log", **env)
            )
        proxy = ReverseProxy(work, [server.port for server in servers])
        stack.callback(proxy.stop)
        running = Cluster(
            proxy,
            servers,
            database_url,
            env,
            work,
            start_worker(database_url, log=work / "worker.log", **env),
            postgres,
            redis,
        )
        stack.callback(lambda: running.worker.stop())
        yield running


# Load --------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int  # 0: the connection failed
    ms: float


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    finished_checks: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str = "none"
    passed_on: int = 0

    def problem(self, text: str) -> None:
        if len(self.problems) < 1000:
            self.problems.append(text)


class Dropped(Exception):
    """A request got no answer at all; it is already recorded."""


class Person(Visitor):
    """A visitor whose every request is timed and recorded under the task at hand."""

    def __init__(self, base: str, load: Load) -> None:
        super().__init__()
        self.base, self.load, self.kind = base, load, "setup"

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> Response:
        url = url if url.startswith("http") else self.base + url
        started = time.perf_counter()
        try:
            response = super().request(url, data, files)
        except Exception as error:  # a dropped connection, whatever the library calls it
            self.load.samples.append(Sample(self.kind, 0, elapsed_ms(started)))
            self.load.problem(f"{self.kind}: {urlsplit(url).path} failed: {error!r}")
            raise Dropped from error
        self.load.samples.append(Sample(self.kind, response.status, elapsed_ms(started)))
        if response.status >= 500:
            self.load.problem(f"{self.kind}: {urlsplit(url).path} answered {response.status}")
        return response


def elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def create_accounts(cluster: Cluster, emails: list[str]) -> None:
    """Open accounts ahead of the load: on the site, an account opens from an emailed link."""
    code = "from accounts.models import User\n" + "".join(
        f"User.objects.create_user({email!r}, {PASSWORD!r})\n" for email in emails
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, **cluster.env, "DATABASE_URL": cluster.database_url},
        check=True,
        timeout=300,
    )


def sign_in(person: Person, email: str) -> None:
    response = person.post_form("/journal/sign-in/", {"username": email, "password": PASSWORD})
    if response.status != 302:
        raise ClusterError(f"Signing in {email} answered {response.status}.")


def signed_in(visitor: Visitor, base: str) -> bool:
    """Whether the visitor's session opens the journal export (its owner's whole journal)."""
    response = visitor.get(f"{base}/journal/export.json")
    if response.status == 302 and SIGN_IN in response.headers.get("Location", ""):
        return False
    if response.status == 200:
        return True
    raise AssertionError(f"{base}/journal/export.json answered {response.status}.")


def read(person: Person, rng: random.Random) -> None:
    person.kind = "read"
    path = rng.choice(READING)
    response = person.get(path)
    if response.status != 200:
        person.load.problem(f"read: {path} answered {response.status}")


def self_check(
    base: str, load: Load, answers: dict[str, str], person_class: type["Person"] | None = None
) -> None:
    """One person's self-check, answered one page at a time, ending on its result."""
    person = (person_class or Person)(base, load)
    person.kind = "self-check"
    person.get("/check/")
    url = f"/check/q/{next(iter(answers))}/"
    for question, answer in answers.items():
        if url != f"/check/q/{question}/":
            load.problem(f"self-check: expected {question} next, was sent to {url}")
            return
        response = person.post_form(url, {"answer": answer})
        if response.status != 302:
            load.problem(f"self-check: answering {question} answered {response.status}")
            return
        url = response.headers["Location"]
    if url not in ("/check/answers/", "/check/result/"):
        load.problem(f"self-check: after the last answer, sent to {url}")
        return
    summary = person.get("/check/answers/")
    shown = CHANGE_LINK.findall(summary.text)
    if summary.status != 200 or shown != list(answers):
        load.problem(f"self-check: answered {list(answers)}, check-answers page lists {shown}")
        return
    result = person.get("/check/result/")
    if result.status != 200:
        load.problem(f"self-check: the result answered {result.status}")
        return
    load.finished_checks.append(answers)


def journal_write(person: Person, note: str) -> None:
    """A signed-in person records a twitch with the full form; a redirect acknowledges it."""
    person.kind = "journal"
    when = datetime.now(UTC) - timedelta(minutes=1)
    response = person.post_form(
        "/journal/entries/new/",
        {
            "occurred_at": f"{when:%Y-%m-%dT%H:%M}",
            "region": "calf",
            "side": "left",
            "duration": "seconds",
            "intensity": "2",
            "notes": note,
        },
    )
    if response.status == 302 and response.headers.get("Location") == "/journal/":
        person.load.acknowledged.add(note)
        person.get("/journal/")
    else:
        person.load.problem(f"journal: saving an entry answered {response.status}")


def task_weights(paths: list[dict[str, str]]) -> list[float]:
    """How often to start each task so that requests divide as MIX says."""
    walk = 2 * statistics.mean(len(answers) for answers in paths) + 3
    requests = {"read": 1, "self-check": walk, "journal": 3}
    return [share / requests[kind] for kind, share in MIX.items()]


def run_load(
    cluster: Cluster,
    *,
    seconds: float,
    connections: int,
    stop: str,
    tag: str,
    person_class: type[Person] | None = None,
    during: Callable[[Load, float], None] | None = None,
) -> Load:
    """`connections` people at once for `seconds`; one server stopped at STOP_AT of the way.

    `make faults` gives its own `person_class` (people who try again after a 503) and
    `during`, run in a thread of its own beside the load, given the load and the monotonic
    time it started."""
    person_class = person_class or Person
    load = Load(stopped=stop)
    paths = complete_answer_sets(get_ruleset())
    weights = task_weights(paths)
    # Signing in hashes a password on purpose slowly, so a few people write, each from
    # several browser tabs at once.
    emails = [f"{tag}-{number}@example.com" for number in range(min(connections, WRITERS))]
    create_accounts(cluster, emails)
    writers = []
    for email in emails:
        writer = person_class(cluster.url, load)
        sign_in(writer, email)
        writers.append(writer)
    load.samples.clear()

    # However short the run, it walks at least one self-check and writes at least one entry.
    opening = [["self-check"], ["journal"]] if connections > 1 else [["self-check", "journal"]]
    started = time.monotonic()
    deadline = started + seconds

    def visit(number: int) -> None:
        rng = random.Random(f"{tag}-{number}")
        reader, writer, notes = person_class(cluster.url, load), writers[number % len(writers)], 0
        first = list(opening[number]) if number < len(opening) else []
        while time.monotonic() < deadline:
            task = first.pop(0) if first else rng.choices(list(MIX), weights)[0]
            try:
                if task == "read":
                    read(reader, rng)
                elif task == "self-check":
                    self_check(cluster.url, load, rng.choice(paths), person_class)
                else:
                    notes += 1
                    journal_write(writer, f"{tag}-{number}-{notes}")
            except Dropped:  # recorded; the person tries again, as people do
                time.sleep(0.05)
            except Exception as error:
                load.problem(f"{task}: {error!r}")

    def take_down() -> None:
        if stop == "sigterm":
            load.stopped = f"at {time.monotonic() - started:.1f} s, drained, SIGTERM"
            cluster.stop_gracefully(1)

    timer = threading.Timer(seconds * STOP_AT, take_down)
    threads = [threading.Thread(target=visit, args=(n,)) for n in range(connections)]
    if during is not None:
        threads.append(threading.Thread(target=during, args=(load, started)))
    timer.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timer.join()
    load.seconds = time.monotonic() - started
    load.passed_on = cluster.proxy.passed_on()
    return load


# Checks ------------------------------------------------------------------------------


def check_journal(load: Load, tag: str) -> list[str]:
    """Every acknowledged entry is in the database, and none is there twice."""
    import django

    django.setup()
    from journal.models import Entry

    stored = Counter(
        Entry.objects.filter(notes__startswith=f"{tag}-").values_list("notes", flat=True)
    )
    failures = [
        f"journal: acknowledged entry {note} is not in the database"
        for note in sorted(load.acknowledged - stored.keys())
    ]
    failures += [
        f"journal: entry {note} is stored {count} times"
        for note, count in stored.items()
        if count > 1
    ]
    return failures


def answers_everywhere(visitor: Visitor, cluster: Cluster) -> dict[str, bool]:
    """Whether each place opens the visitor's journal. Every place is asked four times at
    once, so that each gunicorn worker behind it answers (a busy worker leaves the next
    connection to another); one place counts as open if any of its answers was."""
    places = [cluster.url, *(server.url for server in cluster.servers)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = {
            base: list(pool.map(lambda _, base=base: signed_in(visitor, base), range(4)))
            for base in places
        }
    return {base: any(opened) for base, opened in answers.items()}


def check_sign_out(cluster: Cluster, tag: str) -> list[str]:
    """Sign out on one server; the old cookie then opens nothing anywhere."""
    person = Person(cluster.url, Load())
    create_accounts(cluster, [f"{tag}-out@example.com"])
    sign_in(person, f"{tag}-out@example.com")
    failures = [
        f"sign-out: a new session does not open the journal at {base}"
        for base, opened in answers_everywhere(person, cluster).items()
        if not opened
    ]
    old_cookie = person.cookie("sessionid")
    first = cluster.servers[0].url
    response = person.post_form(f"{first}/journal/", {}, action=f"{first}/journal/sign-out/")
    if response.status != 302:
        failures.append(f"sign-out: signing out answered {response.status}")
    replay = Visitor()
    replay.set_cookie("sessionid", old_cookie or "")
    failures += [
        f"sign-out: the old cookie still opens the journal at {base}"
        for base, opened in answers_everywhere(replay, cluster).items()
        if opened
    ]
    return failures


def check_import(cluster: Cluster, tag: str) -> list[str]:
    """A journal file uploaded through nginx is saved by the worker, and the import's page
    on each server says so."""
    email = f"{tag}-import@example.com"
    create_accounts(cluster, [email])
    person = Person(cluster.url, Load())
    sign_in(person, email)
    twitch = {"region": "calf", "side": "left", "duration": "seconds", "intensity": 2}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    entries = [
        {**twitch, "occurred_at": (start + timedelta(minutes=n)).isoformat()} for n in range(2000)
    ]
    file = json.dumps({"format": "twitch-check-journal", "version": 1, "entries": entries})
    uploaded = person.post_form(
        "/journal/import/", {}, files={"file": ("journal.json", file.encode())}
    )
    if uploaded.status != 302:
        return [f"import: uploading answered {uploaded.status}"]
    deadline = time.monotonic() + 120
    for server in cluster.servers:
        while (
            "2,000 new records added"
            not in person.get(server.url + uploaded.headers["Location"]).text
        ):
            if time.monotonic() > deadline:
                return [f"import: not shown as saved at {server.url} within 120 s"]
            time.sleep(0.5)
    exported = json.loads(person.get("/journal/export.json").text)
    if len(exported["entries"]) != 2000:
        return [f"import: {len(exported['entries'])} entries saved, not 2,000"]
    return []


def check_load(load: Load) -> list[str]:
    failures = list(load.problems)
    if not load.samples:
        failures.append("load: no request was made")
    if not load.finished_checks:
        failures.append("load: no self-check finished")
    if not load.acknowledged:
        failures.append("load: no journal entry was acknowledged")
    return failures


# Report ------------------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def summary(load: Load) -> dict:
    ordered = sorted(sample.ms for sample in load.samples)
    kinds = Counter(sample.kind for sample in load.samples)
    total = len(load.samples)
    return {
        "requests": total,
        "seconds": round(load.seconds, 1),
        "rps": round(total / load.seconds, 1) if load.seconds else 0.0,
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "errors_5xx": sum(1 for s in load.samples if s.status >= 500),
        "connection_errors": sum(1 for s in load.samples if s.status == 0),
        "mix": {kind: round(100 * kinds[kind] / total, 1) if total else 0 for kind in MIX},
        "self_checks_finished": len(load.finished_checks),
        "journal_writes_acknowledged": len(load.acknowledged),
        "server_stopped": load.stopped,
        "passed_on_by_nginx": load.passed_on,
        # Other work on the machine weighs on every figure above.
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def print_summary(figures: dict, connections: int) -> None:
    mix = ", ".join(f"{share:.0f}% {kind}" for kind, share in figures["mix"].items())
    print(
        f"{figures['requests']:,} requests in {figures['seconds']} s at {connections} "
        f"connections: {figures['rps']:.0f} req/s ({mix} of requests)\n"
        f"latency p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms\n"
        f"errors: {figures['errors_5xx']} 5xx, {figures['connection_errors']} dropped "
        f"connections; {figures['self_checks_finished']} self-checks finished, "
        f"{figures['journal_writes_acknowledged']} journal writes acknowledged\n"
        f"second server stopped: {figures['server_stopped']}; nginx passed "
        f"{figures['passed_on_by_nginx']} requests it could not deliver there to the other\n"
        f"machine load average (1 min) at the end: {figures['load_average_1min']}"
    )


def run(*, seconds: float, connections: int, stop: str) -> tuple[dict, list[str]]:
    """Set up, load, check and tear down; returns the figures and what failed."""
    if connections < 1 or seconds <= 0:
        raise ClusterError("CLUSTER_SECONDS and CLUSTER_CONNECTIONS must be above 0.")
    if stop not in STOPS:
        raise ClusterError(f"CLUSTER_STOP must be one of {', '.join(STOPS)}.")
    tag = f"load{secrets.token_hex(3)}"
    started = time.monotonic()
    with cluster() as running:
        print(
            f"nginx {running.url} -> app servers "
            f"{', '.join(server.url for server in running.servers)}, "
            f"ready in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        load = run_load(running, seconds=seconds, connections=connections, stop=stop, tag=tag)
        failures = check_load(load)
        if stop != "none":
            running.restart(1)
        failures += check_sign_out(running, tag)
        failures += check_import(running, tag)
        os.environ.update(running.env | {"DATABASE_URL": running.database_url})
        failures += check_journal(load, tag)
        return summary(load), failures


def main() -> None:
    try:
        figures, failures = run(seconds=SECONDS, connections=CONNECTIONS, stop=STOP)
    except ClusterError as error:
        sys.exit(str(error))
    print_summary(figures, CONNECTIONS)
    if failures:
        by_check = Counter(failure.split(":", 1)[0] for failure in failures)
        counts = ", ".join(f"{check} {count}" for check, count in by_check.items())
        first_few = [
            failure
            for check in by_check
            for failure in [f for f in failures if f.startswith(f"{check}:")][:5]
        ]
        sys.exit(f"FAILED ({counts}):\n  " + "\n  ".join(first_few))
    print("All checks passed.")


if __name__ == "__main__":
    main()
