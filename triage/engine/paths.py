"""Every answer path through a ruleset, and the paths whose level differs between two.

A ruleset change is reviewed as the list of answer paths whose level changes, so no
change to the rules can move an outcome without that outcome being listed.
"""

from dataclasses import dataclass

from triage.engine.assess import assess
from triage.engine.model import Ruleset

Path = tuple[tuple[str, str], ...]


def complete_answer_sets(ruleset: Ruleset) -> list[dict[str, str]]:
    """Walk the flow: every path the questionnaire can take, with every answer on it."""
    finished = []
    pending: list[dict[str, str]] = [{}]
    while pending:
        answers = pending.pop()
        question = ruleset.next_question(answers)
        if question is None:
            finished.append(answers)
            continue
        pending.extend({**answers, question.id: value} for value in question.values)
    return finished


@dataclass(frozen=True)
class LevelChange:
    """One answer path and its level under each ruleset; None where it is not a path there."""

    path: Path
    old: str | None
    new: str | None

    def __str__(self) -> str:
        answers = ", ".join(f"{qid}={value}" for qid, value in self.path)
        return f"{answers}: {self.old or '(not a path)'} -> {self.new or '(not a path)'}"


def path_level(ruleset: Ruleset, path: Path) -> str | None:
    """The level `ruleset` gives a path, or None if the path is not one of its own."""
    answers = dict(path)
    for qid, value in path:
        try:
            if value not in ruleset.question(qid).values:
                return None
        except KeyError:
            return None
    if ruleset.next_question(answers) is not None:
        return None
    if {q.id for q in ruleset.applicable_questions(answers)} != set(answers):
        return None
    return assess(answers, ruleset).level.id


def ruleset_diff(old: Ruleset, new: Ruleset) -> list[LevelChange]:
    """Each answer path of either ruleset whose level is not the same in both."""
    paths = {tuple(answers.items()) for answers in complete_answer_sets(old)}
    paths |= {tuple(answers.items()) for answers in complete_answer_sets(new)}
    order = {q.id: index for index, q in enumerate(new.questions)}
    changes = []
    for path in sorted(paths, key=lambda p: [(order.get(qid, 99), value) for qid, value in p]):
        before, after = path_level(old, path), path_level(new, path)
        if before != after:
            changes.append(LevelChange(path, before, after))
    return changes
