"""The text-truth rules' vocabulary, shared by tests/test_textes.py and the rules of one stack.

Each `regles/<stack>.py` holds a list `RULES` of the rules that are true for that stack only;
tests/test_textes.py applies them to the answer sets of that stack (its `when` needs not name it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """`files`: glob patterns in the generated repository, `LEGAL_PAGES` (the legal page texts), or
    a page's `<h1>…</h1>` heading: pages are found by their heading wherever a stack puts them. `must` / `must_not`: regular expressions, or
    functions of the answers returning one, searched in each file's text with HTML entities decoded
    and whitespace collapsed. A `must` rule also fails when no file matches `files`."""

    says: str
    when: Callable[[dict], bool]
    files: tuple[str, ...]
    must: str | Callable[[dict], str] | None = None
    must_not: str | Callable[[dict], str] | None = None
    flags: int = field(default=0)


LEGAL_PAGES = ("<legal>",)
LEGAL_HEADINGS = re.compile(r"<h1>(Mentions légales|Données personnelles|Accessibilité|Budget|Conditions générales d'utilisation)</h1>")
PROSE = ("README.md", "CHECKLIST.md", "docs/**/*.md", *LEGAL_PAGES)


def always(answers: dict) -> bool:
    return True


def hosted_on(*values: str) -> Callable[[dict], bool]:
    return lambda answers: answers.get("hosting") in values
