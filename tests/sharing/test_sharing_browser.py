"""Sharing the report in Chromium: made from the report page, copied, opened elsewhere."""

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in
from tests.journal.factories import EntryFactory
from tests.journal.insights_data import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "ana-private-note"


@pytest.fixture
def person():
    person = make_person()
    EntryFactory(user=person, notes=SECRET)
    return person


def make_link(page, live_server, person) -> str:
    sign_in(page, live_server, person)
    page.goto("/journal/report/")
    page.get_by_role("link", name="Share this report with a clinician").click()
    page.get_by_role("button", name="Make a link").click()
    expect(page.get_by_text("Your link is made.")).to_be_visible()
    return page.locator("#new-link").inner_text().strip()


def test_a_link_is_copied_with_one_tap(page, live_server, person):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    make_link(page, live_server, person)
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="The link is copied.")).to_be_visible()


def test_without_javascript_the_link_is_there_to_select(page_without_js, live_server, person):
    link = make_link(page_without_js, live_server, person)
    assert "/shared/" in link
    expect(page_without_js.get_by_role("button", name="Copy link")).to_be_hidden()


def test_the_link_opens_the_report_in_a_browser_with_no_account(
    page, page_without_js, live_server, person
):
    link = make_link(page_without_js, live_server, person)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Twitch report")
    expect(page.get_by_text(SECRET)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    expect(page.get_by_role("link", name="Save as PDF")).to_be_visible()
