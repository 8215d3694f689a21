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
    """Each answer path of either ruleset whose level is not the same in both.

    Where `new` says how the answers of `old` read in it (its `[previous]` table, naming
    `old`'s version), each old path is compared with the paths it stands for in `new`, and
    a path only `new` has (an answer `old` did not offer) is listed as new.
    """
    order = {q.id: index for index, q in enumerate(new.questions)}

    def key(answers: dict[str, str]) -> Path:
        return tuple(sorted(answers.items(), key=lambda pair: (order.get(pair[0], 99), pair)))

    translate = new.previous is not None and new.previous.version == old.version
    compared: dict[Path, str | None] = {}
    for answers in complete_answer_sets(old):
        before = path_level(old, tuple(answers.items()))
        for translated in (
            new.previous.translate(tuple(answers.items())) if translate else [answers]
        ):
            asked = {q.id for q in new.applicable_questions(translated)}
            compared[key({q: v for q, v in translated.items() if q in asked})] = before
    for answers in complete_answer_sets(new):
        compared.setdefault(key(answers), None)
    changes = []
    for path in sorted(compared, key=lambda p: [(order.get(qid, 99), value) for qid, value in p]):
        before, after = compared[path], path_level(new, path)
        if not translate and before is None:
            before = path_level(old, path)
        if before != after:
            changes.append(LevelChange(path, before, after))
    return changes
