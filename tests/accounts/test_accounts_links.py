"""Emailed links work for hours, not days: a reset link for 2 hours, a sign-up link for
24; the emails and pages say so, and a link past its time meets the calm page that says
it no longer works. Each kind of link works only for what it was sent for."""

import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accounts.models import User
from accounts.tokens import lifetime
from tests.tasks import sent_emails

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"


@contextmanager
def later(**after):
    """Token checks made `after` from now (Django's tokens read the clock through `_now`)."""
    when = datetime.now() + timedelta(**after)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=when):
        yield


def sign_up_link(client) -> str:
    data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    client.post("/journal/sign-up/", {**data, "time_zone": "UTC"})
    (message,) = sent_emails()
    assert "The link works once, for 24 hours" in message.body
    return re.search(r"http://testserver(/journal/sign-up/\S+/)", message.body)[1]


def reset_link(client, person) -> str:
    client.post("/journal/password-reset/", {"email": person.email})
    (message,) = sent_emails()
    assert "The link works once, for 2 hours" in message.body
    return re.search(r"http://testserver(/journal/password-reset/\S+/)", message.body)[1]


def test_the_links_last_hours(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 2 * 60 * 60
    assert settings.SIGN_UP_LINK_TIMEOUT == 24 * 60 * 60


def test_a_sign_up_link_works_for_24_hours(client):
    link = sign_up_link(client)
    with later(hours=23, minutes=59):
        assert client.get(link)["Location"] == "/journal/"
    assert User.objects.get().is_active


def test_a_sign_up_link_older_than_24_hours_is_refused_calmly(client):
    link = sign_up_link(client)
    with later(hours=24, seconds=1):
        response = client.get(link)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link no longer works" in html
    assert "or be more than 24 hours old" in html
    assert not User.objects.get().is_active


def test_a_reset_link_works_for_2_hours(client, person):
    link = reset_link(client, person)
    with later(hours=1, minutes=59):
        form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()


def test_a_reset_link_older_than_2_hours_is_refused_calmly(client, person):
    link = reset_link(client, person)
    with later(hours=2, seconds=1):
        response = client.get(link, follow=True)
    html = response.content.decode()
    assert "This link no longer works" in html
    assert "or be more than 2 hours old" in html
    assert "<title>This link no longer works" in html
    assert 'name="new_password1"' not in html


def test_the_pages_after_asking_say_how_long_the_link_works(client):
    data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    sent = client.post("/journal/sign-up/", {**data, "time_zone": "UTC"})
    assert "it works for 24 hours" in sent.content.decode()
    done = client.post("/journal/password-reset/", {"email": "x@example.com"}, follow=True)
    assert "The link works for 2 hours" in done.content.decode()


def test_a_sign_up_link_cannot_set_a_password_nor_a_reset_token_open_an_account(client):
    opening = sign_up_link(client)
    uidb64, token = opening.strip("/").split("/")[-2:]
    as_reset = client.get(f"/journal/password-reset/{uidb64}/{token}/", follow=True)
    assert "This link no longer works" in as_reset.content.decode()
    # No reset email goes to an account not yet open; its token is made here as if one had.
    reset_token = PasswordResetTokenGenerator().make_token(User.objects.get())
    assert client.get(f"/journal/sign-up/{uidb64}/{reset_token}/").status_code == 400
    assert client.get(opening).status_code == 302


def test_a_lifetime_is_said_in_hours_or_minutes():
    assert lifetime(3600) == "1 hour"
    assert lifetime(2 * 3600) == "2 hours"
    assert lifetime(90 * 60) == "90 minutes"
    assert lifetime(60) == "1 minute"
