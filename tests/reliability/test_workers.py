"""Background workers that die are noticed: their tasks are failed, the imports they were
saving are ended (nothing saved, the file emptied, the count forgotten), and the import's
page says so at once; queued work waits for the next worker. Finished work forgets what
it was given, and is deleted after a day."""

import os
import subprocess
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from journal import services, tasks
from journal.models import Entry, JournalImport
from reliability.models import FormSubmission, WorkerHeartbeat
from reliability.workers import GONE_AFTER, MACHINE, Keeper, process_started, prune, sweep
from tests.accounts.factories import UserFactory
from tests.reliability import tasks as test_tasks
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

RECORD = {
    "occurred_at": "2026-11-20T09:30:00+00:00",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
    "intensity": 2,
}


def journal(count: int = 3) -> dict:
    entries = [{**RECORD, "notes": str(n)} for n in range(count)]
    return {"format": "twitch-check-journal", "version": 1, "entries": entries}


def dead_pid() -> int:
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


def heartbeat(worker_id: str, **fields) -> WorkerHeartbeat:
    defaults = {
        "machine": MACHINE,
        "pid": os.getpid(),
        "process_started": process_started(os.getpid()),
        "seen_at": timezone.now(),
    }
    return WorkerHeartbeat.objects.create(worker_id=worker_id, **(defaults | fields))


def saving(worker_id: str, *, started_ago: timedelta = timedelta(seconds=1)):
    """An import being saved by `worker_id`, 5,000 entries in by the shared count."""
    person = UserFactory()
    _, upload = services.journal_import_start(user=person, data=journal())
    result = DBTaskResult.objects.get()
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - started_ago)
    JournalImport.objects.filter(pk=upload.pk).update(status=JournalImport.Status.SAVING)
    cache.set(upload.progress_key, 5000)
    upload.refresh_from_db()
    return person, upload, result


def test_an_import_whose_worker_was_killed_is_ended_and_its_page_says_so_at_once(client):
    person, upload, result = saving("killed")
    heartbeat("killed", pid=dead_pid(), process_started="1", task_id=str(result.pk))

    # Before any sweep: the page already says nothing was saved and offers a new upload.
    assert upload.stalled
    client.force_login(person)
    page = client.get(f"/journal/import/{upload.pk}/").content.decode()
    assert "Nothing from this file was saved." in page
    assert "Import the file again" in page
    assert "saved so far" not in page
    assert not JournalImport.objects.for_user(person).unfinished().exists()

    Keeper("sweeper").round()

    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "reliability.workers.WorkerStopped"
    assert result.args_kwargs == {"args": [], "kwargs": {"import_id": upload.pk}}
    upload.refresh_from_db()
    assert (upload.status, upload.data, upload.added) == ("failed", None, 0)
    assert upload.errors == [tasks.IMPORT_STOPPED]
    assert cache.get(upload.progress_key) is None
    assert Entry.objects.count() == 0
    assert client.post("/journal/import/", {}).status_code != 429


def test_the_worker_command_sweeps_before_it_takes_work():
    _, upload, result = saving("killed")
    heartbeat("killed", pid=dead_pid(), process_started="1", task_id=str(result.pk))
    run_tasks()
    result.refresh_from_db()
    upload.refresh_from_db()
    assert (result.status, upload.status, upload.data) == ("FAILED", "failed", None)
    assert not WorkerHeartbeat.objects.exists(), "the dead one's is forgotten, and a worker "
    "that stops cleanly leaves none"


def test_a_live_worker_s_task_is_left_running():
    _, _, result = saving("alive")
    heartbeat("alive", task_id=str(result.pk))
    assert sweep() == []
    assert not JournalImport.objects.get().stalled


def test_a_worker_elsewhere_is_gone_once_it_has_not_beaten_for_30_seconds():
    _, _, result = saving("elsewhere", started_ago=timedelta(minutes=2))
    beat = heartbeat("elsewhere", machine="another-host", task_id=str(result.pk))
    assert sweep() == []
    beat.seen_at = timezone.now() - GONE_AFTER - timedelta(seconds=1)
    beat.save()
    assert [failed.pk for failed in sweep()] == [result.pk]


def test_a_worker_that_moved_on_without_finishing_its_task_has_it_failed():
    """As when the database went while the task ran: the worker lived on, but could not
    record the task's end."""
    _, _, result = saving("moved-on", started_ago=timedelta(seconds=30))
    heartbeat("moved-on", task_id="")
    assert [failed.pk for failed in sweep()] == [result.pk]


def test_a_task_of_a_worker_that_never_beat_is_judged_after_15_minutes():
    saving("old-style", started_ago=timedelta(minutes=5))
    assert sweep() == []
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=16))
    assert len(sweep()) == 1


def test_queued_work_waits_through_a_sweep_for_the_next_worker():
    person = UserFactory()
    _, upload = services.journal_import_start(user=person, data=journal())
    Keeper("sweeper").round()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    run_tasks()
    upload.refresh_from_db()
    assert (upload.status, upload.added) == ("done", 3)


def test_finished_work_keeps_no_address_link_or_token():
    test_tasks.greet.enqueue(
        email="ana@example.com",
        link="/journal/reset/MQ/cbtd3q-3f5c4d9e2a1b0c8d7e6f5a4b3c2d/",
        attempt=2,
    )
    test_tasks.refuse.enqueue(email="ben@example.com", link="/journal/sign-up/open/Mg/abc123/")
    run_tasks()
    sent = DBTaskResult.objects.get(task_path__endswith="greet")
    refused = DBTaskResult.objects.get(task_path__endswith="refuse")
    assert sent.args_kwargs["kwargs"] == {"email": "[removed]", "link": "[removed]", "attempt": 2}
    assert sent.return_value == {"sent_to": "[removed]", "attempt": 2}
    assert refused.status == TaskResultStatus.FAILED
    assert "OSError" in refused.traceback
    for secret in ("ben@example.com", "abc123", "https://example.com"):
        assert secret not in refused.traceback
        assert secret not in str(refused.args_kwargs)


def test_work_waiting_to_run_keeps_its_arguments():
    test_tasks.greet.enqueue(email="ana@example.com", link="/x/")
    Keeper("sweeper").round()
    assert DBTaskResult.objects.get().args_kwargs["kwargs"]["email"] == "ana@example.com"


def test_finished_work_heartbeats_and_sent_forms_are_deleted_after_a_day():
    test_tasks.greet.enqueue(email="ana@example.com", link="/x/")
    run_tasks()
    test_tasks.greet.enqueue(email="ben@example.com", link="/y/")
    heartbeat("long-gone", seen_at=timezone.now() - timedelta(days=2))
    FormSubmission.objects.create(token="t" * 30, location="/journal/")
    prune(now=timezone.now() + timedelta(days=1, minutes=1))
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
    assert not WorkerHeartbeat.objects.exists()
    assert not FormSubmission.objects.exists()
