"""A saved self-check result in the words of today's rules.

A result saved under an older ruleset may hold a level, questions or answers that have
gone since; each helper says what it does with those.
"""

from triage.engine import get_ruleset


def level_label(
    level_id: str, unknown: str = "A result from an older version of the self-check"
) -> str:
    """The level's words in the current rules, or `unknown` for a level they no longer have."""
    try:
        return get_ruleset().level(level_id).label
    except KeyError:
        return unknown


def readable_answers(stored: object) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The stored answers the current ruleset still accepts, and each as (question, answer).

    A result saved under an older ruleset may hold questions or values that have gone.
    """
    ruleset = get_ruleset()
    answers: dict[str, str] = {}
    rows = []
    for question_id, value in stored.items() if isinstance(stored, dict) else ():
        try:
            question = ruleset.question(str(question_id))
            answers[question.id] = ruleset.validate_answer(question.id, str(value))
        except (KeyError, ValueError):
            continue
        rows.append((question.text, question.label_for(answers[question.id])))
    return answers, rows


def saved_answer_rows(answers: dict) -> list[tuple[str, str]]:
    """Saved answers as (question, answer) in words; answers from older rules stay as saved."""
    ruleset = get_ruleset()
    rows = []
    for qid, value in answers.items():
        try:
            question = ruleset.question(qid)
            rows.append((question.text, question.label_for(value)))
        except KeyError:
            rows.append((str(qid), str(value)))
    return rows
