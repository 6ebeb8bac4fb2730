"""The generated repository's GitHub workflows are valid (vendored schema) and pass zizmor's audits."""

import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@pytest.fixture(params=["nocode", "django"], scope="module")
def workflows(request, copie_session):
    from conftest import EXAMPLE_ANSWERS

    result = copie_session.copy(extra_answers={**EXAMPLE_ANSWERS, "stack": request.param, "matomo_site_id": "12"})
    assert result.exit_code == 0, result.exception
    files = sorted((result.project_dir / ".github" / "workflows").glob("*.yml"))
    assert files
    return request.param, files


EXPECTED = {"garde-fous.yml", "mise-a-jour-modele.yml", "suivi.yml"}


def test_every_stack_ships_the_guard_update_and_tracking_workflows(workflows):
    stack, files = workflows
    names = {path.name for path in files}
    assert names >= EXPECTED
    if stack != "nocode":
        assert "application.yml" in names


def test_workflows_match_the_github_schema(workflows):
    _, files = workflows
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor(workflows):
    _, files = workflows
    result = subprocess.run([BIN / "zizmor", "--offline", "--no-progress", *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: oops\n")
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True)
    assert result.returncode != 0
