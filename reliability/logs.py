"""Log filters for failures that repeat on every request while a shared part is down."""

import logging
import threading
import time
from collections.abc import Callable

from django.utils.module_loading import import_string


class AtMostOnceAMinute(logging.Filter):
    """Let one record through a minute (per process, per logger it is on), counting the
    rest and saying how many were left out when the next one goes through.

    `only` (a dotted path to a function of the record) limits the filter to the records it
    picks; the others always pass.
    """

    def __init__(self, only: str | None = None, seconds: float = 60.0) -> None:
        super().__init__()
        self.only: Callable[[logging.LogRecord], bool] | None = (
            import_string(only) if only else None
        )
        self.seconds = seconds
        self.passed_at = float("-inf")
        self.left_out = 0
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.only is not None and not self.only(record):
            return True
        with self.lock:
            now = time.monotonic()
            if now - self.passed_at < self.seconds:
                self.left_out += 1
                return False
            self.passed_at = now
            left_out, self.left_out = self.left_out, 0
        note = f" ({left_out} more left out in the last minute)" if left_out else ""
        record.msg = f"{record.msg}{note} [logged at most once a minute by this process]"
        return True


def database_unavailable(record: logging.LogRecord) -> bool:
    """Whether the record is about a request the database could not answer (a 503)."""
    from reliability.errors import database_unavailable as unavailable

    return bool(record.exc_info) and unavailable(record.exc_info[1])
