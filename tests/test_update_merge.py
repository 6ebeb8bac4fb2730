"""CHECKLIST.md survives any update: property-based, on Copier's own merge replayed with git.

For one file, `copier update` applies the team's diff (old render -> team version, 3 context lines)
onto the new render with `git apply --reject`, and falls back to `git merge-file` where a hunk is
rejected (copier/_main.py, `_apply_update`). `copier_merge` runs those same git commands on two
renders of the checklist, so hundreds of random histories run in seconds; a few full
`copier update` runs below check that the shortcut gives exactly what Copier gives.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from update_helpers import (
    CHECKLIST,
    ChecklistRenderer,
    TeamEdits,
    build_template_repo,
    commit_all,
    conflicts,
    copier_copy,
    copier_merge,
    copier_update,
    parse_checklist,
    write_checklist_data,
    yaml_value,
)
from update_histories import BASE_CHECKLIST, EXAMPLE_ANSWERS, all_ids, draw_history


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return ChecklistRenderer(tmp_path_factory.mktemp("rendus"))


def replay(history, renderer, workdir):
    old = renderer.render(history.v1, history.answers(history.roles_before))
    team = history.edits.apply(old)
    new = renderer.render(history.v2, history.answers(history.roles_after))
    merged, _ = copier_merge(old, team, new, workdir)
    return merged, history.edits.apply(new)


def assert_nothing_lost(history, merged: str, expected: str) -> None:
    state = parse_checklist(merged)
    assert not [line for line in merged.splitlines() if line.startswith(("<<<<<<<", ">>>>>>>"))], (
        f"conflict after the update ({history.describe()}):\n{merged}"
    )
    assert set(history.edits.ticks) <= state.ticked, f"a tick was lost ({history.describe()})"
    for item_id, lines in history.edits.notes.items():
        assert state.notes[item_id] == lines, f"notes of {item_id} changed ({history.describe()})"
    assert state.ids == all_ids(history.v2), f"items missing or out of order ({history.describe()})"
    for line in history.edits.own_items:
        assert line in state.own_section.splitlines()
    # The strongest form: exactly the new checklist with the team's edits, not one byte more or less.
    assert merged == expected, history.describe()


# No shrinking: a failing history is printed whole (History.describe) and replays from its seed.
@settings(
    max_examples=200,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    # A history draws many random choices: some run past Hypothesis's data budget and are skipped.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(rng=st.randoms(use_true_random=False))
def test_no_tick_note_or_own_item_is_ever_lost(rng, renderer, tmp_path_factory):
    history = draw_history(rng)
    merged, expected = replay(history, renderer, tmp_path_factory.mktemp("fusion"))
    assert_nothing_lost(history, merged, expected)


def test_the_replayed_merge_detects_what_the_rules_forbid(renderer, tmp_path):
    """The property above could not fail if the shortcut never reported a conflict: it does, on
    the layout design §5.4 measured as conflicting (an item inserted between two, the next ticked)."""
    v1 = BASE_CHECKLIST
    v2 = {**v1, "sections": [dict(section) for section in v1["sections"]]}
    first = v2["sections"][0]
    inserted = {**first["items"][0], "id": "Z99", "text": "Un item inséré au milieu, contre la règle."}
    first["items"] = [first["items"][0], inserted, *first["items"][1:]]
    answers = {**EXAMPLE_ANSWERS}
    old = renderer.render(v1, answers)
    edits = TeamEdits(ticks=[first["items"][2]["id"]])
    merged, fell_back = copier_merge(old, edits.apply(old), renderer.render(v2, answers), tmp_path)
    assert fell_back
    assert "<<<<<<< before updating" in merged


@pytest.mark.parametrize("seed", [3, 11, 2026])
def test_the_replayed_merge_agrees_with_copier_update(seed, renderer, tmp_path):
    """A full `copier update` from a v1 to a v2 built from the same random history gives the very
    same CHECKLIST.md as the shortcut, and it holds every tick, note and new item."""
    history = draw_history(random.Random(seed))

    def version(checklist):
        return lambda template: write_checklist_data(template, checklist)

    template = build_template_repo(tmp_path / "modele", [("v1.0.0", version(history.v1)), ("v2.0.0", version(history.v2))])
    project = tmp_path / "projet"
    copied = copier_copy(template, project, "v1.0.0", history.answers(history.roles_before))
    assert copied.returncode == 0, copied.stderr
    commit_all(project, "Création depuis le modèle")
    old = (project / CHECKLIST).read_text(encoding="utf-8")
    (project / CHECKLIST).write_text(history.edits.apply(old), encoding="utf-8")
    commit_all(project, "Nos coches et nos notes")

    updated = copier_update(project, "v2.0.0", {"roles": yaml_value(history.roles_after)})
    assert updated.returncode == 0, updated.stderr
    by_copier = (project / CHECKLIST).read_text(encoding="utf-8")
    replayed, expected = replay(history, renderer, tmp_path / "fusion")
    assert by_copier == replayed, history.describe()
    assert conflicts(project) == []
    assert_nothing_lost(history, by_copier, expected)
