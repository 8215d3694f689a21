import pytest
from django.test import Client

from tests.triage.answer_sets import BENIGN

FULL_PATH = list(BENIGN.items())


def answer(client: Client, question_id: str, value: str, **extra):
    return client.post(f"/check/q/{question_id}/", {"answer": value}, **extra)


@pytest.fixture
def answer_all():
    """Answer every question of the full path, with some answers changed."""

    def answer_all(client: Client, **changes: str) -> None:
        for question_id, value in FULL_PATH:
            response = answer(client, question_id, changes.get(question_id, value))
            assert response.status_code == 302, (question_id, response.status_code)

    return answer_all
