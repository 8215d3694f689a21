from django.db import models


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life, written every few seconds by the worker itself.

    A worker that stops beating (or, seen from the same machine, whose process is gone) has
    died, and the work it was doing is failed by the sweep (`reliability.workers`).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    # Which machine (host name, boot and process namespace) and which process, so a worker
    # on the same machine can be checked at once, without waiting for its beat to age.
    machine = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    process_started = models.CharField(max_length=32, blank=True)
    # The task the worker is running, if any.
    task_id = models.CharField(max_length=64, blank=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Worker {self.worker_id} (pid {self.pid}), seen {self.seen_at:%H:%M:%S}"


class FormSubmission(models.Model):
    """A form that was sent and saved something, by the one-time token it carried: the
    same form sent again is answered as the first was, and saves nothing more."""

    token = models.CharField(max_length=64, unique=True)
    # Where the first sending was sent on to (the page after the form).
    location = models.CharField(max_length=400)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Form sent at {self.created_at:%Y-%m-%d %H:%M}"
