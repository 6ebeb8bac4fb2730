"""What the tests of every app stack share: copying the template for a stack, and finding template
syntax that rendering left behind."""

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
