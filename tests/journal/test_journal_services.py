"""Importing a journal file: checked on upload, saved by the worker, all or nothing."""

import pytest
from django.db import DatabaseError

from journal import services, tasks
from journal.models import Entry, JournalImport, Plan, SavedCheck
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

GOOD_ENTRY = {
    "occurred_at": "2026-11-20T09:30:00+00:00",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
}


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
    monkeypatch.setattr(tasks, "IMPORT_BATCH", 2)

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
    monkeypatch.setattr(tasks, "IMPORT_BATCH", 2)
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
    tasks.save_journal_import.call(import_id=upload.pk)
    assert Entry.objects.count() == 0
    tasks.save_journal_import.call(import_id=upload.pk + 1000)  # gone with its account


def test_an_unreachable_cache_never_stops_an_import(person, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(tasks.cache, "set", unreachable)
    monkeypatch.setattr(tasks.cache, "delete", unreachable)
    data = {"format": "twitch-check-journal", "version": 1, "entries": [GOOD_ENTRY]}
    _, upload = import_now(person, data)
    assert (upload.status, upload.added) == ("done", 1)


def test_an_imported_saved_result_keeps_the_time_it_was_made(person):
    made = "2026-10-01T08:15:00+00:00"
    check = {
        "created_at": made,
        "answers": {"emergency_signs": "no"},
        "level": "self_care",
        "ruleset_version": "test",
    }
    data = {"format": "twitch-check-journal", "version": 1, "saved_checks": [check]}
    _, upload = import_now(person, data)
    assert upload.status == "done", upload.errors
    assert SavedCheck.objects.get().created_at.isoformat() == made
