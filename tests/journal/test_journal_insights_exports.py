"""Export everything, import it back: nothing lost, nothing doubled, bad files refused whole."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.exports import MAX_FILE_BYTES, export_data
from journal.models import CheckIn, Entry, Plan, PlanCheck, Region, SavedCheck
from tests.journal.factories import CheckInFactory
from tests.journal.insights_data import add_entries, entry, make_person
from tests.page_text import visible_text
from tests.tasks import run_tasks
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = make_person()
    add_entries(person, 30, end=datetime(2026, 11, 25, 9, 15, 30, 123456, tzinfo=UTC))
    entry(person, datetime(2026, 11, 1, 7, 0, tzinfo=UTC), Region.TONGUE, cramp=True,
          muscle_thinning=True, notes='=SUM(A1) "quoted", <b>bold</b>\nnew line ✓')  # fmt: skip
    CheckInFactory(user=person, day=date(2026, 11, 1), bother=7, caffeine_cups=None,
                   sleep_hours=Decimal("7.5"), hard_exercise=None, water_litres=None,
                   new_medicine=True)  # fmt: skip
    CheckInFactory(user=person, day=date(2026, 11, 24), bother=None, caffeine_cups=4)
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


def test_export_import_round_trip_into_a_new_account_loses_nothing(client, person):
    client.force_login(person)
    first = client.get("/journal/export.json")
    assert first["Content-Disposition"].startswith("attachment;")
    exported_file = first.getvalue()
    exported = json.loads(exported_file)
    assert exported["format"] == "twitch-check-journal"
    assert exported["version"] == 2
    assert len(exported["entries"]) == 31
    assert "caffeine_cups" not in exported["entries"][0]
    assert exported["check_ins"][0] == {
        "day": "2026-11-01", "bother": 7, "caffeine_cups": None, "sleep_hours": 7.5,
        "stress": 2, "hard_exercise": None, "water_litres": None, "new_medicine": True,
    }  # fmt: skip

    newcomer = make_person("ben@example.com")
    client.force_login(newcomer)
    response = upload(client, exported_file)
    assert response.status_code == 302
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 35 new records added" in page
    again = json.loads(client.get("/journal/export.json").getvalue())
    assert without_timestamp(again) == without_timestamp(exported)


def test_importing_the_same_file_twice_skips_exact_duplicates(client, person):
    client.force_login(person)
    exported = client.get("/journal/export.json").getvalue()
    response = upload(client, exported)
    assert response.status_code == 302
    assert Entry.objects.filter(user=person).count() == 31
    assert CheckIn.objects.filter(user=person).count() == 2
    assert SavedCheck.objects.filter(user=person).count() == 1
    assert Plan.objects.filter(user=person).count() == 1
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 0 new records added" in page
    assert "Skipped 35 records already in your journal." in page


def test_a_day_already_checked_in_keeps_its_check_in(client, person):
    data = export_data(person)
    data["check_ins"][0]["bother"] = 1
    data["check_ins"].append({"day": "2026-11-02", "bother": 2})
    client.force_login(person)
    response = upload(client, data)
    assert response.status_code == 302
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 1 new record added" in page
    assert "A day you had already checked in for keeps the check-in in your journal." in page
    assert CheckIn.objects.get(user=person, day=date(2026, 11, 1)).bother == 7
    assert CheckIn.objects.get(user=person, day=date(2026, 11, 2)).bother == 2


def test_an_import_always_belongs_to_the_person_importing(client, person):
    data = export_data(person)
    data["user"] = person.pk
    for record in data["entries"]:
        record["user"] = person.pk
    other = make_person("ben@example.com")
    client.force_login(other)
    assert upload(client, data).status_code == 302
    assert Entry.objects.filter(user=other).count() == 31
    assert CheckIn.objects.filter(user=other).count() == 2
    assert Entry.objects.filter(user=person).count() == 31
    assert CheckIn.objects.filter(user=person).count() == 2


def csv_tables(content: bytes) -> dict[str, list[dict[str, str]]]:
    """Each titled table of the CSV file, as rows under their headings."""
    tables, rows = {}, list(csv.reader(io.StringIO(content.decode())))
    while rows:
        (title,), headings, *rows = rows
        end = rows.index([]) if [] in rows else len(rows)
        tables[title] = [dict(zip(headings, row, strict=True)) for row in rows[:end]]
        rows = rows[end + 1 :]
    return tables


def test_csv_export_shows_every_record_in_words_and_local_times(client, person):
    client.force_login(person)
    response = client.get("/journal/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    tables = csv_tables(response.getvalue())
    assert list(tables) == ["Twitches", "Daily check-ins", "Saved self-checks"]
    assert len(tables["Twitches"]) == 31
    tongue = next(row for row in tables["Twitches"] if row["Part of the body"] == "Tongue or mouth")
    assert tongue["When"] == "1 November 2026, 07:00"
    assert tongue["Side"] == "Left"
    assert tongue["How long"] == "A few seconds"
    assert tongue["Cramp"] == "Yes"
    assert tongue["Weakness"] == "No"
    assert tongue["Notes"].startswith("'=SUM(A1)")
    assert tables["Twitches"][-1]["When"] == "25 November 2026, 09:15"
    first, second = tables["Daily check-ins"]
    assert first == {
        "Day": "1 November 2026", "Bother (0 to 10)": "7", "Cups of caffeine": "",
        "Hours of sleep the night before": "7.5", "Stress (0 to 5)": "2", "Hard exercise": "",
        "Litres of water": "", "New medicine": "Yes",
    }  # fmt: skip
    assert second["Day"] == "24 November 2026"
    (saved,) = tables["Saved self-checks"]
    assert saved["When"] == "3 October 2026, 01:00"
    assert saved["Result"] == get_ruleset().level("self_care").label
    assert saved["Answers"].startswith("Where is the twitching?: ")


def test_csv_times_are_in_the_persons_time_zone(client):
    person = make_person(time_zone="America/New_York")
    entry(person, datetime(2026, 12, 6, 19, 5, tzinfo=UTC), Region.EYELID)
    client.force_login(person)
    tables = csv_tables(client.get("/journal/export.csv").getvalue())
    assert tables["Twitches"][0]["When"] == "6 December 2026, 14:05"
    assert tables["Daily check-ins"] == []


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
     "Twitch 2: the date and time is missing."),
    ("intensity as text", {**GOOD, "intensity": "loud"},
     "Twitch 2, 20 November 2026: the strength should be a whole number from 1 to 5."),
    ("intensity as true", {**GOOD, "intensity": True}, "the strength should be a whole number"),
    ("intensity too high", {**GOOD, "intensity": 9},
     "the strength should be a whole number from 1 to 5."),
    ("huge number", {**GOOD, "caffeine_cups": 9 ** 400},
     "cups of caffeine should be a whole number from 0 to 30, or null."),
    ("weakness as text", {**GOOD, "weakness": "yes"}, "weakness should be true or false."),
    ("unknown region", {**GOOD, "region": "<x-hostile onclick=alert(1)>"},
     "the part of the body should be one of: back, buttock"),
    ("impossible date", {**GOOD, "occurred_at": "2026-02-30T08:00"},
     "Twitch 2: the date and time should be a date and time, like 2026-11-25T08:30:00+00:00"),
    ("year 1, east of UTC", {**GOOD, "occurred_at": "0001-01-01T00:00:00+05:00"},
     "Twitch 2: the date and time should be a date and time"),
    ("year 9999, west of UTC", {**GOOD, "occurred_at": "9999-12-31T23:59:00-05:00"},
     "Twitch 2: the date and time should be a date and time"),
    ("before 2000", {**GOOD, "occurred_at": "1900-06-01T08:00:00+00:00"},
     "Twitch 2, 1 June 1900: the date should be in the year 2000 or later."),
    ("in the future", {**GOOD, "occurred_at": "2030-01-01T08:00:00+00:00"},
     "Twitch 2, 1 January 2030: the date is in the future."),
    ("date as a number", {**GOOD, "occurred_at": 20261120},
     "Twitch 2: the date and time should be a date and time"),
    ("null byte", {**GOOD, "notes": "a\x00b"},
     "there are characters in the notes that cannot be saved."),
    ("lone surrogate", {**GOOD, "notes": "\ud800"},
     "there are characters in the notes that cannot be saved."),
    ("not a number", {**GOOD, "sleep_hours": "NaN"}, "hours of sleep should be a number from 0"),
    ("too precise", {**GOOD, "sleep_hours": 7.25}, "with one decimal place at most"),
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
    page = visible_text(response.content.decode())
    assert "Nothing was imported" in page
    assert message in page
    assert "<x-hostile" not in response.content.decode()
    assert Entry.objects.count() == CheckIn.objects.count() == 0


CHECK_IN = {"day": "2026-12-02", "bother": 4}
BAD_CHECK_INS = [
    ("bother too high", {**CHECK_IN, "bother": 11},
     "Check-in 3, 2 December 2026: bother should be a whole number from 0 to 10, or null."),
    ("bother as text", {**CHECK_IN, "bother": "4"},
     "Check-in 3, 2 December 2026: bother should be a whole number from 0 to 10"),
    ("stress too high", {**CHECK_IN, "stress": 6},
     "Check-in 3, 2 December 2026: stress should be a whole number from 0 to 5, or null."),
    ("new medicine as text", {**CHECK_IN, "new_medicine": "yes"},
     "Check-in 3, 2 December 2026: new medicine should be true, false or null."),
    ("no day", {"bother": 4}, "Check-in 3: the day is missing."),
    ("impossible day", {**CHECK_IN, "day": "2026-02-30"},
     "Check-in 3: the day should be a date, like 2026-11-25, not '2026-02-30'."),
    ("a day to come", {**CHECK_IN, "day": "2030-01-01"},
     "Check-in 3, 1 January 2030: the day should be from the year 2000 up to today."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("record", "message"), [c[1:] for c in BAD_CHECK_INS], ids=[c[0] for c in BAD_CHECK_INS]
)
def test_a_bad_check_in_is_named_with_its_day_and_nothing_is_saved(client, record, message):
    client.force_login(make_person())
    data = {
        "format": "twitch-check-journal",
        "version": 2,
        "entries": [GOOD],
        "check_ins": [{"day": "2026-11-30"}, {"day": "2026-12-01", "sleep_hours": 7.5}, record],
    }
    response = upload(client, data)
    assert response.status_code == 400
    page = visible_text(response.content.decode())
    assert "Nothing was imported: 1 problem in the file" in page
    assert message in page
    assert Entry.objects.count() == CheckIn.objects.count() == 0


def test_a_version_2_file_takes_no_day_factors_from_its_twitches(client):
    client.force_login(make_person())
    data = {"format": "twitch-check-journal", "version": 2, "entries": [
        {**GOOD, "caffeine_cups": 5, "sleep_hours": "many"}]}  # fmt: skip
    assert upload(client, data).status_code == 302
    assert Entry.objects.count() == 1
    assert CheckIn.objects.count() == 0


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
    page = visible_text(upload(client, data).content.decode())
    assert "Saved self-check 1: the date and time should be a date and time, like" in page
    assert "Saved self-check 2, 1 November 2026: the answers should list each question id" in page
    assert 'Self-care plan 1, 1 November 2026: each step ticked should have a "day" date' in page
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
    assert "Saved self-check 1: the date and time should be from the year 2000 up to now." in html
    assert "Self-care plan 1, 1 November 2026: each step ticked should be one of: " in html
    assert "Self-care plan 2, 31 December 9999: the start day should be from the year 2000" in html
    assert (
        "Self-care plan 3, 1 October 2026: each step ticked should be on a day of the plan" in html
    )
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
    assert (
        "Twitch 2719, 20 November 2026: stress should be a whole number from 0 to 5, or null."
        in visible_text(response.content.decode())
    )
    assert Entry.objects.count() == 0


def test_the_file_limit_holds_the_export_of_a_journal_of_100_000_twitches(client):
    person = make_person()
    add_entries(person, 1000)
    client.force_login(person)
    exported = client.get("/journal/export.json").getvalue()
    assert len(exported) * 100 < MAX_FILE_BYTES


V1_FILE = Path(__file__).parent / "fixtures" / "journal_v1.json"


def test_a_version_1_file_imports_with_nothing_lost(client):
    """Its twitches' day factors become check-ins, one a local day in the file's time zone:
    the most caffeine, the least sleep, the most stress, hard exercise if any twitch had it,
    the most water."""
    person = make_person()
    client.force_login(person)
    response = upload(client, V1_FILE.read_bytes())
    assert response.status_code == 302
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 9 new records added" in page

    v1 = json.loads(V1_FILE.read_text())
    exported = export_data(person)
    twitch_fields = list(exported["entries"][0])
    assert exported["entries"] == [
        {name: record[name] for name in twitch_fields} for record in v1["entries"]
    ]
    assert exported["check_ins"] == [
        # 20 November in New York: the twitch at 03:30 UTC on the 21st was at 22:30 on the 20th.
        {"day": "2026-11-20", "bother": None, "caffeine_cups": 4, "sleep_hours": 6.0,
         "stress": 3, "hard_exercise": True, "water_litres": 2.0, "new_medicine": None},
        # 22 November's twitch gave no factors, so that day has no check-in.
        {"day": "2026-11-24", "bother": None, "caffeine_cups": 0, "sleep_hours": None,
         "stress": None, "hard_exercise": None, "water_litres": None, "new_medicine": None},
    ]  # fmt: skip
    assert exported["saved_checks"] == v1["saved_checks"]
    assert exported["plans"] == v1["plans"]


def test_a_version_1_file_imported_twice_changes_nothing(client):
    person = make_person()
    client.force_login(person)
    upload(client, V1_FILE.read_bytes())
    before = without_timestamp(export_data(person))
    response = upload(client, V1_FILE.read_bytes())
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 0 new records added" in page
    assert "Skipped 9 records already in your journal." in page
    assert without_timestamp(export_data(person)) == before


def test_a_version_1_file_leaves_a_day_already_checked_in_as_it_was(client):
    person = make_person()
    CheckInFactory(user=person, day=date(2026, 11, 20), bother=5, caffeine_cups=1)
    client.force_login(person)
    response = upload(client, V1_FILE.read_bytes())
    page = visible_text(client.get(response.url).content.decode())
    assert "Journal imported 8 new records added" in page
    kept = CheckIn.objects.get(user=person, day=date(2026, 11, 20))
    assert (kept.bother, kept.caffeine_cups) == (5, 1)
    assert CheckIn.objects.filter(user=person).count() == 2
