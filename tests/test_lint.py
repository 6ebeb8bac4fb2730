"""The template's own Python (extensions, tests, scripts) stays clean under ruff (config: ruff.toml)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = str(Path(sys.executable).parent / "ruff")
CODE = ["extensions", "tests", "scripts"]


def test_ruff_check():
    result = subprocess.run([RUFF, "check", *CODE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run([RUFF, "format", "--check", *CODE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
