"""Deleting an account or changing its password ends every session of that person, in the
database and in the cache alike, and sessions whose time is up are deleted.

Each test runs with both session engines the site uses: the database's, and cached_db
over the configured cache (the process's own without REDIS_URL; with it, as in CI, a real
Redis), and checks each ended session is gone from the session table and the cache.
"""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone

from accounts import sessions
from accounts.models import SignedInSession, User, session_store
from reliability.workers import worker_housekeeping
from tests.accounts.factories import PASSWORD, UserFactory
from tests.tasks import sent_emails
from tests.triage.walk import FULL_PATH, answer

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-pass-3"


@pytest.fixture(params=["reliability.sessions.db", "reliability.sessions.cached_db"])
def engine(request, settings) -> str:
    settings.SESSION_ENGINE = request.param
    return request.param


def signed_in(person, password: str = PASSWORD) -> Client:
    """A browser of `person`'s, signed in through the sign-in page."""
    browser = Client()
    response = browser.post("/journal/sign-in/", {"username": person.email, "password": password})
    assert response.status_code == 302
    return browser


def key_of(browser: Client) -> str:
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


def cached(key: str):
    """The session's copy in the cache, for the cached_db engine (None for the other)."""
    store = session_store()(key)
    if not hasattr(store, "cache_key"):
        return None
    return caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key)


def is_kept(key: str) -> bool:
    kept = Session.objects.filter(session_key=key).exists() and session_store()().exists(key)
    if settings.SESSION_ENGINE.endswith("cached_db"):
        kept = kept and cached(key) is not None
    return kept


def is_gone(key: str) -> bool:
    return (
        not Session.objects.filter(session_key=key).exists()
        and not session_store()().exists(key)
        and cached(key) is None
        and session_store()(key).load() == {}
    )


def test_deleting_the_account_ends_every_session_of_theirs_wherever_it_is_kept(
    engine, person, other_person
):
    phone, laptop, other = signed_in(person), signed_in(person), signed_in(other_person)
    answer(phone, *FULL_PATH[0])  # the phone's session holds a self-check answer
    phone_key, laptop_key, other_key = key_of(phone), key_of(laptop), key_of(other)
    assert phone_key != laptop_key
    assert all(is_kept(key) for key in (phone_key, laptop_key, other_key))

    response = laptop.post("/journal/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert is_gone(phone_key)
    assert is_gone(laptop_key)
    assert is_kept(other_key)
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [other_key]
    assert "_auth_user_id" not in phone.session
    assert phone.get("/journal/account/").status_code == 302  # to the sign-in page
    assert other.get("/journal/account/").status_code == 200


def test_changing_the_password_ends_every_other_session_and_keeps_this_one(
    engine, person, other_person
):
    phone, laptop, other = signed_in(person), signed_in(person), signed_in(other_person)
    answer(phone, *FULL_PATH[0])
    phone_key, laptop_key, other_key = key_of(phone), key_of(laptop), key_of(other)

    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = laptop.post("/journal/account/password/", data)

    assert response["Location"] == "/journal/account/password/done/"
    assert is_gone(phone_key)
    assert is_kept(other_key)
    # Django keeps the laptop signed in, under a new key, which is the one recorded now.
    assert is_gone(laptop_key)
    new_key = key_of(laptop)
    assert is_kept(new_key)
    assert laptop.get("/journal/account/").status_code == 200
    assert set(SignedInSession.objects.values_list("session_key", flat=True)) == {
        new_key,
        other_key,
    }
    done = laptop.get("/journal/account/password/done/").content.decode()
    assert "Anywhere else you were signed in" in done


def reset_link(browser: Client, person) -> str:
    browser.post("/journal/password-reset/", {"email": person.email})
    body = sent_emails()[-1].body
    return re.search(r"http://testserver(/journal/password-reset/\S+/)", body)[1]


def set_new_password(browser: Client, link: str):
    form_page = browser.get(link, follow=True)
    new = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return browser.post(form_page.redirect_chain[-1][0], new, follow=True)


def test_a_password_set_from_a_reset_link_ends_every_session(engine, person, other_person):
    phone, other = signed_in(person), signed_in(other_person)
    answer(phone, *FULL_PATH[0])
    phone_key, other_key = key_of(phone), key_of(other)
    somewhere_else = Client()

    done = set_new_password(somewhere_else, reset_link(somewhere_else, person))

    assert "Your new password is saved" in done.content.decode()
    assert "is now signed out" in done.content.decode()
    assert is_gone(phone_key)
    assert is_kept(other_key)
    assert not SignedInSession.objects.filter(user=person).exists()
    signed_in(person, NEW_PASSWORD)


def test_a_reset_from_a_browser_signed_in_to_the_account_signs_it_out_too(engine, person):
    laptop = signed_in(person)
    laptop_key = key_of(laptop)

    done = set_new_password(laptop, reset_link(laptop, person))

    assert done.status_code == 200
    assert "Your new password is saved" in done.content.decode()
    assert is_gone(laptop_key)
    assert "_auth_user_id" not in laptop.session
    assert not SignedInSession.objects.exists()


def test_signing_in_records_the_session_and_signing_out_forgets_it(engine, person):
    browser = signed_in(person)
    (recorded,) = SignedInSession.objects.all()
    assert (recorded.user, recorded.session_key) == (person, key_of(browser))
    browser.post("/journal/sign-out/")
    assert not SignedInSession.objects.exists()
    assert is_gone(recorded.session_key)


def test_signing_in_forgets_the_keys_of_that_person_s_ended_sessions(engine, person):
    expired, deleted = signed_in(person), signed_in(person)
    Session.objects.filter(session_key=key_of(expired)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    session_store()(key_of(deleted)).delete()
    browser = signed_in(person)
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [key_of(browser)]


def test_opening_an_account_in_a_browser_signed_in_to_another_records_the_new_session(
    engine, other_person
):
    browser = signed_in(other_person)
    data = {"email": "cy@example.com", "password1": PASSWORD, "password2": PASSWORD}
    Client().post("/journal/sign-up/", {**data, "time_zone": "UTC"})
    link = re.search(r"http://testserver(/journal/sign-up/\S+/)", sent_emails()[-1].body)[1]
    browser.get(link)
    person = User.objects.get(email="cy@example.com")
    assert int(browser.session["_auth_user_id"]) == person.pk
    (recorded,) = SignedInSession.objects.filter(user=person)
    assert recorded.session_key == key_of(browser)
    assert is_kept(recorded.session_key)


def test_the_worker_deletes_expired_sessions_hourly_and_forgets_their_keys(
    engine, person, monkeypatch
):
    ended, live = signed_in(person), signed_in(person)
    anonymous = Client()
    answer(anonymous, *FULL_PATH[0])
    ended_key, live_key, anonymous_key = key_of(ended), key_of(live), key_of(anonymous)
    past = timezone.now() - timedelta(seconds=1)
    Session.objects.filter(session_key__in=[ended_key, anonymous_key]).update(expire_date=past)
    monkeypatch.setattr(sessions, "_cleared_at", float("-inf"))

    worker_housekeeping.send(sender=object)

    assert not Session.objects.filter(session_key__in=[ended_key, anonymous_key]).exists()
    assert is_kept(live_key)
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [live_key]
    # Then not again for an hour.
    Session.objects.filter(session_key=live_key).update(expire_date=past)
    worker_housekeeping.send(sender=object)
    assert Session.objects.filter(session_key=live_key).exists()


def test_sessions_signed_in_before_the_record_began_are_recorded_by_the_migration(engine):
    person, other = UserFactory(), UserFactory()
    browsers = [signed_in(person), signed_in(person), signed_in(other)]
    Client().post("/journal/sign-in/", {"username": person.email, "password": "wrong"})
    answer(Client(), *FULL_PATH[0])
    expired = signed_in(other)
    Session.objects.filter(session_key=key_of(expired)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    SignedInSession.objects.all().delete()

    migration = import_module("accounts.migrations.0002_account_emails_and_signed_in_sessions")
    state = MigrationLoader(connection).project_state(
        ("accounts", "0002_account_emails_and_signed_in_sessions")
    )
    migration.record_signed_in_sessions(state.apps, None)

    assert set(SignedInSession.objects.values_list("session_key", "user_id")) == {
        (key_of(browsers[0]), person.pk),
        (key_of(browsers[1]), person.pk),
        (key_of(browsers[2]), other.pk),
    }
