"""Conflicts can't slip through, and updates come to every generated repository.

The generated repository's guards (pre-commit and the « Garde-fous » workflow) really fail on a
conflict marker and on a `.rej` file, including a conflict produced by a real `copier update`; the
scheduled update workflow is valid, pinned and reports conflicts; docs/modele.md tells the version.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from update_contract import choice_entries, load_settings
from update_helpers import (
    CHECKLIST,
    ROOT,
    TeamEdits,
    build_template_repo,
    commit_all,
    copier_cli,
    git,
    item_inserted_in_the_middle,
    read_checklist_data,
    yaml_value,
)
from update_histories import EXAMPLE_ANSWERS

ANSWERS = [f"--data={key}={yaml_value(value)}" for key, value in EXAMPLE_ANSWERS.items()]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project generated from today's template, committed."""
    destination = tmp_path_factory.mktemp("garde") / "projet"
    result = copier_cli(
        "copy",
        "--trust",
        "--defaults",
        "--quiet",
        "--vcs-ref=HEAD",
        *ANSWERS,
        str(ROOT),
        str(destination),
    )
    assert result.returncode == 0, result.stderr
    commit_all(destination, "Création depuis le modèle")
    return destination


@pytest.fixture
def scratch(project, tmp_path):
    """A throw-away clone of the generated project, to break on purpose."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
    return clone


def workflow(project: Path, name: str) -> dict:
    return yaml.safe_load((project / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def guard_script(project: Path) -> str:
    steps = workflow(project, "garde-fous.yml")["jobs"]["conflits"]["steps"]
    return next(step["run"] for step in steps if "run" in step)


def run_guard(clone: Path) -> subprocess.CompletedProcess:
    """The very script of the CI guard, run as GitHub runs it (bash -e -o pipefail)."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", guard_script(clone)],
        cwd=clone,
        capture_output=True,
        text=True,
    )


def inject_conflict(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = len(lines) // 2
    lines[at:at] = [
        "<<<<<<< before updating\n",
        "- [x] notre version\n",
        "=======\n",
        "- [ ] la version du modèle\n",
        ">>>>>>> after updating\n",
    ]
    path.write_text("".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- the CI guard


def test_the_ci_guard_passes_on_a_clean_project(scratch):
    result = run_guard(scratch)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ci_guard_fails_on_conflict_markers(scratch):
    inject_conflict(scratch / CHECKLIST)
    commit_all(scratch, "Oubli d'un conflit")
    result = run_guard(scratch)
    assert result.returncode == 1
    assert f"::error file={CHECKLIST},line=" in result.stdout


def test_the_ci_guard_fails_on_a_rej_file(scratch):
    (scratch / "docs" / "matomo.md.rej").write_text("@@ -1,3 +1,3 @@\n-a\n+b\n", encoding="utf-8")
    commit_all(scratch, "Oubli d'un rejet")
    result = run_guard(scratch)
    assert result.returncode == 1
    assert "::error file=docs/matomo.md.rej::" in result.stdout


def test_rej_files_are_never_ignored(project):
    """A gitignored .rej would escape both `git status` and the guards (copier-org/copier#2668)."""
    assert git("check-ignore", "-q", "docs/matomo.md.rej", cwd=project, check=False).returncode == 1


# --------------------------------------------------------------------------- the template's source


def run_source_guard(clone: Path, work: Path) -> subprocess.CompletedProcess:
    """The « Source du modèle » job's check, run as GitHub runs it, with this interpreter (PyYAML
    pinned as in requirements.txt) standing for the one the job installs."""
    steps = workflow(clone, "garde-fous.yml")["jobs"]["source"]["steps"]
    install = next(step for step in steps if step.get("id") == "installer")
    assert f'"pyyaml=={requirement("pyyaml")}"' in install["run"]
    check = next(step for step in steps if step.get("id") == "source")
    (work / "yaml" / "bin").mkdir(parents=True)
    (work / "yaml" / "bin" / "python").symlink_to(sys.executable)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check["run"]],
        cwd=clone,
        env={**os.environ, "RUNNER_TEMP": str(work)},
        capture_output=True,
        text=True,
    )


def replace_line(path: Path, pattern: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(pattern, text, re.MULTILINE)) == 1, pattern
    path.write_text(re.sub(pattern, line, text, flags=re.MULTILINE), encoding="utf-8")


OTHER_TEMPLATE = "https://github.com/quelquun/autre-modele.git"


def test_the_source_guard_passes_on_a_fresh_project(scratch, tmp_path):
    result = run_source_guard(scratch, tmp_path / "run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_source_guard_refuses_a_change_of_src_path_alone(scratch, tmp_path):
    replace_line(scratch / ".copier-answers.yml", r"^_src_path: .*$", f"_src_path: {OTHER_TEMPLATE}")
    result = run_source_guard(scratch, tmp_path / "run")
    assert result.returncode == 1
    assert "::error file=.copier-answers.yml::" in result.stdout and OTHER_TEMPLATE in result.stdout


def test_the_source_guard_accepts_a_deliberate_move_with_the_workflow(scratch, tmp_path):
    replace_line(scratch / ".copier-answers.yml", r"^_src_path: .*$", f"_src_path: {OTHER_TEMPLATE}")
    replace_line(
        scratch / ".github" / "workflows" / "mise-a-jour-modele.yml",
        r"^      SOURCE_ATTENDUE: .*$",
        f'      SOURCE_ATTENDUE: "{OTHER_TEMPLATE}"',
    )
    result = run_source_guard(scratch, tmp_path / "run")
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- pre-commit


def pre_commit_hooks(project: Path) -> dict[str, dict]:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {}
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            hooks[hook["id"]] = {**hook, "repo": repo["repo"], "rev": repo.get("rev")}
    return hooks


def test_pre_commit_revs_are_pinned_to_commits(project):
    text = (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    revs = re.findall(r"^\s*rev: (\S+)\s*# frozen: (v\S+)$", text, re.MULTILINE)
    assert revs and len(revs) == text.count("rev:")
    for sha, _ in revs:
        assert re.fullmatch(r"[0-9a-f]{40}", sha)


def test_the_pre_commit_conflict_hook_fails_on_markers_and_nowhere_else(project, scratch):
    hook = pre_commit_hooks(project)["check-merge-conflict"]
    assert "--assume-in-merge" in hook["args"], "Copier writes its markers outside any git merge"
    # The hook's own code, at the version the generated config pins (requirements.txt).
    frozen = re.search(r"# frozen: v(\S+)", (project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))[1]
    installed = subprocess.run([sys.executable, "-m", "pip", "show", "pre-commit-hooks"], capture_output=True, text=True)
    assert f"Version: {frozen}" in installed.stdout, "requirements.txt must pin pre-commit-hooks at the hook's rev"
    command = [str(BIN / "check-merge-conflict"), *hook["args"]]

    files = git("ls-files", cwd=scratch).stdout.split()
    clean = subprocess.run([*command, *files], cwd=scratch, capture_output=True, text=True)
    assert clean.returncode == 0, f"false alarm on a fresh project:\n{clean.stdout}"

    inject_conflict(scratch / CHECKLIST)
    caught = subprocess.run([*command, CHECKLIST], cwd=scratch, capture_output=True, text=True)
    assert caught.returncode == 1 and "<<<<<<<" in caught.stdout


def test_the_pre_commit_rej_hook_refuses_rej_files(project):
    hook = pre_commit_hooks(project)["pas-de-fichier-rej"]
    assert hook["repo"] == "local" and hook["language"] == "fail"
    pattern = re.compile(hook["files"])
    assert pattern.search("CHECKLIST.md.rej") and pattern.search("docs/kit/dev.md.rej")
    assert not pattern.search("CHECKLIST.md") and not pattern.search("docs/rejets.md")


# Which files pre-commit hands each hook (its `types`), for the hooks of the generated config.
HOOK_FILES = {
    "check-yaml": (".yml", ".yaml"),
    "check-json": (".json",),
    "check-toml": (".toml",),
}
STACKS = [value for value, selectable in choice_entries(load_settings()["stack"]) if selectable]


@pytest.mark.parametrize("stack", STACKS)
def test_a_fresh_project_passes_every_pre_commit_hook(stack, tmp_path):
    """A team's first commit never fails on the template's own files (no false alarm)."""
    project = tmp_path / "projet"
    answers = [f"--data={key}={yaml_value(value)}" for key, value in {**EXAMPLE_ANSWERS, "stack": stack}.items()]
    result = copier_cli("copy", "--trust", "--defaults", "--quiet", "--vcs-ref=HEAD", *answers, str(ROOT), str(project))
    assert result.returncode == 0, result.stderr
    commit_all(project, "Création depuis le modèle")
    files = git("ls-files", cwd=project).stdout.splitlines()
    text_files = [name for name in files if b"\0" not in (project / name).read_bytes()[:8000]]
    for hook_id, hook in pre_commit_hooks(project).items():
        if hook["repo"] == "local":
            pattern = re.compile(hook["files"])
            assert not [name for name in files if pattern.search(name)], hook_id
            continue
        suffixes = HOOK_FILES.get(hook_id)
        selected = [name for name in text_files if suffixes is None or name.endswith(suffixes)]
        command = [str(BIN / hook_id), *hook.get("args", [])]
        if hook_id == "check-added-large-files":
            command.append("--enforce-all")  # every file, not only the staged ones
        run = subprocess.run([*command, *selected], cwd=project, capture_output=True, text=True)
        assert run.returncode == 0, f"{hook_id} on a fresh {stack} project:\n{run.stdout}{run.stderr}"


# --------------------------------------------------------------------------- a real conflict


def test_a_real_update_conflict_is_caught_and_announced(tmp_path):
    """Break the playbook's rules on purpose (an item inserted in the middle, next to a ticked one):
    Copier leaves markers and exits 0; its message says what to search; both guards fail."""

    template = build_template_repo(tmp_path / "modele", [("v1.0.0", None), ("v2.0.0", item_inserted_in_the_middle)])
    project = tmp_path / "projet"
    answers = ANSWERS
    copied = copier_cli("copy", "--trust", "--defaults", "--quiet", "--vcs-ref=v1.0.0", *answers, str(template), str(project))
    assert copied.returncode == 0, copied.stderr
    commit_all(project, "Création depuis le modèle")
    second = read_checklist_data(ROOT)["sections"][0]["items"][1]["id"]
    (project / CHECKLIST).write_text(TeamEdits(ticks=[second]).apply((project / CHECKLIST).read_text(encoding="utf-8")))
    commit_all(project, "Coche")

    updated = copier_cli("update", "--trust", "--defaults", "--skip-answered", "--vcs-ref=v2.0.0", str(project))
    assert updated.returncode == 0, "Copier's exit code does not report the conflict"
    assert "<<<<<<< before updating" in (project / CHECKLIST).read_text(encoding="utf-8")
    assert "<<<<<<< before updating" in updated.stdout + updated.stderr, "the message says what to search"
    assert "docs/modele.md" in updated.stdout + updated.stderr

    commit_all(project, "Mise à jour commitée trop vite")
    assert run_guard(project).returncode == 1
    hook = pre_commit_hooks(project)["check-merge-conflict"]
    caught = subprocess.run([str(BIN / "check-merge-conflict"), *hook["args"], CHECKLIST], cwd=project, capture_output=True)
    assert caught.returncode == 1


# --------------------------------------------------------------------------- the workflows


def requirement(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.split("==")[0].strip().lower() == name:
            return line.split("==")[1].strip()
    raise AssertionError(f"{name} is not pinned in requirements.txt")


def test_the_update_workflow_runs_weekly_with_pinned_copier_and_reports_conflicts(project):
    flow = workflow(project, "mise-a-jour-modele.yml")
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads `on` as True
    assert "workflow_dispatch" in triggers
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", triggers["schedule"][0]["cron"]), "once a week"
    text = (project / ".github" / "workflows" / "mise-a-jour-modele.yml").read_text(encoding="utf-8")
    assert f'"copier=={requirement("copier")}"' in text
    assert f'"copier-template-extensions=={requirement("copier-template-extensions")}"' in text
    assert "copier update --trust --defaults --skip-answered" in text
    assert "conflits à résoudre" in text and "gh pr create" in text and "gh pr edit" in text
    for uses in re.findall(r"uses: (\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{uses} is not pinned to a commit"
    assert "{%" not in text and "{{ " not in text.replace("${{ ", "")


# --------------------------------------------------------------------------- what the team reads


def test_docs_modele_tells_the_version_the_changelog_and_how_to_update(tmp_path):
    template = build_template_repo(tmp_path / "modele", [("v1.4.0", None)])
    project = tmp_path / "projet"
    answers = ANSWERS
    result = copier_cli("copy", "--trust", "--defaults", "--quiet", *answers, str(template), str(project))
    assert result.returncode == 0, result.stderr
    text = (project / "docs" / "modele.md").read_text(encoding="utf-8")
    assert "`v1.4.0`" in text
    assert "CHANGELOG.md" in text
    for command in ("copier update --trust", "copier check-update", "copier recopy", "<<<<<<< before updating", ".rej"):
        assert command in text, command
    assert not re.search(r"^(<<<<<<<|>>>>>>>)", text, re.MULTILINE), "the guards would flag the docs themselves"


def test_docs_modele_links_the_changelog_of_the_template_it_came_from(project):
    text = (project / "docs" / "modele.md").read_text(encoding="utf-8")
    assert "https://github.com/betagouv/modele-construction/blob/main/CHANGELOG.md" in text


def test_the_readme_has_the_update_section(project):
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "## Mettre à jour depuis le modèle" in readme
    assert "copier update --trust --defaults --skip-answered" in readme
    assert "docs/modele.md" in readme
