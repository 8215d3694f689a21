"""`manage.py assess --journal`: the journal's verdict on an exported file, as the pages give it."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journal.exports import MAX_FILE_BYTES, export_json
from journal.flags import journal_flags
from journal.models import Region
from tests.journal.insights_data import entry, make_person

ROOT = Path(__file__).resolve().parents[2]
ENV = {"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"}


def run_assess(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=60,
        check=False,
        env=ENV,
    )


def journal_file(
    *entries: dict, time_zone: str = "Europe/London", check_ins: tuple[dict, ...] = ()
) -> str:
    return json.dumps(
        {
            "format": "twitch-check-journal",
            "version": 2,
            "time_zone": time_zone,
            "entries": list(entries),
            "check_ins": list(check_ins),
        }
    )


def twitch(when: str, region: str = "calf", **fields) -> dict:
    return {"occurred_at": when, "region": region, "side": "left", "duration": "seconds", **fields}


def test_the_issue_journal_gives_no_referral_and_no_you_said():
    result = run_assess(
        "--journal",
        "-",
        "--today",
        "2026-11-28",
        stdin=journal_file(
            twitch("2026-11-20T08:00:00+00:00", "eyelid", intensity=1),
            twitch("2026-11-26T18:00:00+00:00", "calf", intensity=1),
        ),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["level"] == "monitor"
    assert [f["rule"] for f in data["findings"]] == ["not_enough_answers"]
    assert "You said" not in result.stdout.decode()
    assert "spread" in data["unanswered"]


def test_ticked_weakness_keeps_its_article_level(tmp_path):
    path = tmp_path / "journal.json"
    path.write_text(
        journal_file(
            twitch("2026-11-20T09:00:00+00:00", weakness=True),
            twitch("2026-11-24T09:00:00+00:00", weakness=True),
            twitch("2026-11-26T09:00:00+00:00", weakness=True),
        )
    )
    data = json.loads(run_assess("--journal", str(path), "--today", "2026-11-28").stdout)
    assert data["level"] == "tests"
    finding = data["findings"][0]
    assert finding["reason"].startswith("You noted weakness on 3 entries (latest 26 November).")
    assert finding["triggered_by"] == {"weakness": "yes"}
    assert set(data) >= {"level", "level_label", "findings", "ruleset_version"}


def test_today_decides_which_episode_is_current():
    file = journal_file(twitch("2026-11-26T09:00:00+00:00", muscle_thinning=True))
    current = json.loads(run_assess("--journal", "-", "--today", "2026-11-28", stdin=file).stdout)
    assert current["level"] == "immediate"
    later = json.loads(run_assess("--journal", "-", "--today", "2026-12-20", stdin=file).stdout)
    assert later["level"] is None
    assert later["journal"]["episode"] is None
    assert later["journal"]["latest_twitch"] == "2026-11-26"
    earlier = json.loads(run_assess("--journal", "-", "--today", "2026-11-25", stdin=file).stdout)
    assert earlier["journal"]["latest_twitch"] is None


@pytest.mark.django_db
def test_the_command_gives_the_verdict_the_pages_give_for_the_same_journal(tmp_path):
    person = make_person(time_zone="America/New_York")
    now = datetime.now(UTC)
    for days in range(20):
        entry(person, now - timedelta(days=days, hours=1), Region.HAND, numbness=days == 3)
    entry(person, now - timedelta(days=2), Region.EYELID)
    path = tmp_path / "export.json"
    path.write_text(export_json(person))
    data = json.loads(run_assess("--journal", str(path)).stdout)
    flags = journal_flags(person)
    assert data == {**flags.assessment.as_dict(), "journal": data["journal"]}
    assert data["journal"]["patterns"] == list(flags.patterns)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("--journal", "-"), "{not json", "could not be read as JSON"),
        (("--journal", "-"), '{"format": "other"}', "not a Twitch Check journal file"),
        (("--journal", "-"), journal_file(time_zone="Mars/Base"), '"time_zone" should be'),
        (
            ("--journal", "-"),
            journal_file({"region": "calf"}),
            "Twitch 1: the date and time is missing.",
        ),
        (
            ("--journal", "-"),
            journal_file(twitch("2026-11-20T09:00:00+00:00", region="elbow")),
            "Twitch 1, 20 November 2026: the part of the body should be one of: back,",
        ),
        (
            ("--journal", "-"),
            journal_file(check_ins=({"day": "2026-11-20", "bother": 11},)),
            "Check-in 1, 20 November 2026: bother should be a whole number from 0 to 10",
        ),
        (("--journal", "-", "--today", "28/11/2026"), journal_file(), "--today should be a date"),
        (("-", "--today", "2026-11-28"), "{}", "--today only goes with --journal"),
        (("answers.json", "--journal", "-"), "{}", "not both"),
    ],
    ids=[
        "not-json",
        "not-a-journal",
        "bad-time-zone",
        "missing-field",
        "bad-region",
        "bad-check-in",
        "bad-today",
        "today-without-journal",
        "both",
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args, stdin, message):
    result = run_assess(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert result.stdout == b""
    assert b"Traceback" not in result.stderr


def test_a_journal_file_over_the_import_limit_exits_2(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    result = run_assess("--journal", str(path))
    assert result.returncode == 2
    assert b"too big" in result.stderr


def test_a_missing_journal_file_exits_2(tmp_path):
    result = run_assess("--journal", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert b"Cannot read" in result.stderr


@pytest.mark.parametrize(
    ("ticked", "level", "noted"),
    [
        ("weakness", "tests", "weakness"),
        ("numbness", "urgent_referral", "numbness"),
        ("muscle_thinning", "immediate", "a muscle looking thinner"),
    ],
)
def test_each_ticked_symptom_keeps_its_article_level(ticked, level, noted):
    file = journal_file(twitch("2026-11-26T09:00:00+00:00", **{ticked: True}))
    data = json.loads(run_assess("--journal", "-", "--today", "2026-11-28", stdin=file).stdout)
    assert data["level"] == level
    assert data["findings"][0]["reason"].startswith(
        f"You noted {noted} on 1 entry (latest 26 November)."
    )


def test_a_version_1_file_gets_the_verdict_of_the_same_journal_in_version_2():
    v1 = (ROOT / "tests" / "journal" / "fixtures" / "journal_v1.json").read_text()
    data = json.loads(v1)
    twitch_fields = ("occurred_at", "region", "side", "duration", "intensity", "weakness",
                     "numbness", "cramp", "muscle_thinning", "notes")  # fmt: skip
    v2 = json.dumps(
        {
            **data,
            "version": 2,
            "entries": [{name: r[name] for name in twitch_fields} for r in data["entries"]],
            "check_ins": [{"day": "2026-11-20", "caffeine_cups": 4}],
        }
    )
    old = run_assess("--journal", "-", "--today", "2026-11-28", stdin=v1)
    new = run_assess("--journal", "-", "--today", "2026-11-28", stdin=v2)
    assert old.returncode == new.returncode == 0, old.stderr + new.stderr
    assert json.loads(old.stdout) == json.loads(new.stdout)
    assert json.loads(old.stdout)["journal"]["episode"]["twitches"] == 5
