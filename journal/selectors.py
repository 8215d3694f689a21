"""Reads from a person's journal.

Each function takes the person and sees only what is theirs, through `for_user()`, so
another person's id is simply not found.
"""

from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.shortcuts import get_object_or_404

from journal.models import (
    Entry,
    EntryQuerySet,
    JournalImport,
    Plan,
    Region,
    SavedCheck,
    SavedCheckQuerySet,
    Side,
    User,
)
from journal.timezones import day_start, person_tz


def get_entry(*, user: User, pk: int) -> Entry:
    """The person's entry `pk`; 404 for anybody else's."""
    return get_object_or_404(Entry.objects.for_user(user), pk=pk)


def get_saved_check(*, user: User, pk: int) -> SavedCheck:
    """The person's saved self-check result `pk`; 404 for anybody else's."""
    return get_object_or_404(SavedCheck.objects.for_user(user), pk=pk)


def get_import(*, user: User, pk: int) -> JournalImport:
    """The person's journal import `pk`; 404 for anybody else's."""
    return get_object_or_404(JournalImport.objects.for_user(user), pk=pk)


def unfinished_import(*, user: User) -> JournalImport | None:
    """The person's import still waiting or being saved, if any."""
    return JournalImport.objects.for_user(user).unfinished().first()


def import_saved_so_far(*, upload: JournalImport) -> int | None:
    """How many entries the worker has saved so far, if the shared cache has the count."""
    return cache.get(upload.progress_key) if upload.status == JournalImport.Status.SAVING else None


def timeline(
    *,
    user: User,
    region: str = "",
    trigger: str = "",
    since: datetime | None = None,
    before: datetime | None = None,
) -> EntryQuerySet:
    """The person's entries, newest first, in `region`, matching `trigger`, in [since, before)."""
    return Entry.objects.for_user(user).filtered(
        region=region, trigger=trigger, since=since, before=before
    )


def entries_between(*, user: User, start: date, end: date) -> EntryQuerySet:
    """The person's entries from the start of `start` to the end of `end`, their local time."""
    tz = person_tz(user)
    return Entry.objects.for_user(user).filtered(
        since=day_start(start, tz), before=day_start(end + timedelta(days=1), tz)
    )


def usual_place(*, user: User) -> dict[str, str]:
    """The region and side of the person's latest entry, or the left calf for their first."""
    region, side = Entry.objects.for_user(user).last_place() or (Region.CALF, Side.LEFT)
    return {"region": region, "side": side}


def saved_checks(*, user: User, before: datetime | None = None) -> SavedCheckQuerySet:
    """The person's saved self-check results, newest first, saved before `before` if given."""
    checks = SavedCheck.objects.for_user(user)
    return checks if before is None else checks.filter(created_at__lt=before)


def current_plan(*, user: User, today: date) -> Plan | None:
    """The person's newest self-care plan begun by `today`, else one still to begin."""
    plans = Plan.objects.for_user(user)
    return plans.filter(started_on__lte=today).first() or plans.last()


def get_plan(*, user: User, pk: int) -> Plan:
    """The person's plan `pk`; 404 for anybody else's."""
    return get_object_or_404(Plan.objects.for_user(user), pk=pk)
