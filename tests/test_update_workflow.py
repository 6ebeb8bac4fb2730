"""The scheduled update workflow, run for real: its two shell steps, as GitHub runs them, on a
generated project whose `origin` is a local bare repository, with a stand-in `gh` that records what
the workflow asks of GitHub. Proves it opens a pull request that says when there are conflicts,
refuses what the default token cannot push, and never overwrites the team's commits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from update_helpers import (
    CHECKLIST,
    GIT_ENV,
    ROOT,
    TeamEdits,
    build_template_repo,
    commit_all,
    copier_cli,
    git,
    item_inserted_in_the_middle,
    older_playbook,
    read_checklist_data,
    yaml_value,
)
from update_histories import EXAMPLE_ANSWERS

FAKE_GH = """#!/usr/bin/env bash
# Records the calls; answers `pr list` with the number in $GH_PR_NUMBER (or nothing). Like the real
# gh, refuses to work without a token.
if [ -z "${GH_TOKEN:-}" ]; then echo "gh: pas de jeton" >&2; exit 4; fi
echo "$*" >> "$GH_LOG"
if [ "$1 $2" = "pr list" ]; then echo "${GH_PR_NUMBER:-}"; fi
if [ "$1 $2" = "pr create" ] || [ "$1 $2" = "pr edit" ]; then
  while [ $# -gt 0 ]; do
    case "$1" in
      --title) printf '%s' "$2" > "$GH_TITLE"; shift ;;
      --body-file) cp "$2" "$GH_BODY"; shift ;;
    esac
    shift
  done
fi
"""

TOKEN = "jeton-de-test"
STEP_OUTPUT = re.compile(r"^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$")
CONDITION = re.compile(r"^steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$")


def workflow_job(project: Path) -> dict:
    flow = yaml.safe_load((project / ".github" / "workflows" / "mise-a-jour-modele.yml").read_text(encoding="utf-8"))
    return flow["jobs"]["mise-a-jour"]


class Runner:
    """Runs the job's steps the way GitHub Actions does: in order, each `run` with bash -eo pipefail,
    with the job's env and only the env its own step declares, its `if:` evaluated on the outputs of
    the steps before, and the job stopped at the first step that fails.

    The checkout and the installation of Copier are skipped (the project is already there, Copier is
    the tests' own)."""

    def __init__(self, project: Path, work: Path, token: bool):
        self.project, self.work, self.token = project, work, token
        (work / "bin").mkdir(parents=True, exist_ok=True)
        gh = work / "bin" / "gh"
        gh.write_text(FAKE_GH)
        gh.chmod(0o755)
        (work / "home").mkdir(exist_ok=True)
        self.base_env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_CONFIG", "GITHUB_", "GH_"))}
        self.base_env.update(
            HOME=str(work / "home"),
            PATH=f"{work / 'bin'}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            RUNNER_TEMP=str(work),
            GITHUB_STEP_SUMMARY=str(work / "summary"),
            GITHUB_REF_NAME="main",
            GH_LOG=str(work / "gh.log"),
            GH_TITLE=str(work / "title"),
            GH_BODY=str(work / "body"),
            GIT_CONFIG_NOSYSTEM="1",
        )
        self.outputs: dict[str, dict[str, str]] = {}
        self.ran: list[str] = []

    def resolve(self, value: object) -> str:
        value = str(value)
        if "${{" not in value:
            return value
        if value == "${{ secrets.MODELE_TOKEN || github.token }}":
            return TOKEN
        if value == "${{ secrets.MODELE_TOKEN != '' }}":
            return "true" if self.token else "false"
        match = STEP_OUTPUT.match(value)
        assert match, f"expression the test runner does not know: {value}"
        return self.outputs.get(match[1], {}).get(match[2], "")

    def condition_holds(self, condition: str | None) -> bool:
        if not condition:
            return True
        for part in condition.split(" && "):
            match = CONDITION.match(part.strip())
            assert match, f"condition the test runner does not know: {part}"
            if self.outputs.get(match[1], {}).get(match[2], "") != match[3]:
                return False
        return True

    def step_env(self, step: dict) -> dict[str, str]:
        env = dict(self.base_env)
        env.update({name: self.resolve(value) for name, value in workflow_job(self.project).get("env", {}).items()})
        env.update({name: self.resolve(value) for name, value in step.get("env", {}).items()})
        return env

    def run_step(self, step: dict, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        name = step.get("id", step.get("name"))
        output = self.work / f"output-{name}"
        output.write_text("")
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=self.project,
            env={**self.step_env(step), **(env or {}), "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
        )
        self.outputs[name] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        self.ran.append(name)
        return result

    def run_job(
        self, before: dict[str, Callable[[], None]] | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """Every step, until one fails; `before` runs a callback before the step of that id; `env`
        stands for what GitHub would answer (the fake gh's open pull request)."""
        last = None
        for step in workflow_job(self.project)["steps"]:
            if "run" not in step or step.get("id") == "installer" or not self.condition_holds(step.get("if")):
                continue
            if before and step.get("id") in before:
                before[step["id"]]()
            last = self.run_step(step, env)
            if last.returncode != 0:
                break
        assert last is not None
        return last

    def summary(self) -> str:
        path = self.work / "summary"
        return path.read_text() if path.exists() else ""

    def title(self) -> str:
        return (self.work / "title").read_text()

    def body(self) -> str:
        return (self.work / "body").read_text()


def team_project(template: Path, tmp_path: Path, edits: TeamEdits) -> Path:
    """A project at v1.0.0 with the team's edits, pushed to a bare `origin`."""
    project = tmp_path / "projet"
    answers = [f"--data={key}={yaml_value(value)}" for key, value in EXAMPLE_ANSWERS.items()]
    copied = copier_cli("copy", "--trust", "--defaults", "--quiet", "--vcs-ref=v1.0.0", *answers, str(template), str(project))
    assert copied.returncode == 0, copied.stderr
    commit_all(project, "Création depuis le modèle")
    (project / CHECKLIST).write_text(edits.apply((project / CHECKLIST).read_text(encoding="utf-8")), encoding="utf-8")
    commit_all(project, "Nos coches")
    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", str(origin), cwd=tmp_path)
    git("remote", "add", "origin", str(origin), cwd=project)
    git("push", "-q", "origin", "HEAD:refs/heads/main", cwd=project)
    return project


def branch_head(project: Path) -> str:
    return git("ls-remote", "origin", "refs/heads/modele/mise-a-jour", cwd=project).stdout.split("\t")[0]


def test_a_clean_update_opens_a_pull_request_and_never_overwrites_the_teams_commits(tmp_path):
    def workflows_changed(template: Path) -> None:
        guard = template / "template" / ".github" / "workflows" / "garde-fous.yml"
        guard.write_text(guard.read_text(encoding="utf-8") + "# v2\n", encoding="utf-8")

    template = build_template_repo(tmp_path / "modele", [("v1.0.0", older_playbook()), ("v2.0.0", workflows_changed)])
    first = read_checklist_data(ROOT)["sections"][0]["items"][0]["id"]
    project = team_project(template, tmp_path, TeamEdits(ticks=[first]))

    # The default token may not push workflow changes: the job says so and fails, pushing nothing.
    without_token = Runner(project, tmp_path / "sans-jeton", token=False)
    refused = without_token.run_job()
    assert refused.returncode == 1 and without_token.ran[-1] == "maj"
    assert "MODELE_TOKEN" in without_token.summary()
    assert branch_head(project) == ""
    git("checkout", "-q", "--force", "main", cwd=project)
    git("clean", "-qfdx", cwd=project)

    runner = Runner(project, tmp_path / "run-1", token=True)
    result = runner.run_job()
    assert result.returncode == 0, result.stdout + result.stderr
    assert runner.title() == "Mise à jour du modèle : 1.0.0 → 2.0.0"
    assert "Aucun conflit" in runner.body()
    assert "pr create --base main --head modele/mise-a-jour" in (tmp_path / "run-1" / "gh.log").read_text()
    pushed = branch_head(project)
    assert pushed
    checklist = git("show", f"{pushed}:{CHECKLIST}", cwd=project).stdout
    assert f"- [x] **{first}**" in checklist and "<<<<<<<" not in checklist

    # The next run refreshes the robot's own branch: the lease is the branch as read, and it still is.
    git("checkout", "-q", "main", cwd=project)  # each run starts from a fresh checkout of main
    refresh = Runner(project, tmp_path / "run-1bis", token=True)
    refreshed = refresh.run_job(env={"GH_PR_NUMBER": "7"})
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    assert refresh.outputs["branche"]["sha"] == pushed and branch_head(project) not in ("", pushed)
    assert "pr edit 7 --title" in (tmp_path / "run-1bis" / "gh.log").read_text()
    git("checkout", "-q", "main", cwd=project)

    # The team resolves something on the branch: the next run must leave it alone.
    git("fetch", "-q", "origin", "modele/mise-a-jour", cwd=project)
    git("checkout", "-q", "-b", "revue", "FETCH_HEAD", cwd=project)
    (project / "notes.md").write_text("Relu en équipe.\n")
    commit_all(project, "Relecture")
    git("push", "-q", "origin", "HEAD:refs/heads/modele/mise-a-jour", cwd=project)
    reviewed = branch_head(project)
    git("checkout", "-q", "main", cwd=project)

    again = Runner(project, tmp_path / "run-2", token=True)
    result = again.run_job()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "commits de l'équipe" in result.stdout
    assert "maj" not in again.ran, "Copier does not even run"
    assert branch_head(project) == reviewed


def test_an_update_with_conflicts_says_so_in_the_pull_request(tmp_path):
    template = build_template_repo(tmp_path / "modele", [("v1.0.0", None), ("v2.0.0", item_inserted_in_the_middle)])
    second = read_checklist_data(ROOT)["sections"][0]["items"][1]["id"]
    project = team_project(template, tmp_path, TeamEdits(ticks=[second]))

    runner = Runner(project, tmp_path / "run", token=True)
    result = runner.run_job()
    assert result.returncode == 0, result.stdout + result.stderr
    assert runner.title().endswith("(conflits à résoudre)")
    assert f"`{CHECKLIST}` : marqueurs de conflit" in runner.body()
    pushed = git("show", f"{branch_head(project)}:{CHECKLIST}", cwd=project).stdout
    assert "<<<<<<< before updating" in pushed, "conflicts are committed as they are, never hidden"


# --------------------------------------------------------------------------- what the job trusts

COPIER_COMMAND = re.compile(r"\bcopier (update|check-update|copy|recopy)\b")


@pytest.fixture(scope="module")
def template_v1_v2(tmp_path_factory):
    """A template with two releases, the second appending checklist items: a clean update."""
    return build_template_repo(tmp_path_factory.mktemp("modele") / "modele", [("v1.0.0", older_playbook()), ("v2.0.0", None)])


def test_the_token_never_reaches_a_step_that_runs_copier(template_v1_v2, tmp_path):
    project = team_project(template_v1_v2, tmp_path, TeamEdits())
    flow = yaml.safe_load((project / ".github" / "workflows" / "mise-a-jour-modele.yml").read_text(encoding="utf-8"))
    job = flow["jobs"]["mise-a-jour"]
    for scope in (flow.get("env", {}), job.get("env", {})):
        for name, value in scope.items():
            assert "secrets." not in str(value) and "github.token" not in str(value), f"{name} reaches every step"
    copier_steps = [step for step in job["steps"] if COPIER_COMMAND.search(step.get("run", ""))]
    assert {step["id"] for step in copier_steps} == {"version", "maj"}
    for step in copier_steps:
        for name, value in step.get("env", {}).items():
            # Only whether a token exists (a boolean) may reach Copier, never a token.
            stripped = re.sub(r"\$\{\{ secrets\.\w+ != '' \}\}", "", value)
            assert "secrets." not in stripped and "github.token" not in stripped, name
    token_steps = [step for step in job["steps"] if "GH_TOKEN" in step.get("env", {})]
    assert {step["id"] for step in token_steps} == {"branche", "pousser"}
    assert all(not COPIER_COMMAND.search(step["run"]) for step in token_steps)
    assert all(step.get("with", {}).get("persist-credentials") is False for step in job["steps"] if "uses" in step)


@pytest.mark.parametrize(
    "tampered",
    [
        "_src_path: https://github.com/quelquun/autre-modele.git",
        # The first line reads as the expected source to a line-by-line reader; Copier keeps the last.
        "_src_path: {original}\n? _src_path\n: https://github.com/quelquun/autre-modele.git",
    ],
    ids=["other-template", "duplicated-key"],
)
def test_a_tampered_src_path_stops_the_job_before_any_copier_command(template_v1_v2, tmp_path, tampered):
    project = team_project(template_v1_v2, tmp_path, TeamEdits())
    answers = project / ".copier-answers.yml"
    original = re.search(r"^_src_path: (.*)$", answers.read_text(encoding="utf-8"), re.MULTILINE)[1]
    answers.write_text(
        re.sub(r"^_src_path: .*$", tampered.format(original=original), answers.read_text(encoding="utf-8"), flags=re.MULTILINE),
        encoding="utf-8",
    )
    commit_all(project, "Un autre modèle, en douce")

    runner = Runner(project, tmp_path / "run", token=True)
    result = runner.run_job()
    assert result.returncode == 1
    assert runner.ran == ["source"], "nothing runs after the check: no Copier, no token"
    assert "autre-modele" in runner.summary() and str(template_v1_v2) in runner.summary()
    assert "::error file=.copier-answers.yml::" in result.stdout
    assert branch_head(project) == ""


def team_commit_on_the_branch(project: Path) -> str:
    """The team pushes a commit of its own on modele/mise-a-jour; returns the branch's new head."""
    git("checkout", "-q", "-B", "revue", "main", cwd=project)
    (project / "notes.md").write_text("Relu en équipe.\n")
    commit_all(project, "Relecture")
    git("push", "-q", "--force", "origin", "HEAD:refs/heads/modele/mise-a-jour", cwd=project)
    git("checkout", "-q", "main", cwd=project)
    return branch_head(project)


def test_a_branch_that_cannot_be_read_is_never_overwritten(template_v1_v2, tmp_path):
    """ls-remote fails (a private repository before credentials, the network): the job stops and
    pushes nothing, even where a push would go through."""
    project = team_project(template_v1_v2, tmp_path, TeamEdits())
    teams = team_commit_on_the_branch(project)
    origin = git("remote", "get-url", "origin", cwd=project).stdout.strip()
    git("remote", "set-url", "origin", str(tmp_path / "illisible.git"), cwd=project)
    git("remote", "set-url", "--push", "origin", origin, cwd=project)

    runner = Runner(project, tmp_path / "run", token=True)
    result = runner.run_job()
    assert result.returncode == 1
    assert runner.ran[-1] == "branche" and "maj" not in runner.ran
    assert "Impossible de lire la branche modele/mise-a-jour" in result.stdout
    assert git("ls-remote", origin, "refs/heads/modele/mise-a-jour", cwd=project).stdout.split("\t")[0] == teams


def test_a_commit_pushed_during_the_update_is_never_overwritten(template_v1_v2, tmp_path):
    project = team_project(template_v1_v2, tmp_path, TeamEdits())
    pushed_meanwhile = []
    runner = Runner(project, tmp_path / "run", token=True)
    result = runner.run_job(before={"pousser": lambda: pushed_meanwhile.append(team_commit_on_the_branch(project))})
    assert result.returncode != 0 and runner.ran[-1] == "pousser"
    assert branch_head(project) == pushed_meanwhile[0], "--force-with-lease refused to replace the team's commit"
    assert not (tmp_path / "run" / "gh.log").exists(), "no pull request opened"


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    assert GIT_ENV["GIT_CONFIG_GLOBAL"] == os.devnull
