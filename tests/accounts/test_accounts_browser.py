"""Accounts in Chromium: sign-up, sign-in and the account pages, with axe on each."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import UserFactory
from tests.conftest import assert_accessible, sign_in
from tests.tasks import sent_emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_and_sign_in_pages_are_accessible_and_work(page, live_server):
    page.goto("/journal/")
    expect(page.locator("h1")).to_have_text("A private journal for your twitches")
    assert_accessible(page)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address.")
    expect(page.get_by_role("alert")).not_to_contain_text("This field is required.")
    assert_accessible(page)
    page.get_by_label("Email address").fill("cy@example.com")
    page.locator("#id_password1").fill("a-long-password-1")
    page.locator("#id_password2").fill("a-long-password-1")
    page.get_by_label("Your time zone").select_option("Europe/Paris")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)
    link = re.search(r"http://[^/\s]+(/journal/sign-up/\S+/)", sent_emails()[-1].body)[1]
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Your twitch journal")
    page.get_by_role("button", name="Sign out").click()
    page.goto("/journal/sign-in/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("cy@example.com")
    page.locator("#id_password").fill("a-long-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your twitch journal")


def test_sign_up_starts_at_the_browser_s_time_zone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.goto("/journal/sign-up/")
        expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    finally:
        context.close()


def test_sign_up_without_javascript_offers_common_time_zones_first(page_without_js, live_server):
    page = page_without_js
    page.goto("/journal/sign-up/")
    select = page.get_by_label("Your time zone")
    expect(select).to_have_value("Europe/London")
    first_group = select.locator("optgroup").first
    expect(first_group).to_have_attribute("label", "Common time zones")
    expect(first_group.locator("option").first).to_have_text("Europe/London")


def test_the_account_pages_are_accessible(page: Page, live_server):
    sign_in(page, live_server, UserFactory(email="ana@example.com"))
    page.goto("/journal/account/")
    expect(page.locator("h1")).to_have_text("Your account")
    assert_accessible(page)
    page.goto("/journal/account/delete/")
    page.get_by_role("button", name="Delete my account and journal").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your password")
    assert_accessible(page)


def test_the_sign_in_email_field_brings_up_an_email_keyboard(page: Page, live_server):
    page.goto("/journal/sign-in/")
    field = page.get_by_label("Email address")
    expect(field).to_have_attribute("type", "email")
    expect(field).to_have_attribute("autocomplete", "email")
