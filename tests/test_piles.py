"""A stack is its folder and its description: nothing shared names an app stack as a value.

Shared means: template/ outside the stack folders, includes/, extensions/, scripts/, copier.yml, and the
tests that are not a stack's own (`tests/test_<stack>.py`, `tests/regles/<stack>.py`, fixtures).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import HEBERGEURS, PILES, ROOT, app_stacks, load_extension

STACK_FOLDER = re.compile(r"\{\{ for_stack\(")


def own_test_files() -> set[Path]:
    return {ROOT / "tests" / f"test_{stack}.py" for stack in PILES} | {ROOT / "tests" / "regles" / f"{stack}.py" for stack in PILES}


def shared_files() -> list[Path]:
    files = [ROOT / "copier.yml"]
    for folder in ("template", "includes", "extensions", "scripts"):
        files += [
            path for path in sorted((ROOT / folder).rglob("*")) if path.is_file() and not STACK_FOLDER.search(str(path.relative_to(ROOT)))
        ]
    files += [path for path in sorted((ROOT / "tests").glob("*.py")) if path not in own_test_files()]
    return [path for path in files if "node_modules" not in path.parts and "__pycache__" not in path.parts]


def naming(stack: str) -> re.Pattern:
    """The stack's name used as a value: quoted, compared, or given as an answer (`stack=<name>`)."""
    name = re.escape(stack)
    # A quoted name between two path operators (`project / "site" / "static"`) is a folder, not a stack.
    return re.compile(rf"""(?<!/ )["']{name}["'](?! /)|\bstack\s*(?:==|!=|=)\s*{name}\b|\bfor_stack\(\s*["']{name}""")


def test_the_scan_sees_a_stack_named_as_a_value(tmp_path):
    stack = app_stacks()[0]
    for line in (f'if stack == "{stack}":', f"-d stack={stack}", f"{{{{ for_stack('{stack}') }}}}", f"{{'{stack}': 1}}"):
        assert naming(stack).search(line), line
    assert not naming(stack).search(f"la pile {stack}s et ses dossiers")


@pytest.mark.parametrize("stack", app_stacks())
def test_no_shared_file_names_an_app_stack(stack):
    found = []
    for path in shared_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if naming(stack).search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------- shared_files

piles_module = load_extension("piles")


def descriptions_with(tmp_path: Path, shared_files) -> tuple[Path, Path]:
    """A copy of the descriptions where the first stack's shared_files is replaced."""
    stacks, hosts = tmp_path / "piles", tmp_path / "hebergeurs"
    shutil.copytree(ROOT / "piles", stacks)
    shutil.copytree(ROOT / "hebergeurs", hosts)
    first = stacks / f"{next(iter(PILES))}.yml"
    description = yaml.safe_load(first.read_text(encoding="utf-8"))
    first.write_text(yaml.safe_dump({**description, "shared_files": shared_files}, allow_unicode=True), encoding="utf-8")
    return stacks, hosts


def test_every_shared_file_of_every_stack_is_a_file_of_the_shared_folders():
    for name, description in PILES.items():
        for path, source in description["shared_files"].items():
            assert (ROOT / source).is_file() and source.split("/")[0] in piles_module.SHARED_FOLDERS, (name, path)


@pytest.mark.parametrize(
    ("shared_files", "named"),
    [
        ({"../hors-du-depot.html": "includes/pages/aide.html"}, "../hors-du-depot.html"),
        ({"/etc/aide.html": "includes/pages/aide.html"}, "/etc/aide.html"),
        ({"aide.html": "tests/conftest.py"}, "tests/conftest.py"),
        ({"aide.html": "includes/../copier.yml"}, "includes/../copier.yml"),
        (["aide.html"], "shared_files"),
    ],
)
def test_a_shared_file_outside_the_repository_or_the_shared_folders_is_refused(tmp_path, shared_files, named):
    stacks, hosts = descriptions_with(tmp_path, shared_files)
    with pytest.raises(piles_module.DescriptionError) as refused:
        piles_module.load_stacks(stacks, hosts)
    assert named in str(refused.value)


def test_a_shared_file_of_the_shared_folders_is_accepted(tmp_path):
    stacks, hosts = descriptions_with(tmp_path, {"contenus/aide.html": "includes/pages/aide.html"})
    loaded = piles_module.load_stacks(stacks, hosts)
    assert loaded[next(iter(PILES))]["shared_files"] == {"contenus/aide.html": "includes/pages/aide.html"}


def app_stack_description_with(tmp_path: Path, change) -> tuple[Path, Path, str]:
    """A copy of the descriptions where `change(description)` edits the first app stack's, in place."""
    stacks, hosts = tmp_path / "piles", tmp_path / "hebergeurs"
    shutil.copytree(ROOT / "piles", stacks)
    shutil.copytree(ROOT / "hebergeurs", hosts)
    stack = next(name for name in app_stacks() if PILES[name]["hosts"])
    path = stacks / f"{stack}.yml"
    description = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(description)
    path.write_text(yaml.safe_dump(description, allow_unicode=True), encoding="utf-8")
    return stacks, hosts, stack


@pytest.mark.parametrize(
    ("host", "need"), [(host, need) for host, described in HEBERGEURS.items() for need in described["stack_needs"] or ()]
)
def test_a_stack_that_does_not_say_what_a_host_needs_is_refused(tmp_path, host, need):
    stacks, hosts, stack = app_stack_description_with(tmp_path, lambda description: description["deploy"]["per_host"][host].pop(need))
    with pytest.raises(piles_module.DescriptionError) as refused:
        piles_module.load_stacks(stacks, hosts)
    assert f"piles/{stack}.yml" in str(refused.value) and f"deploy.per_host.{host}.{need}" in str(refused.value)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda description: description["deploy"]["per_host"].pop(next(iter(description["hosts"]))), "deploy.per_host."),
        (lambda description: description["deploy"].pop("database"), "deploy.database"),
        (lambda description: description.update(deploy=["scalingo"]), "deploy est un dictionnaire"),
        (lambda description: description["deploy"]["address"].update(value="https://sans-nom.example"), "{host}"),
        (lambda description: description["deploy"].update(address={"variable": "X"}), "deploy.address.value"),
    ],
)
def test_a_stack_whose_deploy_data_is_incomplete_is_refused(tmp_path, change, named):
    stacks, hosts, _ = app_stack_description_with(tmp_path, change)
    with pytest.raises(piles_module.DescriptionError) as refused:
        piles_module.load_stacks(stacks, hosts)
    assert named in str(refused.value)


def test_no_stack_text_branches_on_the_host():
    """A host's steps and facts are in its description: a stack's texts read them, never compare `hosting`."""
    for name in PILES:
        text = (ROOT / "piles" / f"{name}.yml").read_text(encoding="utf-8")
        assert not re.findall(r"hosting\s*(?:==|!=|in\b)", text), f"piles/{name}.yml compare la réponse hosting"
