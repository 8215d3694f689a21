"""A broken ruleset is refused when loaded, with a message naming the problem."""

import re

import pytest

from triage.engine import RulesetError, get_ruleset, load_ruleset, parse_ruleset
from triage.engine.loader import DEFAULT_PATH

GOOD = DEFAULT_PATH.read_text(encoding="utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


def test_the_shipped_ruleset_loads_with_its_version():
    ruleset = load_ruleset()
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", ruleset.version)
    assert ruleset.version == get_ruleset().version
    assert [level.id for level in ruleset.levels][-1] == "emergency"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (broken('version = "2026.11.1"', ""), "'version' is missing"),
        (
            broken(
                'when = { spread = ["several_areas"] }', 'when = { spraed = ["several_areas"] }'
            ),
            "unknown question id 'spraed'",
        ),
        (
            broken('when = { wasting = ["yes"] }', 'when = { wasting = ["very"] }'),
            "'very' is not an answer to question 'wasting'",
        ),
        (broken('id = "wasting"\nwhen', 'id = "spreading"\nwhen'), "Duplicate rule id: spreading"),
        (
            broken('id = "eyelid_spread"', 'id = "eyelid_duration"'),
            "Duplicate question id: eyelid_duration",
        ),
        (
            broken('level = "immediate"\nreason', 'level = "urgent"\nreason'),
            "points at missing level 'urgent'",
        ),
        (
            broken('source = "nhs_stroke"\nexplainer', 'source = "a_blog"\nexplainer'),
            "unknown source 'a_blog'",
        ),
        (broken('rule = "numbness"', 'rule = "numbnes"'), "unknown rule 'numbnes'"),
        (broken("version =", "version = = "), "not valid TOML"),
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
