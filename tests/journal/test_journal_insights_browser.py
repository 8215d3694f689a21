"""The insights pages in Chromium, with and without JavaScript, each scanned by axe."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from journal.exports import export_data
from journal.models import Entry, PlanCheck, Region, SavedCheck
from tests.conftest import assert_accessible, sign_in
from tests.journal.insights_data import add_entries, entry, make_person
from tests.pdf import pdf_text
from tests.tasks import run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def person():
    person = make_person()
    add_entries(person, 120)
    for days_ago in range(3, 12):  # enough days with twitches for the daily chart
        entry(person, datetime.now(UTC) - timedelta(days=days_ago), Region.CALF)
    entry(person, datetime.now(UTC) - timedelta(hours=2), Region.EYELID, weakness=True)
    SavedCheck.objects.create(
        user=person, answers={"emergency_signs": "no", "area": "elsewhere"},
        level="monitor", ruleset_version="2026.11",
    )  # fmt: skip
    return person


def test_patterns_page_shows_charts_and_red_flags_and_is_accessible(page, live_server, person):
    sign_in(page, live_server, person)
    page.goto("/journal/patterns/")
    assert page.locator("h1").inner_text() == "Your patterns and red flags"
    assert page.get_by_role("img", name="Bar chart of twitches each day").count() == 1
    assert page.get_by_text("Ask your doctor about nerve and muscle tests", exact=True).is_visible()
    page.get_by_text("Show the numbers for each day").click()
    assert page.get_by_role("table", name="Twitches each day").is_visible()
    assert_accessible(page)


def test_plan_day_is_ticked_off_without_javascript(page_without_js, live_server, person):
    page = page_without_js
    sign_in(page, live_server, person)
    page.goto("/journal/plan/")
    page.get_by_role("button", name="Start my 28-day plan today").click()
    assert page.get_by_text("Your 28-day self-care plan starts today.").is_visible()
    page.get_by_label("Sleep well").check()
    page.get_by_label("Calm your stress").check()
    page.get_by_role("button", name="Save this day").click()
    assert page.get_by_text("Saved your steps for").is_visible()
    assert page.get_by_text("Steps done so far: 2 of 5 (40%)").is_visible()
    assert page.get_by_label("Sleep well").is_checked()
    assert PlanCheck.objects.filter(plan__user=person).count() == 2
    assert_accessible(page)


def test_plan_day_is_ticked_off_in_place_with_javascript(page, live_server, person):
    sign_in(page, live_server, person)
    page.goto("/journal/plan/")
    page.get_by_role("button", name="Start my 28-day plan today").click()
    address = page.url
    page.get_by_label("Drink enough and eat for your nerves").check()
    page.get_by_role("button", name="Save this day").click()
    status = page.get_by_role("status").filter(has_text="Saved your steps for")
    status.wait_for()
    assert page.url == address
    page.wait_for_function("() => document.activeElement.id === 'day-heading'")
    assert page.get_by_text("Steps done so far: 1 of 5 (20%)").is_visible()
    assert page.get_by_label("Drink enough and eat for your nerves").is_checked()
    assert_accessible(page)


def test_report_is_accessible_and_prints_without_the_controls(page, live_server, person):
    sign_in(page, live_server, person)
    page.goto("/journal/report/")
    assert page.locator("h1").inner_text() == "Twitch report for your doctor"
    assert page.get_by_text("Latest saved self-check").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Show these dates").is_visible()
    assert not page.get_by_role("navigation", name="Journal").is_visible()
    assert page.get_by_role("table", name="Questions asked and the answers given").is_visible()


def test_report_date_errors_are_accessible(page_without_js, live_server, person):
    page = page_without_js
    sign_in(page, live_server, person)
    page.goto("/journal/report/?from=2026-11-20&to=2026-11-01")
    message = "The end date must be on or after the start date."
    assert page.get_by_role("alert").get_by_role("link", name=message).is_visible()
    assert page.get_by_text(f"Error: {message}").is_visible()
    assert_accessible(page)


def test_export_and_import_page_is_accessible(page, live_server, person):
    sign_in(page, live_server, person)
    page.goto("/journal/import/")
    page.get_by_role("button", name="Import").click()
    message = "Choose the .json file you exported."
    assert page.get_by_role("alert").get_by_role("link", name=message).is_visible()
    assert page.get_by_text(f"Error: {message}").is_visible()
    assert_accessible(page)


def test_report_prints_with_javascript_and_saves_a_pdf_without(
    page, page_without_js, live_server, person
):
    sign_in(page, live_server, person)
    page.goto("/journal/report/")
    page.evaluate("() => { window.printCalls = 0; window.print = () => { window.printCalls++; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printCalls") == 1

    sign_in(page_without_js, live_server, person)
    page_without_js.goto("/journal/report/")
    assert page_without_js.get_by_role("button", name="Print").count() == 0
    with page_without_js.expect_download() as download:
        page_without_js.get_by_role("link", name="Save as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as saved:
        assert "Twitch report for your doctor" in pdf_text(saved.read())


def upload_own_export(page, live_server, person) -> None:
    """Export the journal, empty it, and upload the file on the import page."""
    sign_in(page, live_server, person)
    file = json.dumps(export_data(person)).encode()
    Entry.objects.filter(user=person).delete()
    page.goto("/journal/import/")
    page.get_by_label("Your journal file").set_input_files(
        {"name": "journal.json", "mimeType": "application/json", "buffer": file}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Waiting to start")).to_be_visible()


def test_an_import_page_updates_itself_and_moves_focus_to_the_outcome(page, live_server, person):
    upload_own_export(page, live_server, person)
    expect(page.get_by_role("button", name="Check progress")).to_have_count(0)
    assert_accessible(page)
    run_tasks()
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("130 new records added")
    expect(panel).to_be_focused()
    assert_accessible(page)


def test_without_javascript_the_import_page_offers_a_button_to_check_again(
    page_without_js, live_server, person
):
    upload_own_export(page_without_js, live_server, person)
    run_tasks()
    page_without_js.get_by_role("link", name="Check progress").click()
    expect(page_without_js.locator(".govuk-panel")).to_contain_text("130 new records added")
