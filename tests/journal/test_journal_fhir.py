"""The journal as a FHIR R4 Bundle: every resource valid, every twitch read back whole."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import cycle

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

import journal.fhir
from journal.models import Duration, Entry, Region, Side
from tests.journal.factories import CheckInFactory, EntryFactory, SavedCheckFactory
from tests.page_text import visible_text
from tests.triage.answer_sets import EYELID
from triage.engine import earlier_versions, get_ruleset, parse_ruleset
from triage.engine.loader import DEFAULT_PATH

pytestmark = pytest.mark.django_db

REGION_CODES = journal.fhir.REGION_CODES
SIDE_CODES = journal.fhir.SIDE_CODES
DURATION_CODES = journal.fhir.DURATION_CODES


@pytest.fixture
def journal_of(person):
    """Every area, side, length and strength, at times a microsecond apart from whole."""
    start = datetime(2026, 11, 2, 6, 30, 15, 250000, tzinfo=UTC)
    sides, durations, strengths = cycle(Side.values), cycle(Duration.values), cycle(range(1, 6))
    for number, region in enumerate(Region.values):
        EntryFactory(
            user=person,
            occurred_at=start + timedelta(days=number, hours=number),
            region=region,
            side=next(sides),
            duration=next(durations),
            intensity=next(strengths),
            weakness=number == 3,
            notes="After a long run" if number == 0 else "",
        )
    return person


def export(client) -> dict:
    response = client.get("/journal/export.fhir.json")
    assert response.status_code == 200
    return json.loads(response.getvalue())


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def coded(concept, system: str) -> str:
    """The code a parsed CodeableConcept has in `system`."""
    return next(coding.code for coding in concept.coding if coding.system == system)


def test_export_is_a_valid_fhir_r4_bundle_download(person_client, journal_of):
    CheckInFactory(user=journal_of, day=date(2026, 11, 3))
    SavedCheckFactory(user=journal_of, ruleset_version=get_ruleset().version)

    response = person_client.get("/journal/export.fhir.json")

    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".fhir.json" in response["Content-Disposition"]
    data = json.loads(response.getvalue())
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds.count("Observation") == len(Region.values) + 1
    assert {"Patient", "Questionnaire", "QuestionnaireResponse"} <= set(kinds)
    for entry in data["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])


def test_every_twitch_reads_back_with_its_time_area_side_duration_and_strength(
    person_client, journal_of
):
    bundle = Bundle.model_validate(export(person_client))

    read_back = []
    for entry in bundle.entry:
        observation = entry.resource
        if observation.get_resource_type() != "Observation":
            continue
        side, *others = observation.component
        parts = {coded(part.code, journal.fhir.JOURNAL_CODES): part for part in others}
        read_back.append(
            (
                observation.effectiveDateTime,
                coded(observation.bodySite, REGION_CODES),
                coded(side.valueCodeableConcept, SIDE_CODES),
                coded(parts["duration"].valueCodeableConcept, DURATION_CODES),
                parts["strength"].valueInteger,
            )
        )
    saved = Entry.objects.filter(user=journal_of).order_by("occurred_at")
    assert read_back == [(e.occurred_at, e.region, e.side, e.duration, e.intensity) for e in saved]


def test_a_twitch_is_coded_with_snomed_and_words_in_the_persons_time_zone(
    person_client, journal_of
):
    observations = resources(export(person_client), "Observation")

    first = observations[0]
    assert first["status"] == "final"
    assert first["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "82470000",
        "display": "Fasciculation",
    }
    assert first["code"]["text"] == "Muscle twitch"
    assert first["effectiveDateTime"] == "2026-11-02T06:30:15.250000+00:00"
    assert first["bodySite"]["text"] == "Eyelid"
    assert first["bodySite"]["coding"][0]["code"] == "80243003"
    assert first["note"] == [{"text": "After a long run"}]
    chest = next(o for o in observations if o["bodySite"]["text"] == "Chest or belly")
    assert [c["system"] for c in chest["bodySite"]["coding"]] == [REGION_CODES]
    EntryFactory(user=journal_of, occurred_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    again = resources(export(person_client), "Observation")
    assert "2026-07-01T10:00:00+01:00" in [o["effectiveDateTime"] for o in again]


def test_the_patient_is_anonymous_and_every_record_refers_to_it(person_client, journal_of):
    SavedCheckFactory(user=journal_of)
    bundle = export(person_client)

    [patient_entry] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert patient_entry["resource"] == {"resourceType": "Patient"}
    assert journal_of.email not in json.dumps(bundle)
    patient = {"reference": patient_entry["fullUrl"]}
    for kind in ("Observation", "QuestionnaireResponse"):
        assert all(resource["subject"] == patient for resource in resources(bundle, kind))


def test_full_urls_are_the_same_in_every_export(person_client, journal_of):
    SavedCheckFactory(user=journal_of)
    first, second = export(person_client), export(person_client)

    urls = [entry["fullUrl"] for entry in first["entry"]]
    assert urls == [entry["fullUrl"] for entry in second["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(url.startswith("urn:uuid:") for url in urls)


def test_a_check_in_is_an_observation_of_its_day_with_what_was_recorded(person_client, person):
    CheckInFactory(
        user=person, day=date(2026, 11, 20), bother=6, caffeine_cups=4,
        sleep_hours=Decimal("5.5"), stress=None, hard_exercise=True, water_litres=None,
        new_medicine=False,
    )  # fmt: skip

    [observation] = resources(export(person_client), "Observation")

    assert observation["effectiveDateTime"] == "2026-11-20"
    assert observation["code"]["text"] == "Daily check-in"
    values = {
        part["code"]["coding"][0]["code"]: {k: v for k, v in part.items() if k != "code"}
        for part in observation["component"]
    }
    assert values == {
        "bother": {"valueInteger": 6},
        "caffeine-cups": {"valueInteger": 4},
        "sleep-hours": {
            "valueQuantity": {
                "value": 5.5, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"
            }
        },
        "hard-exercise": {"valueBoolean": True},
        "new-medicine": {"valueBoolean": False},
    }  # fmt: skip


def test_a_saved_check_answers_the_questionnaire_of_its_rules(person_client, person):
    version = get_ruleset().version
    SavedCheckFactory(user=person, answers=dict(EYELID), level="self_care",
                      ruleset_version=version)  # fmt: skip
    bundle = export(person_client)

    [questionnaire] = resources(bundle, "Questionnaire")
    [response] = resources(bundle, "QuestionnaireResponse")
    assert questionnaire["version"] == version
    assert response["questionnaire"] == f"{questionnaire['url']}|{version}"
    assert response["status"] == "completed"
    area = next(item for item in response["item"] if item["linkId"] == "area")
    assert area["text"] == get_ruleset().question("area").text
    assert area["answer"][0]["valueCoding"]["code"] == "eyelid"
    assert area["answer"][0]["valueCoding"]["display"] == get_ruleset().question("area").label_for(
        "eyelid"
    )
    options = {
        item["linkId"]: [o["valueCoding"] for o in item["answerOption"]]
        for item in questionnaire["item"]
    }
    assert area["answer"][0]["valueCoding"] in options["area"]
    assert response["extension"][0]["valueCoding"]["code"] == "self_care"
    assert (
        response["extension"][0]["valueCoding"]["display"] == get_ruleset().level("self_care").label
    )


def test_questions_asked_only_for_an_eyelid_are_enabled_by_that_answer(person_client, person):
    [questionnaire] = resources(export(person_client), "Questionnaire")

    eyelid_duration = next(i for i in questionnaire["item"] if i["linkId"] == "eyelid_duration")
    assert eyelid_duration["enableWhen"] == [
        {
            "question": "area",
            "operator": "=",
            "answerCoding": {"system": journal.fhir.answer_system("area"), "code": "eyelid"},
        }
    ]
    first = questionnaire["item"][0]
    assert "enableWhen" not in first


def test_the_questionnaire_changes_version_with_the_ruleset(person_client, person, monkeypatch):
    today = get_ruleset()
    text = DEFAULT_PATH.read_text("utf-8").replace(
        f'version = "{today.version}"', 'version = "2099.1.1"', 1
    )
    monkeypatch.setattr(journal.fhir, "get_ruleset", lambda: parse_ruleset(text))

    [questionnaire] = resources(export(person_client), "Questionnaire")

    assert questionnaire["version"] == "2099.1.1"
    assert questionnaire["url"] == journal.fhir.QUESTIONNAIRE_URL


def test_a_check_saved_under_earlier_rules_brings_that_version_of_the_questionnaire(
    person_client, person
):
    earlier = earlier_versions()[0]
    SavedCheckFactory(user=person, ruleset_version=earlier)
    SavedCheckFactory(user=person, ruleset_version="not-kept")
    bundle = export(person_client)

    versions = {q["version"] for q in resources(bundle, "Questionnaire")}
    assert versions == {earlier, get_ruleset().version}
    asked = [
        r["questionnaire"].rpartition("|")[2] for r in resources(bundle, "QuestionnaireResponse")
    ]
    assert asked == [earlier, "not-kept"]
    Bundle.model_validate(bundle)


def test_another_person_exports_only_their_own_journal(client, journal_of, other_person):
    EntryFactory(user=other_person, region=Region.TONGUE)
    SavedCheckFactory(user=journal_of)
    client.force_login(other_person)

    bundle = export(client)

    assert len(resources(bundle, "Observation")) == 1
    assert resources(bundle, "Observation")[0]["bodySite"]["text"] == "Tongue or mouth"
    assert resources(bundle, "QuestionnaireResponse") == []


def test_the_export_needs_sign_in_and_answers_get_only(client, person):
    response = client.get("/journal/export.fhir.json")
    assert response.status_code == 302
    assert response["Location"].startswith("/journal/sign-in/")
    client.force_login(person)
    assert client.post("/journal/export.fhir.json").status_code == 405


def test_the_export_page_offers_the_fhir_download(person_client):
    page = person_client.get("/journal/import/").content.decode()

    assert 'href="/journal/export.fhir.json"' in page
    assert "FHIR" in visible_text(page)
