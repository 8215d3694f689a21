"""How much a journal file may hold: its records are counted before any of them is read."""

import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from journal import exports
from journal.exports import MAX_FILE_BYTES, MAX_RECORDS, TOO_MANY_RECORDS, read_journal_file
from journal.models import CheckIn, Entry
from tests.journal.insights_data import make_person

ROOT = Path(__file__).resolve().parents[2]
ENV = {"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"}
HEAD = b'{"format": "twitch-check-journal", "version": 2, "entries": ['
TWITCH = {
    "occurred_at": "2026-11-20T08:00:00+00:00",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
}

# Reads a journal file as the import page does, in a process of its own, and says what it
# made of it and the most memory it took.
CHECK_IN_A_CHILD = """
import json, resource, sys
import django
django.setup()
from django import forms
from journal.exports import read_journal_file
raw = open(sys.argv[1], "rb").read()
try:
    read_journal_file(raw)
    message = None
except forms.ValidationError as error:
    message = " ".join(error.messages)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"message": message, "peak_mb": peak_mb}))
"""


def refusal(raw: bytes) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        read_journal_file(raw)
    return " ".join(refused.value.messages)


def test_a_file_of_millions_of_tiny_records_is_refused_at_once_in_little_memory(tmp_path):
    """About 22 million `{}` records fill the size limit; reading them all once took a web
    worker to 1.7 GB and a 500."""
    count = (MAX_FILE_BYTES - len(HEAD) - 1) // 3  # each `{},`, and the last `{}]}`
    path = tmp_path / "tiny-records.json"
    with path.open("wb") as file:
        file.write(HEAD)
        block = 2**20
        for _ in range((count - 1) // block):
            file.write(b"{}," * block)
        file.write(b"{}," * ((count - 1) % block) + b"{}]}")
    assert MAX_FILE_BYTES - 3 < path.stat().st_size <= MAX_FILE_BYTES
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", CHECK_IN_A_CHILD, str(path)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        timeout=300,
        check=False,
    )
    seconds = time.monotonic() - started
    assert child.returncode == 0, child.stderr.decode()
    checked = json.loads(child.stdout)
    assert checked["message"] == TOO_MANY_RECORDS
    assert checked["peak_mb"] < 500
    assert seconds < 60, "a sanity check only: speed goals belong in `make bench`"


@pytest.mark.django_db
def test_a_file_with_more_records_than_a_journal_holds_is_refused_by_the_import_page(client):
    client.force_login(make_person())
    records = {
        "entries": [0] * (MAX_RECORDS - 2),
        "check_ins": [0],
        "saved_checks": [0],
        "plans": [0],
    }
    data = {"format": "twitch-check-journal", "version": 2, **records}
    file = SimpleUploadedFile("journal.json", json.dumps(data).encode(), "application/json")
    response = client.post("/journal/import/", {"file": file})
    assert response.status_code == 400
    assert "This file has too many records" in response.content.decode()
    assert Entry.objects.count() == 0


def test_one_record_stuffed_with_millions_of_values_is_refused_before_it_is_read():
    stuffed = HEAD + b'{"notes": [' + b"[]," * (2 * MAX_RECORDS) + b"[]]}]}"
    assert refusal(stuffed) == TOO_MANY_RECORDS
    values = HEAD + b'{"notes": [' + b"0," * (20 * MAX_RECORDS) + b"0]}]}"
    assert refusal(values) == TOO_MANY_RECORDS


def test_brackets_commas_and_quotes_inside_text_are_not_counted(monkeypatch):
    monkeypatch.setattr(exports, "MAX_CONTAINERS", 3)  # the file, its entries and one twitch
    monkeypatch.setattr(exports, "MAX_VALUES", 20)
    note = '{[,]}, "quoted" \\ back\\slashes\\\\ ' * 200
    one = {"format": "twitch-check-journal", "version": 2, "entries": [{**TWITCH, "notes": note}]}
    assert read_journal_file(json.dumps(one).encode())["entries"][0]["notes"] == note
    three = {**one, "entries": [TWITCH, TWITCH, TWITCH]}
    assert refusal(json.dumps(three).encode()) == TOO_MANY_RECORDS


def test_a_journal_at_the_record_limit_exports_under_the_size_limit():
    """The record limit, not the size limit, is the one a journal of small records meets:
    200,000 records, a twitch an hour for over 22 years."""
    smallest_twitch = exports.entry_record(
        Entry(
            occurred_at=datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
            region="calf",
            side="left",
            duration="hours",
            intensity=1,
            weakness=True,
            numbness=True,
            cramp=True,
            muscle_thinning=True,
            notes="",
        )
    )
    smallest_check_in = exports.check_in_record(CheckIn(day=date(2026, 11, 25)))

    def size(key: str, record: dict, count: int) -> int:  # as `export_json` writes them
        return len(json.dumps({key: [record] * count}, indent=1, ensure_ascii=False).encode())

    for key, record in (("entries", smallest_twitch), ("check_ins", smallest_check_in)):
        assert MAX_RECORDS * (size(key, record, 2) - size(key, record, 1)) < MAX_FILE_BYTES
