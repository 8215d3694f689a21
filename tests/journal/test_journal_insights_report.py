"""The doctor report: dates, totals, red flags with reasons, the latest saved self-check."""

from datetime import UTC, datetime, timedelta

import pytest

from journal.models import Region, SavedCheck
from tests.journal.insights_data import entry, make_person
from tests.page_text import table_rows, visible_text
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = make_person(time_zone="UTC")
    client.force_login(person)
    return person


def test_report_defaults_to_the_last_28_days(client, person):
    now = datetime.now(UTC)
    entry(person, now - timedelta(days=3), Region.CALF, notes="After a long run")
    entry(person, now - timedelta(days=2), Region.HAND, numbness=True)
    entry(person, now - timedelta(days=40), Region.EYELID)
    html = client.get("/journal/report/").content.decode()
    assert "(28 days)" in html
    assert "Twitches noted 2, on 2 days" in visible_text(html)
    assert ["Calf", "1"] in table_rows(html, "Twitches by part of the body")
    assert "After a long run" in html
    assert "Get an urgent referral" in html
    assert "You noted numbness on 1 entry (latest " in html
    assert "You said" not in html
    assert f"Rules version {get_ruleset().version}" in html
    assert "not a diagnosis" in html


def test_report_shows_the_latest_saved_self_check_in_words(client, person):
    SavedCheck.objects.create(
        user=person,
        answers={"emergency_signs": "no", "area": "eyelid", "retired_question": "maybe"},
        level="self_care",
        ruleset_version="2026.1",
    )
    html = client.get("/journal/report/").content.decode()
    assert "Look after yourself at home" in html
    assert "rules version 2026.1" in html
    text = visible_text(html)
    assert "Where is the twitching? My eyelid, perhaps with other muscles in my face" in text
    assert "retired_question maybe" in text


def test_report_limits_its_rows_and_says_where_the_rest_are(client, person):
    now = datetime.now(UTC)
    for minutes in range(30):
        entry(person, now - timedelta(minutes=minutes + 1), Region.CALF)
    html = client.get("/journal/report/").content.decode()
    assert "The latest 12 of 30 twitches in these dates; the journal export has them all" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-11-20&to=2026-11-01", "The end date must be on or after the start date."),
        ("?from=1900-01-01&to=2026-11-01", "Choose dates no more than 3 years apart."),
        ("?from=soon&to=", "Enter the first day of the report as a date, like 2026-11-01."),
        ("?from=2026-11-01&to=", "Enter the last day of the report."),
    ],
)
def test_bad_dates_are_explained_beside_the_field_and_kept(client, person, query, message):
    response = client.get("/journal/report/" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "(28 days)" in html


def test_report_for_chosen_dates(client, person):
    entry(person, datetime(2026, 3, 5, 10, tzinfo=UTC), Region.THIGH)
    html = client.get("/journal/report/?from=2026-03-01&to=2026-03-31").content.decode()
    assert "1 March 2026 to 31 March 2026 (31 days)" in html
    assert ["Thigh", "1"] in table_rows(html, "Twitches by part of the body")
    assert 'value="2026-03-01"' in html
