import pytest
from django.test import Client

FULL_PATH = [
    ("emergency_signs", "no"),
    ("area", "elsewhere"),
    ("duration", "under_2_weeks"),
    ("spread", "one_area"),
    ("weakness", "no"),
    ("wasting", "no"),
    ("numbness", "no"),
    ("speech_swallow", "no"),
    ("family_history", "no"),
    ("worsening", "no"),
    ("self_care_tried", "not_tried"),
]


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
