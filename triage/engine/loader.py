"""Load the ruleset from TOML and refuse one that is inconsistent, naming the problem."""

import re
import tomllib
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from triage.engine.model import (
    AnyOf,
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

DEFAULT_PATH = Path(__file__).with_name("ruleset.toml")
HISTORY_DIR = Path(__file__).with_name("history")


class RulesetError(ValueError):
    """The ruleset data is broken; the message says where."""


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in ("", None, [], {}):
        raise RulesetError(f"{where}: '{key}' is missing.")
    return data[key]


def _reference(raw: dict[str, Any], key: str, known: Any, where: str, problem: str) -> str:
    """The id `raw` names under `key`, which must be one of `known`."""
    value = _require(raw, key, where)
    if value not in known:
        raise RulesetError(f"{where}: {problem} '{value}'.")
    return value


def _no_duplicates(ids: list[str], what: str) -> None:
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise RulesetError(f"Duplicate {what} id: {', '.join(duplicates)}.")


def _condition(raw: Any, where: str, questions: dict[str, Question]) -> Condition:
    if not isinstance(raw, dict) or not raw:
        raise RulesetError(f"{where}: a condition must name at least one question.")
    requires = []
    for qid, values in raw.items():
        if qid not in questions:
            raise RulesetError(f"{where}: unknown question id '{qid}'.")
        values = [values] if isinstance(values, str) else list(values)
        for value in values:
            if value not in questions[qid].values:
                raise RulesetError(
                    f"{where}: '{value}' is not an answer to question '{qid}' "
                    f"(allowed: {', '.join(questions[qid].values)})."
                )
        requires.append((qid, frozenset(values)))
    return Condition(tuple(requires))


def _error_message(raw: dict[str, Any], where: str, *, strict: bool) -> str:
    """What a person sees if they continue without an answer: short, in the question's own
    terms, as GOV.UK writes radio errors ("Select if ..."), never the whole question again.

    Rulesets before 2026.11.3 had none; `strict=False` reads them for comparison only.
    """
    if not strict and not raw.get("error"):
        return "Select an answer"
    error = _require(raw, "error", where)
    if not error.startswith("Select ") or error.endswith((".", "?")):
        raise RulesetError(
            f"{where}: 'error' must start with 'Select ' and end without a full stop, "
            f"like 'Select if you have had any of these signs'."
        )
    if str(raw.get("text", "")).rstrip("?").lower() in error.lower():
        raise RulesetError(f"{where}: 'error' must not repeat the question.")
    return error


def _safety_net(data: dict[str, Any], *, strict: bool) -> str:
    """Rulesets before 2026.11.5 had none; `strict=False` reads them for comparison only."""
    if not strict:
        return str(data.get("safety_net", ""))
    return _require(data, "safety_net", "ruleset")


PHONE_NUMBER = re.compile(r"^[0-9]{2,6}$")
NUMBER_IN_TEXT = re.compile(r"\b[0-9]{3}\b")


def _phone_number(value: Any, where: str) -> str:
    if not isinstance(value, str) or not PHONE_NUMBER.match(value):
        raise RulesetError(f"{where}: '{value}' is not a phone number (digits only).")
    return value


def _emergency_numbers(raw: dict[str, Any], *, strict: bool) -> tuple[EmergencyNumber, ...]:
    numbers = _require(raw, "numbers", "emergency")
    if not strict and isinstance(numbers, str):
        return ()  # Before 2026.11.4 the numbers were one sentence.
    if not isinstance(numbers, list):
        raise RulesetError("emergency: 'numbers' must be a list of { number, where }.")
    parsed = tuple(
        EmergencyNumber(
            number=_phone_number(_require(n, "number", "emergency number"), "emergency number"),
            where=_require(n, "where", f"emergency number '{n.get('number')}'"),
        )
        for n in numbers
    )
    _no_duplicates([n.number for n in parsed], "emergency number")
    return parsed


def _urgent_numbers(raw: dict[str, Any], *, strict: bool) -> tuple[str, ...]:
    if not strict and "urgent_numbers" not in raw:
        return ()
    return tuple(
        _phone_number(n, "emergency urgent number")
        for n in _require(raw, "urgent_numbers", "emergency")
    )


def _every_number_is_callable(ruleset: Ruleset) -> None:
    """A number in the advice that is not in [emergency] could not be tapped to call."""
    texts = [
        *(
            (f"level '{level.id}'", f"{level.what_to_do} {level.if_worse}")
            for level in ruleset.levels
        ),
        *(
            (f"rule '{rule.id}'", f"{rule.reason} {rule.journal_reason}")
            for rule in (
                *ruleset.rules,
                ruleset.no_findings_complete,
                ruleset.no_findings_incomplete,
            )
        ),
        ("checklist", f"{ruleset.checklist_rule.reason} {ruleset.checklist_rule.journal_reason}"),
        ("journal", ruleset.journal.several_areas),
        ("eyelid_advice", f"{ruleset.eyelid_advice.what_to_do} {ruleset.eyelid_advice.if_worse}"),
        *(
            [("children", f"{ruleset.children.what_to_do} {ruleset.children.if_worse}")]
            if ruleset.children
            else []
        ),
        ("emergency", f"{ruleset.emergency.even_if_gone} {ruleset.emergency.came_and_went}"),
    ]
    known = set(ruleset.emergency.phone_numbers)
    for where, text in texts:
        for number in NUMBER_IN_TEXT.findall(text):
            if number not in known:
                raise RulesetError(
                    f"{where} names {number}, which is not in [emergency] numbers or "
                    "urgent_numbers, so it could not be shown as a number to call."
                )


def _item_condition(raw: Any, where: str, questions: dict[str, Question]) -> Condition | AnyOf:
    """A checklist item's condition: one table, or a list of tables of which any may hold."""
    if isinstance(raw, list):
        if not raw:
            raise RulesetError(f"{where}: a condition must name at least one question.")
        return AnyOf(tuple(_condition(option, where, questions) for option in raw))
    return _condition(raw, where, questions)


def _deviation(
    raw: dict[str, Any], where: str, sources: dict[str, Source], *, required: bool
) -> tuple[str, Source | None]:
    """Why the product's level differs from the article's, and the guidance that says so."""
    if not required and not raw.get("deviation"):
        return "", None
    text = _require(raw, "deviation", f"{where} (its level differs from the article's)")
    source_key = _reference(raw, "deviation_source", sources, where, "unknown source")
    source = sources[source_key]
    if not source.url:
        raise RulesetError(f"{where}: deviation_source '{source_key}' must have a url.")
    return text, source


def _checklist_rule(
    raw: dict[str, Any], item_ids: set[str], level_id, source_id, explainer, sources
) -> ChecklistRule:
    where = "checklist"
    level = level_id(raw, where)
    needs_one_of = frozenset(raw.get("needs_one_of", ()))
    if not needs_one_of <= item_ids:
        unknown = ", ".join(sorted(needs_one_of - item_ids))
        raise RulesetError(f"{where}: needs_one_of names unknown checklist items: {unknown}.")
    otherwise: dict[str, str] = {}
    if needs_one_of:
        otherwise = {
            "otherwise_level": level_id({"level": raw.get("otherwise_level")}, where),
            "otherwise_reason": _require(raw, "otherwise_reason", where),
            "otherwise_journal_reason": raw.get("otherwise_journal_reason", ""),
            "otherwise_source": source_id({"source": raw.get("otherwise_source")}, where),
        }
    article_level = raw.get("article_level") or level
    deviation, deviation_source = _deviation(
        raw, where, sources, required=bool(needs_one_of) or article_level != level
    )
    return ChecklistRule(
        at_least=int(_require(raw, "at_least", where)),
        level=level,
        reason=_require(raw, "reason", where),
        source=source_id(raw, where),
        explainer=explainer(raw, where),
        journal_reason=raw.get("journal_reason", ""),
        article_level=level_id({"level": article_level}, where),
        needs_one_of=needs_one_of,
        deviation=deviation,
        deviation_source=deviation_source,
        **otherwise,
    )


def _sources_list(raw: dict[str, Any], where: str, sources: dict[str, Source]) -> tuple:
    return tuple(
        sources[_reference({"source": key}, "source", sources, where, "unknown source")]
        for key in _require(raw, "sources", where)
    )


def _self_care_plan(
    data: dict[str, Any], sources: dict[str, Source], *, strict: bool
) -> SelfCarePlan | None:
    """Rulesets before 2026.12.1 had none; `strict=False` reads them for comparison only."""
    if not strict and "self_care_plan" not in data:
        return None
    raw = _require(data, "self_care_plan", "ruleset")
    return SelfCarePlan(
        goal=_require(raw, "goal", "self_care_plan"),
        review=_require(raw, "review", "self_care_plan"),
        sources=_sources_list(raw, "self_care_plan", sources),
    )


def _reassurance(
    data: dict[str, Any], sources: dict[str, Source], explainer, rule_ids: set[str], *, strict
) -> Reassurance | None:
    """Rulesets before 2026.12.1 had none; `strict=False` reads them for comparison only."""
    if not strict and "reassurance" not in data:
        return None
    raw = _require(data, "reassurance", "ruleset")
    known = rule_ids | {"no_warning_signs", "checklist", "checklist_routine"}
    rules = frozenset(_require(raw, "rules", "reassurance"))
    if not rules <= known:
        raise RulesetError(f"reassurance: unknown rule ids: {', '.join(sorted(rules - known))}.")
    return Reassurance(
        rules=rules,
        eyelid=_require(raw, "eyelid", "reassurance"),
        body=_require(raw, "body", "reassurance"),
        sources=_sources_list(raw, "reassurance", sources),
        explainer=explainer(raw, "reassurance"),
    )


def _children(data: dict[str, Any], sources: dict[str, Source], *, strict: bool) -> Children | None:
    """Rulesets before 2026.12.1 had none; `strict=False` reads them for comparison only."""
    if not strict and "children" not in data:
        return None
    raw = _require(data, "children", "ruleset")
    return Children(
        what_to_do=_require(raw, "what_to_do", "children"),
        if_worse=_require(raw, "if_worse", "children"),
        source=sources[_reference(raw, "source", sources, "children", "unknown source")],
    )


def _previous(data: dict[str, Any], questions: dict[str, Question]) -> Previous | None:
    """How the previous version's answers read in this one; optional."""
    if "previous" not in data:
        return None
    raw = data["previous"]

    def answer(qid: str, value: str) -> tuple[str, str]:
        if qid not in questions or value not in questions[qid].values:
            raise RulesetError(f"previous: '{qid}={value}' is not an answer in this version.")
        return qid, value

    new_answers = tuple(answer(q, v) for q, v in raw.get("new_answers", {}).items())
    splits = tuple(
        (qid, old, tuple(answer(qid, part)[1] for part in parts))
        for qid, by_value in raw.get("split_answers", {}).items()
        for old, parts in by_value.items()
    )
    return Previous(
        version=str(_require(raw, "ruleset", "previous")),
        new_answers=new_answers,
        split_answers=splits,
    )


def _source(raw: dict[str, Any], source_id: str) -> Source:
    where = f"source '{source_id}'"
    return Source(
        id=source_id,
        title=_require(raw, "title", where),
        url=raw.get("url"),
        detail=raw.get("detail", ""),
    )


def parse_ruleset(text: str, *, strict: bool = True) -> Ruleset:
    """The ruleset in `text`, checked; `strict=False` also reads an earlier version's file
    (kept in `history/`), which may lack fields added since, for `ruleset-diff`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesetError(f"The ruleset is not valid TOML: {error}.") from error

    version = _require(data, "version", "ruleset")
    sources = {sid: _source(raw, sid) for sid, raw in _require(data, "sources", "ruleset").items()}

    def source_id(raw: dict[str, Any], where: str) -> str:
        return _reference(raw, "source", sources, where, "unknown source")

    explainers = set(_require(data, "explainers", "ruleset"))

    def explainer(raw: dict[str, Any], where: str) -> str:
        return _reference(raw, "explainer", explainers, where, "unknown explainer page")

    raw_levels = _require(data, "levels", "ruleset")
    _no_duplicates([raw.get("id", "") for raw in raw_levels], "level")
    levels = tuple(
        Level(
            id=_require(raw, "id", f"level {rank + 1}"),
            rank=rank,
            label=_require(raw, "label", f"level '{raw.get('id')}'"),
            what_to_do=_require(raw, "what_to_do", f"level '{raw.get('id')}'"),
            how_soon=_require(raw, "how_soon", f"level '{raw.get('id')}'"),
            if_worse=_require(raw, "if_worse", f"level '{raw.get('id')}'"),
        )
        for rank, raw in enumerate(raw_levels)
    )
    level_ids = {level.id for level in levels}

    def level_id(raw: dict[str, Any], where: str) -> str:
        return _reference(raw, "level", level_ids, where, "points at missing level")

    raw_questions = _require(data, "questions", "ruleset")
    _no_duplicates([raw.get("id", "") for raw in raw_questions], "question")
    questions: dict[str, Question] = {}
    for raw in raw_questions:
        qid = _require(raw, "id", "question")
        where = f"question '{qid}'"
        if not raw.get("choices"):
            raise RulesetError(f"{where} has no choices.")
        choices = tuple(
            Choice(value=_require(c, "value", where), label=_require(c, "label", where))
            for c in _require(raw, "choices", where)
        )
        _no_duplicates([c.value for c in choices], f"{where} choice")
        question = Question(
            id=qid,
            text=_require(raw, "text", where),
            error=_error_message(raw, where, strict=strict),
            kind=raw.get("kind", "choice"),
            choices=choices,
            help=raw.get("help", ""),
            why=_require(raw, "why", where),
            red_flag=bool(raw.get("red_flag", False)),
            explainer=explainer(raw, where),
            ends_flow_when=frozenset(raw.get("ends_flow_when", ())),
        )
        if not question.ends_flow_when <= set(question.values):
            raise RulesetError(f"{where}: ends_flow_when names an answer it does not offer.")
        if "ask_when" in raw:
            question = replace(
                question, ask_when=_condition(raw["ask_when"], f"{where} ask_when", questions)
            )
        questions[qid] = question

    def rule(raw: dict[str, Any], where: str, *, unconditional: bool = False) -> Rule:
        return Rule(
            id=_require(raw, "id", where),
            when=Condition(())
            if unconditional
            else _condition(_require(raw, "when", where), where, questions),
            level=level_id(raw, where),
            reason=_require(raw, "reason", where),
            source=source_id(raw, where),
            explainer=explainer(raw, where),
            note=raw.get("note", ""),
            journal_reason=raw.get("journal_reason", ""),
        )

    raw_rules = _require(data, "rules", "ruleset")
    _no_duplicates([raw.get("id", "") for raw in raw_rules], "rule")
    rules = tuple(rule(raw, f"rule '{raw.get('id')}'") for raw in raw_rules)

    raw_checklist = _require(data, "checklist", "ruleset")
    items_raw = _require(raw_checklist, "items", "checklist")
    _no_duplicates([raw.get("id", "") for raw in items_raw], "checklist item")
    checklist = tuple(
        ChecklistItem(
            id=_require(raw, "id", "checklist item"),
            text=_require(raw, "text", f"checklist item '{raw.get('id')}'"),
            when=_item_condition(
                _require(raw, "when", f"checklist item '{raw.get('id')}'"),
                f"checklist item '{raw.get('id')}'",
                questions,
            ),
        )
        for raw in items_raw
    )
    checklist_rule = _checklist_rule(
        raw_checklist, {item.id for item in checklist}, level_id, source_id, explainer, sources
    )

    if not 1 <= checklist_rule.at_least <= len(checklist):
        raise RulesetError(
            f"checklist: at_least must be between 1 and {len(checklist)}, "
            f"not {checklist_rule.at_least}."
        )

    rules_by_id = {r.id: r for r in rules}
    red_flags = []
    for raw in _require(data, "red_flags", "ruleset"):
        where = f"red-flag row '{raw.get('symptom')}'"
        if raw.get("rule") not in rules_by_id:
            raise RulesetError(f"{where}: unknown rule '{raw.get('rule')}'.")
        level = level_id(raw, where)
        if rules_by_id[raw["rule"]].level != level:
            raise RulesetError(
                f"{where}: level '{level}' differs from the level of rule '{raw['rule']}'."
            )
        action = _require(raw, "action", where)
        if not strict and "article_level" not in raw:
            raw = {**raw, "article_level": level, "article_action": action}
        article_level = _reference(raw, "article_level", level_ids, where, "unknown level")
        deviation, deviation_source = _deviation(
            raw, where, sources, required=article_level != level
        )
        red_flags.append(
            RedFlag(
                symptom=_require(raw, "symptom", where),
                typical_cause=_require(raw, "typical_cause", where),
                action=action,
                level=level,
                rule=raw["rule"],
                article_action=_require(raw, "article_action", where),
                article_level=article_level,
                deviation=deviation,
                deviation_source=deviation_source,
            )
        )

    steps_raw = _require(data, "self_care_steps", "ruleset")
    _no_duplicates([raw.get("id", "") for raw in steps_raw], "self-care step")
    steps = tuple(
        SelfCareStep(
            id=_require(raw, "id", "self-care step"),
            title=_require(raw, "title", f"self-care step '{raw.get('id')}'"),
            summary=_require(raw, "summary", f"self-care step '{raw.get('id')}'"),
            details=tuple(raw.get("details", ())),
        )
        for raw in steps_raw
    )

    eyelid_raw = _require(data, "eyelid_advice", "ruleset")
    eyelid = EyelidAdvice(
        what_to_do=_require(eyelid_raw, "what_to_do", "eyelid_advice"),
        if_worse=_require(eyelid_raw, "if_worse", "eyelid_advice"),
        summary=_require(eyelid_raw, "summary", "eyelid_advice"),
        self_care=tuple(_require(eyelid_raw, "self_care", "eyelid_advice")),
        see_specialist_when=tuple(_require(eyelid_raw, "see_specialist_when", "eyelid_advice")),
        source=source_id(eyelid_raw, "eyelid_advice"),
        see_doctor_when=tuple(eyelid_raw.get("see_doctor_when", ())),
        article_specialist_when=eyelid_raw.get("article_specialist_when", ""),
    )
    if eyelid_raw.get("deviation"):
        deviation, deviation_source = _deviation(
            eyelid_raw, "eyelid_advice", sources, required=True
        )
        eyelid = replace(eyelid, deviation=deviation, deviation_source=deviation_source)

    emergency_raw = _require(data, "emergency", "ruleset")
    signs_raw = _require(emergency_raw, "signs", "emergency")
    _no_duplicates([raw.get("id", "") for raw in signs_raw], "emergency sign")
    emergency = Emergency(
        call=_require(emergency_raw, "call", "emergency"),
        numbers=_emergency_numbers(emergency_raw, strict=strict),
        urgent_numbers=_urgent_numbers(emergency_raw, strict=strict),
        even_if_gone=_require(emergency_raw, "even_if_gone", "emergency"),
        came_and_went=_require(emergency_raw, "came_and_went", "emergency"),
        came_and_went_source=sources[
            source_id(
                {"source": emergency_raw.get("came_and_went_source")}, "emergency came_and_went"
            )
        ],
        remind_from_level=(
            level_id({"level": emergency_raw["remind_from_level"]}, "emergency")
            if "remind_from_level" in emergency_raw
            else ""
        ),
        signs=tuple(
            EmergencySign(
                id=_require(raw, "id", "emergency sign"),
                text=_require(raw, "text", f"emergency sign '{raw.get('id')}'"),
                short=_require(raw, "short", f"emergency sign '{raw.get('id')}'"),
                source=sources[source_id(raw, f"emergency sign '{raw.get('id')}'")],
            )
            for raw in signs_raw
        ),
    )

    journal_raw = _require(data, "journal", "ruleset")
    journal = JournalRules(
        episode_gap_days=int(_require(journal_raw, "episode_gap_days", "journal")),
        lasting_days=int(_require(journal_raw, "lasting_days", "journal")),
        worsening_min_twitches=int(_require(journal_raw, "worsening_min_twitches", "journal")),
        worsening_ratio=float(_require(journal_raw, "worsening_ratio", "journal")),
        several_areas=_require(journal_raw, "several_areas", "journal"),
    )

    defaults = _require(data, "no_findings", "ruleset")
    no_findings_complete = rule(
        {**_require(defaults, "complete", "no_findings"), "id": "no_warning_signs"},
        "no_findings.complete",
        unconditional=True,
    )
    no_findings_incomplete = rule(
        {**_require(defaults, "incomplete", "no_findings"), "id": "not_enough_answers"},
        "no_findings.incomplete",
        unconditional=True,
    )

    ruleset = Ruleset(
        version=str(version),
        audience=_require(data, "audience", "ruleset"),
        safety_net=_safety_net(data, strict=strict),
        questions=tuple(questions.values()),
        levels=levels,
        rules=rules,
        checklist=checklist,
        checklist_rule=checklist_rule,
        red_flags=tuple(red_flags),
        self_care_steps=steps,
        eyelid_advice=eyelid,
        emergency=emergency,
        sources=sources,
        journal=journal,
        no_findings_complete=no_findings_complete,
        no_findings_incomplete=no_findings_incomplete,
        self_care_plan=_self_care_plan(data, sources, strict=strict),
        reassurance=_reassurance(data, sources, explainer, {r.id for r in rules}, strict=strict),
        children=_children(data, sources, strict=strict),
        previous=_previous(data, questions),
    )
    reachable = {r.level for r in rules} | {
        checklist_rule.level,
        checklist_rule.otherwise_level or checklist_rule.level,
        no_findings_complete.level,
        no_findings_incomplete.level,
    }
    unreachable = [level.id for level in levels if level.id not in reachable]
    if unreachable:
        raise RulesetError(f"No rule can reach level: {', '.join(unreachable)}.")
    if strict:
        _every_number_is_callable(ruleset)
    return ruleset


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
