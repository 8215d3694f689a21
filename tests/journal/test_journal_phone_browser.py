"""The journal on a phone in Chromium: its sections reachable at 390 px, a date typed with
the keyboard alone, and success banners that take focus (after a page load and an htmx swap)."""

import pytest
from playwright.sync_api import Page, expect

from journal.models import Entry
from tests.accounts.factories import UserFactory
from tests.conftest import assert_accessible, sign_in
from tests.journal.factories import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = [
    "Timeline",
    "Patterns and red flags",
    "Self-care plan",
    "Doctor report",
    "Export and import",
    "Account",
]
PAGES = ["/journal/", "/journal/patterns/", "/journal/report/", "/journal/import/"]


@pytest.fixture
def viewport_width() -> int:
    return 390


def signed_in(page: Page, live_server):
    person = UserFactory(email="ana@example.com")
    EntryFactory.create_batch(2, user=person, region="thigh", side="right")
    sign_in(page, live_server, person)
    return person


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def sections(page: Page):
    return page.get_by_role("navigation", name="Journal")


@pytest.mark.parametrize("path", PAGES)
def test_on_a_phone_every_section_is_behind_the_menu_button(page, live_server, path):
    signed_in(page, live_server)
    page.goto(path)
    assert no_sideways_scroll(page)
    menu = sections(page).get_by_role("button", name="Journal menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sections(page).get_by_role("link", name="Timeline")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in SECTIONS:
        expect(sections(page).get_by_role("link", name=name)).to_be_in_viewport()
    assert no_sideways_scroll(page)
    assert_accessible(page)


def test_without_javascript_the_sections_are_a_stacked_list_on_a_phone(
    page_without_js, live_server
):
    page = page_without_js
    signed_in(page, live_server)
    page.goto("/journal/report/")
    expect(sections(page).get_by_role("button")).to_be_hidden()
    links = [sections(page).get_by_role("link", name=name) for name in SECTIONS]
    for link in links:
        expect(link).to_be_visible()
    tops = [link.bounding_box()["y"] for link in links]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), "one section a line"
    assert no_sideways_scroll(page)
    expect(sections(page).get_by_role("link", name="Doctor report")).to_have_attribute(
        "aria-current", "page"
    )


def test_a_date_and_time_typed_with_the_keyboard_alone(page, live_server):
    person = signed_in(page, live_server)
    page.goto("/journal/entries/new/")
    page.get_by_role("textbox", name="Day").focus()
    for text in ("3", "11", "2026", "0745"):
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_region"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # sends the form from the time box, as a phone's Go key
    expect(page.get_by_role("heading", name="Add an entry")).to_be_visible()
    expect(page.get_by_text("Choose how long it lasted.").first).to_be_visible()
    assert page.get_by_role("textbox", name="Day").input_value() == "3"
    assert page.get_by_role("textbox", name="Time").input_value() == "0745"
    page.get_by_role("group", name="How long did it last").get_by_label("Seconds").check()
    page.get_by_role("radio", name="2", exact=True).check()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert").filter(has_text="Your entry is saved.")).to_be_focused()
    latest = Entry.objects.filter(user=person).order_by("-pk").first()
    assert f"{latest.occurred_at:%Y-%m-%d}" == "2026-11-03"
    assert no_sideways_scroll(page)


def test_a_twitch_logged_with_htmx_is_confirmed_in_a_focused_banner_and_can_be_undone(
    page, live_server
):
    person = signed_in(page, live_server)
    page.goto("/journal/")
    page.evaluate("() => { window.noReload = true; }")
    page.get_by_role("button", name="Log a twitch now").click()
    banner = page.get_by_role("alert").filter(has_text="Twitch logged: Thigh (right)")
    expect(banner).to_be_focused()
    assert Entry.objects.filter(user=person).count() == 3
    assert_accessible(page)
    banner.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("alert").filter(has_text="Undone")).to_be_focused()
    assert Entry.objects.filter(user=person).count() == 2
    page.get_by_role("button", name="Log a twitch now").click()
    expect(page.get_by_role("alert").filter(has_text="Twitch logged")).to_be_focused()
    assert Entry.objects.filter(user=person).count() == 3, "a new tap logs a new twitch"
    assert page.evaluate("() => window.noReload") is True


def test_without_javascript_undo_works_from_the_confirmation(page_without_js, live_server):
    page = page_without_js
    person = signed_in(page, live_server)
    page.goto("/journal/")
    page.get_by_role("button", name="Log a twitch now").click()
    banner = page.get_by_role("alert").filter(has_text="Twitch logged: Thigh (right)")
    banner.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("alert").filter(has_text="Undone")).to_be_visible()
    assert Entry.objects.filter(user=person).count() == 2
    assert_accessible(page)
