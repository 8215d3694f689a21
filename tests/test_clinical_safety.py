"""The clinical safety case: every control in the hazard log is held by a test that exists."""

import ast
import re
from pathlib import Path

import pytest

from content.pages import get_pages
from triage.engine import get_ruleset
from triage.engine.loader import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[1]
HAZARD_LOG = ROOT / "docs" / "clinical-safety.md"
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")

NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
NUMBER = r"\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS)
QUANTITY = re.compile(
    rf"\b({NUMBER})(?:\s*(?:–|-|to)\s*({NUMBER}))?\s+(day|week|hour|minute|litre|month|cup)s?\b",
    re.IGNORECASE,
)
# Quantities in a story rather than advice: "a calf one day, an arm the next".
NARRATIVE = {
    "benign-fasciculation-syndrome": {"1 day"},
    "illustrative-case": {"10 day"},
}


def quantities(text: str) -> set[str]:
    found = set()
    for first, second, unit in QUANTITY.findall(text):
        low = NUMBER_WORDS.get(first.lower(), first)
        high = NUMBER_WORDS.get(second.lower(), second)
        found.add(f"{low}–{high} {unit.lower()}" if high else f"{low} {unit.lower()}")
    return found


def test_every_test_the_hazard_log_names_exists():
    text = HAZARD_LOG.read_text(encoding="utf-8")
    named = TEST_REFERENCE.findall(text)
    assert len(named) >= 20
    for path, name in named:
        source = ROOT / path
        assert source.exists(), f"{path} does not exist"
        defined = {
            node.name
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef)
        }
        assert name in defined, f"{path} has no {name}"


def test_every_hazard_in_the_log_has_a_control_held_by_a_test():
    sections = re.split(r"^## ", HAZARD_LOG.read_text(encoding="utf-8"), flags=re.M)
    hazards = [section for section in sections if section.startswith("H")]
    assert len(hazards) >= 5
    for hazard in hazards:
        assert "Controls" in hazard and "Residual risk" in hazard, hazard.splitlines()[0]
        assert TEST_REFERENCE.search(hazard), hazard.splitlines()[0]


def test_every_rule_the_hazard_log_names_is_in_the_ruleset():
    text = HAZARD_LOG.read_text(encoding="utf-8")
    rules = {rule.id for rule in get_ruleset().rules} | {"checklist", "not_enough_answers"}
    for rule_id in re.findall(r"rule `(\w+)`", text):
        assert rule_id in rules, rule_id


@pytest.mark.parametrize("slug", sorted(get_pages()))
def test_every_duration_and_threshold_a_page_states_is_in_the_ruleset(slug):
    page = get_pages()[slug]
    in_ruleset = quantities(DEFAULT_PATH.read_text(encoding="utf-8"))
    stated = quantities(f"{page.summary}\n{page.body}") - NARRATIVE.get(slug, set())
    assert stated <= in_ruleset, f"{slug} states {sorted(stated - in_ruleset)}"


def test_the_duration_check_reads_ranges_and_words_alike():
    assert quantities("for 3 to 4 weeks, or two weeks, or 7-10 days") == {
        "3–4 week",
        "2 week",
        "7–10 day",
    }


def test_no_template_types_an_emergency_number_or_sign_by_hand():
    signs = [sign.text.lower() for sign in get_ruleset().emergency.signs]
    for template in (ROOT / "templates").rglob("*.html"):
        if template.name == "_emergency.html":
            continue
        text = template.read_text(encoding="utf-8").lower()
        assert not re.search(r"\b(999|112|911)\b", text), template
        for phrase in ("slurred", "drooping", *signs):
            assert phrase not in text, (template, phrase)
