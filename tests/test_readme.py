"""Every manage.py command the README shows runs as written."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = [
    block
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    if "manage.py assess" in block or "manage.py ruleset-diff" in block
]


def test_the_readme_shows_the_command_line_tools():
    assert len(BLOCKS) == 3


@pytest.mark.parametrize("block", BLOCKS, ids=["assess", "assess-journal", "ruleset-diff"])
def test_each_command_block_runs_as_written(block):
    result = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
