"""The journal's verdict on an exported journal file, for `manage.py assess --journal`.

The file is checked as an import would check it, then its twitches go through the same
`flags_from_twitches` as the journal pages, so the command and the pages never disagree.
"""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.utils import timezone

from journal.exports import MAX_FILE_BYTES, ImportResult, checked_rows, read_journal_file
from journal.flags import JournalFlags, Twitch, flags_from_twitches
from journal.models import CLOCK_SKEW, ENTRY_FIELDS
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
        )
        for row in rows
    ]
    if not result.ok:
        more = result.error_count - len(result.errors)
        lines = [*result.errors, *([f"…and {more} more."] if more else [])]
        raise JournalFileError("The journal file has mistakes:\n" + "\n".join(lines))
    return twitches


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
    return assessment_data(flags_from_twitches(newest_first, until, tz), today)
