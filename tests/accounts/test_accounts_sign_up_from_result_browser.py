"""In Chromium: a self-check result, "Create an account to save this", the emailed link
opened in another browser (as on a phone), and the result saved to the new journal."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from journal.models import SavedCheck
from tests.conftest import assert_accessible
from tests.tasks import sent_emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {
    "emergency_signs": "No, none of these",
    "age": "16 or older",
    "area": "Somewhere else in my body, with or without my eyelid",
    "duration": "2 weeks or less",
    "spread": "One area",
    "weakness": "No",
    "wasting": "No",
    "numbness": "None of these",
    "speech_swallow": "No",
    "family_history": "No",
    "worsening": "No, it is about the same or better",
    "medicine": "No",
    "self_care_tried": "No, not yet",
}


def answer_to_a_result(page: Page) -> str:
    page.goto("/check/")
    page.get_by_role("button", name="Start now").click()
    for question_id, label in ANSWERS.items():
        page.wait_for_url(f"**/check/q/{question_id}/")
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/check/answers/")
    page.get_by_role("button", name="See your result").click()
    page.wait_for_url("**/check/result/")
    return page.locator("#result-heading").inner_text()


def test_creating_an_account_from_a_result_comes_back_to_it_and_saves_it(
    page: Page, browser, live_server
):
    level = answer_to_a_result(page)
    page.get_by_role("button", name="Create an account to save this").click()
    expect(page.locator("h1")).to_have_text("Create an account")
    expect(page.get_by_text("you come back to your self-check result")).to_be_visible()
    # The full list stays hidden until "Other time zone" is chosen.
    expect(page.get_by_label("Choose your time zone")).to_be_hidden()
    assert_accessible(page)
    page.get_by_label("Email address").fill("cy@example.com")
    page.locator("#id_password1").fill("a-long-password-1")
    page.locator("#id_password2").fill("a-long-password-1")
    page.get_by_label("UK (London)").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    link = re.search(r"http://[^/\s]+(/journal/sign-up/\S+/)", sent_emails()[-1].body)[1]

    # The email opened on a phone: another browser, with none of this one's session.
    phone = browser.new_context(base_url=live_server.url)
    try:
        other = phone.new_page()
        other.goto(link)
        other.wait_for_url("**/check/result/")
        expect(other.locator("#result-heading")).to_have_text(level)
        expect(other.get_by_text("Your account is ready.")).to_be_visible()
        other.get_by_role("button", name="Save to my journal").click()
        expect(other.get_by_text("This result is saved in your journal.")).to_be_visible()
        other.get_by_role("link", name="See this result in your journal").click()
        expect(other.locator("h1")).to_contain_text("Your self-check result from")
        expect(other.locator("main")).to_contain_text(level)
    finally:
        phone.close()
    assert SavedCheck.objects.filter(user=User.objects.get(email="cy@example.com")).count() == 1


def test_the_start_page_leads_back_to_the_result(page: Page):
    level = answer_to_a_result(page)
    page.goto("/check/")
    page.get_by_role("button", name="Continue to your result").click()
    page.wait_for_url("**/check/result/")
    expect(page.locator("#result-heading")).to_have_text(level)
    page.goto("/check/")
    page.get_by_role("button", name="Start again").click()
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
