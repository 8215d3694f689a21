"""Work done by the background worker, `manage.py db_worker`.

The journal's services queue these tasks, and each task calls back into a service.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.tasks import Task, task
from django.utils import timezone

from journal import services

# An email the mail server did not take (down, refusing, or silent past the SMTP
# timeout) is tried again after each of these waits, then given up.
EMAIL_RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))


@task
def save_journal_import(*, import_id: int) -> None:
    services.journal_import_save(import_id=import_id)


@task
def send_sign_up_email(*, email: str, site_url: str, link: str | None, attempt: int = 1) -> None:
    _send_or_retry(
        send_sign_up_email,
        services.user_send_sign_up_email,
        attempt=attempt,
        email=email,
        site_url=site_url,
        link=link,
    )


@task
def send_password_reset(*, email: str, site_url: str, attempt: int = 1) -> None:
    _send_or_retry(
        send_password_reset,
        services.user_send_password_reset,
        attempt=attempt,
        email=email,
        site_url=site_url,
    )


@task
def send_password_changed_email(
    *, email: str, site_url: str, changed_at: str, attempt: int = 1
) -> None:
    _send_or_retry(
        send_password_changed_email,
        services.user_send_password_changed_email,
        attempt=attempt,
        email=email,
        site_url=site_url,
        changed_at=changed_at,
    )


def _send_or_retry(again: Task, send: Callable[..., None], *, attempt: int, **kwargs: Any) -> None:
    """Send, and if the mail server fails, queue `again` for later before failing this
    attempt, so the failure stays on record in the task's result."""
    try:
        send(**kwargs)
    except OSError:  # smtplib's errors and socket timeouts alike
        if attempt <= len(EMAIL_RETRY_AFTER):
            run_after = timezone.now() + EMAIL_RETRY_AFTER[attempt - 1]
            again.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
        raise
