"""`stack=existant`: a repository that already holds its service adopts the template.

Each fixture of tests/fixtures/adoption/ lists the top-level layout of a kind of real startup
repository (paths only: the files written here are small texts of our own). The tests adopt the
template into a clean git working tree with the README's command (no `--overwrite`), commit like a
team (a tick, a note, an edit of one of its own files), then update from an older template version to
today's, and check every byte the team had.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from update_helpers import (
    CHECKLIST,
    ROOT,
    add_notes,
    build_template_repo,
    commit_all,
    conflicts,
    copier_cli,
    copier_update,
    git,
    older_playbook,
    parse_checklist,
    read_checklist_data,
    tick,
)

from conftest import load_extension

adoption = load_extension("adoption")

FIXTURES = ROOT / "tests" / "fixtures" / "adoption"
ANSWERS = {"service_name": "Aides Locales", "construction_start": "2026-01-05"}
# Files only an application stack generates: an adoption writes none of them.
APPLICATION_FILES = {
    "Makefile",
    "Procfile",
    "scalingo.json",
    "manage.py",
    "package.json",
    "requirements.txt",
    "pyproject.toml",
    ".github/workflows/application.yml",
    "docs/sans-code.md",
}
# The files of each fixture that the template would also write (as its comment says).
EXPECTED_KEPT = {
    "django": {"README.md", "LICENSE", ".gitignore", ".editorconfig", ".pre-commit-config.yaml", "docs/matomo.md"},
    "nextjs": {"README.md", "LICENSE", ".gitignore", ".github/dependabot.yml"},
}
PREFIXED_WORKFLOWS = {
    ".github/workflows/beta-gouv-garde-fous.yml",
    ".github/workflows/beta-gouv-suivi.yml",
    ".github/workflows/beta-gouv-mise-a-jour-modele.yml",
}


def fixture_paths(name: str) -> list[str]:
    lines = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def team_repository(folder: Path, paths: list[str]) -> dict[str, bytes]:
    """A git repository holding a small file of our own under each path, committed: a clean tree."""
    folder.mkdir(parents=True)
    for path in paths:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        comment = "//" if target.suffix in {".js", ".ts", ".tsx", ".json"} else "#"
        target.write_bytes(f"{comment} Fichier de l'équipe : {path}\n".encode())
    commit_all(folder, "Le service de l'équipe")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


def adopt(template: Path | str, project: Path, vcs_ref: str, **answers) -> subprocess.CompletedProcess:
    """The README's command, run in the repository: `copier copy --trust --defaults -d stack=existant … <template> .`"""
    data = [f"--data={key}={value}" for key, value in {**ANSWERS, "stack": "existant", **answers}.items()]
    result = copier_cli("copy", "--trust", "--defaults", f"--vcs-ref={vcs_ref}", *data, str(template), ".", cwd=project)
    assert result.returncode == 0, result.stderr
    return result


def status(project: Path) -> list[str]:
    return git("status", "--porcelain", "--untracked-files=all", cwd=project).stdout.splitlines()


def stored_answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))


def added_paths_in_message(stderr: str) -> set[str]:
    """The paths the message after copy says were added."""
    line = next(line for line in stderr.splitlines() if line.startswith("Ajoutés : "))
    return set(line.removeprefix("Ajoutés : ").removesuffix(".").replace(" et ", ", ").split(", "))


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """v1.0.0: an older release (its checklist lacks the last items of some sections); v2.0.0: today."""
    return build_template_repo(tmp_path_factory.mktemp("modele"), [("v1.0.0", older_playbook(dropped=2)), ("v2.0.0", None)])


# --------------------------------------------------------------------------- adoption


@pytest.mark.parametrize("layout", ["django", "nextjs"])
def test_adoption_changes_no_byte_and_update_keeps_team_files(versions, tmp_path, layout):
    project = tmp_path / layout
    before = team_repository(project, fixture_paths(layout))

    result = adopt(versions, project, "v1.0.0")

    after = snapshot(project)
    assert {path: after[path] for path in before} == before, "a file the team had was changed by the adoption"
    lines = status(project)
    assert lines and all(line.startswith("?? ") for line in lines), lines
    added = {line[3:] for line in lines}
    assert not added & set(before)
    assert not added & APPLICATION_FILES, "an application file was generated"
    assert added >= PREFIXED_WORKFLOWS
    kept = stored_answers(project)["preexisting_paths"]
    assert set(kept) == EXPECTED_KEPT[layout]
    assert "hosting" not in stored_answers(project), "a question only an application needs was answered"
    # The README stays the team's: the template's guide goes into a file of its own.
    assert "CONSTRUCTION.md" in added
    assert "## Calendrier de la phase" in (project / "CONSTRUCTION.md").read_text(encoding="utf-8")
    assert "Liez-le depuis votre README" in result.stderr
    # The message says what was added, truthfully.
    assert added_paths_in_message(result.stderr) == added

    # The tools work without anything else installed.
    for command in (["outils/progression.py"], ["outils/liens.py", "verifier"]):
        run = subprocess.run([sys.executable, *command], cwd=project, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr

    commit_all(project, "Adoption du modèle")
    checklist = (project / CHECKLIST).read_text(encoding="utf-8")
    first = parse_checklist(checklist).ids[0]
    checklist = add_notes(tick(checklist, first), first, ["  > Fait avec la DSI, voir le ticket 12."])
    (project / CHECKLIST).write_text(checklist, encoding="utf-8")
    (project / "README.md").write_text("# Le service\n\nNotre README, réécrit après l'adoption.\n", encoding="utf-8")
    commit_all(project, "L'équipe coche, annote et réécrit son README")
    team = snapshot(project)

    update = copier_update(project, "v2.0.0")
    assert update.returncode == 0, update.stderr

    final = snapshot(project)
    assert conflicts(project) == []
    for path in before:
        assert final[path] == team[path], f"{path} changed by the update"
    state = parse_checklist(final[CHECKLIST].decode())
    assert first in state.ticked
    assert state.notes[first] == ["  > Fait avec la DSI, voir le ticket 12."]
    today_ids = {item["id"] for section in read_checklist_data(ROOT)["sections"] for item in section["items"]}
    assert set(state.ids) == today_ids, "the update did not bring the new checklist items"
    assert stored_answers(project)["preexisting_paths"] == kept


def test_adoption_leaves_every_colliding_file_alone(versions, tmp_path):
    """A repository that has every file the template writes gets only its answers file."""
    empty = tmp_path / "vide"
    team_repository(empty, ["src/main.go"])
    adopt(versions, empty, "v2.0.0")
    everything = sorted({line[3:] for line in status(empty)} - {".copier-answers.yml"} | {"CONSTRUCTION.md"})

    project = tmp_path / "tout"
    before = team_repository(project, ["src/main.go", *everything])
    result = adopt(versions, project, "v2.0.0")

    assert status(project) == ["?? .copier-answers.yml"]
    assert {path: content for path, content in snapshot(project).items() if path in before} == before
    assert stored_answers(project)["preexisting_paths"] == everything
    assert "Laissés tels quels" in result.stderr


def test_adoption_keeps_a_checklist_tools_and_workflows_of_the_same_name(versions, tmp_path):
    project = tmp_path / "rails"
    before = team_repository(project, fixture_paths("rails"))
    adopt(versions, project, "v2.0.0")

    added = {line[3:] for line in status(project)}
    assert not added & set(before)
    assert {"outils/progression.py", "docs/modele.md", *PREFIXED_WORKFLOWS} <= added
    kept = stored_answers(project)["preexisting_paths"]
    assert set(kept) == {".gitattributes", "CHECKLIST.md", "README.md", "outils/liens.py"}
    guide = (project / "docs" / "modele.md").read_text(encoding="utf-8")
    # What the team has to add by hand to its own files, from the same sources as the template's files.
    assert "### .gitattributes" in guide and "docs/liens-suivis.csv merge=union" in guide
    assert "`CHECKLIST.md`, `outils/liens.py` : le modèle n'a pas" in guide
    assert "### .pre-commit-config.yaml" not in guide  # the template wrote its own


def test_the_guide_lists_hooks_and_ignore_lines_to_add(versions, tmp_path):
    project = tmp_path / "django"
    team_repository(project, fixture_paths("django"))
    adopt(versions, project, "v2.0.0")
    guide = (project / "docs" / "modele.md").read_text(encoding="utf-8")
    assert "args: [--assume-in-merge]" in guide and "id: pas-de-fichier-rej" in guide
    assert "\nqr/\n" in guide
    assert "[CONSTRUCTION.md](../CONSTRUCTION.md)" in guide
    readme_link = "- [Phase de construction](CONSTRUCTION.md)"
    assert readme_link in guide
    owners = (project / "CONSTRUCTION.md").read_text(encoding="utf-8")
    assert "| `CONSTRUCTION.md` | partagé |" in owners
    assert "`LICENSE`, `.copier-answers.yml` | modèle" not in owners
    workflows = (project / ".github" / "workflows" / "beta-gouv-garde-fous.yml").read_bytes()
    assert workflows == (ROOT / "template" / ".github" / "workflows" / "garde-fous.yml").read_bytes()


def test_adoption_into_an_empty_repository_writes_the_readme_and_no_guide(versions, tmp_path):
    project = tmp_path / "neuf"
    team_repository(project, ["main.py"])
    result = adopt(versions, project, "v2.0.0")
    added = {line[3:] for line in status(project)}
    assert "README.md" in added and "CONSTRUCTION.md" not in added
    assert stored_answers(project)["preexisting_paths"] == []
    # The derivation from the template tree equals what a real copy writes.
    assert added_paths_in_message(result.stderr) == added


# --------------------------------------------------------------------------- nocode → existant


def test_nocode_team_moves_to_existant_by_update_losing_nothing(versions, tmp_path):
    project = tmp_path / "projet"
    result = copier_cli(
        "copy",
        "--trust",
        "--defaults",
        "--quiet",
        "--vcs-ref=v1.0.0",
        *[f"--data={k}={v}" for k, v in ANSWERS.items()],
        "--data=stack=nocode",
        str(versions),
        str(project),
    )
    assert result.returncode == 0, result.stderr
    commit_all(project, "Création depuis le modèle")

    checklist = (project / CHECKLIST).read_text(encoding="utf-8")
    first = parse_checklist(checklist).ids[0]
    (project / CHECKLIST).write_text(add_notes(tick(checklist, first), first, ["  > Note de l'équipe."]), encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    (project / "README.md").write_text(readme + "\nNotre première note d'équipe.\n", encoding="utf-8")
    campaign = yaml.safe_load((ROOT / "playbook" / "liens-suivis.yml").read_text(encoding="utf-8"))["campaign_example"]
    link = subprocess.run(
        [
            sys.executable,
            "outils/liens.py",
            "creer",
            "https://aides-locales.beta.gouv.fr/",
            "--source",
            "linkedin",
            "--support",
            "reseau-social",
            "--campagne",
            campaign,
            "--partage",
            "Post de lancement",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert link.returncode == 0, link.stdout + link.stderr
    registry = (project / "docs" / "liens-suivis.csv").read_text(encoding="utf-8")
    assert "Post de lancement" in registry
    # The team's own code arrives.
    (project / "app.py").write_text("print('bonjour')\n", encoding="utf-8")
    commit_all(project, "L'équipe coche, annote, note, enregistre un lien et écrit son code")

    update = copier_update(project, "v2.0.0", {"stack": "existant"})
    assert update.returncode == 0, update.stderr

    assert conflicts(project) == []
    assert stored_answers(project)["stack"] == "existant"
    assert stored_answers(project)["preexisting_paths"] == []
    state = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    assert first in state.ticked and state.notes[first] == ["  > Note de l'équipe."]
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.endswith("\nNotre première note d'équipe.\n")
    assert "Socle : application existante" in readme
    assert (project / "docs" / "liens-suivis.csv").read_text(encoding="utf-8") == registry
    assert (project / "app.py").read_text(encoding="utf-8") == "print('bonjour')\n"
    workflows = {path.name for path in (project / ".github" / "workflows").iterdir()}
    assert workflows == {Path(path).name for path in PREFIXED_WORKFLOWS}
    assert not (project / "CONSTRUCTION.md").exists()


# --------------------------------------------------------------------------- the stored answer


def test_stored_paths_are_escaped_patterns(versions, tmp_path):
    """A stored path with glob characters excludes that one path, not every path it would match."""
    project = tmp_path / "projet"
    team_repository(project, ["main.py"])
    adopt(versions, project, "v2.0.0", preexisting_paths='["docs/kit/*.md", "outils/[lp]*.py"]')
    added = {line[3:] for line in status(project)}
    assert {"docs/kit/dev.md", "outils/liens.py", "outils/progression.py"} <= added


@pytest.mark.parametrize(
    "value",
    [["../secret"], ["/etc/passwd"], ["docs//x"], ["a\nb"], [".copier-answers.yml"], "README.md", [3], ["docs\\x"]],
)
def test_preexisting_paths_rejects_what_is_not_a_plain_relative_path(value):
    message = adoption.preexisting_paths_error(value)
    assert message.startswith("preexisting_paths : ") and "exemple qui passe" in message


def test_preexisting_paths_accepts_plain_relative_paths():
    assert adoption.preexisting_paths_error([]) == ""
    assert adoption.preexisting_paths_error(["README.md", ".github/workflows/ci.yml", "docs/kit/dev.md"]) == ""


def test_a_bad_stored_answer_stops_the_copy_with_the_rule(versions, tmp_path):
    project = tmp_path / "projet"
    team_repository(project, ["main.py"])
    data = [f"--data={key}={value}" for key, value in {**ANSWERS, "stack": "existant"}.items()]
    result = copier_cli(
        "copy", "--trust", "--defaults", "--vcs-ref=v2.0.0", *data, '--data=preexisting_paths=["../x"]', str(versions), ".", cwd=project
    )
    assert result.returncode != 0
    assert re.search(r"preexisting_paths : .*exemple qui passe", result.stderr)
    assert status(project) == []


def test_collisions_include_a_file_where_the_template_needs_a_folder(tmp_path):
    (tmp_path / "outils").write_text("un fichier, pas un dossier\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("x\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    assert adoption.collisions(["README.md", "outils/liens.py", "outils/progression.py", "docs/matomo.md"], tmp_path) == [
        "README.md",
        "outils",
    ]


def test_a_file_a_later_version_adds_where_the_team_has_one_shows_as_a_conflict(tmp_path):
    """The stored list only knows the template's paths at adoption: a later release that adds a file
    the team already had is never silently written over; the update shows both versions in conflict."""

    def without_matomo_doc(template: Path) -> None:
        (template / "template" / "docs" / "matomo.md.jinja").unlink()

    versions = build_template_repo(tmp_path / "modele", [("v1.0.0", without_matomo_doc), ("v2.0.0", None)])
    project = tmp_path / "projet"
    before = team_repository(project, ["README.md", "docs/matomo.md", "app.py"])
    adopt(versions, project, "v1.0.0")
    assert stored_answers(project)["preexisting_paths"] == ["README.md"]
    commit_all(project, "Adoption du modèle")

    assert copier_update(project, "v2.0.0").returncode == 0
    team_doc = before["docs/matomo.md"].decode()
    merged = (project / "docs" / "matomo.md").read_text(encoding="utf-8")
    assert conflicts(project) == ["docs/matomo.md (marqueurs de conflit)"]
    assert team_doc in merged and "# Mesure d'audience avec Matomo" in merged


def test_prefixed_workflows_are_the_workflows_every_stack_gets(versions, tmp_path):
    """Same sources, same bytes: only the names change, so the checks of the workflows cover them."""
    adopted = tmp_path / "existant"
    team_repository(adopted, ["README.md"])
    adopt(versions, adopted, "v2.0.0", matomo_site_id="124")
    nocode = tmp_path / "nocode"
    data = [f"--data={key}={value}" for key, value in {**ANSWERS, "stack": "nocode", "matomo_site_id": "124"}.items()]
    assert copier_cli("copy", "--trust", "--defaults", "--quiet", "--vcs-ref=v2.0.0", *data, str(versions), str(nocode)).returncode == 0
    for name in ("garde-fous.yml", "suivi.yml", "mise-a-jour-modele.yml"):
        prefixed = adopted / ".github" / "workflows" / f"beta-gouv-{name}"
        assert prefixed.read_bytes() == (nocode / ".github" / "workflows" / name).read_bytes(), name
    assert sorted(path.name for path in (adopted / ".github" / "workflows").iterdir()) == sorted(Path(p).name for p in PREFIXED_WORKFLOWS)


def test_the_source_guard_of_an_adopted_repository_reads_its_prefixed_update_workflow(versions, tmp_path):
    """The « Source du modèle » job compares `_src_path` with SOURCE_ATTENDUE of the update workflow:
    in an adopted repository that workflow is beta-gouv-mise-a-jour-modele.yml, and a change of
    `_src_path` alone must still be refused, not waved through as « absent »."""
    project = tmp_path / "projet"
    team_repository(project, ["README.md"])
    adopt(versions, project, "v2.0.0")
    flow = yaml.safe_load((project / ".github" / "workflows" / "beta-gouv-garde-fous.yml").read_text(encoding="utf-8"))
    check = next(step for step in flow["jobs"]["source"]["steps"] if step.get("id") == "source")
    work = tmp_path / "run"
    (work / "yaml" / "bin").mkdir(parents=True)
    (work / "yaml" / "bin" / "python").symlink_to(sys.executable)

    def guard() -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check["run"]],
            cwd=project,
            env={"PATH": "/usr/bin:/bin", "RUNNER_TEMP": str(work)},
            capture_output=True,
            text=True,
        )

    fresh = guard()
    assert fresh.returncode == 0 and "Modèle : " in fresh.stdout, fresh.stdout + fresh.stderr
    answers = project / ".copier-answers.yml"
    answers.write_text(
        re.sub(
            r"^_src_path: .*$", "_src_path: https://example.org/autre-modele.git", answers.read_text(encoding="utf-8"), flags=re.MULTILINE
        ),
        encoding="utf-8",
    )
    moved = guard()
    assert moved.returncode == 1, moved.stdout + moved.stderr
    assert "beta-gouv-mise-a-jour-modele.yml" in moved.stdout


def fenced_block(text: str, heading: str, language: str) -> str:
    """The first ```language block after `heading` in a Markdown text."""
    section = text[text.index(heading) :]
    return re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)[1]


def test_the_adoption_section_gives_the_hooks_and_ignore_lines_the_team_needs_ready_to_add(versions, tmp_path):
    """What docs/modele.md asks a team to add to its own files: the two hooks that refuse what an update
    leaves behind, as the template writes them, in a form that goes under the team's `repos:`; and the
    lines that keep out of git what the tools make, none other."""
    project = tmp_path / "projet"
    team_repository(project, ["README.md", ".gitignore", ".pre-commit-config.yaml", "package.json"])
    adopt(versions, project, "v2.0.0")
    commit_all(project, "Modèle appliqué")
    guide = (project / "docs" / "modele.md").read_text(encoding="utf-8")

    hooks = fenced_block(guide, "### .pre-commit-config.yaml", "yaml")
    team_config = (
        "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n      - id: trailing-whitespace\n"
    )
    merged = yaml.safe_load(team_config + hooks)
    added = {hook["id"]: (repo["repo"], repo.get("rev"), hook) for repo in merged["repos"][1:] for hook in repo["hooks"]}
    template_config = yaml.safe_load((ROOT / "template" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    written = {hook["id"]: (repo["repo"], repo.get("rev"), hook) for repo in template_config["repos"] for hook in repo["hooks"]}
    assert set(added) == {"check-merge-conflict", "pas-de-fichier-rej"}
    assert all(added[name] == written[name] for name in added)
    assert "Template-owned" not in hooks and "deux premiers" not in guide

    ignored = fenced_block(guide, "### .gitignore", "gitignore")
    (project / ".gitignore").write_text(ignored, encoding="utf-8")
    # As on a team member's machine: Python writes its cache next to the tools.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    assert (
        subprocess.run([sys.executable, "outils/liens.py", "verifier"], cwd=project, env=environment, capture_output=True).returncode == 0
    )
    made = [path.relative_to(project).as_posix() for path in (project / "outils" / "__pycache__").iterdir()]
    for path in (".venv/bin/python", "qr/affiche.svg"):
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text("", encoding="utf-8")
        made.append(path)
    assert made and not [line for line in status(project) if not line.endswith(".gitignore")], status(project)
    for line in (line for line in ignored.splitlines() if line and not line.startswith("#")):
        (project / ".gitignore").write_text(line + "\n", encoding="utf-8")
        checked = git("check-ignore", *made, cwd=project, check=False).stdout
        assert checked.strip(), f"{line}: no file the tools make needs it"


def test_a_team_that_kept_its_readme_is_sent_to_construction_md_and_not_promised_its_own_hooks(versions, tmp_path):
    """The naming guide, the contact and the team's notes are in CONSTRUCTION.md when the README stayed
    the team's: no checklist item, kit or comment sends the team to a README the template never wrote.
    And its own pre-commit hooks refuse conflict markers only if it added the template's."""
    project = tmp_path / "projet"
    team_repository(project, ["README.md", ".pre-commit-config.yaml"])
    adopt(versions, project, "v2.0.0")
    readers = [project / "CHECKLIST.md", project / ".github" / "dependabot.yml", *sorted((project / "docs" / "kit").glob("*.md"))]
    for path in readers:
        text = path.read_text(encoding="utf-8")
        assert "README" not in text, f"{path.relative_to(project)}: {re.search(r'.{0,60}README.{0,30}', text)[0]}"
    assert "guide de nommage de CONSTRUCTION.md" in (project / "CHECKLIST.md").read_text(encoding="utf-8")
    guide = (project / "docs" / "modele.md").read_text(encoding="utf-8")
    assert "le README ne renvoie plus" not in guide
    assert "Les hooks pre-commit (`pre-commit install`) et le workflow « Garde-fous » refusent" not in guide


@pytest.mark.parametrize("own_dependabot", [False, True])
def test_the_dependabot_section_says_what_the_adopted_repository_gets(versions, tmp_path, own_dependabot):
    """The template's dependabot.yml follows the actions and the root's Python packages, not the team's
    code; and a team's own dependabot.yml, kept, is not described as the template's."""
    project = tmp_path / "projet"
    team_repository(project, ["README.md", "package.json", *([".github/dependabot.yml"] if own_dependabot else [])])
    adopt(versions, project, "v2.0.0")
    guide = (project / "CONSTRUCTION.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Dépendances : Dependabot") : guide.index("## Fichiers et propriétaires")]
    if own_dependabot:
        assert "Chaque lundi, Dependabot propose" not in section and "Les actions GitHub arrivent toutes" not in section
        assert "il reste le vôtre" in section and "`pip` à la racine" in section
    else:
        assert "les dépendances de votre code n'y sont pas" in section


@pytest.mark.parametrize(("kept", "to_carry_over"), [(["README.md"], None), (["README.md", ".gitignore"], ".gitignore")])
def test_the_message_after_adoption_asks_to_carry_over_only_what_the_team_kept(versions, tmp_path, kept, to_carry_over):
    """docs/modele.md gives hooks or ignore lines to copy only for the files the team kept: the message
    sends there only then, and names those files."""
    project = tmp_path / "projet"
    team_repository(project, kept)
    message = adopt(versions, project, "v2.0.0").stderr
    line = next((line for line in message.splitlines() if line.startswith("Ce qu'il reste à reporter")), None)
    if to_carry_over is None:
        assert line is None, line
    else:
        assert line is not None and f"({to_carry_over})" in line, message
