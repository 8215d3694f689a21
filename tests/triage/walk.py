"""Walking the self-check as a visitor: one answer at a time, or the whole path."""

from django.test import Client

from tests.triage.answer_sets import BENIGN

FULL_PATH = list(BENIGN.items())


def answer(client: Client, question_id: str, value: str, **extra):
    return client.post(f"/check/q/{question_id}/", {"answer": value}, **extra)
