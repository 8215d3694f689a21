"""The ruleset, row by row: every red-flag row, checklist count, eyelid case and the benign case."""

import json

import pytest

from tests.triage.answer_sets import BENIGN
from triage.engine import assess, get_ruleset

EYELID = {"emergency_signs": "no", "area": "eyelid"}


def with_answers(**changes: str) -> dict[str, str]:
    return {**BENIGN, **changes}


def test_isolated_twitching_with_no_warning_signs_gets_the_self_care_plan():
    result = assess(BENIGN)
    assert result.level.id == "self_care"
    assert result.show_self_care_plan
    assert result.complete
    assert [f.rule_id for f in result.findings] == ["no_warning_signs"]


@pytest.mark.parametrize(
    ("changes", "level", "rule"),
    [
        ({"spread": "several_areas"}, "neurologist", "spreading"),
        ({"wasting": "yes"}, "immediate", "wasting"),
        ({"weakness": "yes"}, "tests", "weakness"),
        ({"duration": "over_2_weeks"}, "monitor", "lasting_weeks"),
        ({"numbness": "yes"}, "urgent_referral", "numbness"),
    ],
    ids=["spreading", "wasting", "weakness", "lasting-weeks", "numbness"],
)
def test_each_red_flag_row_leads_to_its_action(changes, level, rule):
    result = assess(with_answers(**changes))
    assert result.level.id == level
    assert result.findings[0].rule_id == rule
    assert result.findings[0].triggered_by == tuple(changes.items())
    assert result.show_self_care_plan == (level == "monitor")


def test_every_red_flag_row_is_encoded_by_a_rule_at_its_level():
    ruleset = get_ruleset()
    rules = {rule.id: rule for rule in ruleset.rules}
    assert len(ruleset.red_flags) == 5
    for row in ruleset.red_flags:
        assert rules[row.rule].level == row.level


def test_spreading_twitches_advise_neurologist():
    result = assess(with_answers(spread="several_areas"))
    assert result.level.label == "See a neurologist within 2–3 weeks"
    assert "spread to several areas" in result.findings[0].reason


CHECKLIST_ITEMS = [
    {"duration": "over_2_weeks"},
    {"family_history": "yes"},
    {"spread": "several_areas"},
    {"weakness": "yes"},
    {"speech_swallow": "yes"},
    {"wasting": "yes"},
]


@pytest.mark.parametrize("count", range(7))
def test_checklist_counts_each_item_and_two_or_more_means_a_neurologist(count):
    answers = dict(BENIGN)
    for item in CHECKLIST_ITEMS[:count]:
        answers.update(item)
    result = assess(answers)
    assert result.checklist_count == count
    has_checklist_finding = any(f.rule_id == "checklist" for f in result.findings)
    assert has_checklist_finding == (count >= 2)
    if count >= 2:
        assert result.level.rank >= get_ruleset().level("neurologist").rank


def test_two_mild_checklist_items_together_reach_a_neurologist():
    result = assess(with_answers(duration="over_2_weeks", family_history="yes"))
    assert result.level.id == "neurologist"
    assert "2 items on the checklist" in result.findings[0].reason


@pytest.mark.parametrize(
    ("duration", "spread", "level"),
    [
        ("under_2_weeks", "no", "self_care"),
        ("over_2_weeks", "no", "eye_specialist"),
        ("under_2_weeks", "yes", "eye_specialist"),
        ("over_2_weeks", "yes", "eye_specialist"),
    ],
)
def test_eyelid_twitching_needs_an_eye_specialist_after_two_weeks_or_when_it_spreads(
    duration, spread, level
):
    result = assess({**EYELID, "eyelid_duration": duration, "eyelid_spread": spread})
    assert result.level.id == level
    assert result.complete
    assert not result.show_self_care_plan
    assert any("warm" in line for line in result.advice)


def test_emergency_signs_go_straight_to_the_emergency_level():
    result = assess({"emergency_signs": "yes"})
    assert result.is_emergency
    assert result.complete
    assert result.findings[0].source.url.startswith("https://www.nhs.uk/")


@pytest.mark.parametrize("question", ["weakness", "wasting", "numbness"])
def test_not_sure_about_a_red_flag_suggests_a_doctor_without_ordering_tests(question):
    result = assess(with_answers(**{question: "not_sure"}))
    assert result.level.id == "see_doctor"
    assert "not sure" in result.findings[0].reason


@pytest.mark.parametrize(
    "changes", [{"worsening": "yes"}, {"self_care_tried": "3_4_weeks_no_change"}]
)
def test_getting_worse_or_no_change_after_self_care_means_seeing_a_doctor(changes):
    assert assess(with_answers(**changes)).level.id == "see_doctor"


def test_twitching_for_weeks_alone_means_keep_an_eye_on_it_with_the_self_care_plan():
    result = assess(with_answers(duration="over_2_weeks"))
    assert result.level.id == "monitor"
    assert result.show_self_care_plan


def test_slowly_changing_speech_or_swallowing_takes_the_coordination_row():
    result = assess(with_answers(speech_swallow="yes"))
    assert result.level.id == "urgent_referral"
    assert result.checklist_matched == ("speech",)
    rule = next(r for r in get_ruleset().rules if r.id == "speech_swallow")
    assert "coordination" in rule.note


def test_a_family_history_alone_keeps_watch_without_sending_for_tests():
    result = assess(with_answers(family_history="yes"))
    assert result.level.id == "monitor"
    assert result.checklist_count == 1


def test_not_knowing_the_family_history_changes_nothing():
    assert assess(with_answers(family_history="not_sure")).level.id == "self_care"


def test_isolated_twitching_for_weeks_is_not_by_itself_a_reason_for_tests():
    result = assess(with_answers(duration="over_2_weeks"))
    assert result.level.rank < get_ruleset().level("tests").rank


def test_answers_to_questions_that_no_longer_apply_are_ignored():
    result = assess(
        {**EYELID, "eyelid_duration": "under_2_weeks", "eyelid_spread": "no", "wasting": "yes"}
    )
    assert result.level.id == "self_care"


@pytest.mark.parametrize("answers", [{"nonsense": "yes"}, {"weakness": "maybe"}, {"area": ""}])
def test_unknown_questions_and_values_are_refused(answers):
    with pytest.raises(ValueError):
        assess(answers)


def test_the_assessment_as_json_names_level_findings_count_and_version():
    data = json.loads(json.dumps(assess(with_answers(weakness="yes")).as_dict()))
    assert data["level"] == "tests"
    assert data["findings"][0]["triggered_by"] == {"weakness": "yes"}
    assert data["checklist_count"] == 1
    assert data["ruleset_version"] == get_ruleset().version


def test_sudden_numbness_reaches_the_emergency_advice():
    result = assess(with_answers(numbness="sudden"))
    assert result.is_emergency
    assert result.findings[0].rule_id == "numbness_sudden"
    assert result.complete


def test_emergency_signs_that_came_and_went_get_the_nhs_same_day_level():
    result = assess({"emergency_signs": "came_and_went"})
    assert result.level.id == "immediate"
    assert result.complete
    finding = result.findings[0]
    assert finding.source.url == "https://www.nhs.uk/conditions/transient-ischaemic-attack-tia/"
    assert "urgent appointment with a doctor today" in finding.reason
    assert "call 999" in finding.reason


def test_every_emergency_sign_is_held_once_with_an_nhs_source():
    emergency = get_ruleset().emergency
    ids = [sign.id for sign in emergency.signs]
    assert ids == [
        "face",
        "arm_leg",
        "speech",
        "sight",
        "confusion",
        "headache",
        "seizure",
        "consciousness",
        "breathing",
        "legs_back",
    ]
    for sign in emergency.signs:
        assert sign.source.url.startswith("https://www.nhs.uk/"), sign.id
    assert emergency.came_and_went_source.id == "nhs_tia"


def test_the_area_question_sends_an_eyelid_with_other_face_muscles_down_the_eyelid_path():
    area = get_ruleset().question("area")
    assert "even if other muscles in your face twitch too" in area.help
    result = assess({**EYELID, "eyelid_duration": "under_2_weeks", "eyelid_spread": "yes"})
    assert result.level.id == "eye_specialist"


def test_an_eyelid_result_gives_eyelid_timing_not_the_general_plan():
    result = assess({**EYELID, "eyelid_duration": "under_2_weeks", "eyelid_spread": "no"})
    assert result.level.id == "self_care"
    assert "within a few days" in result.advice[0]
    assert "3–4 weeks" not in result.advice[0]
    assert "more than 2 weeks" in result.if_worse
    assert "3–4 weeks" not in result.if_worse
