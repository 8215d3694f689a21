"""The site as deployed, for tests: gunicorn app servers sharing one database (and Redis,
when REDIS_URL is set), and a visitor whose cookies go to every server on the host.
`make cluster` (bench/cluster.py) starts its servers and visitors with these too."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The one-time token of a form that must save once (reliability/once.py).
ONCE_INPUT = re.compile(r'name="once" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a deployed server, over plain HTTP on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url,
        **extra,
    }


def migrate(database_url: str, **env: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=site_env(database_url, **env),
        check=True,
        timeout=300,
    )


def start_process(
    command: list[str], database_url: str, log: Path | None, env: dict[str, str]
) -> subprocess.Popen:
    """A process of the deployed site, its output kept in `log` if given."""
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=ROOT, env=site_env(database_url, **env), stdout=output, stderr=output
    )
    if log:
        output.close()
    return process


@dataclass
class SiteProcess:
    """A running process of the site: the background worker, or (with its port) an app server."""

    process: subprocess.Popen

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class AppServer(SiteProcess):
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_app_server(
    database_url: str,
    *,
    workers: int = 1,
    port: int | None = None,
    log: Path | None = None,
    **env: str,
) -> AppServer:
    """A gunicorn server, as the README deploys it; returns once `/health/` answers 200.

    `env` adds to or overrides the test settings' environment; `log` keeps gunicorn's output.
    """
    port = port or free_port()
    bind = f"127.0.0.1:{port}"
    command = [str(GUNICORN), "config.wsgi", "--workers", str(workers), "--bind", bind]
    server = AppServer(start_process(command, database_url, log, env), port)
    try:
        wait_until_healthy(server)
    except BaseException:
        server.stop(signal.SIGKILL)
        raise
    return server


def wait_until_healthy(server: AppServer) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn on port {server.port} exited with {server.process.returncode}."
            )
        try:
            with urllib.request.urlopen(f"{server.url}/health/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:  # not listening yet, still starting up (slow on a busy machine), or 503
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {server.port} did not become healthy within 60 s.")


def multipart(data: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type, as a browser sends a file."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def start_worker(database_url: str, *, log: Path | None = None, **env: str) -> SiteProcess:
    """The background worker, as the README deploys it; `log` keeps its output."""
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "-v", "0"]
    return SiteProcess(start_process(command, database_url, log, env))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


class Visitor:
    """A person's browser: one cookie jar for every server on 127.0.0.1, redirects not followed."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> Response:
        headers = {}
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        else:
            body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Loopback test servers only.
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode())

    def get(self, url: str) -> Response:
        return self.request(url)

    def post_form(
        self,
        page_url: str,
        data: dict[str, str],
        action: str | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> Response:
        """Open the form's page, then send it with its CSRF token (and its one-time token,
        if it has one), as a browser does."""
        page = self.get(page_url)
        token = CSRF_INPUT.search(page.text)
        if token is None:
            raise AssertionError(f"No form with a CSRF token at {page_url} ({page.status}).")
        hidden = {"csrfmiddlewaretoken": token[1]}
        if once := ONCE_INPUT.search(page.text):
            hidden["once"] = once[1]
        return self.request(action or page_url, {**hidden, **data}, files)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def set_cookie(self, name: str, value: str) -> None:
        self.cookies.set_cookie(
            http.cookiejar.Cookie(
                version=0,
                name=name,
                value=value,
                port=None,
                port_specified=False,
                domain="127.0.0.1",
                domain_specified=False,
                domain_initial_dot=False,
                path="/",
                path_specified=True,
                secure=False,
                expires=None,
                discard=False,
                comment=None,
                comment_url=None,
                rest={},
            )
        )
