"""The background worker's email: a mail server that fails or never answers costs the
person a later email, not a lost one, and never holds up the rest of the queue."""

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from journal import tasks
from tests.journal.factories import UserFactory
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
    tasks.send_password_reset.enqueue(email="ana@example.com", site_url="http://testserver")

    run_tasks()

    (failed,) = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert "timed out" in failed.traceback
    (retry,) = queued_retries()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
