"""What a generated repository holds, for several answer sets (design §4)."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_ANSWERS, PILES, ROOT, app_stacks, load_extension, stacks_without_app

# The stacks the examples take, by their descriptions: the first and last with an application, the first without.
FIRST_APP, LAST_APP, NO_APP = app_stacks()[0], app_stacks()[-1], stacks_without_app()[0]

dates = load_extension("dates")
naming = load_extension("naming")

ITEM_LINE = re.compile(r"^- \[( |x|X)\] \*\*([A-Z][0-9]{2})\*\* (.+)$", re.MULTILINE)
META_LINE = re.compile(
    r"^  Responsables : (.+) · Échéance : (\S+|au fil de la phase) · (.+) · \[Source\]\((https://[^)\s]+)\)$", re.MULTILINE
)
ANSWER_NAMES = [
    "service_name",
    "service_slug",
    "service_description",
    "incubator",
    "administration",
    "roles",
    "construction_start",
    "contact_email",
    "stack",
    "hosting",
    "matomo_url",
    "matomo_site_id",
    "license",
    "repository_url",
]


def text_files(project: Path):
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue


def leftover_jinja(path: Path, text: str) -> list[str]:
    """Copier expressions left unrendered. App templates and workflows have their own `{{ }}` syntax."""
    if "templates" in path.parts or path.suffix in {".html"}:
        return re.findall(r"\{\{\s*(?:" + "|".join(ANSWER_NAMES) + r")\b", text)
    text = text.replace("${{", "")
    return re.findall(r"\{\{|\{%|\{#", text)


def playbook_items(playbook):
    return [(section, item) for section in playbook["checklist"]["sections"] for item in section["items"]]


ANSWER_SETS = {
    "exemple": {},
    "apostrophes-et-guillemets": {"service_name": "Le \"Guichet\" d'Aide à l'Île", "roles": ["dev"]},
    "un-seul-role-coach": {"roles": ["coach"], "license": "EUPL-1.2", "construction_start": "2026-08-31"},
    "matomo-actif": {"matomo_site_id": "124", "license": "Apache-2.0", "roles": ["intra", "deploiement"]},
    "agpl-fin-de-mois": {"license": "AGPL-3.0-or-later", "construction_start": "2028-01-31"},
}


@pytest.fixture(params=ANSWER_SETS, scope="module")
def project(request, copie_session):
    answers = {**EXAMPLE_ANSWERS, **ANSWER_SETS[request.param]}
    result = copie_session.copy(extra_answers=answers)
    assert result.exit_code == 0, result.exception
    return result.project_dir, answers


def test_no_leftover_jinja(project):
    project_dir, _ = project
    leftovers = {str(p.relative_to(project_dir)): found for p, text in text_files(project_dir) if (found := leftover_jinja(p, text))}
    assert leftovers == {}
    assert not list(project_dir.rglob("*.jinja"))


def test_answers_file_records_every_answer(project):
    project_dir, answers = project
    recorded = yaml.safe_load((project_dir / ".copier-answers.yml").read_text(encoding="utf-8"))
    for name in ["service_name", "service_slug", "roles", "construction_start", "stack", "license", "contact_email"]:
        assert recorded[name] == answers.get(name, recorded[name]), name
    assert recorded["construction_start"] == answers["construction_start"]


def test_checklist_has_every_item_once_with_owner_due_date_and_source(project, playbook):
    project_dir, answers = project
    checklist = (project_dir / "CHECKLIST.md").read_text(encoding="utf-8")
    ticks = {item_id: text for _, item_id, text in ITEM_LINE.findall(checklist)}
    metas = META_LINE.findall(checklist)
    expected = playbook_items(playbook)
    assert len(ITEM_LINE.findall(checklist)) == len(expected) == len(metas)
    labels = {role["id"]: role["label"] for role in playbook["roles"]["roles"]}
    for (_, item), (owners, due, _kind, source) in zip(expected, metas, strict=True):
        assert ticks[item["id"]] == item["text"]
        assert checklist.count(f"**{item['id']}**") == 1
        assert checklist.count(f"<!-- notes {item['id']} -->") == 1 and checklist.count(f"<!-- /{item['id']} -->") == 1
        owner_ids = [r for r in item["owners"] if r in answers["roles"]] or ["intra"]
        assert owners == ", ".join(labels[r] for r in owner_ids), item["id"]
        assert due == (dates.due_date(item.get("due"), answers["construction_start"]) or "au fil de la phase")
        assert source == item["source"]


def test_checklist_sections_in_phase_order_and_team_section_last(project, playbook):
    project_dir, _ = project
    checklist = (project_dir / "CHECKLIST.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", checklist, re.MULTILINE)
    assert headings == [s["title"] for s in playbook["checklist"]["sections"]] + ["Nos items"]


def test_checklist_layout_keeps_team_lines_apart_from_changing_lines(project):
    """Design §5.4: tick line, blank, owner line, unchanging notes markers, blank line between items."""
    project_dir, _ = project
    lines = (project_dir / "CHECKLIST.md").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if ITEM_LINE.match(line):
            item_id = ITEM_LINE.match(line).group(2)
            assert lines[index + 1] == ""
            assert lines[index + 2].startswith("  Responsables : ")
            assert lines[index + 3] == f"  <!-- notes {item_id} -->"
            assert lines[index + 4] == f"  <!-- /{item_id} -->"
            assert lines[index + 5] == ""
    assert "\n\n\n" not in "\n".join(lines)


def test_kits_exist_exactly_for_the_roles(project, playbook):
    project_dir, answers = project
    kits = sorted(p.stem for p in (project_dir / "docs" / "kit").glob("*.md"))
    assert kits == sorted(answers["roles"])
    for role in answers["roles"]:
        kit = (project_dir / "docs" / "kit" / f"{role}.md").read_text(encoding="utf-8")
        assert playbook["kits"][role]["objective"] in kit
        owned = [item["id"] for _, item in playbook_items(playbook) if role in item["owners"]]
        for item_id in owned:
            assert f"**{item_id}**" in kit


def test_readme_naming_guide_and_timeline(project):
    project_dir, answers = project
    readme = (project_dir / "README.md").read_text(encoding="utf-8")
    name = answers["service_name"].strip()
    slug = naming.slugify(name)
    assert readme.startswith(f"# {name}\n")
    assert f"`{slug}.beta.gouv.fr`" in readme
    assert naming.naming_links(name, slug)["inpi"] in readme
    for warning in naming.naming_warnings(name, slug):
        assert warning in readme
    assert "```mermaid\ngantt" in readme
    assert f"Comité d'investissement (C05) : milestone, c05, {dates.due_date({'months': 6}, answers['construction_start'])}, 0d" in readme
    assert "## Notes de l'équipe" in readme
    assert "\n\n\n" not in readme


def test_markdown_links_are_well_formed(project):
    project_dir, _ = project
    for path, text in text_files(project_dir):
        if path.suffix != ".md":
            continue
        for target in re.findall(r"\]\(([^)]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text):
            if target.startswith("http"):
                assert re.fullmatch(r"https://[A-Za-z0-9.-]+\.[a-z]{2,}(/[^\s]*)?", target), (path.name, target)
            else:
                assert (path.parent / target.split("#")[0]).exists(), (path.name, target)


def test_license_matches_the_answer(project):
    project_dir, answers = project
    license_text = (project_dir / "LICENSE").read_text(encoding="utf-8")
    marker = {
        "MIT": "MIT License",
        "Apache-2.0": "Apache License",
        "EUPL-1.2": "EUROPEAN UNION PUBLIC LICENCE v. 1.2",
        "AGPL-3.0-or-later": "GNU AFFERO GENERAL PUBLIC LICENSE",
    }[answers["license"]]
    assert license_text.startswith(marker)
    if answers["license"] == "MIT":
        assert f"Copyright (c) {answers['construction_start'][:4]} Les contributeurs" in license_text
        assert "<year>" not in license_text


def test_matomo_doc_reflects_the_site_id(project):
    project_dir, answers = project
    doc = (project_dir / "docs" / "matomo.md").read_text(encoding="utf-8")
    if answers["matomo_site_id"]:
        assert f"Numéro de site : **{answers['matomo_site_id']}**" in doc
        assert f'data-matomo-site-id="{answers["matomo_site_id"]}"' in doc
    else:
        assert "pas encore attribué" in doc
    assert doc.index("disableCookies") < doc.index("trackPageView")
    assert "À faire valider par votre juriste / DPO" in doc


def test_no_volatile_content_in_shared_files(copie):
    """Two copies on different days render the same shared files (design §5.4)."""
    first = copie.copy(extra_answers=EXAMPLE_ANSWERS)
    second = copie.copy(extra_answers=EXAMPLE_ANSWERS)
    for name in ["CHECKLIST.md", "README.md", "docs/liens-suivis.csv"]:
        assert (first.project_dir / name).read_text() == (second.project_dir / name).read_text()


def test_service_name_is_trimmed_everywhere(generate):
    project_dir = generate(service_name="  Mon Service  ", service_slug="mon-service")
    assert (project_dir / "README.md").read_text(encoding="utf-8").startswith("# Mon Service\n")


def test_the_first_stack_without_an_app_explains_no_code_tools(generate):
    project_dir = generate(stack=NO_APP)
    doc = (project_dir / "docs" / "sans-code.md").read_text(encoding="utf-8")
    for word in ["conciergerie", "Grist", "Sites Faciles", "outils/liens.py"]:
        assert word in doc
    assert not (project_dir / "Makefile").exists()


@pytest.mark.parametrize(
    ("options", "stack", "app_file"),
    [
        ([], FIRST_APP, PILES[FIRST_APP]["tests"]["app_files"][0]),
        (["-d", f"stack={NO_APP}"], NO_APP, None),
        (["-d", f"stack={LAST_APP}"], LAST_APP, PILES[LAST_APP]["tests"]["app_files"][0]),
    ],
)
def test_the_readme_example_command_generates_an_app_unless_told_otherwise(tmp_path, options, stack, app_file):
    """`scripts/exemple.sh` (the README's first command) gives a service with its app; -d options win."""
    destination = tmp_path / "exemple"
    result = subprocess.run(
        [str(ROOT / "scripts" / "exemple.sh"), str(destination), *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["stack"] == stack
    assert answers["service_name"] == EXAMPLE_ANSWERS["service_name"]
    if app_file:
        assert (destination / app_file).is_file()
    else:
        assert not (destination / "Makefile").exists() and (destination / "docs" / "sans-code.md").is_file()


def run_example(clone: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["scripts/exemple.sh", *arguments], cwd=clone, capture_output=True, text=True, timeout=600)


def test_the_readme_example_command_leaves_the_clone_clean_and_the_example_updatable(tmp_path):
    """The README's command writes beside the clone; inside it, an unignored folder is refused (it would
    dirty the clone, and a copy from a dirty clone records a commit that exists nowhere); a dirty clone is
    warned about. Runs in a fresh clone of the committed template."""
    clone = tmp_path / "modele"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    readme = (clone / "README.md").read_text(encoding="utf-8")
    command = re.search(r"## Les deux commandes\n.*?```sh\n(scripts/exemple\.sh [^ \n]+)", readme, re.DOTALL).group(1)
    result = run_example(clone, *command.split()[1:], "-d", f"stack={NO_APP}")
    assert result.returncode == 0, result.stderr
    assert "Attention" not in result.stderr
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""
    example = (clone / command.split()[1]).resolve()
    assert not example.is_relative_to(clone)
    commit = yaml.safe_load((example / ".copier-answers.yml").read_text(encoding="utf-8"))["_commit"]
    assert subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=clone).returncode == 0

    refused = run_example(clone, "mon-exemple", "-d", f"stack={NO_APP}")
    assert refused.returncode == 1 and "sans être ignoré par git" in refused.stderr
    assert not (clone / "mon-exemple").exists()

    ignored = run_example(clone, "exemple-service", "-d", f"stack={NO_APP}")
    assert ignored.returncode == 0, ignored.stderr
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""

    (clone / "brouillon.txt").write_text("pas encore validé\n", encoding="utf-8")
    dirty = run_example(clone, str(tmp_path / "depuis-un-clone-modifie"), "-d", f"stack={NO_APP}")
    assert dirty.returncode == 0 and "changements non validés" in dirty.stderr
