"""A stack is its folder and its description: a stack added with nothing else works everywhere.

The template (its tracked and new files) is copied to a temporary folder, and a minimal stack that
exists nowhere else is added to it — `tests/fixtures/pile-ajoutee/pile/` as
`template/{{ for_stack('flask') }}/` and `tests/fixtures/pile-ajoutee/flask.yml` as `piles/flask.yml` —
with no other edit. Then the `stack` question offers it, a repository is generated for each of its
hosts, the README and docs/matomo.md speak of it, the text-truth rules of test_textes.py and the
workflow checks of test_workflows.py hold on what it generates, and an update from a previous version
loses none of a team's edits. A description that misses a text slot the shared templates read is refused
with the slot's name.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import test_textes as textes
import test_update as updates
import test_workflows as workflow_checks
import yaml
from copier import run_copy
from update_contract import choice_entries, load_settings
from update_helpers import (
    CHECKLIST,
    TeamEdits,
    build_template_repo,
    commit_all,
    conflicts,
    copier_copy,
    older_playbook,
    parse_checklist,
    write_snapshot,
)

from conftest import EXAMPLE_ANSWERS, PILES, ROOT, app_stacks, load_extension

FIXTURE = ROOT / "tests" / "fixtures" / "pile-ajoutee"
STACK = "flask"
DESCRIPTION = yaml.safe_load((FIXTURE / f"{STACK}.yml").read_text(encoding="utf-8"))
# A text slot read by a shared template: `texts.<slot>` (or `texts["<slot>"]`) of a description.
SLOT = re.compile(r"""\btexts(?:\.(\w+)|\[["'](\w+)["']\])""")
# The stack folders are each stack's own: the shared templates are everything else of template/ and includes/.
STACK_FOLDER = re.compile(r"\{\{ for_stack\(")


def shared_template_files(root: Path = ROOT) -> list[Path]:
    files = [path for folder in ("template", "includes") for path in sorted((root / folder).rglob("*")) if path.is_file()]
    return [path for path in files if not STACK_FOLDER.search(str(path.relative_to(root)))]


def slots_read_by(paths: list[Path]) -> set[str]:
    """The text slots these files read from a stack's description."""
    slots = set()
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        slots |= {dotted or quoted for dotted, quoted in SLOT.findall(text)}
    return slots


def shared_slots(root: Path = ROOT) -> set[str]:
    return slots_read_by(shared_template_files(root))


def add_fixture_stack(template: Path, description: dict | None = None) -> None:
    """The only edit a new stack makes: its folder and its description."""
    shutil.copytree(FIXTURE / "pile", template / "template" / f"{{{{ for_stack('{STACK}') }}}}")
    target = template / "piles" / f"{STACK}.yml"
    if description is None:
        shutil.copy2(FIXTURE / f"{STACK}.yml", target)
    else:
        target.write_text(yaml.safe_dump(description, allow_unicode=True, sort_keys=False), encoding="utf-8")


def descriptions_of(template: Path) -> dict[str, dict]:
    return load_extension("piles").load_stacks(template / "piles", template / "hebergeurs")


def generate(template: Path, destination: Path, **answers) -> Path:
    run_copy(
        src_path=str(template),
        dst_path=str(destination),
        data={**EXAMPLE_ANSWERS, "stack": STACK, **answers},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    return destination


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Today's template in a plain folder, with the fixture stack added."""
    folder = tmp_path_factory.mktemp("modele-pile-ajoutee")
    write_snapshot(folder)
    add_fixture_stack(folder)
    return folder


@pytest.fixture(scope="module")
def projects(template, tmp_path_factory) -> dict[str, Path]:
    """One repository per host of the fixture stack, with Matomo on (generated once for the module)."""
    folder = tmp_path_factory.mktemp("depots-pile-ajoutee")
    return {host: generate(template, folder / host, hosting=host, matomo_site_id="12") for host in DESCRIPTION["hosts"]}


# --------------------------------------------------------------------------- the description


def app_stack_slots() -> set[str]:
    """The text slots every app stack of the template gives, all read by the shared templates."""
    return set.intersection(*(set(PILES[stack]["texts"]) for stack in app_stacks()))


def test_the_fixture_description_fills_every_text_slot_the_shared_templates_read():
    assert app_stack_slots() and app_stack_slots() <= shared_slots()
    missing = sorted(app_stack_slots() - set(DESCRIPTION["texts"]))
    assert not missing, f"tests/fixtures/pile-ajoutee/{STACK}.yml : il manque les textes {', '.join(missing)}"


def test_the_slot_scan_finds_a_slot_and_only_in_shared_templates(tmp_path):
    """The scan that lists the slots reads `texts.<slot>` and `texts["<slot>"]` outside the stack folders."""
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "a.md").write_text('{{ piles[stack].texts.run_section | render_text }} {{ d.texts["measure"] }}')
    stack_folder = tmp_path / "template" / "{{ for_stack('x') }}"
    stack_folder.mkdir(parents=True)
    (stack_folder / "b.md").write_text("{{ piles[stack].texts.own_only }}")
    assert shared_slots(tmp_path) == {"run_section", "measure"}


@pytest.mark.parametrize("slot", sorted(app_stack_slots()))
def test_a_description_missing_a_text_slot_is_refused_with_the_slots_name(slot, tmp_path):
    template = tmp_path / "modele"
    write_snapshot(template)
    add_fixture_stack(template, {**DESCRIPTION, "texts": {key: value for key, value in DESCRIPTION["texts"].items() if key != slot}})
    with pytest.raises(Exception) as refused:
        generate(template, tmp_path / "service", hosting=DESCRIPTION["hosts"][0])
    assert slot in str(refused.value)


# --------------------------------------------------------------------------- the question and the generation


def test_the_stack_question_offers_it_with_its_hosts(template):
    settings = load_settings(template)
    assert (STACK, True) in choice_entries(settings["stack"])
    offered = {value for value, selectable in choice_entries(settings["hosting"]) if selectable}
    assert set(DESCRIPTION["hosts"]) <= offered
    assert descriptions_of(template)[STACK]["hosts"] == DESCRIPTION["hosts"]


@pytest.mark.parametrize("host", DESCRIPTION["hosts"])
def test_a_repository_is_generated_for_each_of_its_hosts(projects, host):
    project = projects[host]
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert (answers["stack"], answers["hosting"]) == (STACK, host)
    checks = DESCRIPTION["tests"]
    page_texts = project / DESCRIPTION["page_texts"]
    for relative in (*checks["app_files"], *checks["deploy_files"][host], checks["footer"], checks["facts_file"]):
        assert (project / relative).is_file(), relative
    for page in (checks["legal_page"], checks["privacy_page"], checks["terms_page"]):
        assert (page_texts / page).is_file(), page
    others = {path for other, paths in checks["deploy_files"].items() if other != host for path in paths}
    for relative in others - set(checks["deploy_files"][host]):
        assert not (project / relative).exists(), f"{relative} (d'un autre hébergeur)"
    # The page texts come from includes/pages/, rendered with the answers.
    assert EXAMPLE_ANSWERS["incubator"] in (page_texts / checks["legal_page"]).read_text(encoding="utf-8")


def slot_first_lines(slots: set[str]) -> dict[str, str]:
    """The first line of each of the fixture's slot texts, when it holds no Jinja (it reads the same once rendered)."""
    lines = {}
    for slot in sorted(slots & set(DESCRIPTION["texts"])):
        first = (DESCRIPTION["texts"][slot].strip().splitlines() or ["{vide}"])[0]
        if "{" not in first:
            lines[slot] = first
    return lines


def test_the_readme_names_it_and_gives_its_section(projects):
    readme = (projects[DESCRIPTION["hosts"][0]] / "README.md").read_text(encoding="utf-8")
    assert DESCRIPTION["summary"] in readme
    readme_templates = [ROOT / "template" / "README.md.jinja", *sorted((ROOT / "includes" / "readme").glob("*"))]
    slots = slots_read_by(readme_templates)
    assert slot_first_lines(slots), "le README lit la section de la pile dans sa description"
    for slot, line in slot_first_lines(slots).items():
        assert line in readme, slot


def test_docs_matomo_has_its_own_measure_section(projects):
    matomo = (projects[DESCRIPTION["hosts"][0]] / "docs" / "matomo.md").read_text(encoding="utf-8")
    slots = slots_read_by([ROOT / "template" / "docs" / "matomo.md.jinja"])
    assert slot_first_lines(slots), "docs/matomo.md lit la section de mesure de la pile dans sa description"
    for slot, line in slot_first_lines(slots).items():
        assert line in matomo, slot


# --------------------------------------------------------------------------- the shared checks, on its repositories

ANSWER_SETS = textes.answer_sets({STACK: DESCRIPTION}, [STACK])


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_the_text_rules_hold_for_it(name, template, tmp_path):
    """test_textes.py's matrix for the added stack (each host × Matomo × roles), held to its rules
    stated over the descriptions; the stack has no rules module of its own."""
    piles = descriptions_of(template)
    assert textes.stack_rules(piles)[STACK] == []
    answers = ANSWER_SETS[name]
    project = textes.generate(template, tmp_path / name, answers)
    problems = textes.violations(project, answers, textes.rules_for(piles))
    assert not problems, f"{name} :\n- " + "\n- ".join(problems)


def test_the_text_rules_can_fail_on_it(template, projects):
    """The rules stated over its description read its files: here, its footer."""
    piles = descriptions_of(template)
    project = projects[DESCRIPTION["hosts"][0]]
    answers = textes.stored_answers(project)
    rules = textes.rules_for(piles)
    assert textes.violations(project, answers, rules) == []
    footer = project / DESCRIPTION["tests"]["footer"]
    original = footer.read_text(encoding="utf-8")
    footer.write_text(original.replace("accompagnée par", "Incubateur : "), encoding="utf-8")
    found = textes.violations(project, answers, rules)
    footer.write_text(original, encoding="utf-8")
    assert any("accompagnée par" in problem for problem in found), found


@pytest.fixture(scope="module")
def workflow_files(projects) -> tuple[str, list[Path]]:
    files = sorted((projects[DESCRIPTION["hosts"][0]] / ".github" / "workflows").glob("*.yml"))
    assert files
    return STACK, files


def test_the_workflow_checks_hold_for_it(workflow_files, projects, tmp_path):
    _, files = workflow_files
    assert {path.name for path in files} >= workflow_checks.expected_workflows(DESCRIPTION)
    workflow_checks.test_workflows_match_the_github_schema(workflow_files)
    workflow_checks.test_workflows_pass_zizmor(workflow_files)
    workflow_checks.test_actions_are_pinned_to_commits(workflow_files)
    workflow_checks.test_shell_steps_parse_and_pass_shellcheck(workflow_files, tmp_path)
    workflow_checks.test_no_pipeline_ends_in_a_reader_that_stops_early(workflow_files)
    workflow_checks.test_dependabot_covers_the_stacks_manifests_in_a_few_weekly_pull_requests(projects[DESCRIPTION["hosts"][0]])


# --------------------------------------------------------------------------- the update


def test_an_update_from_a_previous_version_to_today_loses_nothing(tmp_path):
    """v1.0.0 (an older playbook) and v2.0.0 (today), both with the added stack; a team ticks,
    annotates, adds its own item, rewrites a page text, adds a line of code and a doc of its own."""

    def previous(template: Path) -> None:
        older_playbook(dropped=2)(template)
        add_fixture_stack(template)

    template = build_template_repo(tmp_path / "modele", [("v1.0.0", previous), ("v2.0.0", add_fixture_stack)])
    answers = {**EXAMPLE_ANSWERS, "stack": STACK, "hosting": DESCRIPTION["hosts"][0]}
    project = tmp_path / "service"
    copied = copier_copy(template, project, "v1.0.0", answers)
    assert copied.returncode == 0, copied.stderr[-3000:]
    commit_all(project, "Création depuis le modèle")

    state = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    ticks = [ids[-1] for ids in state.sections.values() if ids]
    edits = TeamEdits(ticks=ticks, notes={ticks[0]: updates.team_notes(ticks[0])}, own_items=["- [ ] Notre propre item"])
    updates.edit_checklist(project, edits)
    team_edits = DESCRIPTION["tests"]["team_edits"]
    assert any(relative.startswith(DESCRIPTION["page_texts"] + "/") for relative in team_edits), "a page text is among the edits"
    for relative, text in team_edits.items():
        path = project / relative
        if relative.startswith(DESCRIPTION["page_texts"] + "/"):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    edited = {relative: (project / relative).read_text(encoding="utf-8") for relative in team_edits}
    (project / "docs" / "notre-compte-rendu.md").write_text("# Atelier du 3 mars\n", encoding="utf-8")
    commit_all(project, "Nos coches, nos notes, nos pages")

    updates.update(project, "v2.0.0")

    assert conflicts(project) == []
    after = parse_checklist((project / CHECKLIST).read_text(encoding="utf-8"))
    assert after.ticked == set(ticks)
    assert after.notes[ticks[0]] == updates.team_notes(ticks[0])
    assert "- [ ] Notre propre item" in after.own_section
    assert len(after.ids) > len(state.ids), "the items of v2.0.0 are in"
    for relative, text in edited.items():
        assert (project / relative).read_text(encoding="utf-8") == text, relative
    assert (project / "docs" / "notre-compte-rendu.md").read_text(encoding="utf-8") == "# Atelier du 3 mars\n"
    fresh = tmp_path / "neuf"
    assert copier_copy(template, fresh, "v2.0.0", answers).returncode == 0
    assert sorted(updates.project_files(project)) == sorted([*updates.project_files(fresh), "docs/notre-compte-rendu.md"])
