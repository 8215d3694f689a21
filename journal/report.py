"""The doctor report: what a person's journal shows for a range of dates, on one page."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from accounts.models import User
from journal.flags import JournalFlags, journal_flags
from journal.models import Entry, SavedCheck
from journal.patterns import Patterns, journal_patterns
from journal.saved_results import level_label, saved_answer_rows
from journal.timezones import day_start, person_today, person_tz

REPORT_DAYS = 28
REPORT_ROWS = 12


@dataclass(frozen=True)
class DoctorReport:
    patterns: Patterns
    entries: list[Entry]
    flags: JournalFlags
    latest_check: SavedCheck | None
    latest_rows: list[tuple[str, str]]
    latest_level: str
    tz: ZoneInfo


def default_dates(user: User) -> dict[str, date]:
    """The last `REPORT_DAYS` days up to today, where the person is."""
    today = person_today(user)
    return {"from": today - timedelta(days=REPORT_DAYS - 1), "to": today}


def doctor_report(*, user: User, start: date, end: date) -> DoctorReport:
    """Patterns, latest twitches, red flags and the latest saved self-check for `start`..`end`.

    Red flags and the saved self-check are as they stood at the end of `end`, local time.
    """
    tz = person_tz(user)
    until = day_start(end + timedelta(days=1), tz)
    latest = SavedCheck.objects.for_user(user).filter(created_at__lt=until).first()
    return DoctorReport(
        patterns=journal_patterns(user, start, end),
        entries=list(Entry.objects.for_user(user).on_days(start, end, tz)[:REPORT_ROWS]),
        flags=journal_flags(user, until=until),
        latest_check=latest,
        latest_rows=saved_answer_rows(latest.answers) if latest else [],
        latest_level=level_label(latest.level, unknown=latest.level) if latest else "",
        tz=tz,
    )
