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
    checklist = ruleset.checklist_rule
    if len(matched) >= checklist.at_least:
        findings.append(
            Finding(
                rule_id="checklist",
                level=ruleset.level(checklist.level),
                reason=checklist.reason.format(count=len(matched)),
                triggered_by=tuple(
                    (qid, relevant[qid])
                    for item in ruleset.checklist
                    if item.id in matched
                    for qid in item.when.question_ids()
                ),
                source=ruleset.source(checklist.source),
                explainer=checklist.explainer,
            )
        )
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
    advice, if_worse = [level.what_to_do], level.if_worse
    if eyelid and level.id in SELF_CARE_PLAN_LEVELS:
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
    )


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
