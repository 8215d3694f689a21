"""The doctor report, for a clinician: a summary first, then the detail, nothing for the patient."""

from datetime import UTC, datetime, timedelta

import pytest

from journal.models import Region, SavedCheck, Side
from tests.journal.factories import CheckInFactory
from tests.journal.insights_data import add_entries, entry, make_person
from tests.journal.report_data import MONTH_ENTRIES, NOTE, typical_month
from tests.page_text import table_rows, visible_text
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = make_person(time_zone="UTC")
    client.force_login(person)
    return person


def report_text(client, query: str = "") -> str:
    response = client.get("/journal/report/" + query)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def answer_rows(html: str) -> list[list[str]]:
    return table_rows(html, "Questions asked and the answers given")


def test_report_summary_gives_dates_counts_onset_and_where_by_side(client, person):
    now = datetime.now(UTC)
    for days in (40, 30, 20, 10):
        entry(person, now - timedelta(days=days), Region.EYELID)
    entry(person, now - timedelta(days=3), Region.CALF, side=Side.LEFT, notes="After a long run")
    entry(person, now - timedelta(days=2), Region.CALF, side=Side.RIGHT)
    entry(person, now - timedelta(days=2, hours=1), Region.CALF, side=Side.RIGHT)
    text = report_text(client)
    assert "(28 days; times in UTC)" in text
    assert "Twitches recorded 5, on 4 of the 28 days" in text
    onset, first, latest = ((now - timedelta(days=days)).date() for days in (40, 20, 2))
    assert (
        f"Onset Twitches recorded with no gap of more than 14 days since {onset:%-d %B %Y}, "
        f"the latest on {latest:%-d %B %Y}. The first in these dates was on {first:%-d %B %Y}."
    ) in text
    assert "Where Calf 3 (right 2, left 1); Eyelid 2 (left 2)" in text
    assert "After a long run" in text
    assert f"Rules version {get_ruleset().version}" in text
    assert "Information, not a diagnosis." in text


def test_report_says_what_was_ticked_and_what_never_was(client, person):
    now = datetime.now(UTC)
    entry(person, now - timedelta(days=3), Region.HAND, numbness=True)
    entry(person, now - timedelta(days=2), Region.HAND, cramp=True)
    entry(person, now - timedelta(days=1), Region.HAND)
    text = report_text(client)
    day = (now - timedelta(days=3)).date()
    assert "Weakness in that area: none of 3" in text
    assert "Visible muscle thinning: none of 3" in text
    assert f"Numbness: 1 of 3 (latest {day:%-d %B})" in text
    assert "Cramp: 1 of 3" in text


def test_report_lists_the_feature_questions_answered_or_not_in_the_rulesets_words(client, person):
    ruleset = get_ruleset()
    SavedCheck.objects.create(
        user=person,
        answers={"emergency_signs": "no", "area": "elsewhere", "weakness": "no", "old": "x"},
        level="self_care",
        ruleset_version="2026.1",
    )
    html = client.get("/journal/report/").content.decode()
    rows = answer_rows(html)
    weakness = ruleset.question("weakness")
    assert [weakness.text, weakness.label_for("no")] in rows
    for qid in ("wasting", "numbness", "speech_swallow", "family_history", "medicine"):
        assert [ruleset.question(qid).text, "Not asked"] in rows
    assert ["old", "x"] in rows
    text = visible_text(html)
    assert "(rules version 2026.1). Result: Look after yourself at home" in text


def test_report_without_a_saved_check_says_so(client, person):
    html = client.get("/journal/report/").content.decode()
    assert "No self-check saved by" in visible_text(html)
    assert "Questions asked and the answers given" not in html


def test_report_shows_what_was_tried_and_how_bothered_the_person_was(client):
    person = typical_month()
    client.force_login(person)
    text = report_text(client)
    tried = get_ruleset().question("self_care_tried").label_for("under_3_weeks")
    assert f"Self-check answer: {tried}." in text
    step = get_ruleset().self_care_steps[0].title
    assert "day 14 of 28" in text
    assert f"{step}: ticked on 10 days." in text
    # Ratings 2 to 6, each on 5 or 6 of the 28 days.
    assert "Average 3.9 over 28 days (from 2 to 6); latest 2, on" in text


def test_report_counts_each_week_with_its_areas(client):
    client.force_login(typical_month())
    html = client.get("/journal/report/").content.decode()
    rows = table_rows(html, "Twitches recorded each week, and where")[1:]
    assert len(rows) == 4
    assert all(row[1:3] == ["14", "7"] for row in rows)
    assert "Calf" in rows[0][3]


def test_report_lists_every_twitch_of_a_month_oldest_first(client):
    client.force_login(typical_month())
    html = client.get("/journal/report/").content.decode()
    rows = table_rows(html, "Every twitch in these dates, oldest first")[1:]
    assert len(rows) == MONTH_ENTRIES
    today = datetime.now(UTC).date()
    assert rows[0][0] == f"{today - timedelta(days=27):%-d %b} 08:00"
    assert rows[-1][0] == f"{today:%-d %b} 17:00"
    assert NOTE[:39] + "…" in visible_text(html)


def test_a_long_report_says_where_the_rest_of_its_twitches_are(client, person):
    now = datetime.now(UTC)
    add_entries(person, 130, end=now - timedelta(minutes=1))
    query = f"?from={(now - timedelta(days=364)).date()}&to={now.date()}"
    html = client.get("/journal/report/" + query).content.decode()
    caption = "The first 120 of 130 twitches in these dates; the journal export has them all"
    assert len(table_rows(html, caption)) == 121
    assert "Twitches recorded every 29 days, and where" in html


def test_report_compares_triggers_only_where_there_are_enough_days(client, person):
    now = datetime.now(UTC)
    today = now.date()
    for offset in range(10):
        entry(person, now - timedelta(days=offset), Region.CALF)
    for offset in range(2):
        CheckInFactory(user=person, day=today - timedelta(days=offset), caffeine_cups=5)
    assert "by what the person noted about the day" not in report_text(client)
    for offset in range(2, 8):
        CheckInFactory(user=person, day=today - timedelta(days=offset), caffeine_cups=offset % 2)
    CheckInFactory(user=person, day=today - timedelta(days=9), caffeine_cups=5)
    text = report_text(client)
    assert "Twitches a day, by what the person noted about the day" in text
    assert "Caffeine" in text


def test_report_has_no_patient_prompts_links_or_emergency_paragraph(client):
    client.force_login(typical_month())
    html = client.get("/journal/report/").content.decode()
    body = html[html.index('class="tc-report"') : html.index("</main>")]
    for patient_words in (
        "Red flags from your journal",
        "Based on your journal",
        "Why we suggest this",
        "Read more",
        "Do the self-check",
        "your journal",
    ):
        assert patient_words not in body
    for sign in get_ruleset().emergency.signs:
        assert sign.text not in body
    assert "<a " not in body


def test_another_persons_report_shows_none_of_anas_journal(client):
    typical_month()
    client.force_login(make_person("ben@example.com"))
    text = report_text(client)
    assert "Twitches recorded 0, on 0 of the 28 days" in text
    assert NOTE not in text
    assert "ana-rules" not in text
    assert "No self-check saved by" in text


def test_bad_dates_show_the_last_28_days(client, person):
    response = client.get("/journal/report/?from=2026-11-20&to=2026-11-01")
    assert response.status_code == 200
    assert "(28 days;" in visible_text(response.content.decode())


def test_report_for_chosen_dates(client, person):
    entry(person, datetime(2026, 3, 5, 10, tzinfo=UTC), Region.THIGH)
    text = report_text(client, "?from=2026-03-01&to=2026-03-31")
    assert "1 March 2026 to 31 March 2026 (31 days;" in text
    assert "Where Thigh 1 (left 1)" in text
