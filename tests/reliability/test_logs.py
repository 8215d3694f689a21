"""A failure that repeats on every request is logged at most once a minute per process."""

import logging

from django.db import OperationalError

from reliability.logs import AtMostOnceAMinute, database_unavailable


def record(message: str = "Exception ignored", exc: BaseException | None = None):
    exc_info = (type(exc), exc, None) if exc else None
    return logging.LogRecord("django_redis.cache", logging.ERROR, "", 0, message, (), exc_info)


def test_one_record_a_minute_passes_saying_how_many_were_left_out(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("reliability.logs.time.monotonic", lambda: clock[0])
    once = AtMostOnceAMinute()
    first = record()
    assert once.filter(first)
    assert [once.filter(record()) for _ in range(50)] == [False] * 50
    clock[0] += 61
    later = record()
    assert once.filter(later)
    assert "50 more left out in the last minute" in later.getMessage()
    assert "at most once a minute" in first.getMessage()


def test_only_the_records_it_is_given_are_limited():
    once = AtMostOnceAMinute(only="reliability.logs.database_unavailable")
    down = OperationalError("connection refused")
    assert once.filter(record(exc=down))
    assert not once.filter(record(exc=down))
    assert once.filter(record("Internal Server Error", exc=ValueError("a mistake")))
    assert once.filter(record("Not Found"))
    assert database_unavailable(record(exc=down))
