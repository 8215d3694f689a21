"""Limits on password checks, emails and imports: counted in the database, shown calmly."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import throttles
from accounts.models import ThrottleHit, User
from accounts.sessions import clear_ended_sessions
from tests.accounts.factories import PASSWORD, UserFactory
from tests.tasks import run_tasks, sent_emails

pytestmark = pytest.mark.django_db


def test_deleting_the_account_stops_checking_passwords_after_ten_tries(person_client, person):
    for _ in range(10):
        response = person_client.post("/journal/account/delete/", {"password": "a-guess"})
        assert "That password is not right" in response.content.decode()
    response = person_client.post("/journal/account/delete/", {"password": PASSWORD})
    assert response.status_code == 429
    assert "Too many password attempts" in response.content.decode()
    assert 3590 <= int(response["Retry-After"]) <= 3600
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
        run_tasks()
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


def use_up(client, path: str, data: dict, uses: int) -> None:
    for _ in range(uses):
        assert client.post(path, data).status_code != 429
        run_tasks()


SIGN_UP = {"password1": "a-long-password-1", "password2": "a-long-password-1", "time_zone": "UTC"}


@pytest.mark.parametrize(
    ("path", "data", "uses"),
    [
        ("/journal/account/delete/", {"password": "a-guess"}, 10),
        ("/journal/account/password/", {"old_password": "a-guess"}, 10),
        ("/journal/password-reset/", {"email": "ana@example.com"}, 3),
        ("/journal/sign-up/", {"email": "new@example.com", **SIGN_UP}, 3),
    ],
    ids=["deletion", "password change", "reset email", "sign-up email"],
)
def test_each_refusal_says_when_its_count_lets_the_next_try_through(
    person_client, path, data, uses
):
    if path == "/journal/sign-up/":
        person_client.logout()
    use_up(person_client, path, data, uses)
    ThrottleHit.objects.update(at=timezone.now() - timedelta(minutes=50))
    response = person_client.post(path, data)
    assert response.status_code == 429
    # The oldest use leaves the hour in 10 minutes; then the count is under its limit.
    assert 595 <= int(response["Retry-After"]) <= 601
    ThrottleHit.objects.update(at=timezone.now() - timedelta(minutes=60, seconds=2))
    assert person_client.post(path, data).status_code != 429


def test_a_network_asking_for_many_emails_is_told_when_it_may_ask_again(client):
    for number in range(20):
        client.post("/journal/password-reset/", {"email": f"p{number}@example.com"})
        if number == 4:
            ThrottleHit.objects.update(at=timezone.now() - timedelta(minutes=30))
    response = client.post("/journal/password-reset/", {"email": "p99@example.com"})
    assert response.status_code == 429
    # Of the 20 counted, 5 are from half an hour ago: once they leave the hour, in half
    # an hour, the 15 left are under the limit.
    assert 1795 <= int(response["Retry-After"]) <= 1801


def test_the_import_limit_says_to_try_again_within_the_hour(person_client):
    content = json.dumps({"format": "twitch-check-journal", "version": 1}).encode()
    for _ in range(11):
        upload = SimpleUploadedFile("journal.json", content, "application/json")
        response = person_client.post("/journal/import/", {"file": upload})
        run_tasks()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600


def test_retry_after_is_the_whole_window_when_nothing_sooner_is_known():
    key = "account:1"
    for _ in range(throttles.IMPORTS.uses):
        assert throttles.allow(throttles.IMPORTS, key)
    assert not throttles.allow(throttles.IMPORTS, key)
    assert 3595 <= throttles.retry_after(throttles.IMPORTS, key) <= 3600
    assert throttles.retry_after(throttles.IMPORTS) == 3600
    assert throttles.retry_after(throttles.IMPORTS, "account:2") == 3600


def test_the_workers_housekeeping_deletes_uses_older_than_any_limit_counts():
    now = timezone.now()
    ThrottleHit.objects.create(scope="shared_report", key="old", at=now - timedelta(hours=2))
    ThrottleHit.objects.create(scope="shared_report", key="new", at=now - timedelta(minutes=5))
    clear_ended_sessions()
    assert list(ThrottleHit.objects.values_list("key", flat=True)) == ["new"]


def test_no_limit_may_count_further_back_than_its_uses_are_kept():
    with pytest.raises(ValueError):
        throttles.Limit("long", 1, timedelta(days=1), "Too many", "Try tomorrow.")
