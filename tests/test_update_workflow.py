"""The scheduled update workflow, run for real: its two shell steps, as GitHub runs them, on a
generated project whose `origin` is a local bare repository, with a stand-in `gh` that records what
the workflow asks of GitHub. Proves it opens a pull request that says when there are conflicts,
refuses what the default token cannot push, and never overwrites the team's commits."""

from __future__ import annotations

import os
import subprocess
import sys
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
# Records the calls; answers `pr list` with the number in $GH_PR_NUMBER (or nothing).
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


def steps(project: Path) -> dict[str, dict]:
    flow = yaml.safe_load((project / ".github" / "workflows" / "mise-a-jour-modele.yml").read_text(encoding="utf-8"))
    job = flow["jobs"]["mise-a-jour"]
    return {step.get("id", step.get("name")): {**step, "job_env": job.get("env", {})} for step in job["steps"]}


class Runner:
    """Runs a step's `run` the way GitHub Actions does, with its outputs and summary files."""

    def __init__(self, project: Path, work: Path, token: bool):
        self.project, self.work = project, work
        (work / "bin").mkdir(parents=True, exist_ok=True)
        gh = work / "bin" / "gh"
        gh.write_text(FAKE_GH)
        gh.chmod(0o755)
        (work / "home").mkdir(exist_ok=True)
        self.env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_CONFIG", "GITHUB_"))}
        self.env.update(
            HOME=str(work / "home"),
            PATH=f"{work / 'bin'}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            RUNNER_TEMP=str(work),
            GITHUB_OUTPUT=str(work / "output"),
            GITHUB_STEP_SUMMARY=str(work / "summary"),
            GITHUB_REF_NAME="main",
            GH_LOG=str(work / "gh.log"),
            GH_TITLE=str(work / "title"),
            GH_BODY=str(work / "body"),
            GIT_CONFIG_NOSYSTEM="1",
        )
        for name, value in steps(project)["version"]["job_env"].items():
            if "${{" not in str(value):
                self.env[name] = str(value)
        self.env["JETON_DEDIE"] = "true" if token else "false"
        self.env["GH_TOKEN"] = "jeton-de-test"

    def outputs(self) -> dict[str, str]:
        path = self.work / "output"
        lines = path.read_text().splitlines() if path.exists() else []
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def run(self, step_id: str, **env) -> subprocess.CompletedProcess:
        step = steps(self.project)[step_id]
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=self.project,
            env={**self.env, **env},
            capture_output=True,
            text=True,
        )

    def check_then_update(self) -> subprocess.CompletedProcess:
        found = self.run("version")
        assert found.returncode == 0, found.stdout + found.stderr
        outputs = self.outputs()
        assert outputs["disponible"] == "oui"
        return self.run("maj", ACTUELLE=outputs["actuelle"], NOUVELLE=outputs["nouvelle"])

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
    refused = Runner(project, tmp_path / "sans-jeton", token=False).check_then_update()
    assert refused.returncode == 1
    assert "MODELE_TOKEN" in (tmp_path / "sans-jeton" / "summary").read_text()
    assert branch_head(project) == ""
    git("checkout", "-q", "--force", "main", cwd=project)
    git("clean", "-qfdx", cwd=project)

    runner = Runner(project, tmp_path / "run-1", token=True)
    result = runner.check_then_update()
    assert result.returncode == 0, result.stdout + result.stderr
    assert runner.title() == "Mise à jour du modèle : 1.0.0 → 2.0.0"
    assert "Aucun conflit" in runner.body()
    assert "pr create --base main --head modele/mise-a-jour" in (tmp_path / "run-1" / "gh.log").read_text()
    pushed = branch_head(project)
    assert pushed
    checklist = git("show", f"{pushed}:{CHECKLIST}", cwd=project).stdout
    assert f"- [x] **{first}**" in checklist and "<<<<<<<" not in checklist

    # The team resolves something on the branch: the next run must leave it alone.
    git("fetch", "-q", "origin", "modele/mise-a-jour", cwd=project)
    git("checkout", "-q", "-b", "revue", "FETCH_HEAD", cwd=project)
    (project / "notes.md").write_text("Relu en équipe.\n")
    commit_all(project, "Relecture")
    git("push", "-q", "origin", "HEAD:refs/heads/modele/mise-a-jour", cwd=project)
    reviewed = branch_head(project)
    git("checkout", "-q", "main", cwd=project)

    again = Runner(project, tmp_path / "run-2", token=True)
    result = again.check_then_update()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "commits de l'équipe" in result.stdout
    assert branch_head(project) == reviewed


def test_an_update_with_conflicts_says_so_in_the_pull_request(tmp_path):
    template = build_template_repo(tmp_path / "modele", [("v1.0.0", None), ("v2.0.0", item_inserted_in_the_middle)])
    second = read_checklist_data(ROOT)["sections"][0]["items"][1]["id"]
    project = team_project(template, tmp_path, TeamEdits(ticks=[second]))

    runner = Runner(project, tmp_path / "run", token=True)
    result = runner.check_then_update()
    assert result.returncode == 0, result.stdout + result.stderr
    assert runner.title().endswith("(conflits à résoudre)")
    assert f"`{CHECKLIST}` : marqueurs de conflit" in runner.body()
    pushed = git("show", f"{branch_head(project)}:{CHECKLIST}", cwd=project).stdout
    assert "<<<<<<< before updating" in pushed, "conflicts are committed as they are, never hidden"


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    assert GIT_ENV["GIT_CONFIG_GLOBAL"] == os.devnull
