"""The patterns page: counts on known data, in the person's time zone, and its charts."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.models import Region
from journal.patterns import journal_patterns
from tests.journal.insights_data import add_entries, entry, make_person
from tests.page_text import table_rows, visible_text

pytestmark = pytest.mark.django_db


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def tokyo():
    """A week of twitches for someone in Tokyo (UTC+9), some near midnight."""
    person = make_person(time_zone="Asia/Tokyo")
    calf, eyelid = Region.CALF, Region.EYELID
    entry(person, utc(2026, 11, 18, 15, 0), calf, sleep_hours=Decimal(10))  # 19 Nov, 00:00
    entry(person, utc(2026, 11, 20, 5, 0), calf, sleep_hours=Decimal(10), stress=0)  # 20th 14:00
    entry(person, utc(2026, 11, 23, 16, 0), eyelid, caffeine_cups=1, sleep_hours=Decimal(8),
          stress=2, hard_exercise=False)  # fmt: skip  # 24 Nov, 01:00
    entry(person, utc(2026, 11, 24, 23, 30), calf, caffeine_cups=4, sleep_hours=Decimal("6.5"),
          stress=5, hard_exercise=True)  # fmt: skip  # 25 Nov, 08:30
    entry(person, utc(2026, 11, 25, 2, 0), eyelid, caffeine_cups=1, sleep_hours=Decimal(8))
    entry(person, utc(2026, 11, 25, 10, 0), calf)  # 25 Nov, 19:00
    entry(person, utc(2026, 11, 25, 15, 0), calf)  # 26 Nov, 00:00: after the range
    entry(make_person("ben@example.com"), utc(2026, 11, 25, 3, 0), Region.HAND)
    return person


def test_twitches_are_counted_by_day_in_the_persons_time_zone(tokyo):
    patterns = journal_patterns(tokyo, date(2026, 11, 19), date(2026, 11, 25))
    assert patterns.total == 6
    assert patterns.days_with_twitches == 4
    assert [(bar.day.day, bar.count) for bar in patterns.days] == [
        (19, 1), (20, 1), (21, 0), (22, 0), (23, 0), (24, 1), (25, 3)
    ]  # fmt: skip
    assert patterns.busiest.day == date(2026, 11, 25)


def test_twitches_are_counted_by_region_and_time_of_day(tokyo):
    patterns = journal_patterns(tokyo, date(2026, 11, 19), date(2026, 11, 25))
    assert [(bar.key, bar.count) for bar in patterns.regions] == [("calf", 4), ("eyelid", 2)]
    assert {bar.key: bar.count for bar in patterns.parts_of_day} == {
        "night": 2,
        "morning": 2,
        "afternoon": 1,
        "evening": 1,
    }


def test_trigger_days_are_compared_with_their_sample_sizes(tokyo):
    patterns = journal_patterns(tokyo, date(2026, 11, 19), date(2026, 11, 25))
    found = {
        t.id: (t.with_days, t.with_twitches, t.without_days, t.without_twitches)
        for t in patterns.triggers
    }
    assert found == {
        "caffeine": (1, 3, 1, 1),  # 25 Nov had a 4-cup entry; 24 Nov 1 cup; others unknown
        "sleep": (1, 3, 1, 1),  # 6.5 h on 25 Nov; 8 h on 24 Nov; 10 h days left out
        "stress": (1, 3, 2, 2),
        "exercise": (1, 3, 1, 1),
    }
    caffeine = patterns.triggers[0]
    assert caffeine.with_rate == 3.0
    assert caffeine.without_rate == 1.0
    assert not caffeine.enough_days


def test_patterns_page_shows_charts_with_text_and_tables(client, tokyo):
    add_entries(tokyo, 40)
    for days_ago in range(10):
        entry(tokyo, datetime.now(UTC) - timedelta(days=days_ago), Region.CALF)
    client.force_login(tokyo)
    html = client.get("/journal/patterns/").content.decode()
    assert html.count('role="img"') >= 8  # days, body map, regions, time of day, four triggers
    assert 'class="tc-body-part tc-body-part--4" x="55" y="245"' in html  # calves: the most
    assert 'aria-label="Bar chart of twitches each day' in html
    assert "Calf" in [row[0] for row in table_rows(html, "Twitches by part of the body")]
    assert table_rows(html, "Twitches by time of day")[0] == ["Time of day", "Twitches", "Share"]
    assert "Twitches a day, by what you noted about the day before" in html
    assert "style=" not in html
    assert "<script>" not in html


def test_a_few_days_of_twitches_are_listed_rather_than_charted(client):
    person = make_person(time_zone="UTC")
    noon = datetime.now(UTC).replace(hour=12, minute=0)
    entry(person, noon - timedelta(days=3), Region.CALF)
    entry(person, noon - timedelta(days=3, minutes=5), Region.CALF)
    entry(person, noon - timedelta(days=9), Region.EYELID)
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert 'aria-label="Bar chart of twitches each day' not in html
    rows = table_rows(html, "The days with twitches")[1:]
    assert [count for _, count in rows] == ["1", "2"]
    assert "Every other day has no twitches in your journal." in visible_text(html)


def test_patterns_page_shows_red_flags_with_reasons_and_the_self_check_link(client):
    person = make_person()
    entry(person, datetime.now(UTC), Region.CALF, weakness=True)
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert "Ask your doctor about nerve and muscle tests" in html
    assert "Items on the checklist of warning signs your journal shows: 1 of 6." in html
    assert "You noted weakness on 1 entry (latest " in html
    assert "You said" not in html
    assert "based on your journal, not a diagnosis" in html.lower()
    assert "the self-check asks about things your journal cannot know" in html.lower()
    assert 'href="/check/"' in html


def test_an_empty_journal_says_there_is_nothing_to_show_yet(client):
    person = make_person()
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert "no patterns to show yet" in html
    assert "Add twitches to your journal and we will check them" in html


PAGES = [
    "/journal/patterns/",
    "/journal/report/",
    "/journal/report/?from=2020-01-01&to=2026-12-31",
    "/journal/export.csv",
    "/journal/export.json",
    "/journal/plan/",
]


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_needs_the_same_few_queries_at_10_and_1000_entries(client, path):
    small, large = make_person("small@example.com"), make_person("large@example.com")
    add_entries(small, 10)
    add_entries(large, 1000)
    for person in (small, large):
        client.force_login(person)
        client.post("/journal/plan/start/")
    client.force_login(small)
    at_10 = queries_for(client, path)
    client.force_login(large)
    at_1000 = queries_for(client, path)
    assert at_10 == at_1000
    assert at_1000 <= 8
