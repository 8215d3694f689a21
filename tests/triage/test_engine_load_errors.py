"""More ways a ruleset can be broken, each refused at load with a message naming the problem."""

import re

import pytest

from triage.engine import RulesetError, load_ruleset, parse_ruleset
from triage.engine.loader import DEFAULT_PATH

GOOD = DEFAULT_PATH.read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
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
                'when = { speech_swallow = ["yes"] }\n\n[[checklist',
                'when = { speech_swallow = ["not_sure"] }\n\n[[checklist',
            ),
            "'not_sure' is not an answer to question 'speech_swallow'",
        ),
        (
            broken(
                'choices = [\n  { value = "eyelid", label = "Only my eyelid" },\n'
                '  { value = "elsewhere", label = "Somewhere else, or in more than my eyelid" }'
                ",\n]",
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
            broken('ends_flow_when = ["yes"]', 'ends_flow_when = ["maybe"]'),
            "ends_flow_when names an answer it does not offer",
        ),
    ],
    ids=[
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
        "flow-ends-on-unknown-answer",
    ],
)
def test_a_broken_ruleset_is_refused_naming_the_problem(text, message):
    with pytest.raises(RulesetError, match=re.escape(message)):
        parse_ruleset(text)


def test_a_ruleset_file_is_loaded_from_any_path(tmp_path):
    path = tmp_path / "ruleset.toml"
    path.write_text(GOOD.replace('version = "2026.11.1"', 'version = "2099.1.1"'), "utf-8")
    assert load_ruleset(path).version == "2099.1.1"


def test_a_broken_file_names_the_problem_when_loaded_from_a_path(tmp_path):
    path = tmp_path / "ruleset.toml"
    path.write_text(broken('id = "see_doctor"', 'id = "monitor"'), "utf-8")
    with pytest.raises(RulesetError, match="Duplicate level id: monitor"):
        load_ruleset(path)
