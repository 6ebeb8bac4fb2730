"""Random team histories for the update tests: two playbook versions (the second only appends,
as the playbook's rules require), the team's answers before and after, and the team's edits."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from update_helpers import ROOT, TeamEdits, fast_safe_load, read_checklist_data

from conftest import EXAMPLE_ANSWERS

BASE_CHECKLIST = read_checklist_data(ROOT)
ROLES = list(fast_safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))["roles"]["choices"].values())

# Words with what teams really type: accents, French quotes, apostrophes, Markdown, URLs.
WORDS = (
    "valider",
    "l'équipe",
    "« fiche »",
    "produit",
    "rendez-vous",
    "DINUM",
    "sponsor",
    "Tchap",
    "**urgent**",
    "`make test`",
    "https://exemple.gouv.fr/a?b=c",
    "n°3",
    "à",
    "déjà",
    "fait",
    "—",
    "2026-03-01",
    "#12",
    "(voir PV)",
    "100 %",
    "&",
    "<br>",
    "- [ ]",
    "[x]",
    "Responsables :",
    "notes",
    "/stats",
    "coach·e",
    "Échéance",
)


@dataclass
class History:
    v1: dict
    v2: dict
    roles_before: list[str]
    roles_after: list[str]
    edits: TeamEdits

    def answers(self, roles: list[str]) -> dict:
        return {**EXAMPLE_ANSWERS, "roles": roles}

    def describe(self) -> str:
        counts = [len(section["items"]) for section in self.v1["sections"]]
        added = len(all_ids(self.v2)) - len(all_ids(self.v1))
        return (
            f"v1 items per section {counts}, {added} items added in v2, roles {self.roles_before} -> "
            f"{self.roles_after}, ticks {self.edits.ticks}, notes on {list(self.edits.notes)}, "
            f"{len(self.edits.own_items)} own items"
        )


def all_ids(checklist: dict) -> list[str]:
    return [item["id"] for section in checklist["sections"] for item in section["items"]]


def sentence(rng: random.Random, low: int = 1, high: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def new_item(rng: random.Random, item_id: str, sources: list[str], kinds: list[str]) -> dict:
    item = {
        "id": item_id,
        "text": sentence(rng, 3, 12).capitalize() + ".",
        "owners": rng.sample(ROLES, rng.randint(1, 3)),
        "kind": rng.choice(kinds),
        "source": rng.choice(sources),
    }
    if rng.random() < 0.5:
        item["due"] = {rng.choice(["weeks", "months"]): rng.randint(1, 6)}
    return item


def roles_sample(rng: random.Random) -> list[str]:
    chosen = set(rng.sample(ROLES, rng.randint(1, len(ROLES))))
    return [role for role in ROLES if role in chosen]


def notes(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 4)):
        shape = rng.random()
        if shape < 0.1 and lines:
            lines.append("")  # a blank line inside the notes
        elif shape < 0.3:
            lines.append("  - " + sentence(rng))
        else:
            lines.append("  " + sentence(rng))
    return lines


def draw_history(rng: random.Random, base: dict = BASE_CHECKLIST) -> History:
    """v1: the first sections of today's playbook, each cut after a random number of items.
    v2: today's playbook, plus random new items at the end of random sections and maybe new
    sections at the end. Answers: random roles, maybe changed during the update. Team: random
    ticks and notes on v1's items, and a few items of its own."""
    sections = base["sections"]
    sources = sorted({item["source"] for section in sections for item in section["items"]})
    kinds = list(base["kinds"])

    v1 = copy.deepcopy(base)
    v1["sections"] = [
        {**section, "items": section["items"][: rng.randint(1, len(section["items"]))]}
        for section in copy.deepcopy(sections[: rng.randint(1, len(sections))])
    ]

    v2 = copy.deepcopy(base)
    counter = iter(range(1, 1000))
    for section in v2["sections"]:
        if rng.random() < 0.35:
            section["items"] += [new_item(rng, f"Z{next(counter):02d}", sources, kinds) for _ in range(rng.randint(1, 3))]
    for number in range(rng.choice([0, 0, 0, 1, 2])):
        section = {
            "id": f"nouvelle-{number}",
            "title": sentence(rng, 2, 5).capitalize(),
            "items": [new_item(rng, f"N{number}{index}", sources, kinds) for index in range(1, rng.randint(1, 3) + 1)],
        }
        if rng.random() < 0.5:
            section["intro"] = sentence(rng, 4, 10).capitalize() + "."
        v2["sections"].append(section)

    roles_before = roles_sample(rng)
    roles_after = roles_before if rng.random() < 0.5 else roles_sample(rng)

    ids = all_ids(v1)
    ticks = rng.sample(ids, rng.randint(0, len(ids)))
    noted = rng.sample(ids, rng.randint(0, min(len(ids), 8)))
    own = [f"- [{rng.choice(' x')}] {sentence(rng, 2, 8)}" for _ in range(rng.choice([0, 0, 1, 2, 3]))]
    edits = TeamEdits(ticks=ticks, notes={item_id: notes(rng) for item_id in noted}, own_items=own)
    return History(v1, v2, roles_before, roles_after, edits)
