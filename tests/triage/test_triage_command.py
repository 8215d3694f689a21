import json
import subprocess
import sys
from pathlib import Path

import pytest

from triage.engine import get_ruleset

ROOT = Path(__file__).resolve().parents[2]


def run_assess(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"},
    )


def test_assess_reads_answers_from_stdin_and_prints_the_assessment():
    result = run_assess(
        "-",
        stdin=json.dumps({"emergency_signs": "no", "area": "elsewhere", "spread": "several_areas"}),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # Twitches in several areas, without weakness or wasting: a routine GP appointment.
    assert data["level"] == "see_doctor"
    assert data["findings"][0]["rule"] == "spreading"
    assert data["checklist_count"] == 1
    assert data["ruleset_version"] == get_ruleset().version
    assert data["complete"] is False


def test_assess_reads_a_file(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"emergency_signs": "yes"}))
    data = json.loads(run_assess(str(answers)).stdout)
    assert data["level"] == "emergency"


def test_schema_lists_every_question_and_the_ordered_levels():
    data = json.loads(run_assess("--schema").stdout)
    questions = {q["id"]: q for q in data["questions"]}
    assert questions["weakness"]["values"] == ["spreading_fast", "yes", "no", "not_sure"]
    assert questions["weakness"]["type"] == "choice"
    assert data["levels"][0] == "self_care"
    assert data["levels"][-1] == "emergency"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"colour": "red"}', "Unknown question id: 'colour'"),
        ('{"weakness": "maybe"}', "Invalid value 'maybe' for 'weakness'"),
        ('{"weakness": 3}', "Invalid value 3 for 'weakness'"),
    ],
)
def test_bad_input_gets_a_clear_message_and_exit_status_2(stdin, message):
    result = run_assess("-", stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_missing_file_gets_exit_status_2(tmp_path):
    result = run_assess(str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "Cannot read" in result.stderr


def test_answers_are_tidied_before_they_are_assessed():
    result = run_assess("-", stdin=json.dumps({"emergency_signs": " yes\n"}))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["level"] == "emergency"


def test_schema_gives_allowed_values_for_every_question_in_asking_order():
    data = json.loads(run_assess("--schema").stdout)
    ids = [question["id"] for question in data["questions"]]
    assert ids[:3] == ["emergency_signs", "age", "area"]
    assert len(ids) == 18
    assert all(question["values"] for question in data["questions"])
    assert data["levels"] == [
        "self_care",
        "monitor",
        "see_doctor",
        "eye_specialist",
        "neurologist",
        "tests",
        "urgent_referral",
        "immediate",
        "emergency",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{\x00", "not UTF-8 text"),
        (b"", "not valid JSON"),
        (b'"just a string"', "must be a JSON object"),
    ],
    ids=["not-utf8", "empty", "not-an-object"],
)
def test_a_bad_file_gets_a_clear_message_and_exit_status_2(tmp_path, content, message):
    answers = tmp_path / "answers.json"
    answers.write_bytes(content)
    result = run_assess(str(answers))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_instead_of_a_file_gets_exit_status_2(tmp_path):
    result = run_assess(str(tmp_path))
    assert result.returncode == 2
    assert "Cannot read" in result.stderr
