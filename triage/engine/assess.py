"""Turn answers into one action level with its reasons. Pure and deterministic."""

from collections.abc import Mapping

from triage.engine.loader import get_ruleset
from triage.engine.model import Assessment, Finding, Rule, Ruleset

# "Keep an eye on it" means carrying on with the plan, so it is shown there too.
SELF_CARE_PLAN_LEVELS = frozenset({"self_care", "monitor"})


def _finding(ruleset: Ruleset, rule: Rule, answers: Mapping[str, str]) -> Finding:
    return Finding(
        rule_id=rule.id,
        level=ruleset.level(rule.level),
        reason=rule.reason,
        triggered_by=tuple((qid, answers[qid]) for qid in rule.when.question_ids()),
        source=ruleset.source(rule.source),
        explainer=rule.explainer,
    )


def assess(answers: Mapping[str, str], ruleset: Ruleset | None = None) -> Assessment:
    """Assess answers keyed by question id; answers to questions that no longer apply are ignored.

    Raises ValueError for an unknown question id or a value the question does not offer.
    A red-flag question that applies but has no answer is listed in `unanswered` and is
    never read as "no": without it, the result cannot be the all-clear.
    """
    ruleset = ruleset or get_ruleset()
    for qid, value in answers.items():
        try:
            question = ruleset.question(qid)
        except KeyError:
            raise ValueError(f"Unknown question id: {qid!r}.") from None
        if value not in question.values:
            raise ValueError(f"{value!r} is not an answer to {qid!r}.")

    applicable = ruleset.applicable_questions(dict(answers))
    relevant = {q.id: answers[q.id] for q in applicable if q.id in answers}
    unanswered = tuple(q.id for q in applicable if q.id not in answers)
    if unanswered:
        # The next question may open more of the flow; list the whole path still unknown.
        unanswered = tuple(
            q.id
            for q in ruleset.questions
            if q.id not in relevant and _may_apply(ruleset, q.id, relevant)
        )

    findings = [
        _finding(ruleset, rule, relevant) for rule in ruleset.rules if rule.when.matches(relevant)
    ]
    matched = tuple(item.id for item in ruleset.checklist if item.when.matches(relevant))
    if len(matched) >= ruleset.checklist_rule.at_least:
        findings.append(_checklist_finding(ruleset, matched, relevant))
    complete = not unanswered
    if complete and not findings:
        findings.append(_finding(ruleset, ruleset.no_findings_complete, relevant))
    if not complete:
        caution = ruleset.no_findings_incomplete
        caution_rank = ruleset.level(caution.level).rank
        if all(finding.level.rank < caution_rank for finding in findings):
            findings.append(_finding(ruleset, caution, relevant))

    findings.sort(key=lambda finding: -finding.level.rank)
    level = findings[0].level
    eyelid = relevant.get("area") == "eyelid"
    for_child = ruleset.children is not None and relevant.get("age") == "under_16"
    advice, if_worse = [level.what_to_do], level.if_worse
    if for_child:
        advice, if_worse = [ruleset.children.what_to_do], ruleset.children.if_worse
    elif eyelid and level.id in SELF_CARE_PLAN_LEVELS:
        # Eyelid twitching has its own timing: days, not the 3–4 week plan.
        advice, if_worse = [ruleset.eyelid_advice.what_to_do], ruleset.eyelid_advice.if_worse
    if eyelid and level.rank <= ruleset.level("eye_specialist").rank:
        advice.extend(ruleset.eyelid_advice.self_care)
    return Assessment(
        level=level,
        findings=tuple(findings),
        checklist_count=len(matched),
        checklist_matched=matched,
        advice=tuple(advice),
        if_worse=if_worse,
        show_self_care_plan=complete and not eyelid and level.id in SELF_CARE_PLAN_LEVELS,
        complete=complete,
        unanswered=unanswered,
        ruleset_version=ruleset.version,
        reassurance=_reassurance(ruleset, findings, eyelid=eyelid) if complete else "",
        for_child=for_child,
        emergency_reminder_rank=(
            ruleset.level(ruleset.emergency.remind_from_level).rank
            if ruleset.emergency.remind_from_level
            else 0
        ),
    )


def _checklist_finding(
    ruleset: Ruleset, matched: tuple[str, ...], answers: Mapping[str, str]
) -> Finding:
    """Two or more checklist items: the article's neurologist, unless the rule asks that one
    of them be weakness, wasting or a speech change and none is (then a routine GP)."""
    checklist = ruleset.checklist_rule
    core = not checklist.needs_one_of or bool(checklist.needs_one_of & set(matched))
    triggered_by = tuple(
        pair
        for item in ruleset.checklist
        if item.id in matched
        for pair in item.when.answers_for(dict(answers))
    )
    return Finding(
        rule_id="checklist" if core else "checklist_routine",
        level=ruleset.level(checklist.level if core else checklist.otherwise_level),
        reason=(checklist.reason if core else checklist.otherwise_reason).format(
            count=len(matched)
        ),
        triggered_by=triggered_by,
        source=ruleset.source(checklist.source if core else checklist.otherwise_source),
        explainer=checklist.explainer,
    )


def _reassurance(ruleset: Ruleset, findings: list[Finding], *, eyelid: bool) -> str:
    """What a benign result says to the fear of motor neurone disease: only when every
    finding is one the ruleset names as benign."""
    reassurance = ruleset.reassurance
    if reassurance is None or any(f.rule_id not in reassurance.rules for f in findings):
        return ""
    return reassurance.eyelid if eyelid else reassurance.body


def _may_apply(ruleset: Ruleset, question_id: str, answers: Mapping[str, str]) -> bool:
    """Could this question still be asked, given the answers so far?"""
    question = ruleset.question(question_id)
    if any(answers.get(q.id) in q.ends_flow_when for q in ruleset.questions):
        return False
    if question.ask_when is None:
        return True
    return all(
        qid not in answers or answers[qid] in values for qid, values in question.ask_when.requires
    )
