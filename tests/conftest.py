"""Shared fixtures: people, the self-check, databases; the browser's are in tests/chromium.py."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.triage.walk import FULL_PATH, answer

# Headless Chromium: its fixtures import Playwright only when a browser test asks for it.
pytest_plugins = ["tests.chromium"]
BROWSER_HELPERS = {"assert_accessible", "axe_violations", "format_violations", "sign_in"}


def __getattr__(name: str):
    """The browser helpers, for tests that import them from here: they are in tests.chromium."""
    if name not in BROWSER_HELPERS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import tests.chromium

    return getattr(tests.chromium, name)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that start processes, and keep together those sharing a module's set-up.

    A test module that imports `subprocess` starts Python processes of its own (manage.py
    commands, concurrent writers), each paying Django's start-up: its tests are marked
    `subprocess`, and `make check` leaves them to `make test`.

    Under `--dist loadgroup` (`make test`, `make check`) each test runs in whichever process
    is free, except those in one xdist_group. The tests using a module-scoped fixture (servers,
    a copy of the project) are put in their module's group, so it is set up once.
    """
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and "subprocess" in vars(module):
            item.add_marker(pytest.mark.subprocess)
        info = getattr(item, "_fixtureinfo", None)
        if info and any(defs[-1].scope == "module" for defs in info.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.partition("::")[0]))


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache, as a newly deployed site does."""
    cache.clear()


@pytest.fixture
def person(db) -> User:
    return UserFactory(email="ana@example.com")


@pytest.fixture
def other_person(db) -> User:
    return UserFactory(email="ben@example.com")


@pytest.fixture
def person_client(client: Client, person: User) -> Client:
    client.force_login(person)
    return client


@pytest.fixture
def database_url(tmp_path):
    """A new database of the same kind as the test run's, for processes the test starts."""
    yield from new_database(tmp_path)


@pytest.fixture(scope="module")
def module_database_url(tmp_path_factory):
    """`database_url`, shared by the tests of one module."""
    yield from new_database(tmp_path_factory.mktemp("site"))


def new_database(tmp_path: Path) -> Iterator[str]:
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    import psycopg

    name = f"twitch_site_{uuid.uuid4().hex[:8]}"
    server = {
        "host": default["HOST"],
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    credentials = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
    yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def answer_all():
    """Answer every question of the self-check's full path, with some answers changed."""

    def answer_all(client: Client, **changes: str) -> None:
        for question_id, value in FULL_PATH:
            response = answer(client, question_id, changes.get(question_id, value))
            assert response.status_code == 302, (question_id, response.status_code)

    return answer_all
