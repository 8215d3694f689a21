"""Work done by the background worker, `manage.py db_worker`.

The journal's services queue these tasks, and each task calls back into a service.
"""

from django.tasks import task

from journal import services


@task
def save_journal_import(*, import_id: int) -> None:
    services.journal_import_save(import_id=import_id)


@task
def send_sign_up_email(*, email: str, site_url: str, link: str | None) -> None:
    services.user_send_sign_up_email(email=email, site_url=site_url, link=link)


@task
def send_password_reset(*, email: str, site_url: str) -> None:
    services.user_send_password_reset(email=email, site_url=site_url)
