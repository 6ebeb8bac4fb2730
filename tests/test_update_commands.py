"""The commands the generated texts give for updating, run as a team would run them.

One spelling for each (includes/commandes/copier.jinja), everywhere: the generated README and docs,
the messages after copy and update, and this template's own README. The conflict check is silent on
a fresh repository and finds a real conflict; the command that changes an answer works without a
terminal; the message after copy tells a new folder from a repository that already exists.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from update_helpers import CHECKLIST, ROOT, build_template_repo, commit_all, copier_cli, git, yaml_value
from update_histories import EXAMPLE_ANSWERS

COMMANDS = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT)).get_template("includes/commandes/copier.jinja").module
CHANGE_ANSWER = COMMANDS.changer_reponse("REPONSE").removesuffix("REPONSE")
FIND_CONFLICTS = COMMANDS.chercher_conflits()
FIND_REJECTS = COMMANDS.chercher_rejets()
# The tests' own Copier, as the team's `copier` on its PATH.
SHELL_ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Today's template, released as v1.0.0."""
    return build_template_repo(tmp_path_factory.mktemp("commandes") / "modele", [("v1.0.0", None)])


@pytest.fixture(scope="module")
def copied(released):
    """A project copied from a released template into a new folder, then committed: (project, message)."""
    template = released
    project = released.parent / "projet"
    answers = [f"--data={key}={yaml_value(value)}" for key, value in EXAMPLE_ANSWERS.items()]
    result = copier_cli("copy", "--trust", "--defaults", *answers, str(template), str(project))
    assert result.returncode == 0, result.stderr
    commit_all(project, "Création depuis le modèle")
    return project, result.stderr


@pytest.fixture
def clone(copied, tmp_path):
    project, _ = copied
    destination = tmp_path / "clone"
    git("clone", "-q", str(project), str(destination), cwd=tmp_path)
    return destination


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """As typed in a terminal, but without one: no input, output captured."""
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=SHELL_ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)


def texts(project: Path) -> dict[str, str]:
    """This template's README and every Markdown file of the generated project."""
    found = {"README.md du modèle": (ROOT / "README.md").read_text(encoding="utf-8")}
    for path in sorted(project.rglob("*.md")):
        found[str(path.relative_to(project))] = path.read_text(encoding="utf-8")
    return found


def test_every_text_gives_the_same_conflict_check_and_answer_command(copied):
    project, _ = copied
    every = texts(project)
    for name in ("README.md du modèle", "README.md", "docs/modele.md"):
        assert FIND_CONFLICTS in every[name], name
        assert CHANGE_ANSWER in every[name], name
    assert CHANGE_ANSWER in every["docs/matomo.md"]
    for name, text in every.items():
        assert 'git grep -n "<<<<<<<' not in text, f"{name}: the unanchored check finds the docs themselves"
        for command in re.findall(r"copier update [^`\n]*?-d ", text):
            assert command == CHANGE_ANSWER, f"{name}: {command!r} is not {CHANGE_ANSWER!r}"


def test_the_conflict_check_is_silent_on_a_fresh_repository_and_finds_a_real_conflict(clone):
    for command in (FIND_CONFLICTS, FIND_REJECTS):
        quiet = shell(command, clone)
        assert quiet.returncode == 1 and quiet.stdout == "", f"{command} on a fresh repository:\n{quiet.stdout}{quiet.stderr}"

    checklist = clone / CHECKLIST
    lines = checklist.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[10:10] = ["<<<<<<< before updating\n", "- [x] notre version\n", "=======\n", "- [ ] la leur\n", ">>>>>>> after updating\n"]
    checklist.write_text("".join(lines), encoding="utf-8")
    found = shell(FIND_CONFLICTS, clone)
    assert found.returncode == 0
    assert [line.split(":")[0] for line in found.stdout.splitlines()] == [CHECKLIST, CHECKLIST]

    (clone / "docs" / "nouveau").mkdir()
    (clone / "docs" / "nouveau" / "page.md.rej").write_text("@@ -1 +1 @@\n-a\n+b\n", encoding="utf-8")
    rejected = shell(FIND_REJECTS, clone)
    assert rejected.returncode == 0 and "docs/nouveau/page.md.rej" in rejected.stdout


def test_the_answer_command_of_the_docs_works_without_a_terminal(clone):
    docs = (clone / "docs" / "matomo.md").read_text(encoding="utf-8")
    command = re.search(r"`(copier update [^`]*matomo_site_id=<numéro>)`", docs)[1]
    result = shell(command.replace("<numéro>", "4242"), clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^matomo_site_id: '?4242'?$", (clone / ".copier-answers.yml").read_text(encoding="utf-8"), re.MULTILINE)
    assert "4242" in (clone / "docs" / "matomo.md").read_text(encoding="utf-8")
    assert "4242" not in docs


def test_the_message_after_copy_tells_a_new_folder_from_an_existing_repository(copied, clone):
    _, message = copied
    assert "git init -b main" in message

    recopied = copier_cli("recopy", "--trust", "--force", str(clone))
    assert recopied.returncode == 0, recopied.stderr
    assert "git init" not in recopied.stderr
    assert "déjà dans un dépôt git" in recopied.stderr and "git diff" in recopied.stderr
    assert "Après « copier recopy »" in recopied.stderr and "git checkout -p" in recopied.stderr


def test_the_messages_of_an_adoption_speak_of_an_adoption(released, tmp_path):
    """A first copy into a repository that has its own code and hooks: nothing of `copier recopy`
    (no tick or note can have been lost), « d' » before a name that starts with a vowel, and after an
    update no promise that the team's own pre-commit hooks refuse conflict markers."""
    project = tmp_path / "depot"
    project.mkdir()
    (project / "README.md").write_text("# Notre service\n", encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    commit_all(project, "Notre service")
    data = ["--data=stack=existant", "--data=service_name=Île Emploi", "--data=construction_start=2026-12-31"]
    adopted = copier_cli("copy", "--trust", "--defaults", *data, str(released), ".", cwd=project)
    assert adopted.returncode == 0, adopted.stderr
    assert "Le dépôt d'« Île Emploi » est prêt" in adopted.stderr
    assert "déjà dans un dépôt git" in adopted.stderr
    assert "recopy" not in adopted.stderr and "checkout -p" not in adopted.stderr
    commit_all(project, "Modèle appliqué")

    updated = shell(COMMANDS.changer_reponse("matomo_site_id=7"), project)
    assert updated.returncode == 0, updated.stderr
    assert "Mise à jour terminée" in updated.stderr
    assert "Les hooks pre-commit et le workflow « Garde-fous » refusent" not in updated.stderr
    assert "« Garde-fous » refuse" in updated.stderr


def test_a_deleted_dependabot_config_stays_deleted_after_a_template_update(tmp_path):
    """The README's way to switch Dependabot off: delete the file; an update that changes it does not
    bring it back."""

    def dependabot_changed(template: Path) -> None:
        config = template / "template" / ".github" / "dependabot.yml.jinja"
        config.write_text(config.read_text(encoding="utf-8") + "# v2\n", encoding="utf-8")

    template = build_template_repo(tmp_path / "modele", [("v1.0.0", None), ("v2.0.0", dependabot_changed)])
    project = tmp_path / "projet"
    answers = [f"--data={key}={yaml_value(value)}" for key, value in EXAMPLE_ANSWERS.items()]
    copied = copier_cli("copy", "--trust", "--defaults", "--quiet", "--vcs-ref=v1.0.0", *answers, str(template), str(project))
    assert copied.returncode == 0, copied.stderr
    assert (project / ".github" / "dependabot.yml").exists()
    commit_all(project, "Création depuis le modèle")
    (project / ".github" / "dependabot.yml").unlink()
    commit_all(project, "Sans Dependabot")

    updated = copier_cli("update", "--trust", "--defaults", "--skip-answered", "--quiet", "--vcs-ref=v2.0.0", str(project))
    assert updated.returncode == 0, updated.stderr
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert not (project / ".github" / "dependabot.yml").exists()
