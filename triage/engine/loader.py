"""Load the ruleset from TOML and refuse one that is inconsistent, naming the problem.

What the file must hold is declared in `schema.py`; this builds the engine's frozen
dataclasses (`model.py`) from a valid file.
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from triage.engine.model import (
    ChecklistItem,
    ChecklistRule,
    Children,
    Choice,
    Condition,
    Emergency,
    EmergencyNumber,
    EmergencySign,
    EyelidAdvice,
    JournalRules,
    Level,
    Previous,
    Question,
    Reassurance,
    RedFlag,
    Rule,
    Ruleset,
    SelfCarePlan,
    SelfCareStep,
    Source,
)
from triage.engine.schema import (
    ChecklistSpec,
    ChildrenSpec,
    Deviating,
    EarlierRulesetFile,
    EmergencySpec,
    EyelidAdviceSpec,
    Known,
    Outcome,
    PreviousSpec,
    QuestionSpec,
    ReassuranceSpec,
    RedFlagSpec,
    RulesetFile,
    SelfCarePlanSpec,
    message,
)

DEFAULT_PATH = Path(__file__).with_name("ruleset.toml")
HISTORY_DIR = Path(__file__).with_name("history")


class RulesetError(ValueError):
    """The ruleset data is broken; the message says where."""


def parse_ruleset(text: str, *, strict: bool = True) -> Ruleset:
    """The ruleset in `text`, checked; `strict=False` also reads an earlier version's file
    (kept in `history/`), which may lack fields added since, for `ruleset-diff`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesetError(f"The ruleset is not valid TOML: {error}.") from error
    declared = RulesetFile if strict else EarlierRulesetFile
    try:
        spec = declared.model_validate(data, context=Known())
    except ValidationError as error:
        raise RulesetError(message(error, data)) from None
    return _ruleset(spec)


# The engine's frozen dataclasses, built from a valid file -------------------------------


def _ruleset(spec: RulesetFile) -> Ruleset:
    sources = {
        sid: Source(id=sid, title=source.title, url=source.url, detail=source.detail)
        for sid, source in spec.sources.items()
    }
    no_findings = spec.no_findings
    return Ruleset(
        version=spec.version,
        audience=spec.audience,
        safety_net=spec.safety_net,
        questions=tuple(map(_question, spec.questions)),
        levels=tuple(
            Level(rank=rank, **level.model_dump()) for rank, level in enumerate(spec.levels)
        ),
        rules=tuple(_rule(rule, rule.id, rule.when) for rule in spec.rules),
        checklist=tuple(
            ChecklistItem(id=item.id, text=item.text, when=item.when)
            for item in spec.checklist.items
        ),
        checklist_rule=_checklist_rule(spec.checklist, sources),
        red_flags=tuple(_red_flag(row, sources) for row in spec.red_flags),
        self_care_steps=tuple(
            SelfCareStep(id=s.id, title=s.title, summary=s.summary, details=tuple(s.details))
            for s in spec.self_care_steps
        ),
        eyelid_advice=_eyelid_advice(spec.eyelid_advice, sources),
        emergency=_emergency(spec.emergency, sources),
        sources=sources,
        journal=JournalRules(**spec.journal.model_dump()),
        no_findings_complete=_rule(no_findings.complete, "no_warning_signs"),
        no_findings_incomplete=_rule(no_findings.incomplete, "not_enough_answers"),
        self_care_plan=_self_care_plan(spec.self_care_plan, sources),
        reassurance=_reassurance(spec.reassurance, sources),
        children=_children(spec.children, sources),
        previous=_previous(spec.previous),
    )


def _question(spec: QuestionSpec) -> Question:
    return Question(
        id=spec.id,
        text=spec.text,
        error=spec.error,
        kind=spec.kind,
        choices=tuple(Choice(value=c.value, label=c.label) for c in spec.choices),
        help=spec.help,
        why=spec.why,
        red_flag=spec.red_flag,
        explainer=spec.explainer,
        ask_when=spec.ask_when,
        ends_flow_when=frozenset(spec.ends_flow_when),
    )


ALWAYS = Condition(())


def _rule(spec: Outcome, rule_id: str, when: Condition = ALWAYS) -> Rule:
    return Rule(
        id=rule_id,
        when=when,
        level=spec.level,
        reason=spec.reason,
        source=spec.source,
        explainer=spec.explainer,
        note=spec.note,
        journal_reason=spec.journal_reason,
    )


def _deviation(spec: Deviating, sources: dict[str, Source]) -> dict[str, Any]:
    """Why a level differs from the article's, and the guidance that says so."""
    if not spec.deviation:
        return {"deviation": "", "deviation_source": None}
    return {"deviation": spec.deviation, "deviation_source": sources[spec.deviation_source]}


def _checklist_rule(spec: ChecklistSpec, sources: dict[str, Source]) -> ChecklistRule:
    otherwise = {}
    if spec.needs_one_of:
        otherwise = {
            "otherwise_level": spec.otherwise_level,
            "otherwise_reason": spec.otherwise_reason,
            "otherwise_journal_reason": spec.otherwise_journal_reason,
            "otherwise_source": spec.otherwise_source,
        }
    return ChecklistRule(
        at_least=spec.at_least,
        level=spec.level,
        reason=spec.reason,
        source=spec.source,
        explainer=spec.explainer,
        journal_reason=spec.journal_reason,
        article_level=spec.article_level or spec.level,
        needs_one_of=frozenset(spec.needs_one_of),
        **otherwise,
        **_deviation(spec, sources),
    )


def _red_flag(spec: RedFlagSpec, sources: dict[str, Source]) -> RedFlag:
    return RedFlag(
        symptom=spec.symptom,
        typical_cause=spec.typical_cause,
        action=spec.action,
        level=spec.level,
        rule=spec.rule,
        article_action=spec.article_action,
        article_level=spec.article_level,
        **_deviation(spec, sources),
    )


def _eyelid_advice(spec: EyelidAdviceSpec, sources: dict[str, Source]) -> EyelidAdvice:
    return EyelidAdvice(
        what_to_do=spec.what_to_do,
        if_worse=spec.if_worse,
        summary=spec.summary,
        self_care=tuple(spec.self_care),
        see_specialist_when=tuple(spec.see_specialist_when),
        source=spec.source,
        see_doctor_when=tuple(spec.see_doctor_when),
        article_specialist_when=spec.article_specialist_when,
        **_deviation(spec, sources),
    )


def _emergency(spec: EmergencySpec, sources: dict[str, Source]) -> Emergency:
    return Emergency(
        call=spec.call,
        numbers=tuple(EmergencyNumber(number=n.number, where=n.where) for n in spec.numbers),
        urgent_numbers=tuple(spec.urgent_numbers),
        even_if_gone=spec.even_if_gone,
        came_and_went=spec.came_and_went,
        came_and_went_source=sources[spec.came_and_went_source],
        remind_from_level=spec.remind_from_level or "",
        signs=tuple(
            EmergencySign(id=s.id, text=s.text, short=s.short, source=sources[s.source])
            for s in spec.signs
        ),
    )


def _self_care_plan(
    spec: SelfCarePlanSpec | None, sources: dict[str, Source]
) -> SelfCarePlan | None:
    if spec is None:
        return None
    return SelfCarePlan(
        goal=spec.goal, review=spec.review, sources=tuple(sources[s] for s in spec.sources)
    )


def _reassurance(spec: ReassuranceSpec | None, sources: dict[str, Source]) -> Reassurance | None:
    if spec is None:
        return None
    return Reassurance(
        rules=frozenset(spec.rules),
        eyelid=spec.eyelid,
        body=spec.body,
        sources=tuple(sources[s] for s in spec.sources),
        explainer=spec.explainer,
    )


def _children(spec: ChildrenSpec | None, sources: dict[str, Source]) -> Children | None:
    if spec is None:
        return None
    return Children(what_to_do=spec.what_to_do, if_worse=spec.if_worse, source=sources[spec.source])


def _previous(spec: PreviousSpec | None) -> Previous | None:
    if spec is None:
        return None
    return Previous(
        version=spec.ruleset,
        new_answers=tuple(spec.new_answers.items()),
        split_answers=tuple(
            (qid, old, tuple(parts))
            for qid, by_value in spec.split_answers.items()
            for old, parts in by_value.items()
        ),
    )


def load_ruleset(path: Path | str = DEFAULT_PATH, *, strict: bool = True) -> Ruleset:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RulesetError(f"Cannot read the ruleset at {path}: {error.strerror}.") from error
    return parse_ruleset(text, strict=strict)


@cache
def get_ruleset() -> Ruleset:
    """The site's ruleset, loaded and checked once per process."""
    return load_ruleset(DEFAULT_PATH)


@cache
def earlier_versions() -> tuple[str, ...]:
    """The versions kept in `history/`, oldest first: each one the rules replaced."""
    versions = [path.stem for path in HISTORY_DIR.glob("*.toml")]
    return tuple(sorted(versions, key=lambda v: tuple(int(part) for part in v.split("."))))
