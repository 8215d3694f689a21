"""Accounts: sign up, sign in with an email, sign out, passwords, time zone and deletion."""

import re
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from journal.models import Entry, SavedCheck
from tests.accounts.factories import PASSWORD, UserFactory
from tests.journal.factories import EntryFactory, SavedCheckFactory
from tests.tasks import sent_emails

pytestmark = pytest.mark.django_db


NEW_PASSWORD = "a-long-password-1"


def sign_up(client, email: str, password: str = NEW_PASSWORD, time_zone: str = "UTC"):
    data = {"email": email, "password1": password, "password2": password, "time_zone": time_zone}
    return client.post("/journal/sign-up/", data)


def opening_link(message) -> str:
    return re.search(r"http://testserver(/journal/sign-up/\S+/)", message.body)[1]


def test_signing_up_emails_a_link_that_opens_the_account_and_the_journal(client):
    response = sign_up(client, "New.Person@Example.com", time_zone="America/New_York")
    assert response.status_code == 200
    assert "We have sent an email to new.person@example.com" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user = User.objects.get()
    assert (user.email, user.time_zone, user.is_active) == (
        "new.person@example.com",
        "America/New_York",
        False,
    )
    (message,) = sent_emails()
    assert message.to == ["new.person@example.com"]
    assert message.subject == "Open your Twitch Check account"
    opened = client.get(opening_link(message), follow=True)
    assert opened.redirect_chain[-1][0] == "/journal/"
    assert "Your account is ready" in opened.content.decode()
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert user.is_active


def test_an_opening_link_works_once(client):
    sign_up(client, "new@example.com")
    link = opening_link(sent_emails()[0])
    client.get(link)
    client.post("/journal/sign-out/")
    again = client.get(link)
    assert again.status_code == 400
    assert "This link no longer works" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_nobody_has_opened_cannot_sign_in(client):
    sign_up(client, "new@example.com")
    response = client.post(
        "/journal/sign-in/", {"username": "new@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_up_with_an_address_in_use_looks_the_same_and_tells_its_holder(client, person):
    token = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF token, new on every page
    taken = sign_up(client, person.email.upper())
    fresh = sign_up(client, "nobody-yet@example.com")
    assert taken.status_code == fresh.status_code == 200
    assert token.sub("", taken.content.decode()).replace(person.email, "X") == token.sub(
        "", fresh.content.decode()
    ).replace("nobody-yet@example.com", "X")
    assert [m.to for m in sent_emails()] == [[person.email], ["nobody-yet@example.com"]]
    assert sent_emails()[0].subject == "Your Twitch Check account"
    assert "You already have one" in sent_emails()[0].body
    assert "/journal/password-reset/" in sent_emails()[0].body
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert User.objects.count() == 2


def test_a_stranger_cannot_hold_an_address_by_signing_up_with_it_first(client):
    sign_up(client, "victim@example.com", password="the-strangers-pass-1")
    (strangers,) = sent_emails()
    sign_up(client, "victim@example.com", password="the-owners-pass-22")
    owners = sent_emails()[1]
    assert client.get(opening_link(strangers)).status_code == 400
    opened = client.get(opening_link(owners), follow=True)
    assert opened.redirect_chain[-1][0] == "/journal/account/choose-password/?next=%2Fjournal%2F"
    assert "Choose your password" in opened.content.decode()
    user = User.objects.get()
    assert user.is_active
    assert not user.check_password("the-strangers-pass-1")
    assert not user.check_password("the-owners-pass-22")


def test_two_sign_ups_with_different_passwords_keep_neither_and_the_opener_chooses(client):
    sign_up(client, "victim@example.com", password="the-owners-pass-22")
    sign_up(client, "victim@example.com", password="the-strangers-pass-1")
    (message,) = sent_emails()
    assert "you will choose your password when you open your account" in message.body
    client.get(opening_link(message))
    chosen = client.post(
        "/journal/account/choose-password/?next=/journal/",
        {"new_password1": "owners-new-pass-333", "new_password2": "owners-new-pass-333"},
    )
    assert chosen.url == "/journal/"
    user = User.objects.get()
    assert user.check_password("owners-new-pass-333")
    assert not user.check_password("the-strangers-pass-1")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signing_up_again_with_the_same_password_keeps_it(client):
    sign_up(client, "new@example.com")
    sign_up(client, "new@example.com", time_zone="Asia/Tokyo")
    (message,) = sent_emails()
    assert "choose your password" not in message.body
    opened = client.get(opening_link(message), follow=True)
    assert opened.redirect_chain[-1][0] == "/journal/"
    user = User.objects.get()
    assert (user.check_password(NEW_PASSWORD), user.time_zone) == (True, "Asia/Tokyo")


def test_an_account_opened_without_a_password_can_still_reset_one(client):
    sign_up(client, "new@example.com", password="first-pass-1111")
    sign_up(client, "new@example.com", password="other-pass-2222")
    client.get(opening_link(sent_emails()[0]))
    client.post("/journal/sign-out/")
    client.post("/journal/password-reset/", {"email": "new@example.com"})
    assert sent_emails()[-1].subject == "Reset your Twitch Check password"


def test_choosing_a_password_is_only_for_an_account_without_one(person_client):
    response = person_client.get("/journal/account/choose-password/?next=https://evil.example/")
    assert response.url == "/journal/"


def test_sign_up_errors_are_shown_beside_the_fields_and_keep_the_email(client):
    response = client.post(
        "/journal/sign-up/",
        {"email": "ana@example.com", "password1": "short", "password2": "other", "time_zone": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="ana@example.com"' in html
    assert User.objects.count() == 0


def test_signing_in_with_the_email_whatever_its_capitals(client, person):
    response = client.post(
        "/journal/sign-in/", {"username": "ANA@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    assert int(client.session["_auth_user_id"]) == person.pk


def test_signing_out_needs_a_post(person_client):
    assert person_client.get("/journal/sign-out/").status_code == 405
    response = person_client.post("/journal/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in person_client.session


def test_the_sixth_wrong_password_meets_a_friendly_locked_page(client, person):
    for _ in range(5):
        client.post("/journal/sign-in/", {"username": person.email, "password": "wrong"})
    response = client.post("/journal/sign-in/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html
    assert "reset your password" in html
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_plain_text_link_that_sets_a_new_password(client, person):
    response = client.post("/journal/password-reset/", {"email": person.email})
    assert response["Location"] == "/journal/password-reset/sent/"
    (message,) = sent_emails()
    assert message.subject == "Reset your Twitch Check password"
    assert not message.alternatives
    assert "<" not in message.body
    link = re.search(r"http://testserver(/journal/password-reset/\S+/)", message.body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-2", "new_password2": "a-brand-new-pass-2"},
    )
    assert done["Location"] == "/journal/password-reset/complete/"
    person.refresh_from_db()
    assert person.check_password("a-brand-new-pass-2")


def test_a_used_or_wrong_reset_link_says_so_calmly(client):
    response = client.get("/journal/password-reset/MQ/wrong-token/")
    assert "This link no longer works" in response.content.decode()


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client):
    response = client.post("/journal/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/journal/password-reset/sent/"
    assert sent_emails() == []


def statements(queries) -> list[str]:
    """Each SQL statement without its values: what work it does, not for whom."""
    return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", query["sql"]) for query in queries]


def test_password_reset_does_the_same_work_for_any_address_and_leaves_sending_to_the_worker(
    client, person
):
    UserFactory(email="ben@example.com")
    with CaptureQueriesContext(connection) as known:
        known_answer = client.post("/journal/password-reset/", {"email": person.email})
    with CaptureQueriesContext(connection) as unknown:
        unknown_answer = client.post("/journal/password-reset/", {"email": "nobody@example.com"})
    assert known_answer["Location"] == unknown_answer["Location"]
    assert statements(known) == statements(unknown)
    assert not any('"journal_user"' in query for query in statements(known))
    assert mail.outbox == []
    assert [message.to for message in sent_emails()] == [[person.email]]


def change_password(client, old_password: str):
    new = "another-long-pass-3"
    data = {"old_password": old_password, "new_password1": new, "new_password2": new}
    return client.post("/journal/account/password/", data)


def test_changing_the_password(person_client, person):
    response = change_password(person_client, PASSWORD)
    assert response["Location"] == "/journal/account/password/done/"
    person.refresh_from_db()
    assert person.check_password("another-long-pass-3")


def test_a_changed_password_is_told_to_the_account_holder_with_a_way_to_undo_it(client):
    person = UserFactory(email="ana@example.com", time_zone="Asia/Tokyo")
    client.force_login(person)
    today = timezone.localdate(timezone=ZoneInfo("Asia/Tokyo"))
    change_password(client, PASSWORD)
    (message,) = sent_emails()
    assert (message.to, message.subject) == (
        [person.email],
        "Your Twitch Check password was changed",
    )
    assert f"was changed on {today:%-d %B %Y} at " in message.body
    assert "(Asia/Tokyo time)" in message.body
    assert "If you did not, someone else may know your password." in message.body
    assert "http://testserver/journal/password-reset/" in message.body


def test_a_password_set_from_a_reset_link_is_told_to_the_account_holder_too(client, person):
    client.post("/journal/password-reset/", {"email": person.email})
    (reset,) = sent_emails()
    link = re.search(r"http://testserver(/journal/password-reset/\S+/)", reset.body)[1]
    form_page = client.get(link, follow=True)
    new = {"new_password1": "a-brand-new-pass-2", "new_password2": "a-brand-new-pass-2"}
    client.post(form_page.redirect_chain[-1][0], new)
    assert [m.subject for m in sent_emails()] == [
        "Reset your Twitch Check password",
        "Your Twitch Check password was changed",
    ]


def test_a_wrong_current_password_changes_nothing_and_tells_no_one(person_client, person):
    response = change_password(person_client, "not-it")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert sent_emails() == []


def test_deleting_the_account_needs_the_password(person_client, person):
    EntryFactory(user=person)
    response = person_client.post("/journal/account/delete/", {"password": "not-it"})
    assert "That password is not right" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert Entry.objects.count() == 1


def test_deleting_the_account_erases_the_person_and_their_whole_journal(
    person_client, person, other_person
):
    EntryFactory.create_batch(3, user=person)
    SavedCheckFactory(user=person)
    EntryFactory(user=other_person)
    response = person_client.post("/journal/account/delete/", {"password": PASSWORD}, follow=True)
    assert "Your account and everything in your journal are deleted" in response.content.decode()
    assert not User.objects.filter(pk=person.pk).exists()
    assert Entry.objects.filter(user_id=person.pk).count() == 0
    assert SavedCheck.objects.count() == 0
    assert Entry.objects.count() == 1
    assert "_auth_user_id" not in person_client.session


def test_a_successful_sign_in_leaves_no_record(client, person):
    client.post("/journal/sign-in/", {"username": person.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert not AccessLog.objects.exists()


def test_deleting_the_account_erases_its_failed_sign_in_attempts(client, person):
    client.post("/journal/sign-in/", {"username": person.email, "password": "wrong-guess-1"})
    client.post("/journal/sign-in/", {"username": "ben@example.com", "password": "wrong-guess"})
    assert AccessAttempt.objects.filter(username=person.email).exists()
    client.force_login(person)
    client.post("/journal/account/delete/", {"password": PASSWORD})
    assert not User.objects.filter(pk=person.pk).exists()
    assert not AccessAttempt.objects.filter(username=person.email).exists()
    assert AccessAttempt.objects.filter(username="ben@example.com").exists()


def test_changing_the_time_zone(person_client, person):
    response = person_client.post("/journal/account/", {"time_zone": "Australia/Sydney"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "Australia/Sydney"
    bad = person_client.post("/journal/account/", {"time_zone": "Nowhere/Atlantis"})
    assert "Choose a time zone from the list." in bad.content.decode()


def test_the_admin_lists_people_but_is_no_way_into_their_journals(client):
    assert admin.site.is_registered(User)
    assert not admin.site.is_registered(Entry)
    assert not admin.site.is_registered(SavedCheck)
    staff = User.objects.create_superuser("admin@example.com", PASSWORD)
    person = UserFactory()
    EntryFactory(user=person, notes="private-note-in-admin")
    client.force_login(staff)
    for path in ("/admin/accounts/user/", f"/admin/accounts/user/{person.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "private-note-in-admin" not in response.content.decode()
    assert client.get("/admin/journal/entry/").status_code == 404
    assert client.get("/admin/journal/savedcheck/").status_code == 404


def test_staff_can_add_a_person_by_email_in_the_admin(client):
    client.force_login(User.objects.create_superuser("admin@example.com", PASSWORD))
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "added@example.com",
            "usable_password": "true",
            "password1": "a-long-password-9",
            "password2": "a-long-password-9",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="added@example.com").check_password("a-long-password-9")


def test_an_account_made_by_createsuperuser_with_capitals_can_sign_in(client):
    call_command("createsuperuser", email="Ana.Admin@Example.com", interactive=False, verbosity=0)
    admin = User.objects.get()
    assert admin.email == "ana.admin@example.com"
    admin.set_password(PASSWORD)
    admin.save()
    for typed in ("Ana.Admin@Example.com", "ana.admin@example.com"):
        client.logout()
        response = client.post("/journal/sign-in/", {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed


def test_an_account_added_in_the_admin_with_capitals_can_sign_in(client):
    client.force_login(User.objects.create_superuser("admin@example.com", PASSWORD))
    client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Added.Person@Example.com",
            "usable_password": "true",
            "password1": "a-long-password-9",
            "password2": "a-long-password-9",
        },
    )
    client.logout()
    response = client.post(
        "/journal/sign-in/",
        {"username": "Added.Person@Example.com", "password": "a-long-password-9"},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="added.person@example.com").exists()


def lower_case_migration():
    return import_module("journal.migrations.0006_lower_case_emails").lower_case_emails


def apps_at_the_lower_case_migration():
    """The models as that migration knew them: the user model was then the journal's."""
    migration = ("journal", "0006_lower_case_emails")
    return MigrationLoader(connection).project_state(migration).apps


def test_the_migration_lower_cases_addresses_stored_with_capitals():
    User.objects.bulk_create([User(email="Old.Person@Example.com"), User(email="b@example.com")])
    lower_case_migration()(apps_at_the_lower_case_migration(), None)
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "b@example.com",
        "old.person@example.com",
    ]


def test_the_migration_refuses_addresses_that_differ_only_in_capitals():
    User.objects.bulk_create([User(email="Twin@Example.com"), User(email="twin@example.com")])
    with pytest.raises(RuntimeError, match=re.escape("twin@example.com")):
        lower_case_migration()(apps_at_the_lower_case_migration(), None)
    assert User.objects.filter(email="Twin@Example.com").exists()


def test_the_sign_up_page_lists_time_zones_by_place_with_the_uk_chosen(client):
    html = client.get("/journal/sign-up/").content.decode()
    chosen = re.search(r'<input[^>]*value="Europe/London"[^>]*>', html)[0]
    assert "checked" in chosen
    for place in ("UK (London)", "Ireland (Dublin)", "US Eastern (New York)", "Other time zone"):
        assert place in html
    assert '<option value="Asia/Ulaanbaatar">' in html


def test_signing_up_with_another_time_zone_from_the_full_list(client):
    sign_up(client, "new@example.com", time_zone="other")
    assert User.objects.count() == 0
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "time_zone": "other"}
    client.post(
        "/journal/sign-up/",
        {**data, "email": "new@example.com", "other_time_zone": "Asia/Ulaanbaatar"},
    )
    assert User.objects.get().time_zone == "Asia/Ulaanbaatar"


def test_a_missing_other_time_zone_is_named_in_the_error_summary(client):
    response = sign_up(client, "new@example.com", time_zone="other")
    html = response.content.decode()
    assert 'href="#id_other_time_zone">Choose your time zone from the list.' in html
