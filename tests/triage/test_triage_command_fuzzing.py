"""`manage.py assess` answers any input: a result, or exit status 2 and a clear message."""

import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)
DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE_NUMBER = b'{"emergency_signs": ' + b"9" * 5000 + b"}"


def run_assess(raw: bytes, *args: str) -> tuple[int, str]:
    """The exit status and output of `manage.py assess` given `raw` as its file."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, "input.json")
        path.write_bytes(raw)
        out = io.StringIO()
        try:
            call_command("assess", *args, str(path), stdout=out)
        except CommandError as error:
            return error.returncode, str(error)
    return 0, out.getvalue()


def assert_answered(status: int, output: str) -> None:
    assert status in (0, 2), output
    if status == 0:
        assert "level" in json.loads(output)
    else:
        assert output.strip()
        assert "Traceback" not in output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
@example(DEEP)
@example(HUGE_NUMBER)
@example(b"\xff\xfe{")
@example('{"emergency_signs": "no"}'.encode("utf-16"))
def test_any_bytes_as_answers_get_a_result_or_a_clear_refusal(raw):
    assert_answered(*run_assess(raw))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
@example({"emergency_signs": ["no"]})
@example({"emergency_signs": {"no": 1}})
@example({"x" * 10_000: "no"})
def test_any_json_as_answers_gets_a_result_or_a_clear_refusal(value):
    assert_answered(*run_assess(json.dumps(value).encode()))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | json_values.map(lambda value: json.dumps(value).encode()))
@example(DEEP)
@example(b'{"format": "twitch-check-journal", "version": 1, "entries": [' + b"[" * 50_000 + b"]")
@example(b'{"format": "twitch-check-journal", "version": ' + b"1" * 5000 + b"}")
@example(b'{"format": "twitch-check-journal", "version": 1, "time_zone": 5, "entries": [{}]}')
def test_any_journal_file_gets_a_verdict_or_a_clear_refusal(raw):
    assert_answered(*run_assess(raw, "--today", "2026-11-28", "--journal"))


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31", "2026-02-30", "tomorrow"])
def test_any_today_gets_a_verdict_or_a_clear_refusal(today):
    journal = {"format": "twitch-check-journal", "version": 1, "time_zone": "Pacific/Kiritimati"}
    assert_answered(*run_assess(json.dumps(journal).encode(), "--today", today, "--journal"))
