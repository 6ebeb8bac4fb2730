"""The README's Mermaid timeline renders (mermaid-cli driving Debian's Chromium)."""

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

MERMAID_CLI = "@mermaid-js/mermaid-cli@12.2.0"
CACHE = ROOT / ".cache" / "mermaid-cli"
BROWSER_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def mmdc(tmp_path_factory):
    binary = CACHE / "node_modules" / ".bin" / "mmdc"
    if not binary.exists():
        # Puppeteer must not download a browser: Debian's Chromium is used instead.
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE), MERMAID_CLI],
            check=True,
            env=env,
            timeout=600,
        )
    config = tmp_path_factory.mktemp("mermaid") / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": shutil.which("chromium"), "args": BROWSER_ARGS}))
    return [str(binary), "--puppeteerConfigFile", str(config)]


@pytest.mark.parametrize(
    "answers",
    [
        {"service_name": "L'Île aux Démarches", "construction_start": "2026-01-31"},
        {"service_name": 'Le "Guichet"', "roles": ["coach"], "construction_start": "2027-12-15"},
    ],
)
def test_readme_timeline_renders(generate, mmdc, tmp_path, answers):
    readme = (generate(**answers) / "README.md").read_text(encoding="utf-8")
    chart = re.search(r"```mermaid\n(.*?)```", readme, re.DOTALL).group(1)
    (tmp_path / "timeline.mmd").write_text(chart, encoding="utf-8")
    result = subprocess.run(
        [*mmdc, "--input", str(tmp_path / "timeline.mmd"), "--output", str(tmp_path / "timeline.svg")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "timeline.svg").read_text(encoding="utf-8")
    for label in ["Premiers mois", "Comité d'investissement (C05)", "Première version en production (I03)"]:
        assert label.replace("'", "&#39;") in svg or label in svg


def test_a_broken_chart_is_caught(mmdc, tmp_path):
    """The check can fail: an invalid date makes mermaid-cli exit non-zero."""
    (tmp_path / "broken.mmd").write_text("gantt\n  dateFormat YYYY-MM-DD\n  Jalon : milestone, m1, 2026-13-45, 0d\n")
    result = subprocess.run(
        [*mmdc, "--input", str(tmp_path / "broken.mmd"), "--output", str(tmp_path / "broken.svg")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
