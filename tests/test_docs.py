"""The template's own docs: the README for teams, docs/ for maintainers. Every relative link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "RELEASING.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_of_the_template_docs_resolves(doc):
    # Code (blocks and spans) may hold anything that looks like a link: a regular expression, a command.
    text = re.sub(r"```.*?```|`[^`\n]*`", "", doc.read_text(encoding="utf-8"), flags=re.S)
    targets = [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]
    missing = [target for target in targets if not (doc.parent / target).exists()]
    assert not missing, f"{doc.relative_to(ROOT)} renvoie vers des fichiers absents : {missing}"


def test_the_readme_is_for_teams_and_links_the_maintainers_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/README.md)" in readme
    for maintainers_only in ("## Mesurer la vitesse", "### Qualité mesurée", "## Publier une version", "Ajouter une pile, c'est"):
        assert maintainers_only not in readme, maintainers_only
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").rglob("*.md")):
        if page.name != "README.md":
            assert str(page.relative_to(ROOT / "docs")) in index, f"docs/README.md ne liste pas {page.name}"
