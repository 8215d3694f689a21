"""Answer sets shared by the self-check tests and the engine benchmark."""

from triage.engine import Ruleset

# Every question answered, nothing worrying: the self-care result.
BENIGN = {
    "emergency_signs": "no",
    "area": "elsewhere",
    "duration": "under_2_weeks",
    "spread": "one_area",
    "weakness": "no",
    "wasting": "no",
    "numbness": "no",
    "speech_swallow": "no",
    "family_history": "no",
    "worsening": "no",
    "self_care_tried": "not_tried",
}


def complete_answer_sets(ruleset: Ruleset) -> list[dict[str, str]]:
    """Walk the flow: every path the questionnaire can take, with every answer on it."""
    finished = []
    pending = [{}]
    while pending:
        answers = pending.pop()
        question = ruleset.next_question(answers)
        if question is None:
            finished.append(answers)
            continue
        pending.extend({**answers, question.id: value} for value in question.values)
    return finished
