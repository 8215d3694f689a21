"""Red flags from the journal: derived facts, the answers they give, and the engine's result."""

from datetime import timedelta

import pytest

from journal.flags import EntriesSummary, flags_from_summary, journal_answers, summarise_entries
from journal.models import Region
from tests.journal.insights_data import NOW, entry, make_person

DAY = timedelta(days=1)


def summary(**facts) -> EntriesSummary:
    facts.setdefault("total", 10)
    facts.setdefault("first_at", NOW - 3 * DAY)
    facts.setdefault("last_at", NOW)
    facts.setdefault("groups", ("legs",))
    return EntriesSummary(**facts)


ANSWER_CASES = [
    ("empty journal", EntriesSummary(), {}),
    ("one calf, a few days", summary(), {"area": "elsewhere"}),
    (
        "over two weeks",
        summary(first_at=NOW - 15 * DAY),
        {"area": "elsewhere", "duration": "over_2_weeks"},
    ),
    ("exactly two weeks is not over", summary(first_at=NOW - 14 * DAY), {"area": "elsewhere"}),
    ("two arm regions are one group", summary(groups=("arms",)), {"area": "elsewhere"}),
    (
        "face and legs",
        summary(groups=("face", "legs")),
        {"area": "elsewhere", "spread": "several_areas"},
    ),
    ("weakness", summary(weakness=1), {"area": "elsewhere", "weakness": "yes"}),
    ("numbness", summary(numbness=2), {"area": "elsewhere", "numbness": "yes"}),
    ("thinning", summary(thinning=1), {"area": "elsewhere", "wasting": "yes"}),
    (
        "more frequent",
        summary(last_7_days=12, previous_7_days=4, journal_covers_two_weeks=True),
        {"area": "elsewhere", "worsening": "yes"},
    ),
    (
        "more frequent but too few",
        summary(last_7_days=4, previous_7_days=0, journal_covers_two_weeks=True),
        {"area": "elsewhere"},
    ),
    (
        "a new journal is not getting worse",
        summary(last_7_days=30, previous_7_days=0, journal_covers_two_weeks=False),
        {"area": "elsewhere"},
    ),
    (
        "about the same",
        summary(last_7_days=10, previous_7_days=9, journal_covers_two_weeks=True),
        {"area": "elsewhere"},
    ),
    ("eyelid only", summary(eyelid=10, groups=("face",)), {"area": "eyelid"}),
    (
        "eyelid only, over two weeks",
        summary(eyelid=10, groups=("face",), first_at=NOW - 20 * DAY),
        {"area": "eyelid", "eyelid_duration": "over_2_weeks"},
    ),
]


@pytest.mark.parametrize(
    ("facts", "expected"), [case[1:] for case in ANSWER_CASES], ids=[c[0] for c in ANSWER_CASES]
)
def test_journal_facts_give_only_the_answers_they_show(facts, expected):
    assert journal_answers(facts) == expected


LEVEL_CASES = [
    ("nothing worrying is never the all-clear", summary(), "monitor"),
    ("lasting weeks", summary(first_at=NOW - 30 * DAY), "monitor"),
    ("getting more frequent", summary(last_7_days=20, journal_covers_two_weeks=True), "see_doctor"),
    ("spread to face and legs", summary(groups=("face", "legs")), "neurologist"),
    ("weakness", summary(weakness=1), "tests"),
    ("numbness", summary(numbness=1), "urgent_referral"),
    ("muscle thinning", summary(thinning=1), "immediate"),
    (
        "lasting and spread: two checklist items",
        summary(first_at=NOW - 30 * DAY, groups=("face", "trunk")),
        "neurologist",
    ),
    (
        "eyelid over two weeks",
        summary(eyelid=10, groups=("face",), first_at=NOW - 20 * DAY),
        "eye_specialist",
    ),
]


@pytest.mark.parametrize(
    ("facts", "level"), [case[1:] for case in LEVEL_CASES], ids=[c[0] for c in LEVEL_CASES]
)
def test_the_engine_turns_journal_facts_into_a_level(facts, level):
    flags = flags_from_summary(facts)
    assert flags.assessment.level.id == level
    assert flags.assessment.findings[0].reason


def test_what_the_journal_cannot_know_stays_unanswered_and_is_listed():
    flags = flags_from_summary(summary())
    assert "weakness" not in flags.answers
    unknown = {question.id for question in flags.unknown}
    assert {"emergency_signs", "weakness", "wasting", "numbness", "speech_swallow"} <= unknown
    assert not flags.assessment.complete
    assert flags.assessment.level.id != "self_care"


def test_an_empty_journal_gets_no_assessment():
    flags = flags_from_summary(EntriesSummary())
    assert flags.assessment is None


@pytest.mark.django_db
def test_the_summary_counts_facts_from_the_entries():
    person = make_person()
    entry(person, NOW - 20 * DAY, Region.EYELID)
    entry(person, NOW - 10 * DAY, Region.HAND, weakness=True)
    for hours in range(6):
        entry(person, NOW - timedelta(hours=hours + 1), Region.CALF, numbness=hours == 0)
    entry(person, NOW + DAY, Region.BACK, muscle_thinning=True)  # after `until`: left out
    facts = summarise_entries(person, until=NOW)
    assert facts.total == 8
    assert facts.span_days == 19
    assert set(facts.groups) == {"face", "arms", "legs"}
    assert (facts.weakness, facts.numbness, facts.thinning) == (1, 1, 0)
    assert (facts.last_7_days, facts.previous_7_days) == (6, 1)
    assert facts.journal_covers_two_weeks
    assert journal_answers(facts) == {
        "area": "elsewhere",
        "duration": "over_2_weeks",
        "spread": "several_areas",
        "weakness": "yes",
        "numbness": "yes",
        "worsening": "yes",
    }


@pytest.mark.django_db
def test_another_persons_entries_never_count(django_user_model):
    person, other = make_person(), make_person("ben@example.com")
    entry(other, NOW - DAY, Region.CALF, weakness=True)
    assert summarise_entries(person, until=NOW).total == 0
