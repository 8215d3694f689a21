"""What `ruleset.toml` must hold, declared: each table of the file is a pydantic model.

A reference from one part of the file to another (a level, a question and its answers, a
source, an explainer page, a rule, a checklist item) is a validator that looks the name up
among what the file has declared so far (`Known`, the validation context). The file is read
in the order of `RulesetFile`'s fields, and each question is known once it has been read,
so a question's `ask_when` can only name an earlier question. The few checks that need the
whole file are validators of `RulesetFile` itself.

`message` names the place of a problem as a person editing the file would look for it
("question 'area': 'error' is missing."); `loader.py` builds the engine's frozen
dataclasses (`model.py`) from a valid file. `assess()` never touches any of this.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PositiveFloat,
    PositiveInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from triage.engine.model import AnyOf, Condition

PHONE_NUMBER = re.compile(r"^[0-9]{2,6}$")
NUMBER_IN_TEXT = re.compile(r"\b[0-9]{3}\b")
# What a finding that is not a rule of the file is called, for `[reassurance] rules`.
OTHER_FINDINGS = frozenset({"no_warning_signs", "checklist", "checklist_routine"})


@dataclass
class Known:
    """What the file has declared so far: the validation context of `RulesetFile`."""

    explainers: frozenset[str] = frozenset()
    sources: dict[str, "SourceSpec"] = field(default_factory=dict)
    levels: frozenset[str] = frozenset()
    # Each question read so far, with the answers it offers.
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each rule, with its level.
    rules: dict[str, str] = field(default_factory=dict)


def problem(text: str, *, after: str = ": ") -> PydanticCustomError:
    """A problem with the part of the file being read: its message is the part's name,
    then `after`, then `text`."""
    return PydanticCustomError("ruleset_part", "{text}", {"text": text, "after": after})


def whole(text: str) -> PydanticCustomError:
    """A problem whose message names its own place."""
    return PydanticCustomError("ruleset", "{text}", {"text": text})


# References -----------------------------------------------------------------------------


def _known(kind: str, what: str) -> AfterValidator:
    """A name that must be among the file's `kind` read so far."""

    def check(value: str, info: ValidationInfo) -> str:
        if value not in getattr(info.context, kind):
            raise problem(f"{what} '{value}'")
        return value

    return AfterValidator(check)


def _linked(value: str, info: ValidationInfo) -> str:
    if not info.context.sources[value].url:
        raise problem(f"deviation_source '{value}' must have a url")
    return value


def _condition(raw: Any, info: ValidationInfo) -> Condition:
    """Every named question's answer must be one of the named answers."""
    if not isinstance(raw, dict) or not raw:
        raise problem("a condition must name at least one question")
    requires = []
    for qid, answers in raw.items():
        values = info.context.questions.get(qid)
        if values is None:
            raise problem(f"unknown question id '{qid}'")
        answers = [answers] if isinstance(answers, str) else answers
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise problem(f"the answers to question '{qid}' must be a list of answers")
        for answer in answers:
            if answer not in values:
                raise problem(
                    f"'{answer}' is not an answer to question '{qid}' "
                    f"(allowed: {', '.join(values)})"
                )
        requires.append((qid, frozenset(answers)))
    return Condition(tuple(requires))


def _any_condition(raw: Any, info: ValidationInfo) -> Condition | AnyOf:
    """One condition, or a list of conditions of which any may hold."""
    if not isinstance(raw, list):
        return _condition(raw, info)
    if not raw:
        raise problem("a condition must name at least one question")
    return AnyOf(tuple(_condition(option, info) for option in raw))


def _phone_number(value: Any) -> str:
    if not isinstance(value, str) or not PHONE_NUMBER.match(value):
        raise problem(f"'{value}' is not a phone number (digits only)")
    return value


def unique(what: str, key: str = "id") -> AfterValidator:
    """Items whose ids (`key`) are all different."""

    def check(items: list) -> list:
        ids = Counter(getattr(item, key) for item in items)
        duplicates = sorted(i for i, n in ids.items() if n > 1)
        if duplicates:
            raise whole(f"Duplicate {what} id: {', '.join(duplicates)}")
        return items

    return AfterValidator(check)


Text = Annotated[str, Field(min_length=1)]
Texts = Annotated[list[Text], Field(min_length=1)]
LevelId = Annotated[str, Field(min_length=1), _known("levels", "points at missing level")]
SourceId = Annotated[str, Field(min_length=1), _known("sources", "unknown source")]
SourceIds = Annotated[list[SourceId], Field(min_length=1)]
LinkedSourceId = Annotated[SourceId, AfterValidator(_linked)]
Explainer = Annotated[str, Field(min_length=1), _known("explainers", "unknown explainer page")]
RuleId = Annotated[str, Field(min_length=1), _known("rules", "unknown rule")]
When = Annotated[Condition, PlainValidator(_condition)]
ItemWhen = Annotated[Condition | AnyOf, PlainValidator(_any_condition)]
PhoneNumber = Annotated[str, BeforeValidator(_phone_number)]


# The file's parts -----------------------------------------------------------------------


class Spec(BaseModel):
    """A part of the ruleset file. Keys it does not declare are ignored."""

    model_config = ConfigDict(extra="ignore")


class SourceSpec(Spec):
    title: Text
    url: str | None = None
    detail: str = ""


class LevelSpec(Spec):
    id: Text
    label: Text
    what_to_do: Text
    how_soon: Text
    if_worse: Text


class ChoiceSpec(Spec):
    value: Text
    label: Text


class QuestionSpec(Spec):
    id: Text
    text: Text
    # What a person sees if they continue without an answer: short, in the question's own
    # terms, as GOV.UK writes radio errors ("Select if ..."), never the whole question.
    error: Text
    kind: str = "choice"
    choices: list[ChoiceSpec] = []
    help: str = ""
    why: Text
    red_flag: bool = False
    explainer: Explainer
    ask_when: When | None = None
    ends_flow_when: list[str] = []

    @field_validator("error")
    @classmethod
    def _radio_error(cls, error: str, info: ValidationInfo) -> str:
        if not error.startswith("Select ") or error.endswith((".", "?")):
            raise problem(
                "'error' must start with 'Select ' and end without a full stop, "
                "like 'Select if you have had any of these signs'"
            )
        if "text" in info.data and info.data["text"].rstrip("?").lower() in error.lower():
            raise problem("'error' must not repeat the question")
        return error

    @model_validator(mode="after")
    def _offers_its_answers(self, info: ValidationInfo) -> Self:
        if not self.choices:
            raise problem("has no choices", after=" ")
        values = tuple(choice.value for choice in self.choices)
        duplicates = sorted(v for v, n in Counter(values).items() if n > 1)
        if duplicates:
            raise whole(f"Duplicate question '{self.id}' choice id: {', '.join(duplicates)}")
        if not set(self.ends_flow_when) <= set(values):
            raise problem("ends_flow_when names an answer it does not offer")
        info.context.questions[self.id] = values  # later questions and rules may name it
        return self


class Outcome(Spec):
    """What a finding says, and how urgent it is."""

    level: LevelId
    reason: Text
    source: SourceId
    explainer: Explainer
    note: str = ""
    journal_reason: str = ""


class RuleSpec(Outcome):
    id: Text
    when: When


class Deviating(Spec):
    """A part that may give another level than the reference article: then `deviation`
    says why, and `deviation_source` links the guidance that says so."""

    deviation: str = ""
    deviation_source: LinkedSourceId | None = None

    def differs(self) -> bool:
        return False

    @model_validator(mode="after")
    def _says_why_it_differs(self) -> Self:
        if self.differs() and not self.deviation:
            raise problem(
                "'deviation' is missing", after=" (its level differs from the article's): "
            )
        if self.deviation and self.deviation_source is None:
            raise problem("'deviation_source' is missing")
        return self


class ChecklistItemSpec(Spec):
    id: Text
    text: Text
    when: ItemWhen


class ChecklistSpec(Deviating):
    """The article's checklist: `at_least` items give `level` when one of them is in
    `needs_one_of` (every item, if that is empty), and `otherwise_level` when none is."""

    at_least: int
    level: LevelId
    reason: Text
    source: SourceId
    explainer: Explainer
    journal_reason: str = ""
    article_level: LevelId | None = None
    needs_one_of: list[str] = []
    otherwise_level: LevelId | None = None
    otherwise_reason: str = ""
    otherwise_journal_reason: str = ""
    otherwise_source: SourceId | None = None
    items: Annotated[list[ChecklistItemSpec], Field(min_length=1), unique("checklist item")]

    def differs(self) -> bool:
        return bool(self.needs_one_of) or (self.article_level or self.level) != self.level

    @model_validator(mode="after")
    def _fits_its_items(self) -> Self:
        unknown = sorted(set(self.needs_one_of) - {item.id for item in self.items})
        if unknown:
            raise problem(f"needs_one_of names unknown checklist items: {', '.join(unknown)}")
        for key in ("otherwise_level", "otherwise_reason", "otherwise_source"):
            if self.needs_one_of and not getattr(self, key):
                raise problem(f"'{key}' is missing")
        if not 1 <= self.at_least <= len(self.items):
            raise problem(f"at_least must be between 1 and {len(self.items)}, not {self.at_least}")
        return self


class RedFlagSpec(Deviating):
    """A row of the reference article's red-flag table, tied to the rule that encodes the
    product's action."""

    symptom: Text
    typical_cause: Text
    action: Text
    level: LevelId
    rule: RuleId
    article_level: LevelId
    article_action: Text

    def differs(self) -> bool:
        return self.article_level != self.level

    @field_validator("rule")
    @classmethod
    def _has_the_rules_level(cls, rule: str, info: ValidationInfo) -> str:
        level = info.data.get("level")
        if level is not None and info.context.rules[rule] != level:
            raise problem(f"level '{level}' differs from the level of rule '{rule}'")
        return rule


class SelfCareStepSpec(Spec):
    id: Text
    title: Text
    summary: Text
    details: list[str] = []


class SelfCarePlanSpec(Spec):
    goal: Text
    review: Text
    sources: SourceIds


class EyelidAdviceSpec(Deviating):
    what_to_do: Text
    if_worse: Text
    summary: Text
    self_care: Texts
    see_specialist_when: Texts
    source: SourceId
    see_doctor_when: list[str] = []
    article_specialist_when: str = ""


class EmergencyNumberSpec(Spec):
    number: PhoneNumber
    where: Text


class EmergencySignSpec(Spec):
    id: Text
    text: Text
    short: Text
    source: SourceId


class EmergencySpec(Spec):
    """The one emergency screen: every sign, with its source, and what to do."""

    call: Text
    numbers: Annotated[
        list[EmergencyNumberSpec], Field(min_length=1), unique("emergency number", key="number")
    ]
    # Every number the advice names must be here or in `numbers`: each is a tap-to-call link.
    urgent_numbers: Annotated[list[PhoneNumber], Field(min_length=1)]
    even_if_gone: Text
    came_and_went: Text
    came_and_went_source: SourceId
    remind_from_level: LevelId | None = None
    signs: Annotated[list[EmergencySignSpec], Field(min_length=1), unique("emergency sign")]


class JournalSpec(Spec):
    """How the journal reads its records: episodes, lasting twitches, how long a saved
    self-check stays current, and when the person's own ratings show it getting worse."""

    episode_gap_days: PositiveInt
    lasting_days: PositiveInt
    check_current_days: PositiveInt
    trend_days: PositiveInt
    trend_min_rated_days: PositiveInt
    worsening_bother_rise: PositiveFloat
    worsening_strength_rise: PositiveFloat
    several_areas: Text


class NoFindingsSpec(Spec):
    complete: Outcome
    incomplete: Outcome


def _known_findings(rules: list[str], info: ValidationInfo) -> list[str]:
    unknown = sorted(set(rules) - set(info.context.rules) - OTHER_FINDINGS)
    if unknown:
        raise problem(f"unknown rule ids: {', '.join(unknown)}")
    return rules


class ReassuranceSpec(Spec):
    """What a benign result says to the fear of motor neurone disease: shown only when
    every finding is one of `rules`."""

    rules: Annotated[list[str], Field(min_length=1), AfterValidator(_known_findings)]
    eyelid: Text
    body: Text
    sources: SourceIds
    explainer: Explainer


class ChildrenSpec(Spec):
    what_to_do: Text
    if_worse: Text
    source: SourceId


class PreviousSpec(Spec):
    """How the previous version's answers read in this one, for `ruleset-diff`."""

    ruleset: Text
    new_answers: dict[str, str] = {}
    split_answers: dict[str, dict[str, list[str]]] = {}

    @model_validator(mode="after")
    def _names_answers_of_this_version(self, info: ValidationInfo) -> Self:
        answers = [
            *self.new_answers.items(),
            *(
                (qid, part)
                for qid, by_value in self.split_answers.items()
                for parts in by_value.values()
                for part in parts
            ),
        ]
        for qid, value in answers:
            if value not in info.context.questions.get(qid, ()):
                raise problem(f"'{qid}={value}' is not an answer in this version")
        return self


class RulesetFile(Spec):
    """The whole file, read in the order of these fields: what a part refers to is read
    before it."""

    # Whether every number the advice names must be one to call (`_every_number_callable`).
    numbers_checked: ClassVar[bool] = True

    version: Text
    sources: Annotated[dict[str, SourceSpec], Field(min_length=1)]
    explainers: Texts
    levels: Annotated[list[LevelSpec], Field(min_length=1), unique("level")]
    questions: Annotated[list[QuestionSpec], Field(min_length=1), unique("question")]
    rules: Annotated[list[RuleSpec], Field(min_length=1), unique("rule")]
    checklist: ChecklistSpec
    red_flags: Annotated[list[RedFlagSpec], Field(min_length=1)]
    self_care_steps: Annotated[
        list[SelfCareStepSpec], Field(min_length=1), unique("self-care step")
    ]
    eyelid_advice: EyelidAdviceSpec
    emergency: EmergencySpec
    journal: JournalSpec
    no_findings: NoFindingsSpec
    audience: Text
    # The one safety-net sentence, after every "not a diagnosis".
    safety_net: Text
    self_care_plan: SelfCarePlanSpec
    reassurance: ReassuranceSpec
    children: ChildrenSpec
    previous: PreviousSpec | None = None

    @field_validator("explainers", "sources", "levels", "rules")
    @classmethod
    def _known_from_now_on(cls, value: Any, info: ValidationInfo) -> Any:
        """What later parts may refer to."""
        known = info.context
        match info.field_name:
            case "explainers":
                known.explainers = frozenset(value)
            case "sources":
                known.sources = dict(value)
            case "levels":
                known.levels = frozenset(level.id for level in value)
            case "rules":
                known.rules = {rule.id: rule.level for rule in value}
        return value

    @model_validator(mode="after")
    def _every_level_reachable(self) -> Self:
        checklist, no_findings = self.checklist, self.no_findings
        reachable = {rule.level for rule in self.rules} | {
            checklist.level,
            checklist.otherwise_level or checklist.level,
            no_findings.complete.level,
            no_findings.incomplete.level,
        }
        unreachable = [level.id for level in self.levels if level.id not in reachable]
        if unreachable:
            raise whole(f"No rule can reach level: {', '.join(unreachable)}")
        return self

    @model_validator(mode="after")
    def _every_number_callable(self) -> Self:
        """A number in the advice that is not in [emergency] could not be tapped to call."""
        if not self.numbers_checked:
            return self
        known = {n.number for n in self.emergency.numbers} | set(self.emergency.urgent_numbers)
        for where, text in self._advice():
            for number in NUMBER_IN_TEXT.findall(text):
                if number not in known:
                    raise whole(
                        f"{where} names {number}, which is not in [emergency] numbers or "
                        "urgent_numbers, so it could not be shown as a number to call"
                    )
        return self

    def _advice(self) -> list[tuple[str, str]]:
        """Every piece of advice that may name a number, with its place."""
        eyelid, emergency, checklist = self.eyelid_advice, self.emergency, self.checklist
        return [
            *((f"level '{lv.id}'", f"{lv.what_to_do} {lv.if_worse}") for lv in self.levels),
            *((f"rule '{r.id}'", f"{r.reason} {r.journal_reason}") for r in self.rules),
            *(
                (f"no_findings.{name}", f"{outcome.reason} {outcome.journal_reason}")
                for name, outcome in (
                    ("complete", self.no_findings.complete),
                    ("incomplete", self.no_findings.incomplete),
                )
            ),
            ("checklist", f"{checklist.reason} {checklist.journal_reason}"),
            ("journal", self.journal.several_areas),
            ("eyelid_advice", f"{eyelid.what_to_do} {eyelid.if_worse}"),
            *(
                [("children", f"{self.children.what_to_do} {self.children.if_worse}")]
                if self.children
                else []
            ),
            ("emergency", f"{emergency.even_if_gone} {emergency.came_and_went}"),
        ]


# Earlier versions, kept in `history/`, are read with `strict=False` for `ruleset-diff`
# only: they may lack what was added since, and each lack reads as it did then. Their
# models are built when first used, so a process that reads only the current file never
# spends the time.
EARLIER = ConfigDict(extra="ignore", defer_build=True)


class EarlierQuestion(QuestionSpec):
    """Rulesets before 2026.11.3 had no `error`."""

    model_config = EARLIER

    error: Annotated[str, BeforeValidator(lambda error: error or "Select an answer")] = (
        "Select an answer"
    )


class EarlierRedFlag(RedFlagSpec):
    """Rows without the article's level took the product's level and action."""

    model_config = EARLIER

    @model_validator(mode="before")
    @classmethod
    def _as_the_article(cls, data: Any) -> Any:
        if isinstance(data, dict) and "article_level" not in data:
            return {
                **data,
                "article_level": data.get("level"),
                "article_action": data.get("action"),
            }
        return data


class EarlierEmergency(EmergencySpec):
    """Before 2026.11.4 the numbers were one sentence, and there were no urgent numbers."""

    model_config = EARLIER

    numbers: Annotated[
        list[EmergencyNumberSpec],
        BeforeValidator(lambda numbers: [] if isinstance(numbers, str) else numbers),
        unique("emergency number", key="number"),
    ]
    urgent_numbers: list[PhoneNumber] = []


class EarlierJournal(JournalSpec):
    """Before 2026.12.2 the journal counted twitches for "getting worse" and had no saved
    self-check to start from; the new fields take today's values."""

    model_config = EARLIER

    check_current_days: PositiveInt = 28
    trend_days: PositiveInt = 14
    trend_min_rated_days: PositiveInt = 3
    worsening_bother_rise: PositiveFloat = 2.0
    worsening_strength_rise: PositiveFloat = 1.0


class EarlierRulesetFile(RulesetFile):
    model_config = EARLIER

    numbers_checked: ClassVar[bool] = False

    safety_net: str = ""  # before 2026.11.5
    questions: Annotated[list[EarlierQuestion], Field(min_length=1), unique("question")]
    red_flags: Annotated[list[EarlierRedFlag], Field(min_length=1)]
    emergency: EarlierEmergency
    journal: EarlierJournal
    self_care_plan: SelfCarePlanSpec | None = None  # before 2026.12.1, as the next two
    reassurance: ReassuranceSpec | None = None
    children: ChildrenSpec | None = None


# Messages -------------------------------------------------------------------------------

# The file's lists of named items: what one is called, and the key that names it (by its
# number in the list if None).
LISTS: dict[tuple[str, ...], tuple[str, str | None]] = {
    ("levels",): ("level", "id"),
    ("questions",): ("question", "id"),
    ("rules",): ("rule", "id"),
    ("red_flags",): ("red-flag row", "symptom"),
    ("self_care_steps",): ("self-care step", "id"),
    ("checklist", "items"): ("checklist item", "id"),
    ("emergency", "signs"): ("emergency sign", "id"),
    ("emergency", "numbers"): ("emergency number", None),
    ("emergency", "urgent_numbers"): ("emergency urgent number", None),
}
TABLES = frozenset(
    {
        "checklist",
        "eyelid_advice",
        "emergency",
        "journal",
        "self_care_plan",
        "reassurance",
        "children",
        "previous",
    }
)
MISSING = frozenset({"missing", "string_too_short", "too_short"})


def _item(data: Any, loc: tuple) -> Any:
    for step in loc:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _place(loc: tuple, data: dict[str, Any]) -> tuple[str, tuple]:
    """What the part of the file at `loc` is called, and the rest of `loc` within it."""
    for prefix, (kind, key) in LISTS.items():
        size = len(prefix)
        if loc[:size] == prefix and len(loc) > size and isinstance(loc[size], int):
            item, rest = _item(data, loc[: size + 1]), loc[size + 1 :]
            name = item.get(key) if key and isinstance(item, dict) else None
            where = (
                f"{kind} '{name}'" if name and isinstance(name, str) else f"{kind} {loc[size] + 1}"
            )
            if prefix == ("questions",) and rest[:1] == ("ask_when",):
                return f"{where} ask_when", rest[1:]
            return where, rest
    match loc:
        case ("emergency", "came_and_went_source"):
            return "emergency came_and_went", ()
        case ("sources", str(source_id), *rest):
            return f"source '{source_id}'", tuple(rest)
        case ("no_findings", str(outcome), *rest):
            return f"no_findings.{outcome}", tuple(rest)
        case (str(table), *rest) if table in TABLES:
            return table, tuple(rest)
    return "ruleset", loc


def message(error: ValidationError, data: dict[str, Any]) -> str:
    """The file's first problem, naming its place."""
    first: ErrorDetails = error.errors(include_url=False)[0]
    kind, loc, context = first["type"], first["loc"], first.get("ctx", {})
    if kind == "ruleset":
        return f"{context['text']}."
    if kind in MISSING:  # named in the part that lacks it
        at = max(i for i, step in enumerate(loc) if isinstance(step, str))
        return f"{_place(loc[:at], data)[0]}: '{loc[at]}' is missing."
    where, rest = _place(loc, data)
    if kind == "ruleset_part":
        return f"{where}{context['after']}{context['text']}."
    what = f"'{rest[0]}' " if rest else ""
    return f"{where}: {what}{first['msg'].removeprefix('Input ')}."
