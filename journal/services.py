"""Importing a journal file: checked on upload here, then saved by the background worker
(journal/tasks.py).

The one piece of journal work with several steps over two processes; everything else is
written through the journal's forms and models.
"""

from typing import Any

from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from journal import tasks
from journal.exports import ImportResult, check_import
from journal.models import JournalImport


def journal_import_start(
    *, user: User, data: dict[str, Any]
) -> tuple[ImportResult, JournalImport | None]:
    """Check every record of an exported journal now; if all are right, keep the file and
    queue its saving for the background worker. A large journal takes longer to save than
    a web request may last."""
    result = check_import(user, data)
    if not result.ok:
        return result, None
    with transaction.atomic():
        # A stalled import will not be saved now; its file is not kept.
        JournalImport.objects.for_user(user).stalled().update(
            status=JournalImport.Status.FAILED, data=None, errors=[tasks.IMPORT_STOPPED]
        )
        upload = JournalImport.objects.create(
            user=user, data=data, to_add=result.added, skipped=result.skipped
        )
        tasks.save_journal_import.enqueue(import_id=upload.pk)
    return result, upload


def import_saved_so_far(*, upload: JournalImport) -> int | None:
    """How many entries the worker has saved so far, if the shared cache has the count."""
    return cache.get(upload.progress_key) if upload.status == JournalImport.Status.SAVING else None
