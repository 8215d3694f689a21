"""The self-check's answers live in the visitor's session, never in the database."""

from datetime import date

from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse

from triage.engine import assess, get_ruleset

SESSION_KEY = "triage_answers"
SAVED_KEY = "triage_saved"
# The answers of the last few results shown in this session, each with the day it was shown.
SEEN_KEY = "triage_seen"
SEEN_LIMIT = 5
# The result shown in this run through the questions, so that reloading it is not a new check.
SHOWN_KEY = "triage_shown"


def get_answers(session: SessionBase) -> dict[str, str]:
    """The stored answers that are still valid and still apply, in asking order."""
    return _valid(session.get(SESSION_KEY))


def restore_answers(session: SessionBase, answers: object) -> dict[str, str]:
    """Put answers kept elsewhere (a sign-up's, see accounts) into this session, those
    still valid, replacing any other answers there. The same answers already there are
    left as they are, so their result is not shown as a new check."""
    valid = _valid(answers)
    if valid != get_answers(session):
        clear_answers(session)
        session[SESSION_KEY] = valid
    return valid


def _valid(stored: object) -> dict[str, str]:
    if not isinstance(stored, dict):
        return {}
    valid = {}
    for question in get_ruleset().questions:
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
    """Forget the answers (but not which results were shown: see `note_result_shown`)."""
    session.pop(SESSION_KEY, None)
    session.pop(SAVED_KEY, None)
    session.pop(SHOWN_KEY, None)


def start_run(session: SessionBase) -> None:
    """A new run through the questions: its result is a new check, not a reload."""
    session.pop(SHOWN_KEY, None)


def note_result_shown(session: SessionBase, answers: dict[str, str], today: date) -> date | None:
    """Remember that the result of `answers` was shown today, and say when a result with
    exactly these answers was last shown in an earlier run in this session, if it was.

    The session keeps only the answers of the last `SEEN_LIMIT` results and the day each
    was shown. Showing the same result again in the same run (a reload, going to "Check your
    answers" and back) is not a new check: it gives the same day as the first time.
    """
    shown = session.get(SHOWN_KEY)
    if isinstance(shown, dict) and shown.get("answers") == answers:
        return _parse_day(shown.get("earlier"))
    seen = session.get(SEEN_KEY)
    seen = [item for item in seen if _is_seen_item(item)] if isinstance(seen, list) else []
    earlier = next(
        (_parse_day(item["on"]) for item in reversed(seen) if item["answers"] == answers), None
    )
    seen = [item for item in seen if item["answers"] != answers]
    seen.append({"answers": dict(answers), "on": today.isoformat()})
    session[SEEN_KEY] = seen[-SEEN_LIMIT:]
    session[SHOWN_KEY] = {
        "answers": dict(answers),
        "earlier": earlier.isoformat() if earlier else None,
    }
    return earlier


def _is_seen_item(item: object) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("answers"), dict)
        and _parse_day(item.get("on")) is not None
    )


def _parse_day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def mark_saved(session: SessionBase, user_id: int, answers: dict[str, str], check_id: int) -> None:
    """Remember that this person saved these answers, as `check_id`, until they start again."""
    session[SAVED_KEY] = {"user": user_id, "answers": answers, "check": check_id}


def saved_check_id(session: SessionBase, user_id: int, answers: dict[str, str]) -> int | None:
    """The journal copy of exactly these answers, if this person saved them in this session.

    It stops a second press of "Save" (or a resubmitted form) from saving the same result twice.
    """
    saved = session.get(SAVED_KEY)
    if not isinstance(saved, dict) or saved.get("user") != user_id:
        return None
    if saved.get("answers") != answers or not isinstance(saved.get("check"), int):
        return None
    return saved["check"]


def has_result(answers: dict[str, str]) -> bool:
    """Every applicable question is answered, or an answer already needs emergency help."""
    if not answers:
        return False
    return get_ruleset().next_question(answers) is None or assess(answers).is_emergency


def first_unanswered_url(answers: dict[str, str]) -> str:
    """The first question still to answer, or "Check your answers" when there is none."""
    question = get_ruleset().next_question(answers)
    if question is None:
        return reverse("triage:answers")
    return reverse("triage:question", args=[question.id])


def _still_applicable(answers: dict[str, str]) -> dict[str, str]:
    applicable = {q.id for q in get_ruleset().applicable_questions(answers)}
    return {qid: value for qid, value in answers.items() if qid in applicable}
