"""Export everything, import it back: nothing lost, nothing doubled, bad files refused whole."""

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.exports import MAX_FILE_BYTES, export_data
from journal.models import Entry, Plan, PlanCheck, Region, SavedCheck
from tests.journal.insights_data import add_entries, entry, make_person
from tests.page_text import visible_text
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = make_person()
    add_entries(person, 30, end=datetime(2026, 11, 25, 9, 15, 30, 123456, tzinfo=UTC))
    entry(person, datetime(2026, 11, 1, 7, 0, tzinfo=UTC), Region.TONGUE, hard_exercise=None,
          caffeine_cups=None, sleep_hours=Decimal("7.5"), water_litres=None, cramp=True,
          muscle_thinning=True, notes='=SUM(A1) "quoted", <b>bold</b>\nnew line ✓')  # fmt: skip
    check = SavedCheck.objects.create(
        user=person, answers={"area": "eyelid", "eyelid_duration": "under_2_weeks"},
        level="self_care", ruleset_version="2026.11.1",
    )  # fmt: skip
    SavedCheck.objects.filter(pk=check.pk).update(created_at=datetime(2026, 10, 3, tzinfo=UTC))
    plan = Plan.objects.create(user=person, started_on=datetime(2026, 11, 10).date())
    PlanCheck.objects.create(plan=plan, day=plan.started_on, step_id="sleep")
    PlanCheck.objects.create(plan=plan, day=plan.started_on, step_id="caffeine")
    return person


def upload(client, data, name: str = "journal.json"):
    """Upload a file on the import page; if it is taken, let the worker save it."""
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    file = SimpleUploadedFile(name, content, content_type="application/json")
    response = client.post("/journal/import/", {"file": file})
    if response.status_code == 302:
        run_tasks()
    return response


def without_timestamp(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "exported_at"}


def test_export_import_round_trip_loses_nothing(client, person):
    client.force_login(person)
    first = client.get("/journal/export.json")
    assert first["Content-Disposition"].startswith("attachment;")
    exported_file = first.getvalue()
    exported = json.loads(exported_file)
    assert exported["format"] == "twitch-check-journal"
    assert exported["version"] == 1
    assert len(exported["entries"]) == 31
    Entry.objects.filter(user=person).delete()
    SavedCheck.objects.filter(user=person).delete()
    Plan.objects.filter(user=person).delete()

    response = upload(client, exported_file)
    assert response.status_code == 302
    again = json.loads(client.get("/journal/export.json").getvalue())
    assert without_timestamp(again) == without_timestamp(exported)


def test_importing_the_same_file_twice_skips_exact_duplicates(client, person):
    client.force_login(person)
    exported = client.get("/journal/export.json").getvalue()
    response = upload(client, exported)
    assert response.status_code == 302
    assert Entry.objects.filter(user=person).count() == 31
    assert SavedCheck.objects.filter(user=person).count() == 1
    assert Plan.objects.filter(user=person).count() == 1
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 0 new records added" in page
    assert "Skipped 33 records already in your journal." in page


def test_an_import_always_belongs_to_the_person_importing(client, person):
    data = export_data(person)
    data["user"] = person.pk
    for record in data["entries"]:
        record["user"] = person.pk
    other = make_person("ben@example.com")
    client.force_login(other)
    assert upload(client, data).status_code == 302
    assert Entry.objects.filter(user=other).count() == 31
    assert Entry.objects.filter(user=person).count() == 31


def test_csv_export_has_every_record_and_cannot_run_formulas(client, person):
    client.force_login(person)
    response = client.get("/journal/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == 32
    assert [row["record"] for row in rows].count("self_check") == 1
    tongue = next(row for row in rows if row["region"] == "tongue")
    assert tongue["notes"].startswith("'=SUM(A1)")
    assert tongue["cramp"] == "yes"
    assert tongue["hard_exercise"] == ""
    assert tongue["when"] == "2026-11-01T07:00:00+00:00"


BAD_FILES = [
    ("not json", b"{nope", "could not be read as JSON"),
    ("not utf-8", b"\xff\xfe\x00", "could not be read as JSON"),
    ("deeply nested", b"[" * 100_000, "could not be read as JSON"),
    ("another format", {"entries": []}, "not a Twitch Check journal file"),
    ("future version", {"format": "twitch-check-journal", "version": 99}, "cannot read"),
    ("entries not a list", {"format": "twitch-check-journal", "version": 1, "entries": {}},
     '"entries" should be a list'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_a_file_that_is_not_a_journal_is_refused_with_a_clear_message(client, content, message):
    person = make_person()
    client.force_login(person)
    response = upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.replace('"', "&quot;") in html
    assert 'aria-invalid="true"' in html


GOOD = {
    "occurred_at": "2026-11-20T08:00:00+00:00",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
    "intensity": 2,
    "notes": "",
}
BAD_RECORDS = [
    ("a list, not a record", ["calf"], "Twitch 2: this should be a record"),
    ("missing time", {k: v for k, v in GOOD.items() if k != "occurred_at"},
     'Twitch 2: "occurred_at" is missing.'),
    ("intensity as text", {**GOOD, "intensity": "loud"}, '"intensity" should be a whole number.'),
    ("intensity as true", {**GOOD, "intensity": True}, '"intensity" should be a whole number.'),
    ("intensity too high", {**GOOD, "intensity": 9}, '"intensity" should be from 1 to 5.'),
    ("huge number", {**GOOD, "caffeine_cups": 9 ** 400}, '"caffeine_cups" should be from 0 to 30.'),
    ("weakness as text", {**GOOD, "weakness": "yes"}, '"weakness" should be true or false.'),
    ("unknown region", {**GOOD, "region": "<x-hostile onclick=alert(1)>"},
     '"region" should be one of: back, buttock'),
    ("impossible date", {**GOOD, "occurred_at": "2026-02-30T08:00"},
     '"occurred_at" should be a date and time'),
    ("year 1, east of UTC", {**GOOD, "occurred_at": "0001-01-01T00:00:00+05:00"},
     '"occurred_at" should be a date and time'),
    ("year 9999, west of UTC", {**GOOD, "occurred_at": "9999-12-31T23:59:00-05:00"},
     '"occurred_at" should be a date and time'),
    ("before 2000", {**GOOD, "occurred_at": "1900-06-01T08:00:00+00:00"},
     '"occurred_at" should be in the year 2000 or later.'),
    ("in the future", {**GOOD, "occurred_at": "3000-06-01T08:00:00+00:00"},
     '"occurred_at" is in the future.'),
    ("date as a number", {**GOOD, "occurred_at": 20261120}, '"occurred_at" should be a date'),
    ("null byte", {**GOOD, "notes": "a\x00b"}, '"notes" has characters that cannot be saved.'),
    ("lone surrogate", {**GOOD, "notes": "\ud800"}, '"notes" has characters that cannot be saved.'),
    ("not a number", {**GOOD, "sleep_hours": "NaN"}, '"sleep_hours" should be a number.'),
    ("too precise", {**GOOD, "sleep_hours": 7.25}, "decimal place"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("record", "message"), [c[1:] for c in BAD_RECORDS], ids=[c[0] for c in BAD_RECORDS]
)
def test_a_bad_record_is_named_and_nothing_is_saved(client, record, message):
    person = make_person()
    client.force_login(person)
    data = {"format": "twitch-check-journal", "version": 1, "entries": [GOOD, record]}
    response = upload(client, json.dumps(data).encode())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert message.replace('"', "&quot;") in html
    assert "<x-hostile" not in html
    assert Entry.objects.count() == 0


def test_bad_saved_checks_and_plans_are_named_too(client):
    person = make_person()
    client.force_login(person)
    data = {
        "format": "twitch-check-journal",
        "version": 1,
        "saved_checks": [{"created_at": 5, "level": "x", "ruleset_version": "1"},
                         {"created_at": "2026-11-01T00:00:00+00:00", "level": "self_care",
                          "ruleset_version": "1", "answers": {"area": ["eyelid"]}}],
        "plans": [{"started_on": "2026-11-01", "checks": [{"day": "soon", "step": "sleep"}]}],
    }  # fmt: skip
    html = upload(client, data).content.decode()
    assert "Saved self-check 1: &quot;created_at&quot; should be a date and time" in html
    assert "Saved self-check 2: &quot;answers&quot; should list each question id" in html
    assert "Self-care plan 1: each check should have a &quot;day&quot; date" in html
    assert SavedCheck.objects.count() == 0
    assert Plan.objects.count() == 0


def test_many_errors_are_counted_and_the_first_ones_listed(client):
    person = make_person()
    client.force_login(person)
    data = {"format": "twitch-check-journal", "version": 1, "entries": [{}] * 30}
    html = upload(client, data).content.decode()
    assert "120 problems in the file" in html
    assert "Only the first 20 are listed here." in html


def test_import_page_asks_for_a_file_when_none_is_given(client):
    person = make_person()
    client.force_login(person)
    response = client.post("/journal/import/", {})
    assert response.status_code == 400
    assert "Choose the .json file you exported." in response.content.decode()


def test_a_version_that_is_not_a_whole_number_is_refused(client):
    client.force_login(make_person())
    response = upload(client, {"format": "twitch-check-journal", "version": True, "entries": []})
    assert response.status_code == 400
    assert "comes from a version of Twitch Check we cannot read" in response.content.decode()


def test_plans_with_unknown_steps_future_starts_or_stray_days_are_named(client):
    client.force_login(make_person())
    data = {
        "format": "twitch-check-journal",
        "version": 1,
        "saved_checks": [
            {
                "created_at": "0001-01-01T00:00:00+05:00",
                "level": "self_care",
                "ruleset_version": "1",
                "answers": {"area": "eyelid"},
            }
        ],
        "plans": [
            {"started_on": "2026-11-01", "checks": [{"day": "2026-11-02", "step": "juggling"}]},
            {"started_on": "9999-12-31", "checks": []},
            {"started_on": "2026-10-01", "checks": [{"day": "2026-12-25", "step": "sleep"}]},
        ],
    }
    response = upload(client, data)
    html = response.content.decode().replace("&quot;", '"')
    assert response.status_code == 400
    assert 'Saved self-check 1: "created_at": Enter a time from the year 2000 up to now.' in html
    assert 'Self-care plan 1: "step" should be one of: ' in html
    assert 'Self-care plan 2: "started_on": Enter a start day from the year 2000' in html
    assert "Self-care plan 3: each check should be on a day of the plan, up to today." in html
    assert Plan.objects.count() == SavedCheck.objects.count() == 0


def test_a_journal_file_over_the_old_10_mb_limit_imports_whole(client):
    client.force_login(make_person())
    records = [
        {
            **GOOD,
            "occurred_at": f"2026-0{1 + n % 9}-{1 + n % 28:02}T{n % 24:02}:{n % 60:02}:00Z",
            "intensity": 1 + n % 5,
            "notes": f"{n} " + "x" * 1990,
        }
        for n in range(5500)
    ]
    content = json.dumps({"format": "twitch-check-journal", "version": 1, "entries": records})
    assert len(content) > 10 * 1024 * 1024
    response = upload(client, content.encode())
    assert response.status_code == 302
    assert Entry.objects.count() == 5500


def test_one_bad_entry_among_thousands_saves_nothing(client):
    client.force_login(make_person())
    records = [{**GOOD, "notes": str(n)} for n in range(3000)]
    records[2718]["stress"] = 6
    response = upload(client, {"format": "twitch-check-journal", "version": 1, "entries": records})
    assert response.status_code == 400
    assert "Twitch 2719: &quot;stress&quot; should be from 0 to 5." in response.content.decode()
    assert Entry.objects.count() == 0


def test_the_file_limit_holds_the_export_of_a_journal_of_100_000_twitches(client):
    person = make_person()
    add_entries(person, 1000)
    client.force_login(person)
    exported = client.get("/journal/export.json").getvalue()
    assert len(exported) * 100 < MAX_FILE_BYTES
