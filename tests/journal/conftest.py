import pytest
from django.test import Client

from journal.models import User
from tests.journal.factories import UserFactory


@pytest.fixture
def person(db) -> User:
    return UserFactory(email="ana@example.com")


@pytest.fixture
def other_person(db) -> User:
    return UserFactory(email="ben@example.com")


@pytest.fixture
def person_client(client: Client, person: User) -> Client:
    client.force_login(person)
    return client
