"""The journal's verdict on an exported journal file, for `manage.py assess --journal`.

The file is checked as an import would check it, then its twitches, its latest saved
self-check and its daily bother ratings go through the same `flags_from_twitches` as the
journal pages, so the command and the pages never disagree.
"""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from journal.exports import (
    MAX_FILE_BYTES,
    ImportResult,
    SavedCheckRecord,
    checked_check_ins,
    checked_rows,
    read_journal_file,
)
from journal.flags import Check, JournalFlags, Twitch, flags_from_twitches
from journal.models import CHECK_IN_FIELDS, CLOCK_SKEW, ENTRY_FIELDS
from journal.timezones import day_start
from triage.engine import get_ruleset

FIELD = {name: index for index, name in enumerate(ENTRY_FIELDS)}


class JournalFileError(ValueError):
    """The journal file cannot be assessed; the message says why."""


def _time_zone(data: dict[str, Any]) -> ZoneInfo:
    name = data.get("time_zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise JournalFileError(
            f'"time_zone" should be a time zone name like Europe/London, not {name!r}.'
        ) from None


def _twitches(data: dict[str, Any], tz: ZoneInfo) -> list[Twitch]:
    result = ImportResult()
    rows = checked_rows(data, tz=tz, latest=timezone.now() + CLOCK_SKEW, result=result)
    twitches = [
        Twitch(
            occurred_at=row[FIELD["occurred_at"]],
            region=row[FIELD["region"]],
            weakness=row[FIELD["weakness"]],
            numbness=row[FIELD["numbness"]],
            thinning=row[FIELD["muscle_thinning"]],
            strength=row[FIELD["intensity"]],
        )
        for row in rows
    ]
    # A version 2 file's check-ins are checked as an import checks them, for their errors.
    today = timezone.localdate(timezone=tz)
    list(checked_check_ins(data, tz=tz, today=today, result=result, days={}))
    if not result.ok:
        more = result.error_count - len(result.errors)
        lines = [*result.errors, *([f"…and {more} more."] if more else [])]
        raise JournalFileError("The journal file has mistakes:\n" + "\n".join(lines))
    return twitches


def _latest_check(data: dict[str, Any], tz: ZoneInfo, until: datetime) -> Check | None:
    """The file's latest saved self-check before `until`, each one checked as an import
    checks it."""
    result, checks = ImportResult(), []
    for number, record in enumerate(data.get("saved_checks", []), start=1):
        try:
            saved = SavedCheckRecord.model_validate(record, context={"tz": tz})
        except PydanticValidationError as error:
            result.add_error(f"Saved self-check {number}", SavedCheckRecord.problems(error))
            continue
        if saved.created_at < until:
            checks.append(
                Check(saved.created_at, saved.answers, saved.level, saved.ruleset_version)
            )
    if not result.ok:
        raise JournalFileError("The journal file has mistakes:\n" + "\n".join(result.errors))
    return max(checks, key=lambda check: check.saved_at, default=None)


def _bother(data: dict[str, Any], tz: ZoneInfo, today: date) -> dict[date, int]:
    """How much the twitching bothered the person, by day (a version 1 file has none)."""
    day, bother = CHECK_IN_FIELDS.index("day"), CHECK_IN_FIELDS.index("bother")
    rows = checked_check_ins(data, tz=tz, today=today, result=ImportResult(), days={})
    return {row[day]: row[bother] for row in rows if row[bother] is not None}


def _saved_check(flags: JournalFlags) -> dict[str, Any] | None:
    if flags.check is None:
        return None
    return {
        "saved_on": flags.check_day.isoformat(),
        "level": flags.check.level,
        "ruleset_version": flags.check.ruleset_version,
        "current": flags.check_current,
        "current_until": flags.check_until.isoformat(),
    }


def assessment_data(flags: JournalFlags, today: date) -> dict[str, Any]:
    """The same JSON as `assess`, plus what the journal read: the day and the episode."""
    if flags.assessment is not None:
        data = flags.assessment.as_dict()
    else:
        data = {
            "level": None,
            "level_label": None,
            "findings": [],
            "checklist_count": 0,
            "checklist_matched": [],
            "unanswered": [],
            "complete": False,
            "ruleset_version": get_ruleset().version,
        }
    episode = flags.episode
    data["journal"] = {
        "today": today.isoformat(),
        "latest_twitch": flags.last_twitch.isoformat() if flags.last_twitch else None,
        "episode": None
        if episode is None
        else {
            "start": episode.start.isoformat(),
            "end": episode.end.isoformat(),
            "twitches": episode.total,
        },
        "patterns": list(flags.patterns),
        "saved_check": _saved_check(flags),
        "entries_flagged": flags.entries_flagged,
    }
    return data


def assess_journal_file(raw: bytes, today: date | None = None) -> dict[str, Any]:
    """Assess an exported journal file as of `today` (by default, today in its time zone)."""
    if len(raw) > MAX_FILE_BYTES:
        raise JournalFileError(
            f"This file is too big. A journal file is under {MAX_FILE_BYTES // 2**20} MB."
        )
    try:
        data = read_journal_file(raw)
    except forms.ValidationError as error:
        raise JournalFileError(" ".join(error.messages)) from None
    tz = _time_zone(data)
    twitches = _twitches(data, tz)
    today = today or timezone.localdate(timezone=tz)
    until = day_start(today + timedelta(days=1), tz)
    newest_first = sorted(
        (twitch for twitch in twitches if twitch.occurred_at < until),
        key=lambda twitch: twitch.occurred_at,
        reverse=True,
    )
    check, bother = _latest_check(data, tz, until), _bother(data, tz, today)
    flags = flags_from_twitches(newest_first, until, tz, check=check, bother=bother)
    return assessment_data(flags, today)
