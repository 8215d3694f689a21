"""The journal as a FHIR R4 Bundle: plain dicts, with no FHIR library at run time.

Twitches and daily check-ins are Observations, each saved self-check a
QuestionnaireResponse to a Questionnaire generated from the ruleset it was made with, and
the person an anonymous Patient (no name, no identifier). Every record's fullUrl is a
UUID made from a fixed namespace and the record's id, so the same record has the same
fullUrl in every export. The mapping is tabled in the README ("FHIR export").
"""

import json
import uuid
from collections.abc import Iterable
from contextlib import suppress
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from journal.models import CheckIn, Entry, Region, SavedCheck, Side, User
from journal.timezones import person_tz
from triage.engine import Question, Ruleset, earlier_versions, get_ruleset, load_ruleset
from triage.engine.loader import HISTORY_DIR

# The product's canonical base: a name for its definitions, not an address to fetch.
CANONICAL = "https://twitchcheck.example/fhir"
QUESTIONNAIRE_URL = f"{CANONICAL}/Questionnaire/self-check"
JOURNAL_CODES = f"{CANONICAL}/CodeSystem/journal"
REGION_CODES = f"{CANONICAL}/CodeSystem/region"
SIDE_CODES = f"{CANONICAL}/CodeSystem/side"
DURATION_CODES = f"{CANONICAL}/CodeSystem/duration"
LEVEL_CODES = f"{CANONICAL}/CodeSystem/self-check-level"
LEVEL_EXTENSION = f"{CANONICAL}/StructureDefinition/self-check-level"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL)

SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORIES = "http://terminology.hl7.org/CodeSystem/observation-category"

FASCICULATION = {"system": SNOMED, "code": "82470000", "display": "Fasciculation"}
LATERALITY = {"system": SNOMED, "code": "272741003", "display": "Laterality"}
# SNOMED CT body structures as DICOM PS3.16 CID 4031 names them. An area whose words
# cover more than one structure ("Chest or belly") has its text and our code only.
BODY_SITES = {
    Region.EYELID: ("80243003", "Eyelid"),
    Region.FACE: ("89545001", "Face"),
    Region.NECK: ("45048000", "Neck"),
    Region.SHOULDER: ("16982005", "Shoulder"),
    Region.UPPER_ARM: ("40983000", "Upper arm"),
    Region.FOREARM: ("14975008", "Forearm"),
    Region.HAND: ("85562004", "Hand"),
    Region.BACK: ("77568009", "Back"),
    Region.THIGH: ("68367000", "Thigh"),
    Region.CALF: ("53840002", "Calf of leg"),
    Region.FOOT: ("56459004", "Foot"),
}
SIDES = {
    Side.LEFT: ("7771000", "Left"),
    Side.RIGHT: ("24028007", "Right"),
    Side.BOTH: ("51440002", "Right and left"),
}


def record_uuid(kind: str, pk: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}/{pk}')}"


def _local(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _component(code: str, text: str, **value: Any) -> dict[str, Any]:
    return {"code": _local(JOURNAL_CODES, code, text), **value}


def _quantity(value: Decimal, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": unit}


def _body_site(entry: Entry) -> dict[str, Any]:
    label = entry.get_region_display()
    site = _local(REGION_CODES, entry.region, label)
    if entry.region in BODY_SITES:
        code, display = BODY_SITES[entry.region]
        site["coding"].insert(0, {"system": SNOMED, "code": code, "display": display})
    return site


def _side(entry: Entry) -> dict[str, Any]:
    label = entry.get_side_display()
    side = _local(SIDE_CODES, entry.side, label)
    if entry.side in SIDES:
        code, display = SIDES[entry.side]
        side["coding"].insert(0, {"system": SNOMED, "code": code, "display": display})
    return {"code": {"coding": [LATERALITY], "text": "Side"}, "valueCodeableConcept": side}


def entry_observation(entry: Entry, patient: str, tz: ZoneInfo) -> dict[str, Any]:
    """One twitch: where, which side, how long, how strong and what came with it."""
    components = [
        _side(entry),
        _component(
            "duration",
            "How long it lasted",
            valueCodeableConcept=_local(
                DURATION_CODES, entry.duration, entry.get_duration_display()
            ),
        ),
        _component(
            "strength", "How strong (1 barely there, 5 very strong)", valueInteger=entry.intensity
        ),
        _component("weakness", "Weakness in that area", valueBoolean=entry.weakness),
        _component("numbness", "Numbness", valueBoolean=entry.numbness),
        _component("cramp", "Cramp", valueBoolean=entry.cramp),
        _component(
            "muscle-thinning", "Visible muscle thinning", valueBoolean=entry.muscle_thinning
        ),
    ]
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [_category()],
        "code": {"coding": [FASCICULATION], "text": "Muscle twitch"},
        "subject": {"reference": patient},
        "performer": [{"reference": patient}],
        "effectiveDateTime": entry.occurred_at.astimezone(tz).isoformat(),
        "bodySite": _body_site(entry),
        "component": components,
    }
    if entry.notes:
        observation["note"] = [{"text": entry.notes}]
    return observation


def _category() -> dict[str, Any]:
    return {"coding": [{"system": CATEGORIES, "code": "survey", "display": "Survey"}]}


# A check-in's fields as components: field, code, words, FHIR type, UCUM unit.
CHECK_IN_COMPONENTS = (
    ("bother", "bother", "How much the twitching bothered you (0 not at all, 10 very much)",
     "valueInteger", ""),
    ("caffeine_cups", "caffeine-cups", "Cups of coffee, tea or energy drinks", "valueInteger",
     ""),
    ("sleep_hours", "sleep-hours", "Hours slept the night before", "valueQuantity", "h"),
    ("stress", "stress", "Stress (0 none, 5 very high)", "valueInteger", ""),
    ("hard_exercise", "hard-exercise", "Hard exercise that day", "valueBoolean", ""),
    ("water_litres", "water-litres", "Litres of water drunk", "valueQuantity", "L"),
    ("new_medicine", "new-medicine", "Started a new medicine", "valueBoolean", ""),
)  # fmt: skip


def check_in_observation(check_in: CheckIn, patient: str) -> dict[str, Any]:
    """One day's check-in; a question left blank that day has no component."""
    components = []
    for field, code, text, kind, unit in CHECK_IN_COMPONENTS:
        value = getattr(check_in, field)
        if value is None:
            continue
        components.append(
            _component(code, text, **{kind: _quantity(value, unit) if unit else value})
        )
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [_category()],
        "code": _local(JOURNAL_CODES, "daily-check-in", "Daily check-in"),
        "subject": {"reference": patient},
        "performer": [{"reference": patient}],
        "effectiveDateTime": check_in.day.isoformat(),
    }
    if components:
        observation["component"] = components
    return observation


def ruleset_version(version: str) -> Ruleset | None:
    """The ruleset of `version`: today's, or one kept in the history; None for another."""
    if version == get_ruleset().version:
        return get_ruleset()
    return _earlier_ruleset(version)


@cache
def _earlier_ruleset(version: str) -> Ruleset | None:
    if version in earlier_versions():
        return load_ruleset(HISTORY_DIR / f"{version}.toml", strict=False)
    return None


def answer_system(question_id: str) -> str:
    """Each question's answers are a code system of their own: "yes" means one thing each."""
    return f"{QUESTIONNAIRE_URL}/answers/{question_id}"


def _enable_when(question: Question) -> dict[str, Any]:
    """The question's `ask_when` as enableWhen, where FHIR can say it: one earlier question
    with any of its values, or several with one value each. Otherwise none: the
    self-check asks such a question only when its condition holds."""
    if question.ask_when is None:
        return {}
    requires = question.ask_when.requires
    if len(requires) > 1 and any(len(values) > 1 for _, values in requires):
        return {}
    conditions = [
        {
            "question": qid,
            "operator": "=",
            "answerCoding": {"system": answer_system(qid), "code": value},
        }
        for qid, values in requires
        for value in sorted(values)
    ]
    if len(conditions) == 1:
        return {"enableWhen": conditions}
    return {"enableWhen": conditions, "enableBehavior": "any" if len(requires) == 1 else "all"}


def questionnaire(ruleset: Ruleset) -> dict[str, Any]:
    """The self-check as a Questionnaire, versioned with its ruleset."""
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": ruleset.version,
        "name": "TwitchCheckSelfCheck",
        "title": "Twitch Check self-check",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": question.id,
                "text": question.text,
                "type": "choice",
                "answerOption": [
                    {
                        "valueCoding": {
                            "system": answer_system(question.id),
                            "code": choice.value,
                            "display": choice.label,
                        }
                    }
                    for choice in question.choices
                ],
            }
            | _enable_when(question)
            for question in ruleset.questions
        ],
    }


def _answer_item(ruleset: Ruleset | None, question_id: str, value: str) -> dict[str, Any]:
    """One answer, with the question's and answer's words where its rules still have them."""
    coding = {"system": answer_system(question_id), "code": value}
    item: dict[str, Any] = {"linkId": question_id}
    with suppress(KeyError):  # a question or answer its rules do not have
        if ruleset is not None:
            question = ruleset.question(question_id)
            item["text"] = question.text
            coding["display"] = question.label_for(value)
    return item | {"answer": [{"valueCoding": coding}]}


def _level(ruleset: Ruleset | None, level_id: str) -> dict[str, Any]:
    coding = {"system": LEVEL_CODES, "code": level_id}
    with suppress(KeyError):
        if ruleset is not None:
            coding["display"] = ruleset.level(level_id).label
    return {"url": LEVEL_EXTENSION, "valueCoding": coding}


def questionnaire_response(check: SavedCheck, patient: str, tz: ZoneInfo) -> dict[str, Any]:
    """A saved self-check: its answers, to the questionnaire of the rules it was made with,
    and the level those rules gave (an extension)."""
    ruleset = ruleset_version(check.ruleset_version)
    answers = check.answers if isinstance(check.answers, dict) else {}
    return {
        "resourceType": "QuestionnaireResponse",
        "extension": [_level(ruleset, check.level)],
        "questionnaire": f"{QUESTIONNAIRE_URL}|{check.ruleset_version}",
        "status": "completed",
        "subject": {"reference": patient},
        "author": {"reference": patient},
        "authored": check.created_at.astimezone(tz).isoformat(),
        "item": [_answer_item(ruleset, str(qid), str(value)) for qid, value in answers.items()],
    }


def _entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource}


def _questionnaires(versions: Iterable[str]) -> list[dict[str, Any]]:
    """A Questionnaire for today's rules and for each earlier version a saved check used
    that the history keeps."""
    found = {get_ruleset().version: get_ruleset()}
    for version in versions:
        ruleset = ruleset_version(version)
        if ruleset is not None:
            found[version] = ruleset
    return [
        _entry(record_uuid("questionnaire", version), questionnaire(ruleset))
        for version, ruleset in found.items()
    ]


def fhir_bundle(user: User) -> dict[str, Any]:
    """The person's journal as a FHIR R4 collection Bundle."""
    tz = person_tz(user)
    patient = record_uuid("patient", user.pk)
    entries = Entry.objects.for_user(user).order_by("occurred_at", "pk")
    check_ins = CheckIn.objects.for_user(user).order_by("day", "pk")
    checks = list(SavedCheck.objects.for_user(user).order_by("created_at", "pk"))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().astimezone(tz).isoformat(),
        "entry": [
            _entry(patient, {"resourceType": "Patient"}),
            *(
                _entry(record_uuid("entry", entry.pk), entry_observation(entry, patient, tz))
                for entry in entries.iterator(chunk_size=2000)
            ),
            *(
                _entry(record_uuid("check-in", day.pk), check_in_observation(day, patient))
                for day in check_ins.iterator(chunk_size=2000)
            ),
            *_questionnaires(dict.fromkeys(check.ruleset_version for check in checks)),
            *(
                _entry(
                    record_uuid("saved-check", check.pk), questionnaire_response(check, patient, tz)
                )
                for check in checks
            ),
        ],
    }


def export_fhir(user: User) -> str:
    return json.dumps(fhir_bundle(user), ensure_ascii=False, separators=(",", ":"))
