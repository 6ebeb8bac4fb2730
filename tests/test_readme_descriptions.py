"""The README, docs/modele.md and the shared files read what differs per stack and per host from the
descriptions (piles/<stack>.yml, hebergeurs/<host>.yml), never from a stack or host named in them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import copier
import yaml

from conftest import EXAMPLE_ANSWERS, HEBERGEURS, PILES, ROOT, app_stacks, load_extension

# The shared files that say what differs per stack: none may name a stack as a value.
SHARED_FILES = [
    "template/README.md.jinja",
    "template/docs/modele.md.jinja",
    "template/.gitignore.jinja",
    "template/CHECKLIST.md.jinja",
    "template/.github/dependabot.yml.jinja",
    "includes/pages/_commun.jinja",
    *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "includes" / "readme").iterdir()),
]


def test_the_shared_readme_files_name_no_stack():
    stacks = load_extension("piles").load_stacks()
    for relative in SHARED_FILES:
        text = (ROOT / relative).read_text(encoding="utf-8")
        for stack in stacks:
            named = re.findall(rf"""["'/-]{stack}["'.]""", text)
            assert not named, f"{relative} nomme la pile {stack} : {named}"


def _template_copy(tmp_path: Path) -> Path:
    source = tmp_path / "modele"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "__pycache__"))
    return source


def _edit_yaml(path: Path, change) -> None:
    description = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(description)
    path.write_text(yaml.safe_dump(description, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_readme_and_the_legal_host_come_from_the_descriptions(tmp_path):
    template = _template_copy(tmp_path)

    def stack(description):
        description["summary"] = "socle décrit pour l'essai"
        description["page_texts"] = "textes/essai"
        description["texts"]["readme_run"] = "## Lancer le service\n\nSection de la description pour {{ service_name }}.\n"
        description["dependabot"] = {}

    def host(description):
        description["legal"]["name"] = "Hébergeur Essai SAS"

    app_stack = app_stacks()[0]
    described_host = next(name for name in PILES[app_stack]["hosts"] if HEBERGEURS[name]["legal"])
    _edit_yaml(template / "piles" / f"{app_stack}.yml", stack)
    _edit_yaml(template / "hebergeurs" / f"{described_host}.yml", host)
    project = tmp_path / "projet"
    answers = {**EXAMPLE_ANSWERS, "stack": app_stack, "hosting": described_host}
    copier.run_copy(str(template), str(project), data=answers, defaults=True, unsafe=True, quiet=True)

    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "Socle : socle décrit pour l'essai." in readme
    assert f"Section de la description pour {answers['service_name']}." in readme
    assert "### Sur votre poste" not in readme
    assert "| `textes/essai/*.html` (les textes des pages) | équipe et modèle |" in readme
    assert "paquets npm" not in readme
    assert "package-ecosystem: npm" not in (project / ".github" / "dependabot.yml").read_text(encoding="utf-8")
    assert "`textes/essai/*.html`" in (project / "docs" / "modele.md").read_text(encoding="utf-8")
    # The page texts stay where the stack's folder writes them (page_texts was changed above, not the folder).
    (legal_page,) = project.joinpath(PILES[app_stack]["page_texts"]).glob(PILES[app_stack]["tests"]["legal_page"])
    legal = legal_page.read_text(encoding="utf-8")
    assert "Hébergeur Essai SAS" in legal
