"""A database that cannot be reached answers a calm 503 with Retry-After, never the 500
page; any other error still answers 500."""

import sqlite3

import pytest
from django.db import DatabaseError, InterfaceError, OperationalError
from django.test import Client

from reliability.errors import database_unavailable
from tests.accounts.factories import UserFactory


def caused_by(error: Exception, cause: Exception) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("connection refused"), True),
        (InterfaceError("connection already closed"), True),
        (caused_by(OperationalError("x"), sqlite3.OperationalError("database is locked")), True),
        (caused_by(OperationalError("x"), sqlite3.OperationalError("no such table: x")), False),
        (DatabaseError("Forced update did not affect any rows."), False),
        (ValueError("a mistake"), False),
        (caused_by(RuntimeError("wrapped"), OperationalError("terminating connection")), True),
        (None, False),
    ],
)
def test_which_errors_mean_the_database_is_out_of_reach(error, unavailable):
    assert database_unavailable(error) is unavailable


@pytest.fixture
def failing_database(monkeypatch):
    def fail_with(error: Exception) -> None:
        def broken(self, *args, **kwargs):
            raise error

        monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)

    return fail_with


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/journal/", "/read/eyelid-twitching/", "/check/"])
def test_an_unreachable_database_answers_try_again_in_a_minute(client, failing_database, path):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    failing_database(OperationalError("the database system is shutting down"))
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Try again in a minute" in page
    assert "Nothing you sent was saved twice" in page
    assert "Sorry, something went wrong" not in page


@pytest.mark.django_db
def test_signing_in_while_the_database_is_out_of_reach_answers_503(failing_database):
    visitor = Client(raise_request_exception=False)
    failing_database(OperationalError("could not connect to server"))
    response = visitor.post(
        "/journal/sign-in/", {"username": "ana@example.com", "password": "a-long-password-1"}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_a_signed_in_person_sending_a_form_gets_503_not_the_session_error(client, failing_database):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    failing_database(OperationalError("server closed the connection unexpectedly"))
    response = client.post("/journal/entries/new/", {"region": "calf"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_a_session_the_database_could_not_save_answers_503_not_400(client, monkeypatch):
    """Django's session engines turn any database error on saving into a 400 ("session
    was deleted"); an outage is an outage."""
    client.raise_request_exception = False
    client.post("/check/q/emergency_signs/", {"answer": "no"})  # a session to save again

    def unreachable(self, *args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("django.contrib.sessions.models.Session.save", unreachable)
    response = client.post("/check/q/age/", {"answer": "16_or_over"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_any_other_error_still_answers_the_500_page(client, failing_database):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    failing_database(DatabaseError("a mistake in the SQL"))
    response = client.get("/journal/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
