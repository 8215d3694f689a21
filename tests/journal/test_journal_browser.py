"""The journal in Chromium: quick add with and without JavaScript, and axe on every page."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from journal.models import Entry
from tests.accounts.factories import UserFactory
from tests.conftest import assert_accessible, sign_in
from tests.journal.factories import EntryFactory, SavedCheckFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page: Page, live_server, entries: int = 3) -> User:
    person = UserFactory(email="ana@example.com")
    EntryFactory.create_batch(entries, user=person, region="thigh", side="right", weakness=True)
    sign_in(page, live_server, person)
    return person


def timeline(page: Page):
    """The entries on the timeline, newest first: one heading each."""
    return page.get_by_role("region", name="Timeline").get_by_role("heading", level=3)


def latest_entry(page: Page):
    return page.locator("#timeline").get_by_role("listitem").first


def test_log_a_twitch_now_is_on_a_phones_first_screen(page, live_server):
    signed_in(page, live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/journal/")
    button = page.get_by_role("button", name="Log a twitch now")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_quick_add_with_javascript_updates_the_timeline_in_place(page, live_server):
    person = signed_in(page, live_server)
    page.goto("/journal/")
    assert_accessible(page)
    page.evaluate("() => { window.noReload = true; }")
    page.get_by_label("Where").select_option("eyelid")
    page.get_by_label("Side").select_option("left")
    page.get_by_role("button", name="Log a twitch now").click()
    expect(page.get_by_role("alert").filter(has_text="Twitch logged")).to_contain_text(
        "Twitch logged: Eyelid (left)"
    )
    expect(latest_entry(page)).to_contain_text("Eyelid (left)")
    assert page.evaluate("() => window.noReload") is True
    assert Entry.objects.filter(user=person).count() == 4


def test_quick_add_without_javascript_logs_and_returns_to_the_journal(page_without_js, live_server):
    page = page_without_js
    signed_in(page, live_server)
    page.goto("/journal/")
    page.get_by_role("button", name="Log a twitch now").click()
    expect(page.get_by_role("alert").first).to_contain_text("Twitch logged: Thigh (right)")
    expect(latest_entry(page)).to_contain_text("Thigh (right)")
    assert_accessible(page)


def test_filtering_live_with_javascript(page, live_server):
    person = signed_in(page, live_server)
    EntryFactory(user=person, region="neck", notes="the neck one")
    page.goto("/journal/")
    page.get_by_label("Area").select_option("neck")
    expect(timeline(page)).to_have_count(1)
    expect(page.locator("#timeline-summary")).to_have_text("1 entry match your filters.")
    assert page.url.endswith("region=neck&trigger=&date_from=&date_to=")


def test_entry_form_with_errors_and_the_delete_page_are_accessible(page, live_server):
    person = signed_in(page, live_server, entries=1)
    page.goto("/journal/entries/new/")
    page.get_by_role("button", name="Save entry").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Choose how long it lasted.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/journal/entries/{person.entries.get().pk}/delete/")
    expect(page.locator("h1")).to_have_text("Delete this entry?")
    assert_accessible(page)


def test_checking_in_by_keyboard_with_an_error_then_saved(page, live_server):
    signed_in(page, live_server)
    page.goto("/journal/")
    page.get_by_role("link", name="Check in for today").click()
    page.get_by_label("Hours slept the night before").fill("30")
    page.get_by_role("radio", name="6", exact=True).first.press("Space")
    page.get_by_role("button", name="Save check-in").press("Enter")
    summary = page.get_by_role("alert")
    expect(
        summary.get_by_role("link", name="Enter hours of sleep from 0 to 24 hours.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hours slept the night before").fill("6.5")
    page.get_by_role("button", name="Save check-in").press("Enter")
    expect(page.get_by_text("Your check-in for today is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Change today's check-in")).to_be_visible()


def test_saved_result_pages_are_accessible(page, live_server):
    person = signed_in(page, live_server, entries=1)
    check = SavedCheckFactory(user=person)
    page.goto("/journal/")
    saved = page.get_by_role("region", name="Saved self-check results")
    saved.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Your self-check result from")
    assert_accessible(page)
    page.get_by_role("link", name="Delete this saved result").click()
    expect(page.locator("h1")).to_have_text("Delete this saved result?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, delete this result").click()
    expect(page.get_by_role("alert").first).to_contain_text("The saved result is deleted.")
    assert not type(check).objects.exists()
