"""A person's own time zone, and whole days in it."""

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import timezone

from journal.models import User

DEFAULT_TIME_ZONE = "Europe/London"


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


def person_tz(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ZoneInfo(settings.TIME_ZONE)


def person_today(user: User) -> date:
    return timezone.localdate(timezone=person_tz(user))


def day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)
