"""The ruleset's vocabulary: plain, frozen data that every page, result and report reads."""

from dataclasses import dataclass, field
from typing import Any

Answers = dict[str, str]


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Condition:
    """Every listed question's answer must be one of its listed values."""

    requires: tuple[tuple[str, frozenset[str]], ...]

    def matches(self, answers: dict[str, str]) -> bool:
        return all(answers.get(qid) in values for qid, values in self.requires)

    def question_ids(self) -> tuple[str, ...]:
        return tuple(qid for qid, _ in self.requires)

    def answers_for(self, answers: dict[str, str]) -> tuple[tuple[str, str], ...]:
        """The answers this condition reads, as (question id, value) pairs."""
        return tuple((qid, answers[qid]) for qid in self.question_ids() if qid in answers)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Any one of several conditions: a checklist item the article words as "this or that"."""

    options: tuple[Condition, ...]

    def matches(self, answers: dict[str, str]) -> bool:
        return any(option.matches(answers) for option in self.options)

    def question_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(qid for option in self.options for qid in option.question_ids()))

    def answers_for(self, answers: dict[str, str]) -> tuple[tuple[str, str], ...]:
        """The answers of the first option that holds (of every option if none does)."""
        for option in self.options:
            if option.matches(answers):
                return option.answers_for(answers)
        return tuple(pair for option in self.options for pair in option.answers_for(answers))


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    error: str
    kind: str
    choices: tuple[Choice, ...]
    help: str
    why: str
    red_flag: bool
    explainer: str
    ask_when: Condition | None = None
    ends_flow_when: frozenset[str] = frozenset()
    values: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(choice.value for choice in self.choices))

    def label_for(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        raise KeyError(value)


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    rank: int
    label: str
    what_to_do: str
    how_soon: str
    if_worse: str


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Condition
    level: str
    reason: str
    source: str
    explainer: str
    note: str = ""
    journal_reason: str = ""


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    when: Condition | AnyOf


@dataclass(frozen=True, slots=True)
class ChecklistRule:
    """The article's checklist: `at_least` items give `level` when one of them is in
    `needs_one_of` (every item, if that is empty), and `otherwise_level` when none is."""

    at_least: int
    level: str
    reason: str
    source: str
    explainer: str
    journal_reason: str = ""
    article_level: str = ""
    needs_one_of: frozenset[str] = frozenset()
    otherwise_level: str = ""
    otherwise_reason: str = ""
    otherwise_journal_reason: str = ""
    otherwise_source: str = ""
    deviation: str = ""
    deviation_source: Source | None = None


@dataclass(frozen=True, slots=True)
class JournalRules:
    """How the journal reads its records: episodes, lasting twitches, how long a saved
    self-check stays current, and when the person's own ratings show it getting worse."""

    episode_gap_days: int
    lasting_days: int
    check_current_days: int
    trend_days: int
    trend_min_rated_days: int
    worsening_bother_rise: float
    worsening_strength_rise: float
    several_areas: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One row of the reference article's red-flag table, tied to the rule that encodes the
    product's action. Where guidance gives another level than the article's, `deviation`
    says why and `deviation_source` names the guidance."""

    symptom: str
    typical_cause: str
    action: str
    level: str
    rule: str
    article_action: str
    article_level: str
    deviation: str = ""
    deviation_source: Source | None = None

    @property
    def differs(self) -> bool:
        return self.level != self.article_level


@dataclass(frozen=True, slots=True)
class SelfCareStep:
    id: str
    title: str
    summary: str
    details: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EyelidAdvice:
    what_to_do: str
    if_worse: str
    summary: str
    self_care: tuple[str, ...]
    see_specialist_when: tuple[str, ...]
    source: str
    see_doctor_when: tuple[str, ...] = ()
    article_specialist_when: str = ""
    deviation: str = ""
    deviation_source: Source | None = None


@dataclass(frozen=True, slots=True)
class SelfCarePlan:
    """What the plan is for and how it ends: judged by how much twitching bothers a person."""

    goal: str
    review: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Previous:
    """How the previous version's answers read in this one, for `ruleset-diff`."""

    version: str
    new_answers: tuple[tuple[str, str], ...]
    split_answers: tuple[tuple[str, str, tuple[str, ...]], ...]

    def translate(self, path: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
        """Every answer set of this version that the earlier path stands for."""
        splits = {(qid, value): parts for qid, value, parts in self.split_answers}
        options: list[dict[str, str]] = [dict(self.new_answers)]
        for qid, value in path:
            parts = splits.get((qid, value), (value,))
            options = [{**option, qid: part} for option in options for part in parts]
        return options


@dataclass(frozen=True, slots=True)
class Reassurance:
    """What a benign result says to the fear of motor neurone disease, with its sources.

    Shown only when every finding is one of `rules`."""

    rules: frozenset[str]
    eyelid: str
    body: str
    sources: tuple[Source, ...]
    explainer: str


@dataclass(frozen=True, slots=True)
class Children:
    """What a result says when the person with the twitching is a child: adults only here."""

    what_to_do: str
    if_worse: str
    source: Source


@dataclass(frozen=True, slots=True)
class EmergencySign:
    id: str
    text: str
    short: str
    source: Source


@dataclass(frozen=True, slots=True)
class EmergencyNumber:
    number: str
    where: str


@dataclass(frozen=True, slots=True)
class Emergency:
    """The one emergency screen: every sign, with its source, and what to do."""

    call: str
    numbers: tuple[EmergencyNumber, ...]
    urgent_numbers: tuple[str, ...]
    even_if_gone: str
    came_and_went: str
    came_and_went_source: Source
    signs: tuple[EmergencySign, ...]
    remind_from_level: str = ""

    @property
    def phone_numbers(self) -> tuple[str, ...]:
        """Every number the advice may name: each one is shown as a tap-to-call link."""
        return (*(n.number for n in self.numbers), *self.urgent_numbers)

    @property
    def sources(self) -> tuple[Source, ...]:
        found = [sign.source for sign in self.signs] + [self.came_and_went_source]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    level: Level
    reason: str
    triggered_by: tuple[tuple[str, str], ...]
    source: Source
    explainer: str


@dataclass(frozen=True, slots=True)
class Assessment:
    level: Level
    findings: tuple[Finding, ...]
    checklist_count: int
    checklist_matched: tuple[str, ...]
    advice: tuple[str, ...]
    if_worse: str
    show_self_care_plan: bool
    complete: bool
    unanswered: tuple[str, ...]
    ruleset_version: str
    reassurance: str = ""
    for_child: bool = False
    emergency_reminder_rank: int = 0

    @property
    def is_emergency(self) -> bool:
        return self.level.id == "emergency"

    @property
    def reminds_of_emergency_signs(self) -> bool:
        """A result urgent enough to repeat the emergency signs in one line."""
        return not self.is_emergency and self.level.rank >= self.emergency_reminder_rank

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.id,
            "level_label": self.level.label,
            "findings": [
                {
                    "rule": finding.rule_id,
                    "level": finding.level.id,
                    "reason": finding.reason,
                    "triggered_by": dict(finding.triggered_by),
                    "source": {"title": finding.source.title, "url": finding.source.url},
                }
                for finding in self.findings
            ],
            "checklist_count": self.checklist_count,
            "checklist_matched": list(self.checklist_matched),
            "unanswered": list(self.unanswered),
            "complete": self.complete,
            "ruleset_version": self.ruleset_version,
        }


@dataclass(frozen=True, slots=True, eq=False)
class Ruleset:
    """The whole ruleset; compared and hashed by identity, so caches can key on it."""

    version: str
    audience: str
    safety_net: str
    questions: tuple[Question, ...]
    levels: tuple[Level, ...]
    rules: tuple[Rule, ...]
    checklist: tuple[ChecklistItem, ...]
    checklist_rule: ChecklistRule
    red_flags: tuple[RedFlag, ...]
    self_care_steps: tuple[SelfCareStep, ...]
    eyelid_advice: EyelidAdvice
    emergency: Emergency
    sources: dict[str, Source]
    journal: JournalRules
    no_findings_complete: Rule
    no_findings_incomplete: Rule
    self_care_plan: SelfCarePlan | None = None
    reassurance: Reassurance | None = None
    children: Children | None = None
    previous: Previous | None = None
    _questions_by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _levels_by_id: dict[str, Level] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_questions_by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "_levels_by_id", {level.id: level for level in self.levels})

    def question(self, question_id: str) -> Question:
        return self._questions_by_id[question_id]

    def level(self, level_id: str) -> Level:
        return self._levels_by_id[level_id]

    def source(self, source_id: str) -> Source:
        return self.sources[source_id]

    @property
    def checklist_level(self) -> Level:
        return self.level(self.checklist_rule.level)

    @property
    def checklist_otherwise_level(self) -> Level:
        """The level of enough checklist items with none of `needs_one_of` among them."""
        return self.level(self.checklist_rule.otherwise_level or self.checklist_rule.level)

    @property
    def checklist_article_level(self) -> Level:
        return self.level(self.checklist_rule.article_level or self.checklist_rule.level)

    def applicable_questions(self, answers: dict[str, str]) -> tuple[Question, ...]:
        """The questions to ask, in order, given the answers so far.

        A question applies when its `ask_when` holds; an answer that ends the flow
        (an emergency sign) makes every later question irrelevant.
        """
        applicable = []
        for question in self.questions:
            if question.ask_when is not None and not question.ask_when.matches(answers):
                continue
            applicable.append(question)
            if answers.get(question.id) in question.ends_flow_when:
                break
        return tuple(applicable)

    def next_question(self, answers: dict[str, str]) -> Question | None:
        for question in self.applicable_questions(answers):
            if question.id not in answers:
                return question
        return None

    def validate_answer(self, question_id: str, value: object) -> str:
        question = self.question(question_id)
        cleaned = value.strip() if isinstance(value, str) else ""
        if cleaned not in question.values:
            raise ValueError(question.error)
        return cleaned
