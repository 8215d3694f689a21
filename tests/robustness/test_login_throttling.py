import pytest

pytestmark = pytest.mark.django_db


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
