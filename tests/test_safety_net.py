"""When to talk to a doctor: one sentence from the ruleset, the same wherever the site,
its PDFs and the journal say they are not a diagnosis."""

import re
from pathlib import Path

import pytest

from tests.journal.factories import EntryFactory, SavedCheckFactory
from tests.journal.insights_data import make_person
from tests.page_text import visible_text
from tests.triage.walk import FULL_PATH, answer
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SAFETY_NET = get_ruleset().safety_net


def test_no_template_types_when_to_talk_to_a_doctor():
    for template in TEMPLATES.rglob("*.*"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"worried.{0,60}talk to (a|your) doctor", text, re.S), template


@pytest.mark.parametrize(
    "path", ["/", "/check/", "/read/faq/", "/about/", "/contact/", "/privacy/"]
)
def test_every_page_gives_the_rulesets_safety_net(client, path):
    assert SAFETY_NET in visible_text(client.get(path).content.decode())


def test_a_saved_check_and_the_journals_flags_end_their_warning_with_it(client):
    person = make_person()
    client.force_login(person)
    check = SavedCheckFactory(user=person)
    EntryFactory(user=person)
    saved = visible_text(client.get(f"/journal/checks/{check.pk}/").content.decode())
    assert f"It is based only on your answers. {SAFETY_NET}" in saved
    flags = visible_text(client.get("/journal/patterns/").content.decode())
    assert f"Your journal only knows what you wrote down. {SAFETY_NET}" in flags


def test_the_result_ends_its_warning_with_it(client):
    for question_id, value in FULL_PATH:
        answer(client, question_id, value)
    result = visible_text(client.get("/check/result/").content.decode())
    assert f"based on your answers alone and cannot examine you. {SAFETY_NET}" in result
