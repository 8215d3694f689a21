"""Every insights page: sign-in required, and nobody sees anybody else's journal."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from journal.models import Plan, PlanCheck, Region, SavedCheck
from tests.journal.insights_data import entry, make_person

pytestmark = pytest.mark.django_db

PAGES = [
    "/journal/patterns/",
    "/journal/plan/",
    "/journal/report/",
    "/journal/report/?from=2020-01-01&to=2026-12-31",
    "/journal/export.csv",
    "/journal/export.json",
    "/journal/export.fhir.json",
    "/journal/import/",
]
SECRET = "ana-private-note"


@pytest.fixture
def ana():
    ana = make_person()
    now = datetime.now(UTC)
    for days in range(20):
        entry(ana, now - timedelta(days=days), Region.TONGUE, weakness=True, notes=SECRET)
    SavedCheck.objects.create(
        user=ana, answers={"area": "eyelid"}, level="eye_specialist", ruleset_version="ana-rules"
    )
    plan = Plan.objects.create(user=ana, started_on=now.date() - timedelta(days=3))
    PlanCheck.objects.create(plan=plan, day=plan.started_on, step_id="sleep")
    return ana


@pytest.mark.parametrize("path", [*PAGES, "/journal/report.pdf"])
def test_signing_in_is_required(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/journal/sign-in/")


@pytest.mark.parametrize("path", PAGES)
def test_another_person_sees_none_of_anas_journal(client, ana, path):
    client.force_login(make_person("ben@example.com"))
    response = client.get(path)
    assert response.status_code == 200
    text = response.getvalue().decode()
    assert SECRET not in text
    assert "Tongue" not in text and "tongue" not in text
    assert "ana-rules" not in text
    assert "Ask your doctor about nerve and muscle tests" not in text
    assert "Steps done so far" not in text


def test_another_persons_export_is_empty(client, ana):
    client.force_login(make_person("ben@example.com"))
    data = json.loads(client.get("/journal/export.json").getvalue())
    assert (data["entries"], data["saved_checks"], data["plans"]) == ([], [], [])


def test_ticking_a_day_only_touches_your_own_plan(client, ana):
    ben = make_person("ben@example.com")
    client.force_login(ben)
    day = Plan.objects.get(user=ana).started_on.isoformat()
    client.post("/journal/plan/check/", {"day": day, "steps": []})
    assert PlanCheck.objects.filter(plan__user=ana).count() == 1
