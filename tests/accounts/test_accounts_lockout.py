"""The sign-in lockout's page says, in Retry-After, when sign-in opens again."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from accounts.lockout import AccountAndAddressHandler
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.66"


def sign_in(client, email: str, password: str, address: str = "127.0.0.1"):
    data = {"username": email, "password": password}
    return client.post("/journal/sign-in/", data, REMOTE_ADDR=address)


def test_the_locked_page_says_sign_in_opens_again_in_an_hour(client, person):
    for _ in range(5):
        response = sign_in(client, person.email, "wrong")
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert 3590 <= int(response["Retry-After"]) <= 3600
    again = sign_in(client, person.email, PASSWORD)
    assert again.status_code == 429
    assert 3590 <= int(again["Retry-After"]) <= 3600


def test_an_address_locked_across_accounts_is_told_when_its_oldest_guesses_age_out(client):
    for number in range(29):
        assert sign_in(client, f"p{number}@example.com", "wrong", STRANGER).status_code == 200
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=40))
    response = sign_in(client, "p99@example.com", "wrong", STRANGER)
    assert response.status_code == 429
    # 30 wrong passwords from the address: 29 from 40 minutes ago, which leave the hour in
    # 20 minutes, and one now, under the limit alone.
    assert 1195 <= int(response["Retry-After"]) <= 1201
    # The owner of an account, elsewhere, is not locked.
    owner = UserFactory(email="owner@example.com")
    assert sign_in(client, owner.email, PASSWORD).status_code == 302


def test_without_failures_to_age_out_the_wait_is_the_whole_cool_off(rf, person):
    request = rf.post("/journal/sign-in/", {"username": person.email, "password": "x"})
    request.axes_ip_address = "127.0.0.1"
    request.axes_user_agent = ""
    request.axes_attempt_time = timezone.now()
    credentials = {"username": person.email}
    assert AccountAndAddressHandler().seconds_locked(request, credentials) == 3600


LAST_TRY = (
    "You have 1 more try before sign-in is paused for 1 hour. You can reset your password instead."
)


def test_the_wrong_password_before_the_last_try_warns_of_the_pause(client, person):
    for _ in range(3):
        early = sign_in(client, person.email, "wrong")
        assert LAST_TRY not in early.content.decode()
    warned = sign_in(client, person.email, "wrong")
    assert warned.status_code == 200
    html = warned.content.decode()
    assert "Please enter a correct email address and password" in html
    assert LAST_TRY in html
    assert sign_in(client, person.email, "wrong").status_code == 429


def test_the_warning_counts_this_address_only(client, person):
    for _ in range(4):
        sign_in(client, person.email, "wrong", STRANGER)
    elsewhere = sign_in(client, person.email, "wrong")
    assert LAST_TRY not in elsewhere.content.decode()
