"""Loads the playbook (`playbook/*.yml`) into the rendering context.

The playbook is data; this hook only reads it and resolves who owns each item from `roles`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from copier_template_extensions import ContextHook

PLAYBOOK_DIR = Path(__file__).resolve().parent.parent / "playbook"
# DashLord's rules, shared by every stack's tests (Python and JavaScript literals are rendered from it).
DASHLORD_RULES = Path(__file__).resolve().parent.parent / "includes" / "dashlord" / "regles.yml"
# The intrapreneur always exists in a startup d'État: items whose roles are absent fall to them.
FALLBACK_ROLE = "intra"


# PyYAML's C loader, when built in, parses several times faster (an update renders the playbook 3 times).
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=4)
def load_playbook(directory: Path = PLAYBOOK_DIR) -> dict:
    """Every `<name>.yml` of the playbook folder, keyed by name."""
    return {path.stem: yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) for path in sorted(directory.glob("*.yml"))}


@functools.lru_cache(maxsize=1)
def load_dashlord_rules(path: Path = DASHLORD_RULES) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)


def owners(item: dict, roles: list[str]) -> list[str]:
    present = [role for role in item["owners"] if role in roles]
    return present or [FALLBACK_ROLE]


def resolve_checklist(playbook: dict, roles: list[str]) -> list[dict]:
    """Checklist sections with each item's owners resolved against the team's roles.

    Due dates are computed in the templates with the `due_date` filter (extensions/dates.py).
    """
    labels = role_labels(playbook)
    return [
        {
            **section,
            "items": [
                {**item, "owner_ids": owners(item, roles), "owner_labels": [labels[r] for r in owners(item, roles)]}
                for item in section["items"]
            ],
        }
        for section in playbook["checklist"]["sections"]
    ]


def role_labels(playbook: dict) -> dict[str, str]:
    return {role["id"]: role["label"] for role in playbook["roles"]["roles"]}


class PlaybookContext(ContextHook):
    def hook(self, context):
        playbook = load_playbook()
        context["playbook"] = playbook
        context["role_labels"] = role_labels(playbook)
        context["dashlord_rules"] = load_dashlord_rules()
        # Surrounding spaces typed in the name never reach the rendered files.
        if isinstance(context.get("service_name"), str):
            context["service_name"] = context["service_name"].strip()
        if context.get("roles") is not None:
            context["checklist"] = _cached_checklist(tuple(context["roles"]))


@functools.lru_cache(maxsize=16)
def _cached_checklist(roles: tuple[str, ...]) -> list[dict]:
    return resolve_checklist(load_playbook(), list(roles))
