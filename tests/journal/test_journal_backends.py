"""The sign-in backend loads the signed-in person, with every field, and nobody else."""

import pytest
from django.test import Client

from journal.backends import PersonBackend
from journal.models import User
from tests.journal.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(email: str) -> Client:
    client = Client()
    assert (
        client.post("/journal/sign-in/", {"username": email, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_the_signed_in_person_is_loaded_whole_in_one_query(django_assert_num_queries):
    person = UserFactory(email="ana@example.com", time_zone="Asia/Tokyo")
    loaded = PersonBackend()
    with django_assert_num_queries(1):
        user = loaded.get_user(person.pk)
    assert isinstance(user, User)
    assert (user.pk, user.email, user.time_zone) == (person.pk, "ana@example.com", "Asia/Tokyo")
    assert user.journal_version == person.journal_version
    assert user.password == person.password


def test_nobody_is_loaded_for_an_unknown_id():
    assert PersonBackend().get_user(987654) is None


def test_a_deactivated_person_is_signed_out_on_their_next_request():
    person = UserFactory(email="ana@example.com")
    client = signed_in("ana@example.com")
    assert client.get("/journal/").context["user"].pk == person.pk
    User.objects.filter(pk=person.pk).update(is_active=False)
    response = client.get("/journal/entries/new/")
    assert response.status_code == 302
    assert response.url.startswith("/journal/sign-in/")


def test_a_password_change_elsewhere_ends_other_sessions():
    person = UserFactory(email="ana@example.com")
    client = signed_in("ana@example.com")
    person.set_password("a-new-long-password-2")
    person.save()
    assert client.get("/journal/entries/new/").status_code == 302


def test_sign_up_signs_in_with_the_same_backend(client):
    client.post(
        "/journal/sign-up/",
        {
            "email": "new@example.com",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
            "time_zone": "Europe/London",
        },
    )
    assert client.get("/journal/entries/new/").status_code == 200
