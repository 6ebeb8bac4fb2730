"""Every GitHub workflow a generated repository ships, for each stack: valid against GitHub's schema,
clean under zizmor's security audits, actions pinned to commits, and shell steps that parse and pass
shellcheck."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_ANSWERS, PILES

BIN = Path(sys.executable).parent
EXPECTED = {"garde-fous.yml", "mise-a-jour-modele.yml", "suivi.yml"}
# The stacks whose repository is the template's own: its workflows carry no prefix (workflow_prefix).
STACKS = [name for name, description in PILES.items() if not description["workflow_prefix"]]


@pytest.fixture(params=STACKS, scope="module")
def workflows(request, copie_session):
    result = copie_session.copy(extra_answers={**EXAMPLE_ANSWERS, "stack": request.param, "matomo_site_id": "12"})
    assert result.exit_code == 0, result.exception
    files = sorted((result.project_dir / ".github" / "workflows").glob("*.yml"))
    assert files
    return request.param, files


@pytest.fixture
def project(workflows):
    return workflows[1][0].parent.parent.parent


def run_steps(path: Path):
    for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                yield step.get("name", step.get("id", "?")), step["run"]


def expected_workflows(description: dict) -> set[str]:
    """The workflows a stack's repository ships: the template's three, and the app's own with an application."""
    return EXPECTED | ({"application.yml"} if description["application"] else set())


def test_every_stack_ships_the_guard_update_and_tracking_workflows(workflows):
    stack, files = workflows
    assert {path.name for path in files} >= expected_workflows(PILES[stack])


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


def test_actions_are_pinned_to_commits(workflows):
    _, files = workflows
    for path in files:
        for uses in re.findall(r"uses: (\S+)", path.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{path.name}: {uses} is not pinned to a commit"


def test_shell_steps_parse_and_pass_shellcheck(workflows, tmp_path):
    _, files = workflows
    assert shutil.which("shellcheck"), "shellcheck is installed by scripts/tests.sh"
    for path in files:
        for number, (name, script) in enumerate(run_steps(path)):
            parsed = subprocess.run(["bash", "-n", "-c", script], capture_output=True, text=True)
            assert parsed.returncode == 0, f"{path.name} / {name}: {parsed.stderr}"
            # GitHub expressions are replaced before the shell runs; shellcheck sees a plain word.
            target = tmp_path / f"{path.stem}-{number}.sh"
            target.write_text("#!/usr/bin/env bash\n" + re.sub(r"\$\{\{[^}]*\}\}", "EXPRESSION", script), encoding="utf-8")
            checked = subprocess.run(["shellcheck", "-S", "warning", str(target)], capture_output=True, text=True)
            assert checked.returncode == 0, f"{path.name} / {name}:\n{checked.stdout}"


def test_dependabot_covers_the_stacks_manifests_in_a_few_weekly_pull_requests(project):
    """Ecosystems follow the files the project really has (no list of stacks here): GitHub Actions
    always, pip for requirements files, npm for a package.json."""
    config_path = project / ".github" / "dependabot.yml"
    schema = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", str(config_path)], capture_output=True, text=True
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    updates = yaml.safe_load(config_path.read_text(encoding="utf-8"))["updates"]
    expected = {"github-actions"}
    if list(project.glob("requirements*.txt")):
        expected.add("pip")
    if (project / "package.json").exists():
        expected.add("npm")
    assert "pip" in expected, "requirements-outils.txt is in every project"
    assert sorted(update["package-ecosystem"] for update in updates) == sorted(expected)
    for update in updates:
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly" and update["schedule"]["day"] == "monday", "the README says Monday"
        assert 1 <= update["open-pull-requests-limit"] <= 2
        assert any(group["patterns"] == ["*"] for group in update["groups"].values()), "one grouped pull request per family"


# GitHub runs `run` steps with `bash -eo pipefail`: a reader that exits before the end of its input
# (`grep -q`, `head`) kills the writer with SIGPIPE, now and then, and the whole pipeline fails.
EARLY_EXIT_READER = re.compile(r"\|\s*(grep\s+(-\w*q\w*|--quiet)\b|head\b)")


def test_no_pipeline_ends_in_a_reader_that_stops_early(workflows):
    _, files = workflows
    for path in files:
        for name, script in run_steps(path):
            for line in script.splitlines():
                assert not EARLY_EXIT_READER.search(line), f"{path.name} / {name}: {line.strip()}"


def test_the_checks_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: oops\n")
    schema = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True)
    assert schema.returncode != 0
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text(
        "on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    audit = subprocess.run([BIN / "zizmor", "--offline", "--no-progress", str(unsafe)], capture_output=True)
    assert audit.returncode != 0
    dependabot = tmp_path / "dependabot.yml"
    dependabot.write_text("version: 2\nupdates:\n  - package-ecosystem: pip\n    schedule:\n      interval: sometimes\n")
    assert (
        subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", str(dependabot)], capture_output=True).returncode
        != 0
    )
    script = tmp_path / "bad.sh"
    script.write_text("#!/usr/bin/env bash\nrm -rf $folder/*\n")
    assert subprocess.run(["shellcheck", "-S", "warning", str(script)], capture_output=True).returncode != 0
    assert EARLY_EXIT_READER.search('git log --format=%ae | grep -qvxF "$ROBOT"')
    assert EARLY_EXIT_READER.search("ls | head -1")
    assert not EARLY_EXIT_READER.search('git log | grep -vxF "$ROBOT" || true')
