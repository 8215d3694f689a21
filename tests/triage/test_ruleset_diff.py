"""`ruleset-diff`: every ruleset change is reviewed as the answer paths whose level changes."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.triage.answer_sets import BENIGN
from triage.engine import RulesetError, assess, get_ruleset, load_ruleset, parse_ruleset
from triage.engine.loader import DEFAULT_PATH
from triage.engine.paths import complete_answer_sets, ruleset_diff

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "triage" / "engine" / "history"


def version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.stem.split("."))


def previous_ruleset() -> Path:
    return max(HISTORY.glob("*.toml"), key=version_key)


def run_diff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "ruleset-diff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"},
    )


def test_a_ruleset_compared_with_itself_changes_no_path():
    assert ruleset_diff(get_ruleset(), get_ruleset()) == []


def test_a_changed_rule_level_lists_every_path_it_moves_with_both_levels():
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    changed = parse_ruleset(
        text.replace(
            'when = { family_history = ["yes"] }\nlevel = "monitor"',
            'when = { family_history = ["yes"] }\nlevel = "see_doctor"',
        )
    )
    changes = ruleset_diff(get_ruleset(), changed)
    assert changes
    for change in changes:
        assert ("family_history", "yes") in change.path
        assert (change.old, change.new) == ("monitor", "see_doctor")
    moved = [
        answers
        for answers in complete_answer_sets(get_ruleset())
        if answers.get("family_history") == "yes" and assess(answers).level.id == "monitor"
    ]
    assert len(changes) == len(moved)


def test_the_previous_version_is_kept_and_the_current_version_is_newer():
    previous = load_ruleset(previous_ruleset(), strict=False)
    assert previous.version == previous_ruleset().stem
    assert version_key(Path(f"{get_ruleset().version}.toml")) > version_key(previous_ruleset())


def test_the_command_lists_the_paths_a_version_changed_against_the_one_before():
    result = run_diff(str(HISTORY / "2026.11.1.toml"), str(HISTORY / "2026.11.2.toml"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Ruleset 2026.11.1 -> 2026.11.2: 3893 answer paths")
    assert "emergency_signs=came_and_went: (not a path) -> immediate" in lines
    assert lines[1] == f"Of these, 0 go up, 0 go down, {len(lines) - 2} are new and 0 are gone."
    assert all(line.endswith(("-> emergency", "-> immediate")) for line in lines[2:])


def test_the_command_compares_this_version_with_the_previous_one():
    result = run_diff(str(previous_ruleset()), str(DEFAULT_PATH))
    assert result.returncode == 0, result.stderr
    previous = load_ruleset(previous_ruleset(), strict=False).version
    assert result.stdout.startswith(f"Ruleset {previous} -> {get_ruleset().version}:")


def test_the_journals_own_rules_change_no_answer_path():
    result = run_diff(str(HISTORY / "2026.12.1.toml"), str(DEFAULT_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "0 change level.\nOf these, 0 go up, 0 go down, 0 are new and 0 are gone.\n"
    )


def test_the_calibration_to_uk_guidance_lists_what_it_moved():
    result = run_diff(str(HISTORY / "2026.11.5.toml"), str(HISTORY / "2026.12.1.toml"))
    assert result.returncode == 0, result.stderr
    assert "\nOf these, 4 go up, 625 go down, 6577 are new and 0 are gone.\n" in result.stdout


def test_error_messages_and_tap_to_call_numbers_change_no_level():
    earlier = load_ruleset(HISTORY / "2026.11.2.toml", strict=False)
    assert ruleset_diff(earlier, load_ruleset(HISTORY / "2026.11.5.toml", strict=False)) == []


def test_a_new_version_compares_each_earlier_path_with_the_paths_it_stands_for():
    earlier = load_ruleset(HISTORY / "2026.11.5.toml", strict=False)
    later = load_ruleset(HISTORY / "2026.12.1.toml", strict=False)
    changes = {change.path: change for change in ruleset_diff(earlier, later)}
    # The earlier path, with the new questions answered as adding nothing: no change.
    benign = tuple(BENIGN.items())
    assert benign not in changes
    # The split answer is read as each of its parts.
    tingling = tuple({**BENIGN, "numbness": "tingling"}.items())
    assert (changes[tingling].old, changes[tingling].new) == ("urgent_referral", "self_care")
    numbness = tuple({**BENIGN, "numbness": "numbness"}.items())
    assert numbness not in changes
    # A path only the new version has is listed as new.
    medicine = tuple({**BENIGN, "medicine": "yes"}.items())
    assert (changes[medicine].old, changes[medicine].new) == (None, "see_doctor")


def test_an_earlier_ruleset_without_error_messages_is_read_only_for_comparison():
    earlier = HISTORY / "2026.11.2.toml"
    with pytest.raises(RulesetError, match="'error' is missing"):
        load_ruleset(earlier)
    assert load_ruleset(earlier, strict=False).question("area").error == "Select an answer"


def test_a_broken_ruleset_file_exits_2_naming_the_problem(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("version = = 1")
    result = run_diff(str(broken), str(DEFAULT_PATH))
    assert result.returncode == 2
    assert "not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr
