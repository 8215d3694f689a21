"""The self-check's answers live in the visitor's session, never in the database."""

from django.contrib.sessions.backends.base import SessionBase

from triage.engine import get_ruleset

SESSION_KEY = "triage_answers"


def get_answers(session: SessionBase) -> dict[str, str]:
    """The stored answers that are still valid and still apply, in asking order."""
    ruleset = get_ruleset()
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    valid = {}
    for question in ruleset.questions:
        value = stored.get(question.id)
        if isinstance(value, str) and value in question.values:
            valid[question.id] = value
    return _still_applicable(valid)


def save_answer(session: SessionBase, question_id: str, value: str) -> dict[str, str]:
    """Store one answer, dropping answers to questions it makes irrelevant."""
    answers = _still_applicable({**get_answers(session), question_id: value})
    session[SESSION_KEY] = answers
    return answers


def clear_answers(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def _still_applicable(answers: dict[str, str]) -> dict[str, str]:
    applicable = {q.id for q in get_ruleset().applicable_questions(answers)}
    return {qid: value for qid, value in answers.items() if qid in applicable}
