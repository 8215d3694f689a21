"""Background workers that die are noticed.

django-tasks-db marks a task RUNNING when a worker takes it, and only that worker ever
marks it finished; a worker killed part-way (`kill -9`, a crash, a lost machine) leaves it
RUNNING for ever. So each worker (`manage.py db_worker`, see its command here) writes a
heartbeat every few seconds, naming the task it is running, and every few seconds each
worker sweeps: a RUNNING task whose worker is gone, or has moved on to other work, is
marked failed, with a `WorkerStopped` error, and `task_finished` is sent for it as for any
task that failed. Then `worker_housekeeping` is sent, for the apps to tidy their own work
(the journal ends the imports that were stopped), and once an hour finished work older
than a day is deleted.

A worker is gone when:
- it runs on this machine and its process has ended (known at once), or
- it runs elsewhere and has not beaten for `GONE_AFTER` (a worker on SQLite can be unable
  to write while a long import holds the database, but SQLite is one machine, so its
  workers are always judged by their process).
"""

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.db import DatabaseError, close_old_connections
from django.dispatch import Signal
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reliability.models import FormSubmission, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker beats this often...
BEAT_EVERY = 5.0
# ...and one on another machine is gone when it has not beaten for this long.
GONE_AFTER = timedelta(seconds=30)
# A worker that has moved on: its heartbeat names another task (or none) this long after
# the task started (the worker names a task a moment after taking it).
MOVED_ON_AFTER = timedelta(seconds=10)
# A task taken by a worker that never beat (one started before heartbeats) is judged as
# before: gone after this long.
NO_HEARTBEAT_GONE_AFTER = timedelta(minutes=15)
# Finished work, heartbeats and sent forms are kept this long, then deleted.
KEPT_FOR = timedelta(days=1)
PRUNE_EVERY = 3600.0

# Sent by every worker after each sweep (every BEAT_EVERY seconds), for apps to tidy up
# their own work whose task was stopped.
worker_housekeeping = Signal()


class WorkerStopped(Exception):
    """The worker running this task stopped before the task finished."""


# This machine and process ---------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def _namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


# This machine, as far as processes go: its name, this boot of it, and the process
# namespace (a container on the same host has its own).
_BOOT = _read("/proc/sys/kernel/random/boot_id")
MACHINE = f"{socket.gethostname()}|{_BOOT}|{_namespace()}"[:200]


def process_started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot), "" where /proc cannot tell, or
    None if it is not running (an exited process not yet reaped is not running)."""
    stat = _read(f"/proc/{pid}/stat")
    if stat:
        fields = stat.rsplit(")", 1)[1].split()
        return None if fields[0] in {"Z", "X", "x"} else fields[19]
    if Path("/proc/self/stat").exists():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return ""


# Liveness -----------------------------------------------------------------------------


def _gone(heartbeat: WorkerHeartbeat, now: datetime) -> bool:
    if heartbeat.machine == MACHINE:
        started = process_started(heartbeat.pid)
        return started is None or started != heartbeat.process_started
    return heartbeat.seen_at < now - GONE_AFTER


def task_stopped(
    result: DBTaskResult, heartbeats: dict[str, WorkerHeartbeat] | None = None
) -> bool:
    """Whether a RUNNING task's worker is gone, or has moved on without finishing it."""
    if result.status != TaskResultStatus.RUNNING:
        return False
    now = timezone.now()
    started = result.started_at or now
    worker_id = result.worker_ids[-1] if result.worker_ids else None
    if heartbeats is None:
        heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.filter(worker_id=worker_id)}
    heartbeat = heartbeats.get(worker_id) if worker_id else None
    if heartbeat is None:
        return started < now - NO_HEARTBEAT_GONE_AFTER
    if _gone(heartbeat, now):
        return True
    return heartbeat.task_id != str(result.id) and heartbeat.seen_at > started + MOVED_ON_AFTER


def stopped_before_finishing(task_path: str, **kwargs: int) -> bool:
    """Whether the latest run of the task `task_path` with these (whole-number) keyword
    arguments has ended, or its worker has stopped, so that whatever it was doing will
    not be finished by it."""
    lookups = {f"args_kwargs__kwargs__{name}": value for name, value in kwargs.items()}
    result = (
        DBTaskResult.objects.filter(task_path=task_path, **lookups).order_by("-enqueued_at").first()
    )
    if result is None or result.status == TaskResultStatus.READY:
        return False
    return result.status != TaskResultStatus.RUNNING or task_stopped(result)


# The sweep -----------------------------------------------------------------------------


def sweep() -> list[DBTaskResult]:
    """Fail every RUNNING task whose worker is gone or has moved on, and forget the
    heartbeats of workers that are gone; returns the tasks failed."""
    now = timezone.now()
    heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.all()}
    failed = [
        result
        for result in DBTaskResult.objects.running()
        if task_stopped(result, heartbeats) and _fail(result)
    ]
    gone = [worker_id for worker_id, h in heartbeats.items() if _gone(h, now)]
    if gone:
        WorkerHeartbeat.objects.filter(worker_id__in=gone).delete()
    return failed


def _fail(result: DBTaskResult) -> bool:
    worker_id = result.worker_ids[-1] if result.worker_ids else "unknown"
    error = WorkerStopped(
        f"The worker running this task (worker {worker_id}) stopped before it finished."
    )
    # Marked only if still RUNNING: another worker's sweep may have got there first.
    marked = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
        traceback=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}: {error}\n",
        return_value=None,
    )
    if not marked:
        return False
    logger.warning("Task %s (%s): %s", result.pk, result.task_path, error)
    result.refresh_from_db()
    try:
        task_result = result.task_result  # imports the task's module, and its receivers
        backend = type(result.task.get_backend())
    except Exception:  # the task no longer exists in the code
        logger.warning("Task %s's code is gone; no one was told it stopped.", result.pk)
        return True
    for receiver, response in task_finished.send_robust(sender=backend, task_result=task_result):
        if isinstance(response, Exception):
            logger.error("%r failed on a stopped task", receiver, exc_info=response)
    return True


def prune(now: datetime | None = None) -> None:
    """Delete finished work, heartbeats and sent forms older than KEPT_FOR."""
    before = (now or timezone.now()) - KEPT_FOR
    DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=before).delete()
    FormSubmission.objects.filter(created_at__lt=before).delete()


# The worker's own part -----------------------------------------------------------------


class Keeper:
    """Beats for one worker, sweeps and tidies: once at start, then every BEAT_EVERY
    seconds from a thread of its own, while the worker runs tasks in its main thread."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.running_task = ""  # set by the worker around each task
        self.pid = os.getpid()
        self.process_started = process_started(self.pid) or ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_at = float("-inf")
        self._warned_at = float("-inf")

    def round(self) -> None:
        """Beat, sweep, tell the apps, and now and then prune. Never raises."""
        try:
            self.beat()
            stopped = sweep()
            responses = worker_housekeeping.send_robust(sender=type(self), stopped=stopped)
            for receiver, response in responses:
                if isinstance(response, Exception):
                    logger.error("Housekeeping by %r failed", receiver, exc_info=response)
            if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
                prune()
                self._pruned_at = time.monotonic()
        except Exception as error:
            # The database is restarting, or SQLite is busy with a long import: next time.
            # Whatever it was, the heartbeat goes on, or other workers would judge this
            # one dead.
            if time.monotonic() - self._warned_at >= 60:
                self._warned_at = time.monotonic()
                logger.log(
                    logging.WARNING if isinstance(error, DatabaseError) else logging.ERROR,
                    "The worker's heartbeat and sweep failed; it tries again every %s s "
                    "(logged at most once a minute).",
                    BEAT_EVERY,
                    exc_info=True,
                )

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "machine": MACHINE,
                "pid": self.pid,
                "process_started": self.process_started,
                "task_id": self.running_task,
                "seen_at": timezone.now(),
            },
        )

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="worker-keeper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(BEAT_EVERY):
            self.round()
            close_old_connections()  # this thread's own connection

    def stop(self) -> None:
        """Stop beating; a worker stopped cleanly leaves no heartbeat behind."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=BEAT_EVERY * 2)
        with contextlib.suppress(DatabaseError):  # if not, it ages out
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
