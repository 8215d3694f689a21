"""The user model: sign-up, opening an account, its time zone and deleting it."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from journal.models import Entry, Plan, SavedCheck
from tests.accounts.factories import UserFactory
from tests.journal.factories import EntryFactory, SavedCheckFactory

pytestmark = pytest.mark.django_db


def test_sign_up_stores_the_time_zone_and_a_hashed_password_in_an_account_not_yet_open():
    user = User.objects.sign_up("cy@example.com", "a-long-password-1", "Asia/Tokyo")
    assert (user.time_zone, user.is_active) == ("Asia/Tokyo", False)
    assert user.check_password("a-long-password-1")
    assert "a-long-password-1" not in user.password
    assert User.objects.get(email="cy@example.com") == user


def test_signing_up_again_leaves_an_open_account_as_it_is(person):
    same = User.objects.sign_up(person.email, "another-password-2", "Asia/Tokyo")
    person.refresh_from_db()
    assert same == person
    assert person.time_zone == "Europe/London"
    assert not person.check_password("another-password-2")


def test_an_account_opens_once_from_its_own_link():
    user = User.objects.sign_up("cy@example.com", "a-long-password-1", "UTC")
    uidb64, token = user.sign_up_link().strip("/").split("/")[-2:]
    assert User.objects.open_account(uidb64, "wrong-token") is None
    assert User.objects.open_account(uidb64, token) == user
    assert User.objects.get().is_active
    assert User.objects.open_account(uidb64, token) is None


def test_a_person_s_time_zone_falls_back_to_the_site_s_when_unknown(settings):
    assert User(time_zone="Asia/Tokyo").zone == ZoneInfo("Asia/Tokyo")
    assert User(time_zone="Mars/Olympus_Mons").zone == ZoneInfo(settings.TIME_ZONE)


def test_deleting_an_account_deletes_every_entry_saved_check_and_plan_at_once(person, other_person):
    EntryFactory.create_batch(5, user=person)
    SavedCheckFactory(user=person)
    Plan.objects.create(user=person, started_on=date(2026, 11, 20))
    EntryFactory(user=other_person)
    person.delete_account()
    assert list(User.objects.all()) == [other_person]
    assert Entry.objects.count() == 1
    assert SavedCheck.objects.count() == 0
    assert Plan.objects.count() == 0


def test_the_user_table_keeps_the_name_the_journal_gave_it():
    assert User._meta.db_table == "journal_user"
    assert UserFactory()._meta.app_label == "accounts"
