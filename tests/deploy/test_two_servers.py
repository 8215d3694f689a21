"""The site as deployed: two app servers share one database (and Redis, when configured),
and a person's requests land on either of them."""

import json
import re
import subprocess
import sys
import time

import pytest

from tests.deploy.servers import (
    ROOT,
    AppServer,
    Visitor,
    migrate,
    site_env,
    start_app_server,
    start_worker,
)
from tests.triage.answer_sets import BENIGN

pytestmark = pytest.mark.deploy

PASSWORD = "a-long-password-1"
SIGNED_IN = ">Sign out</button>"
# Made from the command line: a new account opens only from a link emailed to its address.
ACCOUNTS = ("signout@example.com", "writes@example.com", "imports@example.com")


@pytest.fixture(scope="module")
def servers(tmp_path_factory, request) -> tuple[AppServer, AppServer]:
    database_url = request.getfixturevalue("module_database_url")
    migrate(database_url)
    create_accounts = "; ".join(
        f"User.objects.create_user({email!r}, {PASSWORD!r})" for email in ACCOUNTS
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from accounts.models import User; {create_accounts}",
        ],
        cwd=ROOT,
        env=site_env(database_url),
        check=True,
        timeout=300,
    )
    first = start_app_server(database_url)
    second = start_app_server(database_url)
    yield first, second
    first.stop()
    second.stop()


def sign_in(visitor: Visitor, server: AppServer, email: str) -> None:
    response = visitor.post_form(
        f"{server.url}/journal/sign-in/", {"username": email, "password": PASSWORD}
    )
    assert response.status == 302, response.text


def test_signing_out_on_one_server_ends_the_session_on_the_other(servers):
    one, two = servers
    visitor = Visitor()
    sign_in(visitor, one, "signout@example.com")
    assert SIGNED_IN in visitor.get(f"{two.url}/journal/").text
    old_cookie = visitor.cookie("sessionid")

    signed_out = visitor.post_form(f"{one.url}/journal/", {}, action=f"{one.url}/journal/sign-out/")
    assert signed_out.status == 302

    replay = Visitor()
    replay.set_cookie("sessionid", old_cookie)
    for server in (two, one, two):
        journal = replay.get(f"{server.url}/journal/")
        assert SIGNED_IN not in journal.text
        for download in ("export.json", "export.fhir.json"):
            export = replay.get(f"{server.url}/journal/{download}")
            assert export.status == 302
            assert "/journal/sign-in/" in export.headers["Location"]


def test_a_self_check_across_two_servers_keeps_exactly_its_answers(servers):
    visitor = Visitor()
    for turn, (question, answer) in enumerate(BENIGN.items()):
        server = servers[turn % 2]
        url = f"{server.url}/check/q/{question}/"
        response = visitor.post_form(url, {"answer": answer})
        assert response.status == 302, f"{question}: {response.status}"

    summary = visitor.get(f"{servers[0].url}/check/answers/")
    assert summary.status == 200
    shown = re.findall(r'href="/check/q/([a-z_]+)/\?return=check"', summary.text)
    assert shown == list(BENIGN)


def test_each_host_name_gets_its_own_canonical_link(servers):
    one, _ = servers
    by_ip = Visitor().get(f"{one.url}/read/faq/").text
    by_name = Visitor().get(f"http://localhost:{one.port}/read/faq/").text
    assert f'rel="canonical" href="http://127.0.0.1:{one.port}/read/faq/"' in by_ip
    assert f'rel="canonical" href="http://localhost:{one.port}/read/faq/"' in by_name


def test_a_journal_write_on_one_server_shows_on_the_other(servers):
    one, two = servers
    visitor = Visitor()
    sign_in(visitor, one, "writes@example.com")
    added = visitor.post_form(
        f"{one.url}/journal/",
        {"quick-region": "eyelid", "quick-side": "left"},
        action=f"{one.url}/journal/quick-add/",
    )
    assert added.status == 302
    exported = json.loads(visitor.get(f"{two.url}/journal/export.json").text)
    assert [entry["region"] for entry in exported["entries"]] == ["eyelid"]


def test_a_journal_uploaded_on_one_server_is_saved_by_the_worker_and_shown_on_the_other(
    servers, module_database_url
):
    one, two = servers
    visitor = Visitor()
    sign_in(visitor, one, "imports@example.com")
    twitch = {"region": "calf", "side": "left", "duration": "seconds", "intensity": 2}
    entries = [{**twitch, "occurred_at": f"2026-11-{day:02}T08:00:00+00:00"} for day in (1, 2, 3)]
    file = json.dumps({"format": "twitch-check-journal", "version": 1, "entries": entries})
    uploaded = visitor.post_form(
        f"{one.url}/journal/import/", {}, files={"file": ("journal.json", file.encode())}
    )
    assert uploaded.status == 302, uploaded.text
    status_url = f"{two.url}{uploaded.headers['Location']}"
    assert "Waiting to start" in visitor.get(status_url).text
    worker = start_worker(module_database_url)
    try:
        deadline = time.monotonic() + 60
        while "Journal imported" not in (page := visitor.get(status_url).text):
            assert time.monotonic() < deadline, page
            time.sleep(0.2)
    finally:
        worker.stop()
    assert "3 new records added" in page
    exported = json.loads(visitor.get(f"{one.url}/journal/export.json").text)
    assert len(exported["entries"]) == 3
