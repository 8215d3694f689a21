"""The patterns page: counts on known data, in the person's time zone, and its charts."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.models import Region
from journal.patterns import journal_patterns
from journal.timezones import person_today
from tests.journal.factories import CheckInFactory
from tests.journal.insights_data import add_check_ins, add_entries, entry, make_person
from tests.page_text import table_rows, visible_text

pytestmark = pytest.mark.django_db


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def tokyo():
    """A week of twitches for someone in Tokyo (UTC+9), some near midnight."""
    person = make_person(time_zone="Asia/Tokyo")
    calf, eyelid = Region.CALF, Region.EYELID
    entry(person, utc(2026, 11, 18, 15, 0), calf)  # 19 Nov, 00:00
    entry(person, utc(2026, 11, 20, 5, 0), calf)  # 20th 14:00
    entry(person, utc(2026, 11, 23, 16, 0), eyelid)  # 24 Nov, 01:00
    entry(person, utc(2026, 11, 24, 23, 30), calf)  # 25 Nov, 08:30
    entry(person, utc(2026, 11, 25, 2, 0), eyelid)  # 25 Nov, 11:00
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


def check_in(person, day: int, **fields) -> None:
    CheckInFactory(user=person, day=date(2026, 11, day), **fields)


def test_every_checked_in_day_is_compared_twitch_free_days_included(tokyo):
    check_in(tokyo, 25, caffeine_cups=4, sleep_hours=Decimal("6.5"), stress=5, hard_exercise=True)
    check_in(tokyo, 24, caffeine_cups=1, sleep_hours=Decimal(8), stress=2, hard_exercise=False)
    check_in(tokyo, 22, caffeine_cups=0, sleep_hours=Decimal(10), stress=None, hard_exercise=None)
    check_in(tokyo, 21, caffeine_cups=None, sleep_hours=None, stress=None, hard_exercise=None)

    patterns = journal_patterns(tokyo, date(2026, 11, 19), date(2026, 11, 25))

    found = {t.id: (t.with_group.counts, t.without_group.counts) for t in patterns.triggers}
    assert found == {
        "caffeine": ((3,), (0, 1)),  # 22 Nov had no twitches and counts as 0
        "sleep": ((3,), (1,)),  # 10 hours is left out, as is the day with no answer
        "stress": ((3,), (1,)),
        "exercise": ((3,), (1,)),
    }
    caffeine = patterns.triggers[0]
    assert (caffeine.with_rate, caffeine.without_rate) == (3.0, 0.5)
    assert not caffeine.enough_days
    assert caffeine.more_with is None


def coffee_journal(person, coffee_twitches: list[int], other_twitches: list[int]) -> None:
    """Check-ins on the days up to today, coffee days first, each with its twitches."""
    today = person_today(person)
    days = [(4, count) for count in coffee_twitches] + [(0, count) for count in other_twitches]
    for back, (cups, count) in enumerate(days):
        day = today - timedelta(days=back)
        CheckInFactory(user=person, day=day, caffeine_cups=cups)
        for minute in range(count):
            entry(person, datetime.combine(day, time(9, minute), tzinfo=person.zone))


def test_coffee_days_with_clearly_more_twitches_show_the_difference_with_counts(client):
    person = make_person()
    coffee_journal(person, [5, 6, 7, 6], [0, 1, 1, 0, 2])
    client.force_login(person)

    html = client.get("/journal/patterns/").content.decode()

    assert table_rows(html, "Caffeine: twitches a day") == [
        ["Days", "Checked-in days", "Twitches", "Average a day", "Fewest to most in a day"],
        ["3 or more cups", "4", "24", "6.0", "5 to 7"],
        ["Fewer than 3 cups", "5", "4", "0.8", "0 to 2"],
    ]
    page = visible_text(html)
    assert "More twitches on days with 3 or more cups: 6.0 a day against 0.8" in page
    assert "they follow how much you log" in page


def test_overlapping_days_say_plainly_there_is_no_clear_difference(client):
    person = make_person()
    coffee_journal(person, [1, 4, 2, 3], [2, 0, 3, 1])
    client.force_login(person)

    page = visible_text(client.get("/journal/patterns/").content.decode())

    assert "Caffeine: twitches a day" in page
    assert "No clear difference. The days on each side overlap too much" in page
    assert "More twitches on days with" not in page


def test_two_days_of_data_show_no_comparison_and_say_why(client):
    person = make_person()
    coffee_journal(person, [5], [0])
    client.force_login(person)

    html = client.get("/journal/patterns/").content.decode()

    assert "twitches a day</caption>" not in html
    assert (
        "Not enough days yet: 1 day with 3 or more cups and 1 with fewer than 3 cups; "
        "we compare once there are at least 3 of each."
    ) in visible_text(html)


def test_patterns_page_shows_charts_with_text_and_tables(client, tokyo):
    add_entries(tokyo, 40)
    for days_ago in range(10):
        entry(tokyo, datetime.now(UTC) - timedelta(days=days_ago), Region.CALF)
    client.force_login(tokyo)
    html = client.get("/journal/patterns/").content.decode()
    assert html.count('role="img"') >= 4  # days, body map, regions, time of day
    assert 'class="tc-body-part tc-body-part--4" x="55" y="245"' in html  # calves: the most
    assert 'aria-label="Bar chart of twitches each day' in html
    assert "Calf" in [row[0] for row in table_rows(html, "Twitches by part of the body")]
    assert table_rows(html, "Twitches by time of day")[0] == ["Time of day", "Twitches", "Share"]
    assert "Possible triggers" in html
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
    add_check_ins(small, 3)
    add_check_ins(large, 60)
    for person in (small, large):
        client.force_login(person)
        client.post("/journal/plan/start/")
    client.force_login(small)
    at_10 = queries_for(client, path)
    client.force_login(large)
    at_1000 = queries_for(client, path)
    assert at_10 == at_1000
    # The doctor report also reads the entries by day and place, the check-ins and the plan.
    assert at_1000 <= (12 if path.startswith("/journal/report/") else 8)
