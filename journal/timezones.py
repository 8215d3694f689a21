"""A person's own time zone, and whole days in it."""

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import timezone

from journal.models import User

DEFAULT_TIME_ZONE = "Europe/London"
# Where most people using the site live, listed before the other 580 or so.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Johannesburg",
    "UTC",
)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


def grouped_time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The common time zones first, then every other, so a short scroll finds most."""
    names = dict(time_zone_choices())
    common = [(name, names[name]) for name in COMMON_TIME_ZONES if name in names]
    others = [(name, label) for name, label in names.items() if name not in COMMON_TIME_ZONES]
    return [("Common time zones", common), ("Every other time zone", others)]


def person_tz(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ZoneInfo(settings.TIME_ZONE)


def person_today(user: User) -> date:
    return timezone.localdate(timezone=person_tz(user))


def day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)
