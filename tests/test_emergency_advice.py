"""Emergency advice in proportion, as the NHS gives it: the full list of emergency signs
where a person needs it (the self-check's first question, the emergency result and the
red-flag page), never twice on one page, and everywhere else one short link to it in the
footer, so an anxious reader does not meet stroke signs on every page."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from content.pages import get_pages
from tests.journal.factories import EntryFactory, SavedCheckFactory
from tests.journal.insights_data import make_person
from tests.page_text import visible_text
from tests.triage.walk import answer
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db

EMERGENCY = get_ruleset().emergency
FIRST_SIGN = EMERGENCY.signs[0].text
CALL = f"Emergency? Call {EMERGENCY.numbers[0].number}"
LIST_URL = "/read/red-flags/#emergency-signs"

# Answers that lead to each kind of result: the ones that differ from a calm path.
LEVEL_ANSWERS = {
    "emergency": {"emergency_signs": "yes"},
    "immediate": {"emergency_signs": "came_and_went"},
    "tests": {"area": "elsewhere", "weakness": "yes"},
    "see_doctor": {"area": "elsewhere", "worsening": "yes"},
    "eye_specialist": {"area": "eyelid", "eyelid_duration": "over_2_weeks"},
    "self_care": {"area": "elsewhere"},
}

Open = Callable[[Client], str]


def get(url: str, status: int = 200) -> Open:
    def open_page(client: Client) -> str:
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response.content.decode()

    return open_page


def path(to: str | None = None, choosing: dict[str, str] | None = None) -> dict[str, str]:
    """Answers, in asking order, that reach the question `to` (or, without it, the end of
    the self-check), found from the ruleset: `choosing` where it names a question, else an
    answer that does not end the check, "no" when there is one."""
    ruleset, choosing = get_ruleset(), choosing or {}

    def search(answers: dict[str, str]) -> dict[str, str] | None:
        question = ruleset.next_question(answers)
        if question is None or question.id == to:
            return answers if question is not None or to is None else None
        if question.id in choosing:
            values = [choosing[question.id]]
        else:
            values = sorted(
                (v for v in question.values if v not in question.ends_flow_when),
                key=lambda value: value != "no",
            )
        for value in values:
            found = search({**answers, question.id: value})
            if found is not None:
                return found
        return None

    found = search({})
    assert found is not None, f"no answers reach {to or 'the end'} choosing {choosing}"
    return found


def after(answers: dict[str, str], url: str) -> Open:
    """The page at `url` once the self-check's `answers` are given, in order."""

    def open_page(client: Client) -> str:
        for question_id, value in answers.items():
            answer(client, question_id, value)
        return get(url)(client)

    return open_page


def questions() -> dict[str, Open]:
    return {
        f"question {question.id}": after(path(question.id), f"/check/q/{question.id}/")
        for question in get_ruleset().questions
    }


def result(choosing: dict[str, str]) -> Open:
    def open_page(client: Client) -> str:
        answers = path(choosing=choosing)
        for question_id, value in answers.items():
            answer(client, question_id, value)
        return get("/check/result/")(client)

    return open_page


def signed_in(url: str, *, emergency_check: bool = False) -> Open:
    def open_page(client: Client) -> str:
        person = make_person()
        EntryFactory(user=person, weakness=True)
        check = SavedCheckFactory(user=person)
        if emergency_check:
            check = SavedCheckFactory(
                user=person, answers={"emergency_signs": "yes"}, level="emergency"
            )
        client.force_login(person)
        return get(url.format(check=check.pk))(client)

    return open_page


PAGES: dict[str, Open] = {
    "home": get("/"),
    "reading list": get("/read/"),
    **{f"read {slug}": get(f"/read/{slug}/") for slug in sorted(get_pages())},
    "search": get("/search/?q=eyelid"),
    "about": get("/about/"),
    "privacy": get("/privacy/"),
    "accessibility": get("/accessibility/"),
    "contact": get("/contact/"),
    "not found": get("/no-such-page/", 404),
    "check start": get("/check/"),
    **questions(),
    "check answers": after(path(), "/check/answers/"),
    **{f"result {level}": result(choosing) for level, choosing in LEVEL_ANSWERS.items()},
    "journal welcome": get("/journal/"),
    "sign in": get("/journal/sign-in/"),
    "sign up": get("/journal/sign-up/"),
    "timeline": signed_in("/journal/"),
    "patterns": signed_in("/journal/patterns/"),
    "report": signed_in("/journal/report/"),
    "saved check": signed_in("/journal/checks/{check}/"),
    "saved emergency check": signed_in("/journal/checks/{check}/", emergency_check=True),
}

# Where a person needs the whole list: about to answer whether they have a sign, told to
# call for help, or reading about warning signs (the footer's link lands there).
NEEDS_THE_LIST = ["question emergency_signs", "result emergency", "read red-flags"]


def footer(html: str) -> str:
    return html.split('<footer class="govuk-footer', 1)[1]


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_the_emergency_signs_more_than_once(client, name):
    html = PAGES[name](client)
    assert visible_text(html).count(FIRST_SIGN) <= 1
    assert html.count('id="emergency-signs"') <= 1


@pytest.mark.parametrize("name", NEEDS_THE_LIST)
def test_the_signs_are_listed_in_full_where_a_person_needs_them(client, name):
    text = visible_text(PAGES[name](client))
    for sign in EMERGENCY.signs:
        assert text.count(sign.text) == 1, sign.text
    assert EMERGENCY.call in text


@pytest.mark.parametrize("name", PAGES)
def test_every_footer_links_to_the_signs_instead_of_listing_them(client, name):
    bottom = footer(PAGES[name](client))
    links = re.findall(r'<a class="govuk-footer__link" href="([^"]+)">([^<]+)</a>', bottom)
    assert (LIST_URL, CALL) in links
    text = visible_text(bottom)
    for sign in EMERGENCY.signs:
        assert sign.text not in text
        assert sign.short not in text


def test_the_footer_link_lands_on_the_list_of_signs(client):
    html = client.get("/read/red-flags/").content.decode()
    assert html.count('id="emergency-signs"') == 1
    start = html.index('id="emergency-signs"')
    card = html[start : html.index("</div>", start)]
    for sign in EMERGENCY.signs:
        assert f"<li>{sign.text}</li>" in card
