"""What the privacy notice says about accounts is what the site does (the tests beside
this one show each is done)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def seen(client, path: str) -> str:
    html = client.get(path).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_privacy_notice_says_what_ending_an_account_or_password_deletes(client, settings):
    settings.SIGN_UP_LINK_TIMEOUT = 12 * 60 * 60
    text = seen(client, "/privacy/")
    assert "deletes every session you are signed in with, on any browser or device" in text
    assert "Changing your password signs you out everywhere else" in text
    assert "the record is deleted within the hour after that" in text
    assert "The link in a sign-up email works for 12 hours" in text
    assert "the link in a password-reset email for 2 hours" in text
    assert "keep no email address, link or password" in text
    assert "deleted within two days" not in text
