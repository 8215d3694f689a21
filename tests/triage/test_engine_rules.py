"""The ruleset, row by row: every red-flag row, checklist count, eyelid case, the benign case,
and each level calibrated to UK guidance beside the article's own."""

import json

import pytest

from tests.triage.answer_sets import BENIGN, EYELID
from triage.engine import assess, get_ruleset


def with_answers(**changes: str) -> dict[str, str]:
    return {**BENIGN, **changes}


def eyelid(**changes: str) -> dict[str, str]:
    return {**EYELID, **changes}


def test_isolated_twitching_with_no_warning_signs_gets_the_self_care_plan():
    result = assess(BENIGN)
    assert result.level.id == "self_care"
    assert result.show_self_care_plan
    assert result.complete
    assert [f.rule_id for f in result.findings] == ["no_warning_signs"]


# One row a finding: the answers that differ from the benign path, the level the product
# gives, the rule that gives it, and the source that rule names.
CALIBRATED = [
    # The article's red-flag table.
    ({"spread": "several_areas"}, "see_doctor", "spreading", "nice_ng127"),
    ({"wasting": "yes"}, "immediate", "wasting", "article_table"),
    ({"weakness": "yes"}, "tests", "weakness", "article_table"),
    ({"duration": "over_2_weeks"}, "see_doctor", "lasting_weeks", "nhs_twitching"),
    ({"numbness": "numbness"}, "urgent_referral", "numbness", "article_table"),
    ({"numbness": "coordination"}, "urgent_referral", "coordination", "article_table"),
    ({"numbness": "tingling"}, "self_care", "tingling", "nhs_twitching"),
    # Emergencies and same-day signs.
    ({"weakness": "spreading_fast"}, "emergency", "weakness_spreading", "nhs_gbs"),
    ({"numbness": "sudden"}, "emergency", "numbness_sudden", "nhs_stroke"),
    ({"weakness": "yes", "numbness": "tingling"}, "urgent_referral", "weakness_tingling", None),
    ({"speech_swallow": "yes"}, "urgent_referral", "speech_swallow", "nice_ng42"),
    # A doctor at a routine appointment.
    ({"medicine": "yes"}, "see_doctor", "medicine", "nhs_twitching"),
    ({"worsening": "yes"}, "see_doctor", "worsening", "article_self_care"),
    ({"self_care_tried": "3_4_weeks_no_change"}, "see_doctor", "self_care_no_change", None),
    ({"family_history": "yes"}, "monitor", "family_history", "article_checklist"),
    ({"family_history": "not_sure"}, "self_care", "no_warning_signs", None),
]


@pytest.mark.parametrize(
    ("changes", "level", "rule", "source"),
    CALIBRATED,
    ids=["-".join(f"{k}={v}" for k, v in row[0].items()) for row in CALIBRATED],
)
def test_each_finding_gives_its_calibrated_level_with_its_source(changes, level, rule, source):
    result = assess(with_answers(**changes))
    assert result.level.id == level
    assert result.findings[0].rule_id == rule
    if source:
        assert result.findings[0].source.id == source
    assert result.show_self_care_plan == (level in ("self_care", "monitor"))


EYELID_ROWS = [
    ({}, "self_care", "eyelid_common"),
    ({"eyelid_duration": "over_2_weeks"}, "eye_specialist", "eyelid_lasting"),
    ({"eyelid_spread": "yes"}, "see_doctor", "eyelid_spreading"),
    ({"eyelid_droop": "yes"}, "immediate", "eyelid_droop"),
    ({"eyelid_closing": "yes"}, "see_doctor", "eyelid_closing"),
    ({"eyelid_eye": "painful"}, "immediate", "eyelid_painful"),
    ({"eyelid_eye": "red"}, "eye_specialist", "eyelid_red"),
    ({"medicine": "yes"}, "see_doctor", "medicine"),
]


@pytest.mark.parametrize(
    ("changes", "level", "rule"),
    EYELID_ROWS,
    ids=[
        "-".join(f"{k}={v}" for k, v in row[0].items()) or "only-the-eyelid" for row in EYELID_ROWS
    ],
)
def test_each_eyelid_answer_gives_its_sourced_level(changes, level, rule):
    result = assess(eyelid(**changes))
    assert result.level.id == level
    assert result.findings[0].rule_id == rule
    assert result.complete
    assert not result.show_self_care_plan


def test_a_new_drooping_eyelid_or_double_vision_is_seen_the_same_day():
    result = assess(eyelid(eyelid_droop="yes"))
    assert result.level.how_soon == "Today"
    assert result.findings[0].source.url == "https://www.nhs.uk/conditions/double-vision/"


def test_eyelid_twitching_spreading_down_one_side_of_the_face_goes_to_a_gp_for_neurology():
    result = assess(eyelid(eyelid_spread="yes"))
    assert "neurologist" in result.findings[0].reason
    assert result.findings[0].source.url.startswith("https://www.nice.org.uk/guidance/ng127")


def test_every_red_flag_row_is_encoded_by_a_rule_at_its_level():
    ruleset = get_ruleset()
    rules = {rule.id: rule for rule in ruleset.rules}
    assert len(ruleset.red_flags) == 5
    for row in ruleset.red_flags:
        assert rules[row.rule].level == row.level


@pytest.mark.parametrize(
    ("rule", "article_level", "level", "source_url"),
    [
        ("spreading", "neurologist", "see_doctor", "https://www.nice.org.uk/guidance/ng127"),
        ("lasting_weeks", "monitor", "see_doctor", "https://www.nhs.uk/conditions/twitching-"),
    ],
)
def test_a_row_where_guidance_differs_keeps_the_articles_action_beside_ours_with_a_source(
    rule, article_level, level, source_url
):
    row = next(row for row in get_ruleset().red_flags if row.rule == rule)
    assert (row.article_level, row.level) == (article_level, level)
    assert row.differs
    assert row.article_action and row.deviation
    assert row.deviation_source.url.startswith(source_url)


def test_rows_the_guidance_agrees_with_keep_the_articles_level():
    same = [row.rule for row in get_ruleset().red_flags if not row.differs]
    assert same == ["wasting", "weakness", "numbness"]


def test_several_areas_without_weakness_says_plainly_that_it_is_common_with_harmless_twitching():
    result = assess(with_answers(spread="several_areas"))
    assert result.level.label == "Book an appointment with your doctor"
    assert "common with harmless twitching" in result.findings[0].reason


CHECKLIST_ITEMS = [
    {"duration": "over_2_weeks"},
    {"family_history": "yes"},
    {"spread": "several_areas"},
    {"weakness": "yes"},
    {"speech_swallow": "yes"},
    {"wasting": "yes"},
]


@pytest.mark.parametrize("count", range(7))
def test_checklist_counts_each_item(count):
    answers = dict(BENIGN)
    for item in CHECKLIST_ITEMS[:count]:
        answers.update(item)
    result = assess(answers)
    assert result.checklist_count == count
    checklist = {f.rule_id for f in result.findings} & {"checklist", "checklist_routine"}
    assert bool(checklist) == (count >= 2)


@pytest.mark.parametrize(
    ("pair", "rule", "level"),
    [
        (
            {"duration": "over_2_weeks", "spread": "several_areas"},
            "checklist_routine",
            "see_doctor",
        ),
        (
            {"duration": "over_2_weeks", "family_history": "yes"},
            "checklist_routine",
            "see_doctor",
        ),
        ({"spread": "several_areas", "family_history": "yes"}, "checklist_routine", "see_doctor"),
        ({"duration": "over_2_weeks", "weakness": "yes"}, "checklist", "neurologist"),
        ({"family_history": "yes", "wasting": "yes"}, "checklist", "neurologist"),
        ({"spread": "several_areas", "speech_swallow": "yes"}, "checklist", "neurologist"),
        ({"duration": "over_2_weeks", "numbness": "coordination"}, "checklist", "neurologist"),
    ],
)
def test_two_checklist_items_mean_a_neurologist_only_with_weakness_wasting_or_speech(
    pair, rule, level
):
    result = assess(with_answers(**pair))
    finding = next(f for f in result.findings if f.rule_id in ("checklist", "checklist_routine"))
    assert (finding.rule_id, finding.level.id) == (rule, level)
    assert set(finding.triggered_by) == set(pair.items())
    assert result.level.rank >= get_ruleset().level(level).rank


def test_the_checklist_shows_the_articles_rule_beside_ours_with_its_source():
    checklist = get_ruleset().checklist_rule
    assert checklist.article_level == "neurologist"
    assert checklist.needs_one_of == {"weakness", "wasting", "speech"}
    assert "NICE NG127" in checklist.deviation
    assert checklist.deviation_source.url.startswith("https://www.nice.org.uk/guidance/ng127")


def test_family_history_means_mnd_or_an_inherited_muscle_disease_in_close_family():
    question = get_ruleset().question("family_history")
    assert "parent, brother, sister or child" in question.text
    assert "motor neurone disease" in question.text
    assert "uncle" in question.help


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


def test_slowly_changing_speech_or_swallowing_takes_the_coordination_row():
    result = assess(with_answers(speech_swallow="yes"))
    assert result.level.id == "urgent_referral"
    assert result.checklist_matched == ("speech",)
    rule = next(r for r in get_ruleset().rules if r.id == "speech_swallow")
    assert "coordination" in rule.note


def test_isolated_twitching_for_weeks_is_not_by_itself_a_reason_for_tests():
    result = assess(with_answers(duration="over_2_weeks"))
    assert result.level.rank < get_ruleset().level("tests").rank


def test_answers_to_questions_that_no_longer_apply_are_ignored():
    assert assess(eyelid(wasting="yes")).level.id == "self_care"


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
        "spreading_weakness",
        "breathing",
        "legs_back",
    ]
    for sign in emergency.signs:
        assert sign.source.url.startswith("https://www.nhs.uk/"), sign.id
    assert emergency.came_and_went_source.id == "nhs_tia"


def test_the_area_question_sends_an_eyelid_with_other_face_muscles_down_the_eyelid_path():
    area = get_ruleset().question("area")
    assert "even if other muscles in your face twitch too" in area.help
    assert "eyelid_droop" in {q.id for q in get_ruleset().applicable_questions(EYELID)}


def test_an_eyelid_result_gives_eyelid_timing_not_the_general_plan():
    result = assess(EYELID)
    assert result.level.id == "self_care"
    assert "within a few days" in result.advice[0]
    assert "3–4 weeks" not in result.advice[0]
    assert "more than 2 weeks" in result.if_worse
    assert "3–4 weeks" not in result.if_worse


def test_a_child_gets_a_gp_or_health_visitor_and_never_the_adult_self_care_plan():
    result = assess({"emergency_signs": "no", "age": "under_16"})
    assert result.complete
    assert result.for_child
    assert result.level.id == "see_doctor"
    assert not result.show_self_care_plan
    assert "health visitor" in result.advice[0]
    assert not any("litres" in line for line in result.advice)
    assert result.findings[0].source.url == "https://www.nhs.uk/conditions/tics/"


def test_the_age_question_comes_right_after_the_emergency_question():
    assert [q.id for q in get_ruleset().questions[:3]] == ["emergency_signs", "age", "area"]


@pytest.mark.parametrize(
    ("answers", "text"),
    [
        (BENIGN, "motor neurone disease"),
        (with_answers(duration="over_2_weeks", spread="several_areas"), "none developed it"),
        (EYELID, "An eyelid twitch on its own is not a sign of motor neurone disease"),
    ],
)
def test_a_benign_result_answers_the_fear_of_mnd(answers, text):
    assert text in assess(answers).reassurance


@pytest.mark.parametrize(
    "changes",
    [
        {"weakness": "yes"},
        {"weakness": "not_sure"},
        {"wasting": "yes"},
        {"numbness": "numbness"},
        {"speech_swallow": "yes"},
        {"emergency_signs": "yes"},
    ],
)
def test_no_reassurance_about_mnd_where_a_sign_points_elsewhere(changes):
    assert assess(with_answers(**changes)).reassurance == ""


def test_no_level_invites_another_self_check():
    ruleset = get_ruleset()
    texts = [f"{level.what_to_do} {level.if_worse}" for level in ruleset.levels]
    texts += [rule.reason for rule in ruleset.rules]
    assert not [text for text in texts if "self-check again" in text]


def test_the_self_care_plan_aims_to_be_bothered_less_and_ends_with_a_review():
    plan = get_ruleset().self_care_plan
    assert "bothered less" in plan.goal
    assert "not for every twitch to stop" in plan.goal
    assert "stop keeping the journal" in plan.review


def test_duration_answers_leave_no_gap_at_two_weeks():
    labels = [choice.label for choice in get_ruleset().question("duration").choices]
    assert labels == ["2 weeks or less", "More than 2 weeks"]


def test_no_source_shows_authoring_notes():
    for source in get_ruleset().sources.values():
        assert "the product reads" not in source.detail
