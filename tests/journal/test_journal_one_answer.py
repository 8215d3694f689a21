"""One answer: the journal's verdict starts from the latest saved self-check while it is
current, adds only what the entries show since, and never asks again what it answered."""

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from journal.exports import export_json
from journal.flags import Check, Twitch, flags_from_twitches, journal_flags
from journal.models import Region
from tests.journal.factories import CheckInFactory, SavedCheckFactory
from tests.journal.insights_data import entry, make_person
from tests.triage.answer_sets import BENIGN

DAY = timedelta(days=1)
PAGES = ("/journal/", "/journal/patterns/", "/journal/report/")
NEUROLOGIST = "See a neurologist within 2–3 weeks"
# The issue's check, saved under 2026.11.5, which sent any two checklist items to a
# neurologist; today's rules send this pair to a routine GP appointment.
ISSUE_CHECK = {**BENIGN, "duration": "over_2_weeks", "family_history": "yes"}
UNTIL = datetime(2026, 12, 11, tzinfo=UTC)


def save_check(person, days_ago: float, answers=ISSUE_CHECK, level="neurologist", **fields):
    return SavedCheckFactory(
        user=person,
        answers=answers,
        level=level,
        ruleset_version=fields.pop("ruleset_version", "2026.11.5"),
        created_at=datetime.now(UTC) - days_ago * DAY,
        **fields,
    )


def two_faint_twitches(person) -> None:
    now = datetime.now(UTC)
    entry(person, now - 8 * DAY, Region.EYELID, intensity=1)
    entry(person, now - 2 * DAY, Region.CALF, intensity=1)


def command_verdict(person, tmp_path) -> dict:
    path = tmp_path / "export.json"
    path.write_text(export_json(person))
    out = StringIO()
    call_command("assess", journal=str(path), stdout=out)
    return json.loads(out.getvalue())


def verdict(html: str) -> str:
    """The journal's verdict on a page: the timeline's summary or the red-flags panel (the
    timeline also lists each saved check with its own level)."""
    heading = (
        'id="flags-summary-heading"' if "flags-summary-heading" in html else 'id="flags-heading"'
    )
    start = html.index(heading)
    return html[start : html.index("</section>", start)]


def flags_on(twitches=(), **records):
    newest_first = sorted(twitches, key=lambda twitch: twitch.occurred_at, reverse=True)
    return flags_from_twitches(newest_first, UNTIL, UTC, **records)


def check_on(day: int, answers=ISSUE_CHECK, level: str = "neurologist") -> Check:
    return Check(datetime(2026, 12, day, 9, tzinfo=UTC), answers, level, "2026.11.5")


def calf(day: int, **fields) -> Twitch:
    return Twitch(datetime(2026, 12, day, 18, tzinfo=UTC), Region.CALF, **fields)


@pytest.mark.django_db
def test_a_saved_neurologist_check_and_two_faint_twitches_give_one_level_everywhere(
    client, tmp_path
):
    person = make_person(time_zone="UTC")
    save_check(person, days_ago=3)
    two_faint_twitches(person)
    client.force_login(person)
    for url in PAGES:
        html = client.get(url).content.decode()
        assert NEUROLOGIST in html, url
        assert "Keep an eye on it" not in html, url
    patterns = client.get("/journal/patterns/").content.decode()
    check_day = f"{datetime.now(UTC) - 3 * DAY:%-d %B}"
    assert f"Based on your self-check on {check_day} and your journal since" in patterns
    assert f"From your self-check on {check_day}: its result was" in patterns
    data = command_verdict(person, tmp_path)
    assert data["level"] == "neurologist"
    assert data["journal"]["saved_check"]["current"] is True
    assert journal_flags(person).assessment.level.id == "neurologist"


@pytest.mark.django_db
def test_the_journal_never_asks_again_what_a_current_check_answered(client):
    person = make_person(time_zone="UTC")
    save_check(person, days_ago=1, answers=BENIGN, level="self_care", ruleset_version="2026.12.2")
    two_faint_twitches(person)
    flags = journal_flags(person)
    assert flags.unknown == ()
    assert flags.assessment.level.id == "self_care"
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert "What your journal cannot know" not in html
    assert "Is the twitching getting worse?" not in html
    assert "Do the self-check" not in html
    assert "No red flags in your entries." in html


def test_only_the_questions_neither_the_check_nor_the_entries_answered_are_unknown():
    partly = {"emergency_signs": "no", "area": "elsewhere", "weakness": "no", "wasting": "no"}
    flags = flags_on([calf(9)], check=check_on(8, partly, "monitor"))
    unknown = {question.id for question in flags.unknown}
    assert unknown
    assert not unknown & set(partly)


@pytest.mark.django_db
def test_a_check_older_than_4_weeks_no_longer_holds_the_level_and_the_page_says_so(client):
    person = make_person(time_zone="UTC")
    saved = save_check(person, days_ago=30)
    two_faint_twitches(person)
    client.force_login(person)
    for url in ("/journal/", "/journal/patterns/"):
        html = verdict(client.get(url).content.decode())
        assert "Keep an eye on it" in html, url
        assert NEUROLOGIST not in html, url
        assert (
            f"Your latest saved self-check, on {saved.created_at:%-d %B %Y}, is more than 28 "
            "days old, so it no longer sets the level"
        ) in html, url


def test_a_check_counts_for_28_days_from_the_day_it_was_saved():
    last_day = flags_on([calf(10)], check=Check(datetime(2026, 11, 13, tzinfo=UTC), {}, "tests"))
    assert last_day.check_current
    assert last_day.check_until == date(2026, 12, 10)
    assert last_day.assessment.level.id == "tests"
    gone = flags_on([calf(10)], check=Check(datetime(2026, 11, 12, tzinfo=UTC), {}, "tests"))
    assert not gone.check_current
    assert gone.assessment.level.id == "monitor"


def test_entries_since_the_check_add_to_it_and_each_reason_says_where_it_comes_from():
    flags = flags_on([calf(9, weakness=True)], check=check_on(3))
    assert flags.assessment.level.id == "tests"
    reasons = [finding.reason for finding in flags.assessment.findings]
    assert reasons[0].startswith("You noted weakness on 1 entry (latest 9 December).")
    assert any(reason.startswith("From your self-check on 3 December: ") for reason in reasons)
    assert any(
        reason.startswith("From your self-check on 3 December and your journal entries: ")
        for reason in reasons
    )


def test_weakness_ticked_before_a_check_that_said_no_still_counts():
    """Nothing with weakness may lose urgency: a later "no" does not hide a ticked entry."""
    flags = flags_on([calf(1, weakness=True), calf(9)], check=check_on(3, BENIGN, "self_care"))
    assert flags.answers["weakness"] == "yes"
    assert flags.assessment.level.id == "tests"
    assert flags.entries_flagged
    assert flags.assessment.findings[0].reason.startswith(
        "You noted weakness on 1 entry (latest 1 December)."
    )


def test_a_symptom_ticked_before_a_check_that_did_not_ask_about_it_still_counts():
    partly = {"emergency_signs": "no", "area": "elsewhere"}
    flags = flags_on([calf(1, weakness=True), calf(9)], check=check_on(3, partly, "monitor"))
    assert flags.answers["weakness"] == "yes"
    assert flags.assessment.level.id == "tests"
    assert flags.assessment.findings[0].reason.startswith(
        "You noted weakness on 1 entry (latest 1 December)."
    )


def test_a_check_from_an_older_ruleset_is_read_with_todays_rules_but_never_lower():
    answers = {**BENIGN, "a_question_since_removed": "yes", "worsening": "not_an_answer_now"}
    flags = flags_on([calf(9)], check=check_on(5, answers, "neurologist"))
    assert "a_question_since_removed" not in flags.answers
    assert flags.answers.get("worsening") != "not_an_answer_now"
    assert flags.assessment.level.id == "neurologist"
    assert flags.assessment.findings[0].reason.startswith(
        "From your self-check on 5 December: its result was"
    )


def test_a_check_whose_level_todays_rules_rate_higher_takes_todays_level():
    flags = flags_on([], check=check_on(5, {**BENIGN, "wasting": "yes"}, "neurologist"))
    assert flags.assessment.level.id == "immediate"
    assert flags.episode is None


@pytest.mark.django_db
def test_no_red_flags_in_the_entries_is_said_first_and_no_emergency_list_follows(client):
    person = make_person(time_zone="UTC")
    two_faint_twitches(person)
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    section = html[html.index('id="flags-heading"') :]
    assert section.index("No red flags in your entries.") < section.index(
        "What your journal cannot know"
    )
    assert 'id="emergency-signs"' not in html
    assert "Call even if the sign has gone away" not in html


@pytest.mark.django_db
def test_the_emergency_signs_show_as_their_own_card_from_the_rulesets_level(client):
    person = make_person(time_zone="UTC")
    entry(person, datetime.now(UTC) - DAY, Region.CALF, numbness=True)
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert "No red flags in your entries." not in html
    assert 'id="emergency-signs"' in html
    assert html.count("Call even if the sign has gone away") == 1


@pytest.mark.django_db
def test_daily_bother_rising_clearly_is_getting_worse_on_the_page(client):
    person = make_person(time_zone="UTC")
    now = datetime.now(UTC)
    for days_ago in range(1, 27, 3):
        entry(person, now - days_ago * DAY, Region.CALF, intensity=2)
    today = now.date()
    for days_ago, bother in [(2, 7), (5, 6), (8, 7), (16, 3), (19, 4), (22, 3)]:
        CheckInFactory(user=person, day=today - days_ago * DAY, bother=bother)
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert "Book an appointment with your doctor" in html
    assert "the twitching has bothered you more" in html
    assert journal_flags(person).answers["worsening"] == "yes"


@pytest.mark.django_db
def test_someone_elses_saved_check_never_sets_the_level(client):
    person, other = make_person(time_zone="UTC"), make_person("ben@example.com", "UTC")
    save_check(other, days_ago=1)
    two_faint_twitches(person)
    client.force_login(person)
    for url in PAGES:
        html = client.get(url).content.decode()
        assert NEUROLOGIST not in html, url
    assert journal_flags(person).check is None
