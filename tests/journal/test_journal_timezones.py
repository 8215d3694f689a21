"""A person's own time zone, and whole days in it."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import User
from journal.timezones import day_start, person_today, person_tz
from tests.accounts.factories import UserFactory
from tests.journal.factories import EntryFactory


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


@pytest.mark.django_db
def test_entries_are_shown_in_the_persons_own_time_zone(client):
    person = UserFactory(time_zone="Asia/Tokyo")
    EntryFactory(user=person, occurred_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
    client.force_login(person)
    html = client.get("/journal/").content.decode()
    assert "Saturday 21 November 2026, 08:30" in html


@pytest.mark.django_db
def test_a_broken_stored_time_zone_falls_back_to_london(client):
    person = UserFactory(time_zone="Not/AZone")
    EntryFactory(user=person, occurred_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    client.force_login(person)
    assert "1 July 2026, 13:00" in client.get("/journal/").content.decode()
