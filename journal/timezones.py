"""A person's own time zone, and whole days in it."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User


def person_tz(user: User) -> ZoneInfo:
    return user.zone


def person_today(user: User) -> date:
    return timezone.localdate(timezone=person_tz(user))


def day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)
