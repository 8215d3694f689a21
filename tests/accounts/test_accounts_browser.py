"""Accounts in Chromium: sign-up, sign-in and the account pages, with axe on each."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
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
    page.get_by_label("Central Europe (Paris, Berlin, Madrid, Rome)").check()
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


@pytest.mark.parametrize(
    ("zone", "radio", "full_list"),
    [
        ("Europe/Dublin", "Ireland (Dublin)", None),
        ("Asia/Tokyo", "Other time zone", "Asia/Tokyo"),
    ],
)
def test_sign_up_starts_at_the_browser_s_time_zone(browser, live_server, zone, radio, full_list):
    context = browser.new_context(base_url=live_server.url, timezone_id=zone)
    try:
        page = context.new_page()
        page.goto("/journal/sign-up/")
        expect(page.get_by_label(radio)).to_be_checked()
        other = page.get_by_label("Choose your time zone")
        if full_list:
            expect(other).to_have_value(full_list)
        else:
            expect(other).to_be_hidden()
    finally:
        context.close()


def test_other_time_zone_reveals_the_full_list(page, live_server):
    page.goto("/journal/sign-up/")
    page.get_by_label("UK (London)").check()
    expect(page.get_by_label("Choose your time zone")).to_be_hidden()
    page.get_by_label("Other time zone").check()
    expect(page.get_by_label("Choose your time zone")).to_be_visible()
    assert_accessible(page)


def test_sign_up_without_javascript_chooses_the_uk_and_shows_the_full_list(
    page_without_js, live_server
):
    page = page_without_js
    page.goto("/journal/sign-up/")
    expect(page.get_by_label("UK (London)")).to_be_checked()
    select = page.get_by_label("Choose your time zone")
    expect(select).to_be_visible()
    page.get_by_label("Email address").fill("cy@example.com")
    page.locator("#id_password1").fill("a-long-password-1")
    page.locator("#id_password2").fill("a-long-password-1")
    page.get_by_label("Other time zone").check()
    select.select_option("Asia/Ulaanbaatar")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert User.objects.get().time_zone == "Asia/Ulaanbaatar"


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
