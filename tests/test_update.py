"""`copier update` between real template versions keeps everything a team wrote.

Each test builds template versions in a temporary git repository (today's template, and a
previous release whose playbook lacks the last items of some sections), copies the old version
as a team would, commits, edits like a team, commits, updates with the command the scheduled
workflow runs, and then checks the result itself: Copier's exit code does not report conflicts.
"""

from __future__ import annotations

import os
import stat
import subprocess
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
    conflicts,
    copier_update,
    flat_layout,
    git,
    item_ids,
    older_playbook,
    parse_checklist,
    read_checklist_data,
    write_snapshot,
    yaml_value,
)
from update_histories import EXAMPLE_ANSWERS, ROLES

from conftest import PILES

SETTINGS = load_settings()
ANSWERS_FILE = ".copier-answers.yml"


def available_stacks() -> list[str]:
    """Stack values a team can choose today (a choice with a plain-text validator is disabled)."""
    return [value for value, selectable in choice_entries(SETTINGS["stack"]) if selectable]


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """v1.0.0: a previous release (its playbook lacks the last items of three sections); v2.0.0: today."""
    template = build_template_repo(tmp_path_factory.mktemp("modele"), [("v1.0.0", older_playbook(dropped=2)), ("v2.0.0", None)])
    v1 = read_checklist_data_at(template, "v1.0.0")
    return template, v1, read_checklist_data(ROOT)


def read_checklist_data_at(template: Path, tag: str) -> dict:
    return yaml.safe_load(git("show", f"{tag}:playbook/checklist.yml", cwd=template).stdout)


def grown_sections(v1: dict, v2: dict) -> list[tuple[dict, list[str]]]:
    """Sections of v1 that v2 appends to, with the ids v2 adds."""
    after = {section["id"]: [item["id"] for item in section["items"]] for section in v2["sections"]}
    return [
        (section, after[section["id"]][len(section["items"]) :])
        for section in v1["sections"]
        if len(after[section["id"]]) > len(section["items"])
    ]


def copy_version(copie, template: Path, tag: str, **answers) -> Path:
    result = copie.copy(extra_answers={**EXAMPLE_ANSWERS, **answers}, template_dir=template, vcs_ref=tag)
    assert result.exit_code == 0, result.exception
    commit_all(result.project_dir, "Création depuis le modèle")
    return result.project_dir


def edit_checklist(project: Path, edits: TeamEdits) -> None:
    path = project / CHECKLIST
    path.write_text(edits.apply(path.read_text(encoding="utf-8")), encoding="utf-8")


def update(project: Path, tag: str, **data) -> None:
    result = copier_update(project, tag, {key: yaml_value(value) for key, value in data.items()})
    assert result.returncode == 0, result.stderr
    assert conflicts(project) == [], "Copier left conflicts (its exit code does not say so)"
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert answers["_commit"] == tag


def project_files(project: Path) -> dict[str, tuple[bytes, bool]]:
    """Every file but .git: content, and whether it is executable."""
    return {
        str(path.relative_to(project)): (path.read_bytes(), bool(path.stat().st_mode & stat.S_IXUSR))
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def team_notes(label: str) -> list[str]:
    return [
        f"  Fait le 12 février avec la coach ({label}).",
        "  - compte rendu : https://pad.numerique.gouv.fr/exemple",
        "",
        "  - reste à faire : « relancer la DSI » ; **urgent**",
    ]


def test_update_keeps_ticks_notes_own_items_and_code(copie, versions, tmp_path):
    template, v1, v2 = versions
    project = copy_version(copie, template, "v1.0.0")
    grown = grown_sections(v1, v2)
    assert grown, "the previous release must lack items for this test to mean anything"

    ticks, notes = [], {}
    for section, _ in grown:
        ids = [item["id"] for item in section["items"]]
        first, middle, last = ids[0], ids[len(ids) // 2], ids[-1]
        ticks += sorted({first, middle, last}, key=ids.index)
        notes[first] = team_notes(first)
        notes[last] = team_notes(last)  # notes on the last item, right where v2 appends
    untouched_section = next(s for s in v1["sections"] if s["id"] not in {g["id"] for g, _ in grown})
    notes[untouched_section["items"][0]["id"]] = ["  Une seule ligne de note."]
    own = ["- [x] Réserver la salle pour l'atelier d'immersion", "- [ ] Demander le nom de domaine en .fr"]
    edits = TeamEdits(ticks=ticks, notes=notes, own_items=own)
    edit_checklist(project, edits)
    (project / "notre-code").mkdir()
    (project / "notre-code" / "calcul.py").write_text("def aide(revenu):\n    return revenu * 0.1\n")
    commit_all(project, "Nos coches, nos notes, notre code")

    update(project, "v2.0.0")

    text = (project / CHECKLIST).read_text(encoding="utf-8")
    state = parse_checklist(text)
    assert state.ticked == set(ticks)
    for item_id, lines in notes.items():
        assert state.notes[item_id] == lines
    assert state.ids == item_ids(v2), "every item of v2 is present, in the playbook's order"
    for _, added in grown:
        assert [i for i in state.ids if i in added] == added
    for line in own:
        assert line in state.own_section
    assert (project / "notre-code" / "calcul.py").read_text() == "def aide(revenu):\n    return revenu * 0.1\n"

    # Byte for byte: a fresh copy of v2 with the same edits.
    fresh = copy_version(copie, template, "v2.0.0")
    assert text == edits.apply((fresh / CHECKLIST).read_text(encoding="utf-8"))


def test_update_with_roles_changed_keeps_ticks_and_notes_and_moves_owners(copie, versions):
    template, v1, v2 = versions
    project = copy_version(copie, template, "v1.0.0", roles=ROLES)
    # Items owned by roles that the team will drop: their « Responsables » line changes.
    leaving = {"coach", "design", "deploiement"}
    moving = [item["id"] for section in v1["sections"] for item in section["items"] if set(item["owners"]) <= leaving]
    assert moving
    edits = TeamEdits(ticks=moving, notes={item_id: team_notes(item_id) for item_id in moving[:6]})
    edit_checklist(project, edits)
    commit_all(project, "Nos coches et nos notes")

    update(project, "v2.0.0", roles=["intra", "dev"])

    text = (project / CHECKLIST).read_text(encoding="utf-8")
    state = parse_checklist(text)
    assert state.ticked == set(moving)
    for item_id, lines in edits.notes.items():
        assert state.notes[item_id] == lines
    assert state.ids == item_ids(v2)
    blocks = text.split("\n- [")
    for item_id in moving:
        block = next(b for b in blocks if b.startswith(f"x] **{item_id}**"))
        assert "Responsables : Intrapreneur·e ·" in block, f"{item_id} falls to the intrapreneur"
    kits = project / "docs" / "kit"
    if kits.is_dir():
        assert sorted(p.stem for p in kits.glob("*.md")) == ["dev", "intra"]
    fresh = copy_version(copie, template, "v2.0.0", roles=["intra", "dev"])
    assert text == edits.apply((fresh / CHECKLIST).read_text(encoding="utf-8"))


def test_update_keeps_a_team_edit_to_a_template_doc_and_a_deleted_kit(copie, versions):
    template, _, _ = versions
    project = copy_version(copie, template, "v1.0.0", roles=ROLES)
    kits = project / "docs" / "kit"
    if not kits.is_dir():
        pytest.skip("no role kits in this version of the template")
    edited, deleted = kits / "dev.md", kits / "design.md"
    team_lines = ["\n", "Chez nous : revue de code à deux, toujours.\n"]

    def with_team_lines(text: str) -> str:
        lines = text.splitlines(keepends=True)
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("**Objectif")), 1)
        return "".join(lines[:at] + team_lines + lines[at:])

    before = edited.read_text(encoding="utf-8")
    edited.write_text(with_team_lines(before), encoding="utf-8")
    deleted_text = deleted.read_text(encoding="utf-8")
    deleted.unlink()
    commit_all(project, "Notre kit dev, sans le kit design")

    update(project, "v2.0.0")

    assert not deleted.exists(), "a file the team deleted stays deleted"
    fresh = copy_version(copie, template, "v2.0.0", roles=ROLES)
    assert (fresh / "docs" / "kit" / "design.md").read_text(encoding="utf-8") != deleted_text, (
        "v2 changes the deleted kit too: Copier had a reason to bring it back, and did not"
    )
    renewed = (fresh / "docs" / "kit" / "dev.md").read_text(encoding="utf-8")
    assert renewed != before, "v2 changes the dev kit (new items), so the update really merges"
    expected = with_team_lines(renewed)
    assert edited.read_text(encoding="utf-8") == expected, "the team's lines are kept, v2's changes are in"


@pytest.mark.parametrize("stack", available_stacks())
def test_update_of_an_untouched_project_equals_a_fresh_copy(copie, versions, stack):
    template, _, _ = versions
    project = copy_version(copie, template, "v1.0.0", stack=stack)
    update(project, "v2.0.0")
    fresh = copy_version(copie, template, "v2.0.0", stack=stack)

    def comparable(files):
        return {
            path: (b"\n".join(line for line in content.split(b"\n") if not line.startswith(b"_commit:")), executable)
            if path == ANSWERS_FILE
            else (content, executable)
            for path, (content, executable) in files.items()
        }

    updated, expected = comparable(project_files(project)), comparable(project_files(fresh))
    assert sorted(updated) == sorted(expected)
    different = [path for path in expected if updated[path] != expected[path]]
    assert different == []


@pytest.fixture(scope="module")
def layout_versions(tmp_path_factory):
    """v1.0.0: the flat layout the template had before stack folders, with an older playbook; v2.0.0: today."""

    def before_stack_folders(template: Path) -> None:
        older_playbook(dropped=2)(template)
        flat_layout(template)

    return build_template_repo(tmp_path_factory.mktemp("modele-plat"), [("v1.0.0", before_stack_folders), ("v2.0.0", None)])


# A team's own lines in the app (its description's tests.team_edits): a page text rewritten whole, a line of
# code in a file the template owns too; for the stacks that existed before the stack folders.
APP_EDITS = {
    name: description["tests"]["team_edits"] for name, description in PILES.items() if description["tests"]["before_stack_folders"]
}


@pytest.mark.parametrize("stack", APP_EDITS)
def test_update_across_the_move_to_stack_folders_keeps_every_team_edit(copie, layout_versions, stack):
    template = layout_versions
    project = copy_version(copie, template, "v1.0.0", stack=stack)
    state = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    ticks = [ids[-1] for ids in state.sections.values() if ids]
    edits = TeamEdits(ticks=ticks, notes={ticks[0]: team_notes(ticks[0])}, own_items=["- [ ] Notre propre item"])
    edit_checklist(project, edits)
    for relative, text in APP_EDITS[stack].items():
        path = project / relative
        if relative.endswith((".py", ".mjs", ".ts")):
            path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
        else:
            path.write_text(text, encoding="utf-8")
    (project / "docs" / "notre-compte-rendu.md").write_text("# Atelier du 3 mars\n", encoding="utf-8")
    edited = {relative: (project / relative).read_text(encoding="utf-8") for relative in APP_EDITS[stack]}
    commit_all(project, "Nos coches, nos notes, nos pages")

    update(project, "v2.0.0")

    after = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    assert after.ticked == set(ticks)
    assert after.notes[ticks[0]] == team_notes(ticks[0])
    assert "- [ ] Notre propre item" in after.own_section
    assert after.ids == item_ids(read_checklist_data(ROOT)), "the items of v2 are in"
    for relative, text in edited.items():
        assert (project / relative).read_text(encoding="utf-8") == text, relative
    assert (project / "docs" / "notre-compte-rendu.md").read_text(encoding="utf-8") == "# Atelier du 3 mars\n"
    # Every file of a fresh copy of v2 is there, and nothing else but the team's own file.
    fresh = copy_version(copie, template, "v2.0.0", stack=stack)
    assert sorted(project_files(project)) == sorted([*project_files(fresh), "docs/notre-compte-rendu.md"])


def latest_release(root: Path) -> str | None:
    tags = git("tag", "--list", "v*", "--sort=-version:refname", cwd=root).stdout.split()
    return tags[0] if tags else None


def test_update_from_the_latest_release_to_today(copie, tmp_path):
    """The real thing: a project copied from the latest release of this repository (or from the
    commit named by MODELE_DEPUIS, e.g. MODELE_DEPUIS=HEAD~3), ticked and annotated everywhere,
    updated to today's template (uncommitted work included)."""
    since = os.environ.get("MODELE_DEPUIS") or latest_release(ROOT)
    if since is None:
        pytest.skip("no release yet (no vX.Y.Z tag): nothing to update from")
    clone = tmp_path / "modele"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    old_commit = git("rev-parse", since, cwd=ROOT).stdout.strip()
    write_snapshot(clone)
    commit_all(clone, "Aujourd'hui")
    project = copy_version(copie, clone, old_commit)

    state = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    ticks, notes = [], {}
    for ids in state.sections.values():
        if ids:
            ticks += sorted({ids[0], ids[len(ids) // 2], ids[-1]}, key=ids.index)
            notes[ids[-1]] = team_notes(ids[-1])
            notes[ids[0]] = team_notes(ids[0])
    edits = TeamEdits(ticks=ticks, notes=notes, own_items=["- [ ] Notre propre item"])
    edit_checklist(project, edits)
    commit_all(project, "Nos coches et nos notes")

    result = copier_update(project, "HEAD")
    assert result.returncode == 0, result.stderr
    assert conflicts(project) == []
    after = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    assert after.ticked == set(ticks)
    for item_id, lines in notes.items():
        assert after.notes[item_id] == lines
    assert after.ids == item_ids(read_checklist_data(ROOT))
    assert "- [ ] Notre propre item" in after.own_section
