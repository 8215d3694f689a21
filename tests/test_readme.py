"""Every command the README shows works as written, on a checkout like a newcomer's."""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.servers import NoRedirect, Visitor, free_port, migrate, site_env
from tests.site_pages import SHOWN, WIDTHS

# They run README commands in a copy of the project: `make check` leaves them out.
pytestmark = pytest.mark.readme

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
VENV_BIN = ROOT / ".venv" / "bin"
# What a developer's shell has: none of the settings a test run or a server sets.
SITE_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "DEBUG",
    "HTTPS",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
}


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.DOTALL)


def commands(block: str) -> list[str]:
    """Each command in a block: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    lines = (re.sub(r"\s+#.*$", "", line.strip()) for line in joined.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def block_with(text: str) -> str:
    return next(block for block in shell_blocks() if text in block)


def developer_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    return env | extra


def sh(script: str, *, cwd: Path, env: dict[str, str], timeout: int = 300):
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_script(script: str, *, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    """`script` running in the background, in a process group of its own; see `stop`."""
    return subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(
    url: str,
    server: subprocess.Popen,
    *,
    headers: dict[str, str] | None = None,
    seconds: int = 90,
) -> int:
    """The status `url` answers once `server` listens there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            errors = server.stderr.read() if server.stderr else ""
            raise AssertionError(
                f"The server stopped with exit code {server.returncode}.\n{errors}"
            )
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
        try:
            with urllib.request.build_opener(NoRedirect()).open(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"Nothing answered at {url} within {seconds} s.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def checkout(tmp_path_factory) -> Path:
    """A copy of the project as committed and edited, sharing the installed .venv.

    One a test process (session-scoped, not module-scoped), so the README's commands are
    shared out between the processes of `make test` rather than run one after another in
    one of them; the tests using it never run at once in one copy.

    node_modules is not shared: `npm ci` (in the deploy steps and `make run`) empties it first.
    """
    copy = tmp_path_factory.mktemp("checkout") / "twitch-check"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    # As after `make`: the venv's marker is newer than pyproject.toml and constraints.txt.
    (ROOT / ".venv" / ".installed").touch()
    return copy


def shown_commands() -> set[str]:
    """Commands in the README's shell blocks, and those it names in running text."""
    fenced = {command for block in shell_blocks() for command in commands(block)}
    inline = set(
        re.findall(r"`((?:make [a-z]+)|(?:[\w./]*manage\.py [a-z-]+))`", README.read_text())
    )
    return fenced | inline


def test_every_readme_command_is_run_by_a_test():
    assert shown_commands() == TESTED.keys(), "A README command has no test, or a test is stale."


def test_manage_py_check_passes_after_make_run(checkout):
    ran = sh(
        "make node_modules/.installed .dev-secret-key && .venv/bin/python manage.py check",
        cwd=checkout,
        env=developer_env(),
    )
    assert ran.returncode == 0, ran.stderr
    assert "no issues" in ran.stdout


def test_make_check_runs_the_fast_tests_without_playwright(checkout):
    """`make check` as written, narrowed to the test that looks at what the run imported.

    Every other test it runs is in this run already (as `make test` runs the suite itself).
    """
    only = "test_a_run_without_browser_tests_never_imports_playwright"
    ran = sh(
        f'make check PYTEST_ARGS="-p no:cacheprovider -k {only}"',
        cwd=checkout,
        env=developer_env(),
        timeout=600,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    counts = re.search(r"(\d+) passed, (\d+) deselected", ran.stdout)
    assert counts and counts[1] == "1" and int(counts[2]) > 1000, ran.stdout[-3000:]


@pytest.mark.cluster
def test_make_bench_prints_every_figure_beside_its_goal(checkout):
    """A short run over small journals: the figures themselves come from the full run."""
    quick = {
        "BENCH_SECONDS": "3",
        "BENCH_CONNECTIONS": "4",
        "BENCH_SIZES": "5,20",
        "BENCH_TRANSFER_SIZES": "20,40",
        "BENCH_REPEATS": "1",
    }
    ran = sh("make bench", cwd=checkout, env=developer_env(**quick), timeout=600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    for figure in ("p99", "SQL", "import", "export", "assessment"):
        assert figure.lower() in ran.stdout.lower(), figure


def test_make_lock_pins_every_dependency(checkout):
    constraints = checkout / "constraints.txt"
    committed = constraints.read_text()
    try:
        ran = sh("make lock", cwd=checkout, env=developer_env(), timeout=900)
        pinned = constraints.read_text()
    finally:
        # Newer pins would make the next make command in this copy reinstall into the
        # .venv it shares with the tests running beside it.
        constraints.write_text(committed)
        (ROOT / ".venv" / ".installed").touch()
    assert ran.returncode == 0, ran.stderr
    for name in ("Django==", "django-htmx==", "whitenoise==", "pytest-django=="):
        assert name in pinned


# The command-line examples, by a command each shows; the journal example has its own test.
CLI_BLOCKS = {
    "assess": "manage.py assess -",
    "ruleset-diff": "manage.py ruleset-diff",
}


@pytest.mark.parametrize("shows", CLI_BLOCKS.values(), ids=CLI_BLOCKS.keys())
def test_the_command_line_examples_work_as_written(checkout, shows):
    ran = sh(block_with(shows), cwd=checkout, env=developer_env())
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip()


def test_the_journal_example_works_and_gives_the_level_the_readme_says(checkout):
    ran = sh(block_with("manage.py assess --journal"), cwd=checkout, env=developer_env())
    assert ran.returncode == 0, ran.stderr
    verdict = json.loads(ran.stdout)
    assert verdict["level"] == "monitor"
    assert '`"level": "monitor"`' in README.read_text()
    assert verdict["journal"]["episode"] == {
        "start": "2026-11-20",
        "end": "2026-11-26",
        "twitches": 2,
    }
    assert "common with harmless twitching" in verdict["journal"]["patterns"][0]


def test_make_run_serves_the_site_and_its_worker_sends_email(checkout, tmp_path):
    port = free_port()
    output = tmp_path / "make-run.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=checkout,
            env=developer_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        site = f"http://127.0.0.1:{port}"
        assert wait_for(f"{site}/read/faq/", process, seconds=180) == 200
        assert wait_for(f"{site}/health/", process) == 200
        signed_up = Visitor().post_form(
            f"{site}/journal/sign-up/",
            {
                "email": "new@example.com",
                "password1": "a-long-password-1",
                "password2": "a-long-password-1",
                "time_zone": "UTC",
            },
        )
        assert "Check your email" in signed_up.text
        deadline = time.monotonic() + 60
        while "Subject: Open your Twitch Check account" not in output.read_text():
            assert time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(0.5)
    finally:
        stop(process)


def test_make_screenshots_takes_each_shown_page_at_both_widths(checkout):
    folder = checkout / "docs" / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    ran = sh("make screenshots", cwd=checkout, env=developer_env(), timeout=600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    widths = {png.name: int.from_bytes(png.read_bytes()[16:20]) for png in folder.glob("*.png")}
    assert widths == {f"{name}-{width}.png": width for name in SHOWN for width in WIDTHS}


@pytest.mark.parametrize("target", ["lint", "format"])
def test_make_lint_and_format_pass_on_the_tree(checkout, target):
    ran = sh(f"make {target}", cwd=checkout, env=developer_env())
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_the_deploy_steps_work_as_written(checkout, database_url):
    *setup, serve = commands(block_with("gunicorn config.wsgi"))
    port = free_port()
    values = {
        "SECRET_KEY=...": f"SECRET_KEY={secrets.token_urlsafe(50)}",
        "DATABASE_URL=postgres://twitch:...@db:5432/twitch_check": f"DATABASE_URL={database_url}",
        "REDIS_URL=redis://cache:6379/0": f"REDIS_URL={os.environ.get('REDIS_URL', '')}",
        "127.0.0.1:8001": f"127.0.0.1:{port}",
    }
    script = "\n".join([*setup, f"exec {serve}"])
    for shown, used in values.items():
        assert shown in script
        script = script.replace(shown, used)
    env = developer_env(PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    process = start_script(script, cwd=checkout, env=env)
    try:
        host = {"Host": "twitchcheck.example"}
        assert (
            wait_for(f"http://127.0.0.1:{port}/health/", process, headers=host, seconds=240) == 200
        )
        proxied = host | {"X-Forwarded-Proto": "https"}
        assert wait_for(f"http://127.0.0.1:{port}/read/faq/", process, headers=proxied) == 200
        assert wait_for(f"http://127.0.0.1:{port}/read/faq/", process, headers=host) == 301
    finally:
        stop(process)
    assert "Traceback" not in process.stderr.read()


QUEUE_AN_IMPORT = """
from accounts.models import User
from journal.models import JournalImport
from journal.services import journal_import_start
person = User.objects.create_user("worker@example.com", "a-long-password-1")
twitch = {"occurred_at": "2026-11-20T09:00:00+00:00", "region": "calf", "side": "left",
          "duration": "seconds", "intensity": 2}
journal_import_start(user=person, data={"format": "twitch-check-journal", "version": 1,
                                        "entries": [twitch]})
"""
IMPORT_STATUS = (
    "from journal.models import JournalImport; print(JournalImport.objects.get().status)"
)


def test_the_worker_steps_work_as_written(checkout, database_url):
    (worker,) = commands(block_with("manage.py db_worker"))
    migrate(database_url)
    site = site_env(database_url)
    manage = [str(VENV_BIN / "python"), "manage.py", "shell", "--no-imports", "-c"]
    subprocess.run([*manage, QUEUE_AN_IMPORT], cwd=checkout, env=site, check=True, timeout=120)
    deployed = developer_env(
        PATH=f"{VENV_BIN}:{os.environ['PATH']}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="twitchcheck.example",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL", ""),
    )
    process = start_script(f"exec {worker}", cwd=checkout, env=deployed)
    try:
        deadline = time.monotonic() + 120
        while (
            status := subprocess.run(
                [*manage, IMPORT_STATUS], cwd=checkout, env=site, capture_output=True, text=True
            ).stdout.strip()
        ) != "done":
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, f"The import is still {status}."
            time.sleep(0.5)
    finally:
        stop(process)
    assert "Traceback" not in process.stderr.read()


def run_by(test: str, block_text: str) -> dict[str, str]:
    return dict.fromkeys(commands(block_with(block_text)), test)


# Each command the README shows, and the test that runs it as written.
TESTED = {
    "make run": "test_make_run_serves_the_site_and_its_worker_sends_email",
    "make test": "the suite itself, which CI runs with make test",
    "make check": "test_make_check_runs_the_fast_tests_without_playwright",
    "make lint": "test_make_lint_and_format_pass_on_the_tree",
    "make format": "test_make_lint_and_format_pass_on_the_tree",
    "make lock": "test_make_lock_pins_every_dependency",
    "make cluster": "tests/deploy/test_cluster.py",
    "make faults": "tests/deploy/test_faults.py",
    "make bench": "test_make_bench_prints_every_figure_beside_its_goal",
    "make screenshots": "test_make_screenshots_takes_each_shown_page_at_both_widths",
    "manage.py check": "test_manage_py_check_passes_after_make_run",
    **run_by("test_the_command_line_examples_work_as_written", "manage.py assess -"),
    **run_by(
        "test_the_journal_example_works_and_gives_the_level_the_readme_says",
        "manage.py assess --journal",
    ),
    **run_by("test_the_command_line_examples_work_as_written", "manage.py ruleset-diff"),
    **run_by("test_the_deploy_steps_work_as_written", "gunicorn config.wsgi"),
    **run_by("test_the_worker_steps_work_as_written", "manage.py db_worker"),
}
