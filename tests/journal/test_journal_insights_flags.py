"""Red flags from the journal: only what a person recorded or what the dates show beyond doubt."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from journal.flags import Twitch, flags_from_twitches, journal_flags
from journal.models import Region
from tests.journal.insights_data import entry, make_person
from triage.engine import get_ruleset

DAY = timedelta(days=1)
# Noon on 28 November 2026; the day `today` ends at midnight.
TODAY = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
UNTIL = datetime(2026, 11, 29, tzinfo=UTC)


def on(day: int, region: str = Region.CALF, month: int = 11, **ticked) -> Twitch:
    return Twitch(datetime(2026, month, day, 9, 0, tzinfo=UTC), region, **ticked)


def daily(
    first: int, last: int, region: str = Region.CALF, every: int = 1, **fields
) -> list[Twitch]:
    return [on(day, region, **fields) for day in range(first, last + 1, every)]


def flags_for(twitches: list[Twitch], **records):
    newest_first = sorted(twitches, key=lambda twitch: twitch.occurred_at, reverse=True)
    return flags_from_twitches(newest_first, UNTIL, UTC, **records)


# Faint twitches every third day in the 14 days before the last 14, then stronger ones.
STRONGER = daily(1, 14, every=3, strength=1) + daily(16, 27, every=3, strength=3)
# Ten times as many twitches logged a day in the last 14 days, all as strong as before.
MORE_LOGGED = [
    twitch for day in range(1, 28, 3) for twitch in [on(day, strength=2)] * (1 if day <= 14 else 10)
]


def rank(level_id: str) -> int:
    return get_ruleset().level(level_id).rank


ISSUE_JOURNAL = [on(20, Region.EYELID), on(26, Region.CALF)]
EVERY_REGION = [on(14 + i % 14, region) for i, region in enumerate(Region)]

LEVEL_CASES = [
    # (case, twitches, level, answers)
    ("a faint eyelid and a faint calf", ISSUE_JOURNAL, "monitor", {"area": "elsewhere"}),
    ("one calf twitch", [on(27)], "monitor", {"area": "elsewhere"}),
    ("every part of the body", EVERY_REGION, "monitor", {"area": "elsewhere"}),
    (
        "the same area on most days for more than 2 weeks",
        daily(8, 27),
        "see_doctor",
        {"area": "elsewhere", "duration": "over_2_weeks"},
    ),
    ("exactly 2 weeks is not more than 2 weeks", daily(13, 27), "monitor", {"area": "elsewhere"}),
    ("twitches on only some days", daily(1, 27, every=3), "monitor", {"area": "elsewhere"}),
    (
        "weakness ticked",
        [on(20, weakness=True), on(24, weakness=True), on(26, weakness=True)],
        "tests",
        {"area": "elsewhere", "weakness": "yes"},
    ),
    (
        "numbness ticked",
        [on(26, numbness=True)],
        "urgent_referral",
        {"area": "elsewhere", "numbness": "numbness"},
    ),
    (
        "thinning ticked",
        [on(26, thinning=True)],
        "immediate",
        {"area": "elsewhere", "wasting": "yes"},
    ),
    (
        "stronger by the person's own ratings",
        STRONGER,
        "see_doctor",
        {"area": "elsewhere", "worsening": "yes"},
    ),
    ("more twitches logged is not getting worse", MORE_LOGGED, "monitor", {"area": "elsewhere"}),
    (
        "a new episode is not getting worse",
        daily(22, 28) + daily(22, 27, Region.HAND),
        "monitor",
        {"area": "elsewhere"},
    ),
    (
        "lasting with weakness: two checklist items",
        [*daily(8, 27), on(27, weakness=True)],
        "tests",
        {"area": "elsewhere", "duration": "over_2_weeks", "weakness": "yes"},
    ),
    ("an eyelid for a few days", daily(24, 27, Region.EYELID), "monitor", {"area": "eyelid"}),
    (
        "an eyelid on most days for more than 2 weeks",
        daily(8, 27, Region.EYELID),
        "eye_specialist",
        {"area": "eyelid", "eyelid_duration": "over_2_weeks"},
    ),
    (
        "an eyelid and the cheek",
        [on(24, Region.EYELID), on(26, Region.FACE)],
        "monitor",
        {"area": "eyelid"},
    ),
    (
        "an eyelid with weakness ticked takes the other branch",
        [on(26, Region.EYELID, weakness=True)],
        "tests",
        {"area": "elsewhere", "weakness": "yes"},
    ),
    (
        "weakness in an earlier episode no longer counts",
        [on(1, month=10, weakness=True), on(2, month=10), on(27)],
        "monitor",
        {"area": "elsewhere"},
    ),
]


@pytest.mark.parametrize(
    ("twitches", "level", "answers"),
    [case[1:] for case in LEVEL_CASES],
    ids=[case[0] for case in LEVEL_CASES],
)
def test_journal_entries_give_only_the_answers_they_show_and_the_article_level(
    twitches, level, answers
):
    flags = flags_for(twitches)
    assert flags.answers == answers
    assert flags.assessment.level.id == level


def test_the_journal_from_the_issue_gives_no_referral_and_says_what_it_shows():
    flags = flags_for(ISSUE_JOURNAL)
    assert flags.assessment.level.id == "monitor"
    assert "spread" not in flags.answers
    assert "several_areas" not in flags.answers.values()
    (pattern,) = flags.patterns
    assert pattern.startswith(
        "Since 20 November your journal has twitches in 2 parts of the body: "
        "the face (eyelid 1); the hips, legs and feet (calf 1)."
    )
    assert "common with harmless twitching" in pattern
    assert "the self-check asks you" in pattern
    assert {question.id for question in flags.unknown} >= {"spread", "weakness", "numbness"}


def test_ticked_weakness_is_worded_as_what_the_person_noted():
    flags = flags_for([on(20, weakness=True), on(24, weakness=True), on(26, weakness=True)])
    reason = flags.assessment.findings[0].reason
    assert reason.startswith("You noted weakness on 3 entries (latest 26 November).")
    assert "nerve and muscle tests" in reason


def test_lasting_twitches_state_the_days_and_the_threshold():
    flags = flags_for(daily(8, 27, every=1)[::2] + daily(9, 20))
    finding = next(f for f in flags.assessment.findings if f.rule_id == "lasting_weeks")
    assert finding.reason.startswith(
        "You noted twitches in the same area (calf) on 16 of the 19 days from 8 November "
        "to 26 November."
    )
    assert "on most days for more than 2 weeks" in finding.reason


def test_two_checklist_items_in_the_journal_are_worded_as_the_journal_shows_them():
    flags = flags_for([*daily(8, 27), on(27, weakness=True)])
    finding = next(f for f in flags.assessment.findings if f.rule_id == "checklist")
    assert finding.level.id == "neurologist"
    assert finding.reason.startswith(
        "2 items on the checklist of warning signs show in your journal, and one of them is "
        "weakness"
    )


def test_getting_stronger_states_the_persons_own_ratings_behind_it():
    flags = flags_for(STRONGER)
    reason = flags.assessment.findings[0].reason
    assert reason.startswith(
        "By your own ratings, your twitches have got stronger: an average of 3 out of 5 on "
        "the 4 days you rated in the last 14 days, against 1 on 5 days in the 14 days before."
    )
    assert "getting stronger, or bothering you more" in reason


def test_more_bother_by_daily_ratings_is_getting_worse_and_says_so():
    twitches = daily(1, 27, every=3)
    bother = {date(2026, 11, day): 2 for day in (2, 5, 8)} | {
        date(2026, 11, day): 5 for day in (20, 24, 27)
    }
    flags = flags_for(twitches, bother=bother)
    assert flags.answers["worsening"] == "yes"
    assert "the twitching has bothered you more: an average of 5 out of 10" in (
        flags.assessment.findings[0].reason
    )


@pytest.mark.parametrize(
    "bother",
    [
        {date(2026, 11, day): 2 for day in (2, 5)} | {date(2026, 11, 27): 9},  # too few days
        {date(2026, 11, day): 3 for day in (2, 5, 8)}
        | {date(2026, 11, day): 4 for day in (20, 24, 27)},  # rose by 1 point only
    ],
    ids=["too few rated days", "a small rise"],
)
def test_bother_rising_only_a_little_or_on_few_days_is_not_getting_worse(bother):
    flags = flags_for(daily(1, 27, every=3), bother=bother)
    assert "worsening" not in flags.answers


def test_rising_logged_counts_alone_never_raise_the_level():
    steady = flags_for([on(day, strength=2) for day in range(1, 28, 3)])
    logged_more = flags_for(MORE_LOGGED)
    assert logged_more.episode.total == 5 * steady.episode.total
    assert logged_more.assessment.level == steady.assessment.level
    assert "worsening" not in logged_more.answers


def test_an_eyelid_with_other_face_muscles_is_a_pattern_pointing_to_the_self_check():
    flags = flags_for([on(24, Region.EYELID), on(26, Region.FACE)])
    assert "eyelid_spread" not in flags.answers
    assert "other parts of your face" in flags.patterns[0]
    assert "eyelid_spread" in {question.id for question in flags.unknown}


def test_an_episode_ends_after_a_gap_of_more_than_14_days():
    flags = flags_for([on(1), on(5), on(20), on(27)])
    assert (flags.episode.start.day, flags.episode.end.day, flags.episode.total) == (20, 27, 2)
    flags = flags_for([on(1), on(12), on(26)])
    assert flags.episode.start.day == 1


def test_an_episode_with_no_twitch_for_more_than_14_days_is_over():
    flags = flags_for([on(1, thinning=True), on(13)])
    assert flags.assessment is None
    assert flags.episode_over
    assert flags.last_twitch.day == 13


def test_an_empty_journal_gets_no_assessment():
    flags = flags_for([])
    assert flags.assessment is None
    assert not flags.episode_over


# Every kind of fact a journal can show, in every combination.
FACT_KINDS = {
    "lasting": daily(8, 27),
    "eyelid lasting": daily(8, 27, Region.EYELID),
    "stronger": STRONGER,
    "more logged": MORE_LOGGED,
    "weakness": [on(26, weakness=True)],
    "numbness": [on(26, numbness=True)],
    "thinning": [on(26, thinning=True)],
    "everywhere": EVERY_REGION,
}
COMBINATIONS = [
    kinds
    for size in range(len(FACT_KINDS) + 1)
    for kinds in itertools.combinations(FACT_KINDS, size)
]


@pytest.mark.parametrize("kinds", COMBINATIONS[1:], ids=lambda kinds: "+".join(kinds))
def test_no_journal_says_what_the_person_did_not_say_or_refers_for_ordinary_twitches(kinds):
    twitches = [twitch for kind in kinds for twitch in FACT_KINDS[kind]]
    flags = flags_for(twitches)
    assert "spread" not in flags.answers
    for finding in flags.assessment.findings:
        assert finding.reason
        assert "You said" not in finding.reason
        assert "You were" not in finding.reason
    if not {"weakness", "numbness", "thinning", "eyelid lasting"} & set(kinds):
        assert flags.assessment.level.rank <= rank("see_doctor")


@pytest.mark.django_db
def test_the_pages_read_only_this_persons_entries_before_the_given_time():
    person, other = make_person(), make_person("ben@example.com")
    entry(person, TODAY - 2 * DAY, Region.CALF)
    entry(other, TODAY - DAY, Region.CALF, weakness=True)
    entry(person, TODAY + 2 * DAY, Region.BACK, muscle_thinning=True)  # after `until`
    flags = journal_flags(person, until=UNTIL)
    assert flags.episode.total == 1
    assert flags.answers == {"area": "elsewhere"}


def faint(person, occurred_at: datetime, region: str) -> None:
    entry(person, occurred_at, region, intensity=1)


@pytest.mark.django_db
def test_the_journal_from_the_issue_gives_no_referral_on_any_page(client):
    """A faint eyelid twitch, then a faint calf twitch 6 days later, as a new user logs them."""
    person = make_person(time_zone="UTC")
    now = datetime.now(UTC)
    faint(person, now - 8 * DAY, Region.EYELID)
    faint(person, now - 2 * DAY, Region.CALF)
    client.force_login(person)
    for url in ("/journal/", "/journal/patterns/", "/journal/report/"):
        html = client.get(url).content.decode()
        assert "Keep an eye on it" in html, url
        assert "neurologist" not in html.lower(), url
        assert "You said" not in html, url
        assert "twitching has spread to several areas" not in html, url
    patterns = client.get("/journal/patterns/").content.decode()
    assert "twitches in 2 parts of the body" in patterns
    assert "common with harmless twitching" in patterns


@pytest.mark.django_db
def test_the_report_for_the_issue_dates_gives_no_referral(client):
    person = make_person(time_zone="Europe/London")
    faint(person, datetime(2026, 11, 20, 8, 0, tzinfo=UTC), Region.EYELID)
    faint(person, datetime(2026, 11, 26, 18, 0, tzinfo=UTC), Region.CALF)
    client.force_login(person)
    html = client.get("/journal/report/?from=2026-11-01&to=2026-11-28").content.decode()
    assert "Keep an eye on it" in html
    assert "neurologist" not in html.lower()
    assert "You said" not in html


@pytest.mark.django_db
def test_ticked_weakness_keeps_its_article_level_on_the_pages(client):
    person = make_person(time_zone="UTC")
    now = datetime.now(UTC)
    for days in (6, 4, 1):
        entry(person, now - days * DAY, Region.CALF, weakness=True)
    client.force_login(person)
    html = client.get("/journal/patterns/").content.decode()
    assert "Ask your doctor about nerve and muscle tests" in html
    latest = f"{(now - DAY):%-d %B}"
    assert f"You noted weakness on 3 entries (latest {latest})." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ticked", "label"),
    [
        ("weakness", "Ask your doctor about nerve and muscle tests"),
        ("numbness", "Get an urgent referral"),
        ("muscle_thinning", "Get checked by a doctor now"),
    ],
)
def test_each_ticked_symptom_keeps_its_article_level_on_every_page(client, ticked, label):
    person = make_person(time_zone="UTC")
    entry(person, datetime.now(UTC) - DAY, Region.CALF, **{ticked: True})
    client.force_login(person)
    for url in ("/journal/", "/journal/patterns/", "/journal/report/"):
        assert label in client.get(url).content.decode(), url
    assert "You noted" in client.get("/journal/patterns/").content.decode()
