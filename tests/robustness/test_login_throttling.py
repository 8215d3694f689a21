"""Sign-in lockout: guessing is stopped, and a stranger's guesses never lock out the owner."""

import re

import pytest
from django.test import override_settings

from tests.accounts.factories import PASSWORD, UserFactory
from tests.tasks import sent_emails

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"
behind_one_proxy = override_settings(TRUSTED_PROXY_COUNT=1)


def sign_in(client, email, password, *, address=None, forwarded_for=None):
    meta = {"REMOTE_ADDR": PROXY if address or forwarded_for else "127.0.0.1"}
    if forwarded_for or address:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for or address
    return client.post("/journal/sign-in/", {"username": email, "password": password}, **meta)


def test_sign_in_locks_after_repeated_wrong_passwords(client, django_user_model):
    django_user_model.objects.create_user("owner@example.com", "the-right-password-1")
    for attempt in range(1, 6):
        response = client.post(
            "/journal/sign-in/", {"username": "owner@example.com", "password": "wrong"}
        )
        assert response.status_code == (429 if attempt == 5 else 200)
    locked = client.post(
        "/journal/sign-in/", {"username": "owner@example.com", "password": "the-right-password-1"}
    )
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@behind_one_proxy
def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out_behind_the_proxy(client):
    owner = UserFactory()
    for _ in range(20):
        sign_in(client, owner.email, "a-guess", address=STRANGER)
    assert sign_in(client, owner.email, PASSWORD, address=STRANGER).status_code == 429
    response = sign_in(client, owner.email, PASSWORD, address=OWNER)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == owner.pk


@behind_one_proxy
def test_a_guesser_cannot_dodge_the_count_with_a_forged_forwarded_address(client):
    owner = UserFactory()
    for number in range(5):
        sign_in(client, owner.email, "a-guess", forwarded_for=f"192.0.2.{number}, {STRANGER}")
    response = sign_in(client, owner.email, PASSWORD, forwarded_for=f"192.0.2.99, {STRANGER}")
    assert response.status_code == 429


def test_a_guesser_cannot_dodge_the_count_with_capital_letters(client):
    owner = UserFactory()
    for spelling in (owner.email.upper(), owner.email.title(), f" {owner.email.capitalize()}"):
        sign_in(client, spelling, "a-guess")
    sign_in(client, owner.email.swapcase(), "a-guess")
    sign_in(client, owner.email.upper(), "a-guess")
    assert sign_in(client, owner.email, PASSWORD).status_code == 429


@behind_one_proxy
def test_one_address_guessing_across_many_accounts_is_stopped(client):
    accounts = UserFactory.create_batch(10)
    for _ in range(3):
        for account in accounts:
            sign_in(client, account.email, "a-guess", address=STRANGER)
    own = UserFactory()
    assert sign_in(client, own.email, PASSWORD, address=STRANGER).status_code == 429
    assert sign_in(client, own.email, PASSWORD, address=OWNER).status_code == 302


@behind_one_proxy
def test_signing_in_to_ones_own_account_does_not_clear_the_guesses_at_others(client):
    own = UserFactory()
    others = UserFactory.create_batch(29)
    for number, account in enumerate(others):
        sign_in(client, account.email, "a-guess", address=STRANGER)
        if number % 4 == 0:
            assert sign_in(client, own.email, PASSWORD, address=STRANGER).status_code == 302
            client.post("/journal/sign-out/", REMOTE_ADDR=PROXY)
    sign_in(client, others[0].email, "a-guess", address=STRANGER)
    assert sign_in(client, own.email, PASSWORD, address=STRANGER).status_code == 429


def test_a_completed_password_reset_opens_sign_in_again_at_once(client):
    owner = UserFactory()
    for _ in range(5):
        sign_in(client, owner.email, "a-guess")
    assert sign_in(client, owner.email, PASSWORD).status_code == 429
    client.post("/journal/password-reset/", {"email": owner.email})
    link = re.search(r"http://testserver(/journal/password-reset/\S+/)", sent_emails()[0].body)[1]
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-2", "new_password2": "a-brand-new-pass-2"},
    )
    assert sign_in(client, owner.email, "a-brand-new-pass-2").status_code == 302


def test_the_locked_page_offers_a_password_reset(client):
    owner = UserFactory()
    for _ in range(5):
        response = sign_in(client, owner.email, "a-guess")
    assert response.status_code == 429
    assert 'href="/journal/password-reset/"' in response.content.decode()
