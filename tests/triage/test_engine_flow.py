"""Which question comes next, and what counts as a valid answer, is the engine's call."""

import pytest

from triage.engine import get_ruleset

RULESET = get_ruleset()


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_emergency_signs_are_asked_first():
    assert RULESET.next_question({}).id == "emergency_signs"


def test_an_emergency_answer_ends_the_questions():
    assert RULESET.next_question({"emergency_signs": "yes"}) is None
    assert ids(RULESET.applicable_questions({"emergency_signs": "yes"})) == ["emergency_signs"]


def test_eyelid_only_twitching_takes_its_own_path():
    answers = {"emergency_signs": "no", "age": "16_or_over", "area": "eyelid"}
    assert ids(RULESET.applicable_questions(answers)) == [
        "emergency_signs",
        "age",
        "area",
        "eyelid_duration",
        "eyelid_spread",
        "eyelid_droop",
        "eyelid_closing",
        "eyelid_eye",
        "medicine",
    ]


def test_twitching_elsewhere_asks_every_warning_sign():
    answers = {"emergency_signs": "no", "age": "16_or_over", "area": "elsewhere"}
    assert len(RULESET.applicable_questions(answers)) == 13


def test_a_child_is_asked_nothing_after_the_age_question():
    answers = {"emergency_signs": "no", "age": "under_16"}
    assert RULESET.next_question(answers) is None
    assert ids(RULESET.applicable_questions(answers)) == ["emergency_signs", "age"]


def test_weakness_spreading_over_hours_or_days_ends_the_questions():
    answers = {"emergency_signs": "no", "age": "16_or_over", "area": "elsewhere"}
    answers |= {"duration": "under_2_weeks", "spread": "one_area", "weakness": "spreading_fast"}
    assert RULESET.next_question(answers) is None


def test_every_question_says_why_it_is_asked_and_links_to_an_explainer():
    for question in RULESET.questions:
        assert question.why
        assert question.explainer
        assert len(question.choices) >= 2


@pytest.mark.parametrize("value", ["", "maybe", None, 3, "<script>", "yes" * 1000])
def test_an_invalid_answer_gets_a_plain_message(value):
    message = "Select if you have numbness, clumsiness or tingling"
    with pytest.raises(ValueError, match=message):
        RULESET.validate_answer("numbness", value)


def test_a_valid_answer_is_tidied():
    assert RULESET.validate_answer("numbness", " tingling ") == "tingling"
