"""Shared fixtures: the template's root, its extensions loaded by path, and project generation."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ANSWERS = yaml.safe_load((ROOT / "tests" / "exemple-reponses.yml").read_text(encoding="utf-8"))


def load_extension(stem: str):
    """Import extensions/<stem>.py the way copier-template-extensions does: by file path."""
    name = f"template_extension_{stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "extensions" / f"{stem}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def generate(copie):
    """Copy the template with the example answers overridden by **answers; fail loudly on error."""

    def _generate(**answers) -> Path:
        result = copie.copy(extra_answers={**EXAMPLE_ANSWERS, **answers})
        assert result.exit_code == 0, result.exception
        return result.project_dir

    return _generate


@pytest.fixture(scope="session")
def playbook():
    return load_extension("playbook").load_playbook(ROOT / "playbook")


# The stack descriptions (piles/*.yml), in question order: the shared tests read what differs per stack there.
PILES = load_extension("piles").load_stacks()
HEBERGEURS = load_extension("piles").load_hosts()


def app_stacks(piles: dict = PILES) -> list[str]:
    """The stacks whose repository holds an application the template wrote."""
    return [name for name, description in piles.items() if description["application"]]


def stacks_without_app(piles: dict = PILES) -> list[str]:
    return [name for name, description in piles.items() if not description["application"]]
