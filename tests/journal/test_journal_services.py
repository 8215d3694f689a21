"""Every write to a journal: what it saves, for whom, and all or nothing."""

import inspect
from datetime import UTC, date, datetime

import pytest
from django.db import DatabaseError

from journal import services
from journal.models import Entry, JournalImport, Plan, PlanCheck, Region, SavedCheck, Side
from tests.journal.factories import EntryFactory, SavedCheckFactory, UserFactory
from tests.tasks import run_tasks
from triage.engine import assess

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
EYELID_ANSWERS = {"emergency_signs": "no", "area": "eyelid", "eyelid_duration": "over_2_weeks"}
GOOD_ENTRY = {
    "occurred_at": "2026-11-20T09:30:00+00:00",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
}


def test_every_write_takes_keyword_arguments_only():
    for name, function in inspect.getmembers(services, inspect.isfunction):
        if function.__module__ != services.__name__:
            continue
        parameters = inspect.signature(function).parameters.values()
        assert all(p.kind is p.KEYWORD_ONLY for p in parameters), name


def test_deleting_an_account_deletes_every_entry_and_saved_check_at_once(person, other_person):
    EntryFactory.create_batch(5, user=person)
    SavedCheckFactory(user=person)
    Plan.objects.create(user=person, started_on=NOW.date())
    EntryFactory(user=other_person)
    services.user_delete(user=person)
    assert Entry.objects.count() == 1
    assert SavedCheck.objects.count() == 0
    assert Plan.objects.count() == 0


def test_quick_add_logs_a_twitch_now(person):
    before = datetime.now(UTC)
    entry = services.entry_quick_add(user=person, region=Region.EYELID, side=Side.LEFT)
    assert entry.user == person
    assert entry.occurred_at >= before
    assert (entry.region, entry.side, entry.duration) == ("eyelid", "left", "seconds")


def test_sign_up_stores_the_time_zone_and_a_hashed_password():
    user = services.user_create(
        email="cy@example.com", password="a-long-password-1", time_zone="Asia/Tokyo"
    )
    assert user.time_zone == "Asia/Tokyo"
    assert user.check_password("a-long-password-1")
    assert "a-long-password-1" not in user.password
    assert UserFactory._meta.model.objects.get(email="cy@example.com") == user


def test_a_new_entry_belongs_to_the_person_who_wrote_it(person):
    data = {
        "occurred_at": NOW,
        "region": Region.HAND,
        "side": Side.RIGHT,
        "duration": "minutes",
        "intensity": 3,
        "caffeine_cups": None,
        "sleep_hours": None,
        "stress": None,
        "hard_exercise": None,
        "water_litres": None,
        "weakness": False,
        "numbness": True,
        "cramp": False,
        "muscle_thinning": False,
        "notes": "After typing",
        "user": None,
    }
    entry = services.entry_create(user=person, data=data)
    assert Entry.objects.get() == entry
    assert (entry.user, entry.region, entry.numbness, entry.notes) == (
        person,
        "hand",
        True,
        "After typing",
    )


def test_an_edit_changes_only_what_a_person_records(person, other_person):
    entry = EntryFactory(user=person, region=Region.CALF, notes="")
    data = {name: getattr(entry, name) for name in ("occurred_at", "side", "duration")}
    data |= {
        "region": Region.FOOT,
        "intensity": 4,
        "caffeine_cups": 1,
        "sleep_hours": 8,
        "stress": 1,
        "hard_exercise": True,
        "water_litres": 2,
        "weakness": False,
        "numbness": False,
        "cramp": True,
        "muscle_thinning": False,
        "notes": "Better",
        "user": other_person,
    }
    services.entry_update(entry=entry, data=data)
    entry.refresh_from_db()
    assert (entry.user, entry.region, entry.cramp, entry.notes) == (person, "foot", True, "Better")


def test_deleting_an_entry_or_a_saved_result_removes_only_that_one(person):
    keep, gone = EntryFactory(user=person), EntryFactory(user=person)
    services.entry_delete(entry=gone)
    assert list(Entry.objects.all()) == [keep]
    kept_check, gone_check = SavedCheckFactory(user=person), SavedCheckFactory(user=person)
    services.saved_check_delete(check=gone_check)
    assert list(SavedCheck.objects.all()) == [kept_check]


def test_a_saved_result_keeps_the_answers_level_and_rules_version(person):
    assessment = assess(EYELID_ANSWERS)
    check = services.saved_check_create(user=person, answers=EYELID_ANSWERS, assessment=assessment)
    assert check.user == person
    assert check.answers == EYELID_ANSWERS
    assert (check.level, check.ruleset_version) == (
        assessment.level.id,
        assessment.ruleset_version,
    )


def test_a_new_time_zone_is_saved(person):
    services.user_set_time_zone(user=person, time_zone="America/Chicago")
    person.refresh_from_db()
    assert person.time_zone == "America/Chicago"


def test_a_plan_starts_on_the_day_given_and_its_days_hold_exactly_the_steps_ticked(person):
    plan = services.plan_start(user=person, today=date(2026, 11, 1))
    assert (plan.user, plan.started_on) == (person, date(2026, 11, 1))
    day = date(2026, 11, 2)
    services.plan_set_day_steps(plan=plan, day=day, step_ids=["a", "b"])
    services.plan_set_day_steps(plan=plan, day=day, step_ids=["b", "c"])
    assert sorted(PlanCheck.objects.values_list("step_id", flat=True)) == ["b", "c"]


def import_now(person, data):
    """Start an import as the import page does, then let the worker save it."""
    result, upload = services.journal_import_start(user=person, data=data)
    if upload is not None:
        run_tasks()
        upload.refresh_from_db()
    return result, upload


def test_an_import_with_one_bad_record_saves_nothing_and_queues_nothing(person):
    good = GOOD_ENTRY
    data = {
        "format": "twitch-check-journal",
        "version": 1,
        "entries": [good, {**good, "region": "elbow"}],
        "plans": [{"started_on": "2026-11-01", "checks": []}],
    }
    result, upload = import_now(person, data)
    assert not result.ok
    assert upload is None and not JournalImport.objects.exists()
    assert (Entry.objects.count(), Plan.objects.count()) == (0, 0)
    data["entries"] = [good]
    result, upload = import_now(person, data)
    assert (upload.status, upload.added, upload.data) == ("done", 2, None)
    assert Entry.objects.get().user == person
    assert Plan.objects.get().user == person


def test_an_import_that_fails_after_some_batches_are_saved_saves_nothing(person, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)

    def database_gone(**fields):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Plan.objects, "create", database_gone)
    data = {
        "format": "twitch-check-journal",
        "version": 1,
        "entries": [
            {**GOOD_ENTRY, "occurred_at": f"2026-11-{day:02}T09:30:00+00:00"} for day in range(1, 8)
        ],
        "plans": [{"started_on": "2026-11-01", "checks": []}],
    }
    _, upload = import_now(person, data)
    assert (Entry.objects.count(), Plan.objects.count()) == (0, 0)
    assert (upload.status, upload.added, upload.data) == ("failed", 0, None)
    assert upload.errors == ["Something went wrong while saving. Nothing from this file was saved."]


def test_an_import_in_several_batches_saves_every_entry_once(person, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    entries = [
        {**GOOD_ENTRY, "occurred_at": f"2026-11-{day:02}T09:30:00+00:00"} for day in range(1, 8)
    ]
    data = {"format": "twitch-check-journal", "version": 1, "entries": entries}
    _, upload = import_now(person, data)
    assert (upload.status, upload.added) == ("done", 7)
    saved = Entry.objects.filter(user=person).order_by("occurred_at")
    assert [entry.occurred_at.day for entry in saved] == list(range(1, 8))


def test_the_worker_checks_an_import_again_against_the_journal_as_it_is_when_saving(person):
    data = {"format": "twitch-check-journal", "version": 1, "entries": [GOOD_ENTRY]}
    first = services.journal_import_start(user=person, data=data)[1]
    second = services.journal_import_start(user=person, data=data)[1]
    assert first.to_add == second.to_add == 1
    run_tasks()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.added, second.added, second.skipped) == (1, 0, 1)
    assert Entry.objects.count() == 1


def test_an_import_already_taken_by_a_worker_is_not_saved_twice(person):
    data = {"format": "twitch-check-journal", "version": 1, "entries": [GOOD_ENTRY]}
    upload = services.journal_import_start(user=person, data=data)[1]
    JournalImport.objects.filter(pk=upload.pk).update(status="saving")
    services.journal_import_save(import_id=upload.pk)
    assert Entry.objects.count() == 0
    services.journal_import_save(import_id=upload.pk + 1000)  # gone with its account


def test_an_unreachable_cache_never_stops_an_import(person, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(services.cache, "set", unreachable)
    monkeypatch.setattr(services.cache, "delete", unreachable)
    data = {"format": "twitch-check-journal", "version": 1, "entries": [GOOD_ENTRY]}
    _, upload = import_now(person, data)
    assert (upload.status, upload.added) == ("done", 1)
