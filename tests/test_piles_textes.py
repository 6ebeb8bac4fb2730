"""docs/matomo.md and docs/liens-suivis.md take what differs per stack from its description.

Each stack's description (`piles/<stack>.yml`) gives the texts of these two files under `texts:`
(slots `matomo_*` and `liens_*`). A description that lacks one must stop the generation with an error
naming it, never let the file fall back on a sentence written for another stack.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from copier import run_copy
from jinja2.exceptions import UndefinedError
from update_helpers import write_snapshot

from conftest import EXAMPLE_ANSWERS, ROOT, load_extension

STACKS = load_extension("piles").load_stacks(ROOT / "piles", ROOT / "hebergeurs")
MATOMO_CRITERIA = load_extension("playbook").load_playbook(ROOT / "playbook")["matomo"]["criteria"]
CODE_CRITERIA = [criterion["id"] for criterion in MATOMO_CRITERIA if criterion["who"] == "code"]
TEMPLATES = ["docs/matomo.md", "docs/liens-suivis.md"]
# Render only the two files: the rest of the repository does not read these slots.
ONLY_THESE_FILES = ["*", "!docs/", "docs/*", *(f"!{path}" for path in TEMPLATES)]
# The slot used only while the team has no site id; every other slot is used with one.
WITHOUT_SITE_ID = {"matomo_site_id_missing"}


def docs_slots(stack: str) -> list[str]:
    return [slot for slot in STACKS[stack]["texts"] if slot.startswith(("matomo_", "liens_"))]


def answers_for(stack: str, slot: str) -> dict:
    hosts = STACKS[stack]["hosts"]
    return {
        **EXAMPLE_ANSWERS,
        "stack": stack,
        **({"hosting": hosts[0]} if hosts else {}),
        "matomo_site_id": "" if slot in WITHOUT_SITE_ID else "124",
    }


def template_without(tmp_path: Path, stack: str, remove) -> Path:
    """A copy of the template whose description of `stack` went through `remove` (comments are lost)."""
    source = tmp_path / "modele"
    write_snapshot(source)
    path = source / "piles" / f"{stack}.yml"
    description = yaml.safe_load(path.read_text(encoding="utf-8"))
    remove(description)
    path.write_text(yaml.safe_dump(description, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return source


def generate_docs(source: Path, destination: Path, answers: dict) -> None:
    run_copy(str(source), str(destination), data=answers, defaults=True, unsafe=True, quiet=True, exclude=ONLY_THESE_FILES)


@pytest.mark.parametrize("stack, slot", [(stack, slot) for stack in STACKS for slot in docs_slots(stack)])
def test_a_description_without_a_docs_slot_fails_naming_it(tmp_path, stack, slot):
    source = template_without(tmp_path, stack, lambda description: description["texts"].pop(slot))
    # Refused when the descriptions load (extensions/piles.py), whatever the answers.
    with pytest.raises(Exception, match=rf"texts\.{re.escape(slot)}\b"):
        generate_docs(source, tmp_path / "depot", answers_for(stack, slot))


@pytest.mark.parametrize(
    "stack, criterion",
    [(stack, criterion) for stack in STACKS if "matomo_criteria" in STACKS[stack]["texts"] for criterion in CODE_CRITERIA],
)
def test_a_stack_that_says_how_criteria_are_kept_must_say_it_for_every_code_criterion(tmp_path, stack, criterion):
    """The playbook's sentence for a `code` criterion speaks of the template's code: never shown for another."""
    source = template_without(tmp_path, stack, lambda description: description["texts"]["matomo_criteria"].pop(criterion))
    with pytest.raises(UndefinedError, match=rf"'{re.escape(criterion)}'"):
        generate_docs(source, tmp_path / "depot", answers_for(stack, "matomo_criteria"))


def test_every_stack_gives_texts_for_the_docs():
    for stack in STACKS:
        assert docs_slots(stack), f"piles/{stack}.yml : aucun texte pour docs/matomo.md"


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_shared_docs_name_no_stack(template):
    text = (ROOT / "template" / f"{template}.jinja").read_text(encoding="utf-8")
    for stack in STACKS:
        assert not re.search(rf"""["']{stack}["']""", text), f"{template} nomme la pile {stack}"
