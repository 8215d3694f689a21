"""Work done by the background worker, `manage.py db_worker`: saving an imported journal.

The import page checks the file and queues `save_journal_import` (journal/services.py);
the worker checks it again against the journal as it is then and saves it here, in one
transaction. Each worker's housekeeping ends imports whose worker died part-way.
"""

import logging
from itertools import batched
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from accounts.models import User

# Account emails are sent by accounts/tasks.py. Ones queued here before they moved are
# still found by their old names.
from accounts.tasks import (  # noqa: F401
    send_password_changed_email,
    send_password_reset,
    send_sign_up_email,
)
from journal.exports import ImportResult, check_import
from journal.models import (
    CHECK_IN_FIELDS,
    ENTRY_FIELDS,
    CheckIn,
    Entry,
    JournalImport,
    Plan,
    PlanCheck,
)
from reliability.workers import worker_housekeeping

logger = logging.getLogger(__name__)

IMPORT_BATCH = 5000
IMPORT_FAILED = "Something went wrong while saving. Nothing from this file was saved."
IMPORT_STOPPED = "This import did not finish in time. Nothing from this file was saved."


@task
def save_journal_import(*, import_id: int) -> None:
    """Check the kept file again against the journal as it is now, then save its new
    records, all or nothing, and empty the file.

    Its arguments are the import's id alone: the file waits in the import's own row, which
    is emptied when the import ends, so the task's record never holds it.
    """
    upload = JournalImport.objects.select_related("user").filter(pk=import_id).first()
    if upload is None or upload.status != JournalImport.Status.WAITING:
        return  # the account was deleted, or another worker took it
    if upload.stalled:
        # Its page already says nothing from it was saved; keep to that.
        _finish_import(upload=upload, result=None, error=IMPORT_STOPPED)
        return
    upload.status = JournalImport.Status.SAVING
    upload.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            # One import at a time per person, so two never both add the same record.
            User.objects.select_for_update().get(pk=upload.user_id)
            result = check_import(upload.user, upload.data)
            if result.ok:
                _save_import(upload=upload, result=result)
            _finish_import(upload=upload, result=result)
    except Exception:
        _finish_import(upload=upload, result=None, error=IMPORT_FAILED)
        raise


@receiver(worker_housekeeping, dispatch_uid="journal.end_stopped_imports")
def end_stopped_imports(sender: type, **kwargs: Any) -> None:
    """Every few seconds, in every background worker: an import whose worker died part-way
    (its transaction rolled back, so nothing from it was saved), or that no worker took in
    time, is ended as not imported, its file emptied and its progress count forgotten, so
    that its page says so at once and offers a new upload."""
    stopped = list(JournalImport.objects.stalled().values_list("pk", flat=True))
    if not stopped:
        return
    JournalImport.objects.filter(
        pk__in=stopped, status__in=[JournalImport.Status.WAITING, JournalImport.Status.SAVING]
    ).update(
        status=JournalImport.Status.FAILED,
        data=None,
        added=0,
        errors=[IMPORT_STOPPED],
        updated_at=timezone.now(),
    )
    for pk in stopped:
        share_progress(upload=JournalImport(pk=pk), count=None)


def _finish_import(*, upload: JournalImport, result: ImportResult | None, error: str = "") -> None:
    upload.data = None
    if result is None:
        upload.status = JournalImport.Status.FAILED
        upload.added = 0
        upload.errors = [error]
    else:
        upload.status = JournalImport.Status.DONE if result.ok else JournalImport.Status.FAILED
        upload.added, upload.skipped, upload.errors = result.added, result.skipped, result.errors
    upload.save()
    share_progress(upload=upload, count=None)


def share_progress(*, upload: JournalImport, count: int | None) -> None:
    """Tell the import's page how many entries are saved so far (None: forget the count).
    The count is only a help to the person waiting: an unreachable cache never stops the
    import."""
    try:
        if count is None:
            cache.delete(upload.progress_key)
        else:
            cache.set(upload.progress_key, count, JournalImport.STALLED_AFTER.total_seconds())
    except Exception:  # each cache backend raises its own errors
        logger.warning("The import's progress could not be shared.", exc_info=True)


def _save_import(*, upload: JournalImport, result: ImportResult) -> None:
    # One batch of entries is built at a time: a large journal never holds every new
    # Entry in memory at once (about 90 MB for 100,000), and Python's garbage collector
    # has less to walk.
    user = upload.user
    saved = 0
    for rows in batched(result.entries, IMPORT_BATCH):
        Entry.objects.bulk_create(
            [Entry(user_id=user.pk, **dict(zip(ENTRY_FIELDS, row, strict=True))) for row in rows]
        )
        saved += len(rows)
        share_progress(upload=upload, count=saved)
    CheckIn.objects.bulk_create(
        CheckIn(user_id=user.pk, **dict(zip(CHECK_IN_FIELDS, row, strict=True)))
        for row in result.check_ins
    )
    for check, created_at in result.saved_checks:
        check.created_at = created_at
        check.save()
    for started_on, ended_on, checks in result.plans:
        plan = Plan.objects.create(user=user, started_on=started_on, ended_on=ended_on)
        PlanCheck.objects.bulk_create(
            PlanCheck(plan=plan, day=day, step_id=step) for day, step in sorted(checks)
        )
