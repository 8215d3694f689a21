"""The background worker, run as it is deployed (`manage.py db_worker`), until the queue
is empty: a test queues work through the site, then lets the worker do it."""

from unittest import mock

from django.core import mail
from django.core.management import call_command


def run_tasks() -> None:
    # Between tasks the worker closes stale database connections, as Django does between
    # requests; inside a test's transaction that would close the test's own connection
    # (on PostgreSQL), so, as Django's test client does for requests, it is left open.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )


def sent_emails() -> list:
    """The emails sent once the worker has done what is queued."""
    run_tasks()
    return mail.outbox
