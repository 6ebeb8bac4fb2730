"""What the tests of every app stack share: the odd answer sets, copying the template for a stack, and
finding template syntax that rendering left behind."""

from __future__ import annotations

import re
from pathlib import Path

from copier import run_copy

from conftest import EXAMPLE_ANSWERS, ROOT

# Jinja left unrendered: an expression, a statement or a whole comment (answers may hold lone braces).
LEFTOVER_JINJA = re.compile(
    r"\{\{-?\s*[A-Za-z_][^}]*\}\}"
    r"|\{%-?\s*(if|elif|else|endif|for|endfor|set|include|import|from|macro|endmacro|raw|endraw|with)\b"
    r"|\{#-?\s.*?#\}",
    re.DOTALL,
)


# One answer set per host, with the names that break careless rendering: quotes, angle brackets,
# braces, backslashes and apostrophes end up in JSX, JSON, HTML, Python and JavaScript.
ODD_ANSWER_SETS = {
    "ile-scalingo": {
        "service_name": "L'Île aux Démarches",
        "hosting": "scalingo",
        "matomo_site_id": "",
    },
    "guichet-clevercloud-matomo": {
        "service_name": 'Le "Guichet" d\'Aide',
        "service_description": 'Le "Guichet" répond aux questions des aidants, sans rendez-vous.',
        "incubator": "Incubateur « Santé & Solidarités » <DNUM>",
        "administration": "Ministère des Solidarités",
        "hosting": "clevercloud",
        "matomo_site_id": "124",
    },
    "accolades-autre-matomo": {
        "service_name": "Ça {marche} #1 { vraiment #}",
        "service_description": 'Une démarche en 3 étapes\\n au lieu de {10} : c\'est "simple" & rapide.',
        "incubator": "Fabrique numérique {Écologie}",
        "hosting": "autre",
        "matomo_site_id": "7",
        "matomo_url": "https://matomo.example.gouv.fr/",
    },
}


def copy_stack(stack: str, destination: Path, answers: dict) -> Path:
    """The example answers, the stack and `answers`, copied from this checkout as it is."""
    run_copy(
        src_path=str(ROOT),
        dst_path=str(destination),
        data={**EXAMPLE_ANSWERS, "stack": stack, **answers},
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD",
        quiet=True,
    )
    return destination


def assert_no_leftover_jinja(project: Path, relative: str) -> None:
    leftover = LEFTOVER_JINJA.search((project / relative).read_text(encoding="utf-8"))
    assert leftover is None, f"syntaxe de modèle restante dans {relative} : {leftover.group(0)[:80]}"


def assert_rendered_cleanly(project: Path, rendered: list[str], content_dir: Path, skipped: tuple[str, ...] = ()) -> None:
    """No unrendered file name, no template syntax left in the rendered files, and page texts whose
    answers were escaped (no lone brace, no raw angle bracket from an answer)."""
    for path in project.rglob("*"):
        relative = path.relative_to(project)
        if relative.parts[0] in skipped:
            continue
        assert not re.search(r"\{\{|\{%|\}\}|%\}", str(relative)), f"nom non rendu : {relative}"
    for relative in rendered:
        assert_no_leftover_jinja(project, relative)
    for fragment in (project / content_dir).glob("*.html"):
        text = fragment.read_text(encoding="utf-8")
        assert not re.search(r"[{}]", text), f"accolade non échappée dans {fragment.name}"
        assert "<DNUM>" not in text
