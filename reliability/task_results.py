"""Finished work forgets what it was given.

A task's arguments wait in the database until a worker runs it, and may hold an email
address, a link or a token. Once the task has finished, whether it worked or not (or its
worker died), its record keeps only its numbers (an id, an attempt count): every piece of
text in its arguments and return value is replaced by "[removed]", and addresses, links
and long tokens are cut out of its error. The record itself is deleted a day later
(`reliability.workers.prune`).

This works for every task of the database backend, whatever it is given, through
`task_finished`; a task still waiting keeps its arguments, as it needs them.
"""

import logging
import re
from typing import Any

from django.tasks.backends.base import BaseTaskBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

REMOVED = "[removed]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LINK = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
# A long run of letters, digits, "-" and "_" with a digit in it: a token, or the part of a
# link that carries one (Django's tokens look like "cbtd3q-3f5c4d...").
TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{20,}")
# A path whose last parts carry a token: /journal/reset/MQ/cbtd3q-3f5c.../
TOKEN_PATH = re.compile(r"(?:/[\w-]+)*/" + TOKEN.pattern + r"/?")


def scrub(value: Any) -> Any:
    """`value` with its numbers, true/false and nulls kept and all text removed."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return REMOVED


def redact(text: str) -> str:
    """An error's text with email addresses, links and tokens cut out."""
    text = EMAIL.sub("[address removed]", text)
    text = LINK.sub("[link removed]", text)
    text = TOKEN_PATH.sub("[link removed]", text)
    return TOKEN.sub("[token removed]", text)


def forget(result: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=result.pk).update(
        args_kwargs=scrub(result.args_kwargs),
        return_value=scrub(result.return_value),
        traceback=redact(result.traceback),
    )


def forget_arguments(
    sender: BaseTaskBackend | type[BaseTaskBackend], task_result: Any, **kwargs: Any
) -> None:
    """On `task_finished`: scrub the finished task's record. Never raises: the task's own
    outcome is already recorded, and a failure here must not turn it into another.

    The sender is the backend, or its class (django-tasks-db sends either)."""
    try:
        backend = sender if isinstance(sender, type) else type(sender)
        if not issubclass(backend, DatabaseBackend):
            return
        result = DBTaskResult.objects.filter(pk=task_result.id).first()
        if result is not None:
            forget(result)
    except Exception:
        logger.exception("A finished task's arguments could not be removed; pruned in a day.")
