"""Limits on password checks, emails and imports: counted in the database, shown calmly."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from journal.models import ThrottleHit, User
from tests.journal.factories import PASSWORD, UserFactory
from tests.tasks import run_tasks, sent_emails

pytestmark = pytest.mark.django_db


def test_deleting_the_account_stops_checking_passwords_after_ten_tries(person_client, person):
    for _ in range(10):
        response = person_client.post("/journal/account/delete/", {"password": "a-guess"})
        assert "That password is not right" in response.content.decode()
    response = person_client.post("/journal/account/delete/", {"password": PASSWORD})
    assert response.status_code == 429
    assert "Too many password attempts" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert User.objects.filter(pk=person.pk).exists()


def test_password_change_and_deletion_share_one_count(person_client, person):
    for _ in range(5):
        person_client.post("/journal/account/delete/", {"password": "a-guess"})
    data = {"old_password": "a-guess", "new_password1": "n3w-pass-word", "new_password2": "x"}
    for _ in range(5):
        assert person_client.post("/journal/account/password/", data).status_code == 200
    data = {
        "old_password": PASSWORD,
        "new_password1": "a-brand-new-pass-2",
        "new_password2": "a-brand-new-pass-2",
    }
    response = person_client.post("/journal/account/password/", data)
    assert response.status_code == 429
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_hour_later_passwords_are_checked_again(person_client, person):
    for _ in range(10):
        person_client.post("/journal/account/delete/", {"password": "a-guess"})
    ThrottleHit.objects.update(at=timezone.now() - timedelta(hours=1, minutes=1))
    response = person_client.post("/journal/account/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("has_account", [True, False])
def test_reset_emails_stop_after_three_an_hour_for_any_address(client, has_account):
    email = "ana@example.com"
    if has_account:
        UserFactory(email=email)
    for _ in range(3):
        response = client.post("/journal/password-reset/", {"email": email})
        assert response["Location"] == "/journal/password-reset/sent/"
    response = client.post("/journal/password-reset/", {"email": email.upper()})
    assert response.status_code == 429
    assert "Too many reset requests" in response.content.decode()
    assert len(sent_emails()) == (3 if has_account else 0)


def test_one_network_asking_for_many_emails_is_stopped(client):
    for number in range(20):
        response = client.post("/journal/password-reset/", {"email": f"p{number}@example.com"})
        assert response.status_code == 302
    response = client.post("/journal/password-reset/", {"email": "p99@example.com"})
    assert response.status_code == 429
    assert "from your network" in response.content.decode()


def test_sign_up_emails_stop_after_three_an_hour_for_an_address(client):
    data = {
        "email": "new@example.com",
        "password1": "a-long-password-1",
        "password2": "a-long-password-1",
        "time_zone": "UTC",
    }
    for _ in range(3):
        assert client.post("/journal/sign-up/", data).status_code == 200
    response = client.post("/journal/sign-up/", data)
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert len(sent_emails()) == 3


def test_imports_stop_after_ten_an_hour(person_client):
    content = json.dumps({"format": "twitch-check-journal", "version": 1}).encode()
    for _ in range(10):
        upload = SimpleUploadedFile("journal.json", content, "application/json")
        assert person_client.post("/journal/import/", {"file": upload}).status_code == 302
        run_tasks()
    upload = SimpleUploadedFile("journal.json", content, "application/json")
    response = person_client.post("/journal/import/", {"file": upload})
    assert response.status_code == 429
    assert "Too many imports" in response.content.decode()


def test_the_counts_keep_no_email_or_network_address(client):
    client.post("/journal/password-reset/", {"email": "ana@example.com"})
    keys = list(ThrottleHit.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("ana" in key or "127.0.0.1" in key for key in keys)
