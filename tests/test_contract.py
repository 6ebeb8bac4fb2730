"""The released contract holds (design §3 and §5): tests/released/<version>.yml against today.

The first tests check today's template against every lock. The others break each rule on purpose,
on copies of today's contract, to prove that every check really fails when its rule is broken.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from update_contract import (
    RELEASE_COMMAND,
    answer_sets,
    answers_contract,
    check_all,
    check_answers,
    check_items,
    check_paths,
    checklist_contract,
    current_contract,
    exact_release_tag,
    load_locks,
    load_settings,
    lock_from,
    refresh_hint,
    tags,
    unreleased_items,
    unreleased_message,
    version_key,
)
from update_helpers import ROOT, ChecklistRenderer, fast_safe_load, read_checklist_data
from update_histories import EXAMPLE_ANSWERS

from conftest import load_extension, stacks_without_app


def load_release_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("release_script", ROOT / "scripts" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = load_release_script()

LOCKS = load_locks()
needs_a_release = pytest.mark.skipif(not LOCKS, reason="aucune version publiée : pas encore de verrou dans tests/released/")


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    """Today's contract, with the paths of every released answer set (one copy per set)."""
    return current_contract(workdir=tmp_path_factory.mktemp("contrat"))


def hint(version: str) -> str:
    return "" if f"v{version}" in tags() else refresh_hint(version)


# --------------------------------------------------------------------------- today against the locks


@needs_a_release
@pytest.mark.parametrize("version", list(LOCKS))
def test_released_items_are_never_reworded_moved_reordered_or_removed(current, version):
    problems = check_items(LOCKS[version], current)
    assert not problems, "\n".join(problems) + hint(version)


@needs_a_release
@pytest.mark.parametrize("version", list(LOCKS))
def test_released_paths_are_still_generated_for_the_same_answers(current, version):
    problems = check_paths(LOCKS[version], current["paths"])
    assert not problems, "\n".join(problems) + hint(version)


@needs_a_release
@pytest.mark.parametrize("version", list(LOCKS))
def test_released_answers_and_choice_values_stay_and_new_questions_have_defaults(current, version):
    problems = check_answers(LOCKS[version], current["answers"], next(iter(LOCKS.values())))
    assert not problems, "\n".join(problems) + hint(version)


@needs_a_release
def test_the_administration_joined_after_the_first_release_with_a_default_that_updates_cleanly(current):
    """`administration` (issue 10) is not in the first lock: it must have a default, and that default must
    pass its own validator, or `copier update --defaults` would stop every team created before it."""
    first = next(iter(LOCKS.values()))
    assert "administration" not in first["answers"]
    assert current["answers"]["administration"] == {"type": "str", "multiselect": False, "default": True}
    spec = load_settings()["administration"]
    assert spec["default"] == ""
    assert load_extension("naming").administration_error(spec["default"]) == ""
    broken = copy.deepcopy(current)
    broken["answers"]["administration"]["default"] = False
    assert any("« administration »" in problem for problem in check_answers(first, broken["answers"], first))


@needs_a_release
def test_every_item_is_in_the_lock_at_release(current):
    """New items are welcome between releases; at a release (HEAD tagged vX.Y.Z, or
    VERIFIER_PUBLICATION=1 as scripts/release.py and the release job set it) each must be locked."""
    latest = list(LOCKS)[-1]
    major, minor, _ = version_key(latest)
    new = unreleased_items(LOCKS, current)
    if not new:
        return
    # Until its tag exists, the latest lock is refreshed rather than followed by a new version.
    message = unreleased_message(new, latest if f"v{latest}" not in tags() else f"{major}.{minor + 1}.0")
    if exact_release_tag() or os.environ.get("VERIFIER_PUBLICATION") == "1":
        pytest.fail(message)
    pytest.skip(message)


@needs_a_release
@pytest.mark.parametrize("version", list(LOCKS))
def test_the_changelog_names_every_item_each_release_added(version):
    previous = {v: lock for v, lock in LOCKS.items() if version_key(v) < version_key(version)}
    added = unreleased_items(previous, LOCKS[version])
    entry = release.changelog_entry(version)
    assert entry is not None, f"CHANGELOG.md n'a pas d'entrée « ## {version} »"
    missing = release.missing_from_changelog(entry, added)
    assert not missing, "items ajoutés absents du CHANGELOG :\n" + release.changelog_lines(missing)


@needs_a_release
def test_locks_follow_the_version_order():
    assert list(LOCKS) == sorted(LOCKS, key=version_key)
    for version, lock in LOCKS.items():
        assert lock["version"] == version


# --------------------------------------------------------------------------- each rule really fails


@pytest.fixture(scope="module")
def contract(current):
    """Today's contract and a lock of it: every mutation below starts from a clean pair."""
    assert check_all({"1.0.0": lock_from(current, "1.0.0")}, current) == []
    return current


def mutated(contract):
    return copy.deepcopy(lock_from(contract, "1.0.0")), copy.deepcopy(contract)


def first_long_section(contract):
    return next(section for section in contract["checklist"] if len(section["items"]) >= 3)


def test_a_reworded_item_fails(contract):
    lock, now = mutated(contract)
    first_long_section(now)["items"][1]["text"] += " (précisé)"
    assert any("reformulé" in problem for problem in check_items(lock, now))


def test_an_item_moved_to_another_section_fails(contract):
    lock, now = mutated(contract)
    source, target = now["checklist"][0], now["checklist"][1]
    target["items"].append(source["items"].pop(0))
    assert any("changé de section" in problem for problem in check_items(lock, now))


def test_reordered_items_fail(contract):
    lock, now = mutated(contract)
    items = first_long_section(now)["items"]
    items[0], items[1] = items[1], items[0]
    assert any("changé de place" in problem for problem in check_items(lock, now))


def test_an_item_inserted_in_the_middle_fails(contract):
    lock, now = mutated(contract)
    items = first_long_section(now)["items"]
    items.insert(1, {"id": "ZZ1", "text": "Un nouvel item inséré", "lines": []})
    assert any("n'insérez rien au milieu" in problem for problem in check_items(lock, now))


def test_a_removed_item_fails(contract):
    lock, now = mutated(contract)
    removed = first_long_section(now)["items"].pop()
    problems = check_items(lock, now)
    assert any(removed["id"] in problem and "supprimé" in problem for problem in problems)


def test_a_reused_id_fails(contract):
    lock, now = mutated(contract)
    section = first_long_section(now)
    reused = section["items"].pop()
    now["checklist"][-1]["items"].append({**reused, "text": "Un tout autre item"})
    problems = check_items(lock, now)
    assert any("réutilisé" in problem for problem in problems)
    lock, now = mutated(contract)
    now["checklist"][-1]["items"].append(dict(now["checklist"][0]["items"][0]))
    assert any("utilisé par deux items" in problem for problem in check_items(lock, now))


def test_a_removed_section_and_a_section_inserted_in_the_middle_fail(contract):
    lock, now = mutated(contract)
    now["checklist"].insert(1, {"id": "nouvelle", "title": "Nouvelle", "items": []})
    assert any("entre des sections publiées" in problem for problem in check_items(lock, now))
    lock, now = mutated(contract)
    gone = now["checklist"].pop(1)
    assert any(gone["id"] in problem and "disparu" in problem for problem in check_items(lock, now))


def test_a_new_item_at_the_end_of_its_section_passes_and_must_join_the_lock_at_release(contract):
    lock, now = mutated(contract)
    first_long_section(now)["items"].append({"id": "ZZ9", "text": "Un nouvel item", "lines": []})
    now["checklist"].append({"id": "nouvelle", "title": "Nouvelle section", "items": [{"id": "ZZ8", "text": "x", "lines": []}]})
    assert check_items(lock, now) == []
    new = unreleased_items({"1.0.0": lock}, now)
    assert [item["id"] for item in new] == ["ZZ9", "ZZ8"]
    message = unreleased_message(new, "1.1.0")
    assert "ZZ9" in message and f"{RELEASE_COMMAND} 1.1.0" in message and "verrou" in message


def test_a_changed_tick_line_or_notes_marker_fails(contract):
    lock, now = mutated(contract)
    item = first_long_section(now)["items"][0]
    now["rendered_checklist"] = [line.replace(f"**{item['id']}**", f"{item['id']} :") for line in now["rendered_checklist"]]
    assert any("n'est plus rendue telle quelle" in problem for problem in check_items(lock, now))
    lock, now = mutated(contract)
    now["rendered_checklist"] = [line.replace(f"<!-- /{item['id']} -->", "<!-- fin -->") for line in now["rendered_checklist"]]
    assert any("n'est plus rendue telle quelle" in problem for problem in check_items(lock, now))


def test_a_path_that_disappears_or_moves_fails(contract):
    lock, now = mutated(contract)
    name = next(iter(now["paths"]))
    now["paths"][name] = [path for path in now["paths"][name] if path != "CHECKLIST.md"]
    assert any("CHECKLIST.md" in problem for problem in check_paths(lock, now["paths"]))
    lock, now = mutated(contract)
    now["paths"][name] = [("docs/CHECKLIST.md" if path == "CHECKLIST.md" else path) for path in now["paths"][name]]
    assert any("déplacé vers docs/CHECKLIST.md" in problem for problem in check_paths(lock, now["paths"]))


def test_a_removed_or_renamed_answer_or_choice_value_fails(contract):
    lock, now = mutated(contract)
    del now["answers"]["incubator"]
    assert any("« incubator » a disparu" in problem for problem in check_answers(lock, now["answers"]))

    lock, now = mutated(contract)
    now["answers"]["equipe_roles"] = now["answers"].pop("roles")
    assert any("« roles » a disparu" in problem for problem in check_answers(lock, now["answers"]))

    lock, now = mutated(contract)
    now["answers"]["roles"]["choices"] = ["bizdev" if v == "deploiement" else v for v in now["answers"]["roles"]["choices"]]
    assert any("« deploiement »" in problem for problem in check_answers(lock, now["answers"]))

    lock, now = mutated(contract)
    now["answers"]["license"]["selectable"].remove("MIT")
    assert any("plus sélectionnable" in problem for problem in check_answers(lock, now["answers"]))

    lock, now = mutated(contract)
    now["answers"]["roles"]["multiselect"] = False
    assert any("changé de type" in problem for problem in check_answers(lock, now["answers"]))


def test_a_question_added_later_without_default_fails(contract):
    lock, now = mutated(contract)
    now["answers"]["budget_annuel"] = {"type": "int", "multiselect": False, "default": False}
    assert any("budget_annuel" in problem for problem in check_answers(lock, now["answers"]))
    now["answers"]["budget_annuel"]["default"] = True
    assert check_answers(lock, now["answers"]) == []


def test_the_answer_contract_reads_copier_yml():
    answers = answers_contract(load_settings())
    assert answers["roles"]["multiselect"] is True
    assert set(answers["roles"]["choices"]) >= {"intra", "coach", "dev", "design", "deploiement"}
    assert answers["service_name"]["default"] is False
    settings = load_settings()
    sets = answer_sets(settings, EXAMPLE_ANSWERS)
    no_app = stacks_without_app()[0]
    assert no_app in sets and sets[f"{no_app}-intra"]["roles"] == ["intra"]


def test_rewording_the_real_playbook_or_the_checklist_layout_is_caught(tmp_path):
    """End to end, on real files: the rendered checklist of a changed template breaks the lock."""
    answers = {**EXAMPLE_ANSWERS}

    def contract_of(root):
        data = read_checklist_data(root)
        rendered = ChecklistRenderer(Path(tempfile.mkdtemp(dir=tmp_path)), root=root).render(data, answers)
        return {"checklist": checklist_contract(data, rendered), "rendered_checklist": rendered.splitlines()}

    lock = {"checklist": contract_of(ROOT)["checklist"]}
    changed = tmp_path / "modifie"
    for folder in ("extensions", "playbook", "includes", "template", "piles", "hebergeurs"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, changed / folder)
    shutil.copy2(ROOT / "copier.yml", changed / "copier.yml")
    source = (changed / "playbook" / "checklist.yml").read_text(encoding="utf-8")
    first = fast_safe_load(source)["sections"][0]["items"][0]
    assert source.count(first["text"]) == 1
    (changed / "playbook" / "checklist.yml").write_text(
        source.replace(first["text"], first["text"].rstrip(".") + " sans tarder."), encoding="utf-8"
    )
    problems = check_items(lock, contract_of(changed))
    assert any(first["id"] in problem and "reformulé" in problem for problem in problems)

    layout = changed / "template" / "CHECKLIST.md.jinja"
    (changed / "playbook" / "checklist.yml").write_text(source, encoding="utf-8")
    original = layout.read_text(encoding="utf-8")
    assert "- [ ] **{{ item.id }}**" in original
    layout.write_text(original.replace("- [ ] **{{ item.id }}**", "- [ ] {{ item.id }} —"), encoding="utf-8")
    problems = check_items(lock, contract_of(changed))
    assert any("n'est plus rendue telle quelle" in problem for problem in problems)


def test_the_release_script_reads_a_changelog_entry_and_finds_missing_items(tmp_path, monkeypatch):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "# Journal\n\n## Non publié\n\nRien.\n\n## 0.2.0 — 2027-01-04\n\n### Items ajoutés à la checklist\n\n"
        "- **E09** Un item.\n\n## 0.1.0\n\n- **E01** Le premier.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(release, "CHANGELOG", changelog)
    entry = release.changelog_entry("0.2.0")
    assert "**E09**" in entry and "**E01**" not in entry
    assert "**E01**" in release.changelog_entry("0.1.0")
    assert release.changelog_entry("0.3.0") is None
    items = [{"id": "E09", "text": "Un item.", "section": "Entrée"}, {"id": "E10", "text": "Un autre.", "section": "Entrée"}]
    missing = release.missing_from_changelog(entry, items)
    assert [item["id"] for item in missing] == ["E10"]
    assert release.changelog_lines(missing) == "#### Entrée\n\n- **E10** Un autre."


def test_the_release_script_refuses_a_bad_version_number(capsys):
    assert release.main(["2.0"]) == 2
    assert "X.Y.Z" in capsys.readouterr().err
