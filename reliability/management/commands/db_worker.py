"""`manage.py db_worker`: django-tasks-db's background worker, with two additions.

- It beats, sweeps and tidies (`reliability.workers.Keeper`): every few seconds it writes
  a heartbeat naming the task in hand, fails the tasks of workers that died (so that no
  task stays RUNNING for ever), lets the apps end their own stopped work, and deletes
  finished work older than a day.
- A database that cannot be reached for a while (PostgreSQL restarting) pauses it instead
  of ending it: it tries again every second or so, logging at most once a minute.

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one that
`manage.py db_worker` runs; its options are the package's.
"""

import logging
import os
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from reliability.workers import Keeper

logger = logging.getLogger("django_tasks_db")


class Worker(db_worker.Worker):
    def __init__(self, *, keeper: Keeper | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keeper = keeper

    def run_task(self, db_task_result: DBTaskResult) -> None:
        if self.keeper is not None:
            self.keeper.running_task = str(db_task_result.id)
        try:
            super().run_task(db_task_result)
        finally:
            if self.keeper is not None:
                self.keeper.running_task = ""

    def run(self) -> None:
        warned_at = float("-inf")
        while True:
            try:
                return super().run()
            except DatabaseError:
                if not self.running:
                    raise
                if time.monotonic() - warned_at >= 60:
                    warned_at = time.monotonic()
                    logger.warning(
                        "The database cannot be reached; the worker waits and tries again "
                        "(logged at most once a minute).",
                        exc_info=True,
                    )
                connections.close_all()
                self.startup_delay = False
                time.sleep(max(self.interval, 1.0))


class Command(db_worker.Command):
    help = (
        "Run a database background worker, which also beats, fails the work of workers "
        "that died, and deletes finished work after a day"
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")

        # With --reload, the first process only watches the files; its child works.
        works = not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        keeper = Keeper(worker_id) if works else None
        worker = Worker(
            keeper=keeper,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if keeper is not None:
            # Before the first task: the heartbeat exists, and a worker that died (this
            # one's predecessor, say) has its work failed at once.
            keeper.round()
            if not batch:
                keeper.start()
        try:
            if reload:
                if works:
                    worker.configure_signals()
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            if keeper is not None:
                keeper.stop()
