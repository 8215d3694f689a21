"""A broken ruleset is refused when loaded, with a message naming the problem."""

import re
from dataclasses import fields, is_dataclass

import pytest
from pydantic import BaseModel

from triage.engine import RulesetError, get_ruleset, load_ruleset, parse_ruleset
from triage.engine.loader import DEFAULT_PATH, HISTORY_DIR

GOOD = DEFAULT_PATH.read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def test_the_shipped_ruleset_loads_with_its_version():
    ruleset = load_ruleset()
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", ruleset.version)
    assert ruleset.version == get_ruleset().version
    assert [level.id for level in ruleset.levels][-1] == "emergency"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (broken(f'version = "{get_ruleset().version}"', ""), "'version' is missing"),
        (
            broken(
                'id = "spreading"\nwhen = { spread = ["several_areas"] }',
                'id = "spreading"\nwhen = { spraed = ["several_areas"] }',
            ),
            "unknown question id 'spraed'",
        ),
        (
            broken(
                'id = "wasting"\nwhen = { wasting = ["yes"] }',
                'id = "wasting"\nwhen = { wasting = ["very"] }',
            ),
            "'very' is not an answer to question 'wasting'",
        ),
        (broken('id = "wasting"\nwhen', 'id = "spreading"\nwhen'), "Duplicate rule id: spreading"),
        (
            broken('id = "eyelid_spread"', 'id = "eyelid_duration"'),
            "Duplicate question id: eyelid_duration",
        ),
        (
            broken(
                'when = { wasting = ["yes"] }\nlevel = "immediate"',
                'when = { wasting = ["yes"] }\nlevel = "urgent"',
            ),
            "points at missing level 'urgent'",
        ),
        (
            broken('source = "nhs_stroke"\nexplainer', 'source = "a_blog"\nexplainer'),
            "unknown source 'a_blog'",
        ),
        (broken('rule = "numbness"', 'rule = "numbnes"'), "unknown rule 'numbnes'"),
        (broken("version =", "version = = "), "not valid TOML"),
        (broken('id = "see_doctor"', 'id = "monitor"'), "Duplicate level id: monitor"),
        (
            broken('id = "family"\ntext', 'id = "persists"\ntext'),
            "Duplicate checklist item id: persists",
        ),
        (
            broken(
                'ask_when = { area = ["eyelid"] }\nchoices = [\n  { value = "no"',
                'ask_when = { aera = ["eyelid"] }\nchoices = [\n  { value = "no"',
            ),
            "question 'eyelid_spread' ask_when: unknown question id 'aera'",
        ),
        (
            broken(
                'ask_when = { area = ["eyelid"] }\nchoices = [\n  { value = "no"',
                'ask_when = { area = ["eye"] }\nchoices = [\n  { value = "no"',
            ),
            "'eye' is not an answer to question 'area'",
        ),
        (
            broken(
                'when = { family_history = ["yes"] }\n\n#', 'when = { relatives = ["yes"] }\n\n#'
            ),
            "checklist item 'family': unknown question id 'relatives'",
        ),
        (
            broken(
                'when = [{ speech_swallow = ["yes"] }',
                'when = [{ speech_swallow = ["not_sure"] }',
            ),
            "'not_sure' is not an answer to question 'speech_swallow'",
        ),
        (
            broken(
                'choices = [\n  { value = "eyelid", label = "My eyelid, perhaps with other muscles '
                'in my face" },\n  { value = "elsewhere", label = "Somewhere else in my body, with '
                'or without my eyelid" },\n]',
                "choices = []",
            ),
            "question 'area' has no choices",
        ),
        (
            broken('explainer = "self-care-plan"\nask_when', 'explainer = "selfcare"\nask_when'),
            "question 'self_care_tried': unknown explainer page 'selfcare'",
        ),
        (
            broken('level = "tests"\nrule = "weakness"', 'level = "immediate"\nrule = "weakness"'),
            "level 'immediate' differs from the level of rule 'weakness'",
        ),
        (broken("at_least = 2", "at_least = 7"), "at_least must be between 1 and 6"),
        (
            broken(
                'level = "see_doctor"\nrule = "spreading"\ndeviation = ',
                'level = "see_doctor"\nrule = "spreading"\nnot_a_deviation = ',
            ),
            "red-flag row 'Twitching that spreads to several areas' (its level differs from the "
            "article's): 'deviation' is missing",
        ),
        (
            broken(
                'deviation_source = "nice_ng127"\n\n[[red_flags]]\nsymptom = "Twitching with',
                'deviation_source = "article_table"\n\n[[red_flags]]\nsymptom = "Twitching with',
            ),
            "deviation_source 'article_table' must have a url",
        ),
        (
            broken('needs_one_of = ["wasting", "weakness", "speech"]', 'needs_one_of = ["wastin"]'),
            "needs_one_of names unknown checklist items: wastin",
        ),
        (
            broken('"no_warning_signs", "tingling"', '"no_warning_signs", "tingle"'),
            "reassurance: unknown rule ids: tingle",
        ),
        (
            broken(
                'ruleset = "2026.12.1"\n',
                'ruleset = "2026.12.1"\nnew_answers = { age = "adult" }\n',
            ),
            "previous: 'age=adult' is not an answer in this version",
        ),
        (
            broken('ends_flow_when = ["sudden"]', 'ends_flow_when = ["maybe"]'),
            "ends_flow_when names an answer it does not offer",
        ),
        (
            broken('error = "Select where the twitching is"\n', ""),
            "question 'area': 'error' is missing",
        ),
        (
            broken('error = "Select where the twitching is"', 'error = "Where is it?"'),
            "question 'area': 'error' must start with 'Select '",
        ),
        (
            broken(
                'error = "Select where the twitching is"',
                'error = "Select an answer to: Where is the twitching"',
            ),
            "question 'area': 'error' must not repeat the question",
        ),
        (
            broken(
                'what_to_do = "Call 999 (UK), 112 (Europe) or 911 (US) now.',
                'what_to_do = "Call 999 (UK), 000 (Australia) or 911 (US) now.',
            ),
            "level 'emergency' names 000, which is not in [emergency] numbers",
        ),
        (
            broken('{ number = "112", where', '{ number = "112 or 999", where'),
            "emergency number 2: '112 or 999' is not a phone number",
        ),
        (
            broken('id = "wasting"\nwhen = { wasting = ["yes"] }', 'when = { wasting = ["yes"] }'),
            "rule 6: 'id' is missing",
        ),
        (
            broken("at_least = 2", 'at_least = "two"'),
            "checklist: 'at_least' should be a valid integer",
        ),
        (
            broken(
                'explainer = "when-to-worry"\nask_when = { area = ["elsewhere"] }\nchoices = [\n'
                '  { value = "under_2_weeks"',
                'explainer = "when-to-worry"\nask_when = { worsening = ["yes"] }\nchoices = [\n'
                '  { value = "under_2_weeks"',
            ),
            "question 'duration' ask_when: unknown question id 'worsening'",
        ),
        (
            broken(
                'deviation_source = "nice_ng127"\n\n# The one emergency', "\n# The one emergency"
            ),
            "eyelid_advice: 'deviation_source' is missing",
        ),
        (
            broken('[children]\nwhat_to_do = "Talk', '[children]\nwhat_to_say = "Talk'),
            "children: 'what_to_do' is missing",
        ),
        (broken("\n[children]\n", "\n[child]\n"), "ruleset: 'children' is missing"),
    ],
    ids=[
        "no-version",
        "unknown-question",
        "unknown-value",
        "duplicate-rule",
        "duplicate-question",
        "missing-level",
        "unknown-source",
        "table-row-without-rule",
        "bad-toml",
        "duplicate-level",
        "duplicate-checklist-item",
        "ask-when-unknown-question",
        "ask-when-unknown-value",
        "checklist-unknown-question",
        "checklist-unknown-value",
        "empty-choices",
        "unknown-explainer",
        "table-row-level-differs-from-rule",
        "checklist-threshold-out-of-range",
        "table-row-differs-from-the-article-without-a-reason",
        "deviation-source-without-a-link",
        "checklist-needs-an-unknown-item",
        "reassurance-after-an-unknown-rule",
        "previous-version-answer-not-offered",
        "flow-ends-on-unknown-answer",
        "question-without-error-message",
        "error-message-not-a-radio-error",
        "error-message-repeats-the-question",
        "advice-names-a-number-not-in-the-emergency-list",
        "emergency-number-not-digits",
        "rule-without-id",
        "checklist-threshold-not-a-number",
        "ask-when-names-a-later-question",
        "eyelid-deviation-without-a-source",
        "children-without-what-to-do",
        "no-children-table",
    ],
)
def test_a_broken_ruleset_is_refused_with_a_message_naming_the_problem(text, message):
    with pytest.raises(RulesetError, match=re.escape(message)):
        parse_ruleset(text)


def test_a_level_no_rule_can_reach_is_refused():
    text = GOOD.replace(
        '[[levels]]\nid = "monitor"',
        '[[levels]]\nid = "unused"\nlabel = "x"\nwhat_to_do = "x"\nhow_soon = "x"\n'
        'if_worse = "x"\n\n[[levels]]\nid = "monitor"',
    )
    with pytest.raises(RulesetError, match="No rule can reach level: unused"):
        parse_ruleset(text)


def test_a_missing_file_is_refused_with_its_path(tmp_path):
    with pytest.raises(RulesetError, match="Cannot read the ruleset"):
        load_ruleset(tmp_path / "nowhere.toml")


def test_a_ruleset_file_is_loaded_from_any_path(tmp_path):
    path = tmp_path / "ruleset.toml"
    path.write_text(
        GOOD.replace(f'version = "{get_ruleset().version}"', 'version = "2099.1.1"'), "utf-8"
    )
    assert load_ruleset(path).version == "2099.1.1"


def test_a_broken_file_names_the_problem_when_loaded_from_a_path(tmp_path):
    path = tmp_path / "ruleset.toml"
    path.write_text(broken('id = "see_doctor"', 'id = "monitor"'), "utf-8")
    with pytest.raises(RulesetError, match="Duplicate level id: monitor"):
        load_ruleset(path)


@pytest.mark.parametrize("path", sorted(HISTORY_DIR.glob("*.toml")), ids=lambda path: path.stem)
def test_every_earlier_version_is_read_for_comparison(path):
    assert load_ruleset(path, strict=False).version == path.stem


def test_the_engine_reads_plain_frozen_data_never_the_declared_file():
    """The file's pydantic models only check it: everything `assess` reads is one of the
    engine's frozen dataclasses, or text, numbers and collections of them."""
    seen: set[int] = set()

    def walk(value: object) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        assert not isinstance(value, BaseModel), value
        if is_dataclass(value):
            for part in fields(value):
                walk(getattr(value, part.name))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, tuple | list | frozenset | set):
            for item in value:
                walk(item)
        else:
            assert isinstance(value, str | int | float | bool | None), value

    walk(get_ruleset())
    assert len(seen) > 1000
