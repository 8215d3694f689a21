"""Dates at the very ends of the calendar, in time zones either side of UTC: never a 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.models import Entry, Plan
from journal.timezones import person_today
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

TIME_ZONES = ["Pacific/Kiritimati", "Etc/GMT+12", "UTC"]
DAYS = ["0001-01-01", "0001-01-02", "1899-12-31", "1900-01-01", "9998-12-31", "9999-12-31"]


@pytest.fixture(params=TIME_ZONES)
def person_client(request, client):
    person = UserFactory(time_zone=request.param)
    Plan.objects.create(user=person, started_on=person_today(person))
    client.force_login(person)
    return client


@pytest.mark.parametrize("day", DAYS)
def test_date_filters_and_the_report_range_answer_every_day(person_client, day):
    for path in (
        f"/journal/?date_from={day}",
        f"/journal/?date_to={day}",
        f"/journal/?date_from={day}&date_to={day}",
        f"/journal/report/?from={day}&to=2026-11-25",
        f"/journal/report/?from=2026-11-01&to={day}",
        f"/journal/report/?from={day}&to={day}",
        f"/journal/plan/?day={day}",
    ):
        response = person_client.get(path)
        assert response.status_code == 200, path


@pytest.mark.parametrize("day", DAYS)
def test_the_report_refuses_a_day_outside_the_journal_clearly(person_client, day):
    html = person_client.get(f"/journal/report/?from={day}&to={day}").content.decode()
    if day.startswith(("0001", "1899", "9999")):
        assert "Enter a date between 1900 and 9998." in html


@pytest.mark.parametrize("day", DAYS)
def test_an_entry_at_either_end_of_the_calendar_is_refused_clearly(person_client, day):
    data = {
        "occurred_at": f"{day}T00:00",
        "region": "calf",
        "side": "left",
        "duration": "seconds",
        "intensity": "2",
    }
    response = person_client.post("/journal/entries/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "must be today or in the past" in html or "year 2000 or later" in html
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("offset", ["+14:00", "+05:00", "-05:00", "-12:00"])
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_an_import_at_either_end_of_the_calendar_is_refused_clearly(person_client, when, offset):
    record = {"occurred_at": when + offset, "region": "calf", "side": "left", "duration": "seconds"}
    plan = {"started_on": when[:10], "checks": [{"day": when[:10], "step": "sleep"}]}
    check = {
        "created_at": when + offset,
        "level": "self_care",
        "ruleset_version": "1",
        "answers": {"area": "eyelid"},
    }
    data = {
        "format": "twitch-check-journal",
        "version": 1,
        "entries": [record],
        "saved_checks": [check],
        "plans": [plan],
    }
    upload = SimpleUploadedFile("journal.json", json.dumps(data).encode(), "application/json")
    response = person_client.post("/journal/import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Twitch 1" in html
    assert "Saved self-check 1" in html
    assert "Self-care plan 1" in html
