"""The background worker's email: a mail server that fails or never answers costs the
person a later email, not a lost one, and never holds up the rest of the queue."""

import json
import re
import smtplib
import socket
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import tasks
from accounts.models import AccountEmail, User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.tasks import run_tasks, sent_emails

pytestmark = pytest.mark.django_db


def smtp_at(port: int, **options) -> dict:
    backend = "django.core.mail.backends.smtp.EmailBackend"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {"host": "127.0.0.1", "port": port, **options}}
    }


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A mail server that takes the connection and then says nothing."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def queued_retries() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("run_after"))


def time_passes() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_a_reset_email_the_mail_server_refuses_is_sent_a_minute_later(
    client, settings, closed_port
):
    person = UserFactory(email="ana@example.com")
    locmem = settings.MAILERS
    settings.MAILERS = smtp_at(closed_port)
    client.post("/journal/password-reset/", {"email": person.email})

    run_tasks()

    (retry,) = queued_retries()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    waits = retry.run_after - timezone.now()
    assert timedelta(seconds=50) < waits <= timedelta(minutes=1)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
    settings.MAILERS = locmem
    time_passes()
    (message,) = sent_emails()
    assert (message.to, message.subject) == ([person.email], "Reset your Twitch Check password")
    assert queued_retries() == []


def test_a_sign_up_email_is_tried_four_times_over_about_twenty_minutes_then_given_up(
    client, settings, closed_port
):
    settings.MAILERS = smtp_at(closed_port)
    data = {"email": "new@example.com", "password1": "a-long-password-1"}
    client.post("/journal/sign-up/", {**data, "password2": data["password1"], "time_zone": "UTC"})

    waits = []
    while True:
        run_tasks()
        if not (retries := queued_retries()):
            break
        waits.append(round((retries[0].run_after - timezone.now()).total_seconds() / 60))
        time_passes()

    assert waits == [1, 5, 15]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 4
    assert mail.outbox == []


def test_a_mail_server_that_never_answers_does_not_hold_the_worker(client, settings, silent_server):
    UserFactory(email="ana@example.com")
    settings.MAILERS = smtp_at(silent_server, timeout=0.5)
    tasks.queue_email(
        AccountEmail.Kind.PASSWORD_RESET, site_url="http://testserver", address="ana@example.com"
    )

    run_tasks()

    (failed,) = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert "timed out" in failed.traceback
    (retry,) = queued_retries()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2


def test_an_email_queued_before_the_move_to_accounts_is_still_sent(client):
    UserFactory(email="ana@example.com")
    DBTaskResult.objects.create(
        task_path="journal.tasks.send_password_reset",
        args_kwargs={"args": [], "kwargs": {"email": "ana@example.com", "site_url": "http://x"}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    (message,) = sent_emails()
    assert (message.to, message.subject) == (
        ["ana@example.com"],
        "Reset your Twitch Check password",
    )


# What the task records keep ----------------------------------------------------------


def task_records() -> str:
    """Everything the task table holds, as text: arguments, results and errors."""
    rows = DBTaskResult.objects.values_list(
        "args_kwargs", "return_value", "exception_class_path", "traceback"
    )
    return json.dumps(list(rows), default=str)


def emails_with_links() -> list[tuple[str, str]]:
    return [
        (message.to[0], link)
        for message in mail.outbox
        for link in re.findall(r"https?://\S+/journal/(?:sign-up|password-reset)/\S+", message.body)
    ]


def test_account_email_tasks_are_given_only_an_id_and_keep_no_address_or_link(client):
    person = UserFactory(email="ana@example.com")
    sign_up = {"password1": "a-long-password-1", "password2": "a-long-password-1"}
    client.post("/journal/sign-up/", {"email": "new@example.com", **sign_up, "time_zone": "UTC"})
    client.post("/journal/sign-up/", {"email": person.email, **sign_up, "time_zone": "UTC"})
    client.post("/journal/password-reset/", {"email": person.email})
    client.post("/journal/password-reset/", {"email": "nobody@example.com"})
    client.force_login(person)
    new = "another-long-pass-3"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    client.post("/journal/account/password/", data)

    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert len(queued) == 5
    for task_path, args_kwargs in queued:
        assert task_path == "accounts.tasks.send_account_email"
        assert args_kwargs["args"] == []
        assert list(args_kwargs["kwargs"]) == ["email_id"]
        assert isinstance(args_kwargs["kwargs"]["email_id"], int)

    run_tasks()

    assert sorted(m.subject for m in mail.outbox) == [
        "Open your Twitch Check account",
        "Reset your Twitch Check password",
        "Your Twitch Check account",
        "Your Twitch Check password was changed",
    ]
    sent = emails_with_links()
    assert len(sent) == 2  # the opening link and the reset link
    records = task_records()
    for address in ("new@example.com", person.email, "nobody@example.com"):
        assert address not in records
    for _, link in sent:
        assert link not in records
        assert link.rsplit("/", 2)[-2] not in records  # the token
    assert "@" not in records
    assert not AccountEmail.objects.exists()


def test_a_refused_address_is_not_kept_in_the_failed_task_s_error(client):
    person = UserFactory(email="ana@example.com")
    refused = smtplib.SMTPRecipientsRefused({person.email: (550, b"No such mailbox")})
    client.post("/journal/password-reset/", {"email": person.email})

    with mock.patch("accounts.tasks.send_mail", side_effect=refused):
        run_tasks()

    (failed,) = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert "SMTPRecipientsRefused" in failed.exception_class_path
    assert person.email not in task_records()
    (retry,) = queued_retries()
    assert retry.args_kwargs["kwargs"] == {"email_id": AccountEmail.objects.get().pk, "attempt": 2}


def test_an_email_given_up_is_deleted_with_its_address(client, settings, closed_port):
    settings.MAILERS = smtp_at(closed_port)
    UserFactory(email="ana@example.com")
    client.post("/journal/password-reset/", {"email": "ana@example.com"})
    while True:
        run_tasks()
        if not queued_retries():
            break
        time_passes()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 4
    assert not AccountEmail.objects.exists()


def test_an_account_email_not_sent_within_a_day_is_deleted_when_the_next_is_queued(client):
    client.post("/journal/password-reset/", {"email": "ana@example.com"})
    AccountEmail.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    client.post("/journal/password-reset/", {"email": "ben@example.com"})
    assert list(AccountEmail.objects.values_list("address", flat=True)) == ["ben@example.com"]


def test_deleting_the_account_deletes_its_emails_not_yet_sent(client):
    person = UserFactory(email="ana@example.com")
    client.post("/journal/password-reset/", {"email": person.email})
    client.force_login(person)
    new = "another-long-pass-3"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    client.post("/journal/account/password/", data)
    assert AccountEmail.objects.count() == 2
    client.post("/journal/account/delete/", {"password": new})
    assert not AccountEmail.objects.exists()
    assert sent_emails() == []


def test_a_sign_up_email_queued_before_account_emails_had_records_is_still_sent(client):
    user = User.objects.sign_up("new@example.com", "a-long-password-1", "UTC")
    DBTaskResult.objects.create(
        task_path="accounts.tasks.send_sign_up_email",
        args_kwargs={
            "args": [],
            "kwargs": {"email": user.email, "site_url": "http://x", "link": "/old/link/"},
        },
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    (message,) = sent_emails()
    assert message.subject == "Open your Twitch Check account"
    link = re.search(r"http://x(/journal/sign-up/\S+/)", message.body)[1]
    assert client.get(link).status_code == 302
    # Once done, even the old kind of record keeps no address or link.
    assert user.email not in task_records()
    assert "/old/link/" not in task_records()
