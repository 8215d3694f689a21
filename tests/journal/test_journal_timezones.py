"""A person's own time zone, and whole days in it."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from journal.models import User
from journal.timezones import (
    day_start,
    grouped_time_zone_choices,
    person_today,
    person_tz,
    time_zone_choices,
)


def test_a_person_s_times_are_in_their_own_time_zone():
    assert person_tz(User(time_zone="Asia/Tokyo")) == ZoneInfo("Asia/Tokyo")


def test_an_unknown_time_zone_falls_back_to_the_site_s(settings):
    assert person_tz(User(time_zone="Mars/Olympus_Mons")) == ZoneInfo(settings.TIME_ZONE)
    assert person_tz(User(time_zone="")) == ZoneInfo(settings.TIME_ZONE)


def test_today_is_the_date_where_the_person_is():
    tokyo = User(time_zone="Asia/Tokyo")
    assert person_today(tokyo) == timezone.now().astimezone(ZoneInfo("Asia/Tokyo")).date()


def test_a_day_starts_at_local_midnight():
    start = day_start(date(2026, 7, 1), ZoneInfo("Europe/London"))
    assert start == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


def test_time_zone_choices_are_readable_names_without_the_machine_s_own():
    choices = dict(time_zone_choices())
    assert choices["America/New_York"] == "America/New York"
    assert "localtime" not in choices
    assert "Factory" not in choices


def test_common_time_zones_come_first_and_every_other_zone_follows():
    (first, common), (_, others) = grouped_time_zone_choices()
    assert first == "Common time zones"
    assert common[0] == ("Europe/London", "Europe/London")
    assert len(common) < 40
    names = [name for name, _ in common + others]
    assert sorted(names) == sorted(dict(time_zone_choices()))
