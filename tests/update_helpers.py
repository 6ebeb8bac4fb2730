"""Helpers of the update tests: template versions in a temporary git repository, team edits on
CHECKLIST.md, Copier's own per-file merge replayed with git, and conflict detection.

Everything here works on copies in temporary folders; nothing touches the working tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = "CHECKLIST.md"
OWN_SECTION_TITLE = "## Nos items"
# The labels Copier gives `git merge-file` (copier/_main.py, _apply_update).
MERGE_LABELS = ("before updating", "last update", "after updating")
CONFLICT_LINE = re.compile(r"^(<{7}|>{7})( |$)|^={7}$", re.MULTILINE)

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Équipe de test",
    "GIT_AUTHOR_EMAIL": "equipe@example.org",
    "GIT_COMMITTER_NAME": "Équipe de test",
    "GIT_COMMITTER_EMAIL": "equipe@example.org",
    # A developer's own git settings must not change what the tests see.
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


# --------------------------------------------------------------------------- git and Copier


def git(*args: str, cwd: Path, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false", *args],
        cwd=cwd,
        env=GIT_ENV,
        check=check,
        capture_output=True,
        text=True,
        input=input,
    )


def commit_all(project: Path, message: str) -> None:
    if not (project / ".git").exists():
        git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "--no-verify", "--allow-empty", "-m", message, cwd=project)


def copier_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the `copier` command line exactly as a team would (same interpreter as the tests)."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        env=GIT_ENV,
        capture_output=True,
        text=True,
    )


def copier_update(project: Path, vcs_ref: str, data: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The update the scheduled workflow runs, pinned to a version."""
    options = [f"--data={key}={value}" for key, value in (data or {}).items()]
    return copier_cli("update", "--trust", "--defaults", "--skip-answered", "--quiet", f"--vcs-ref={vcs_ref}", *options, str(project))


def copier_copy(template: Path, project: Path, vcs_ref: str, answers: dict) -> subprocess.CompletedProcess:
    options = [f"--data={key}={yaml_value(value)}" for key, value in answers.items()]
    return copier_cli("copy", "--trust", "--defaults", "--quiet", f"--vcs-ref={vcs_ref}", *options, str(template), str(project))


def yaml_value(value: object) -> str:
    """An answer as Copier's `--data key=value` parses it (lists in flow style)."""
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


# --------------------------------------------------------------------------- template versions


def template_files(root: Path = ROOT) -> list[Path]:
    """What a release of the template holds: every tracked or new file, minus the template's own tests.

    The working tree is taken as it is (uncommitted edits included), like `copier copy -r HEAD`.
    """
    listing = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=root, check=False)
    if listing.returncode != 0:  # not a git checkout: every file but caches
        skipped = {".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache"}
        listed = [
            str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and not skipped & set(path.relative_to(root).parts)
        ]
    else:
        listed = listing.stdout.split("\0")
    return sorted(Path(name) for name in listed if name and not name.startswith(("tests/", ".ci/")) and (root / name).is_file())


def write_snapshot(dest: Path, root: Path = ROOT) -> None:
    """Replace everything in dest (but .git) by the template files of root."""
    dest.mkdir(parents=True, exist_ok=True)
    for child in dest.iterdir():
        if child.name == ".git":
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for relative in template_files(root):
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)


Mutation = Callable[[Path], None]


def build_template_repo(dest: Path, versions: list[tuple[str, Mutation | None]], root: Path = ROOT) -> Path:
    """A git repository holding one commit and one tag per version, each from today's template
    changed by its mutation (None: today's template as it is)."""
    for tag, mutate in versions:
        write_snapshot(dest, root)
        if mutate is not None:
            mutate(dest)
        commit_all(dest, f"Version {tag}")
        git("tag", tag, cwd=dest)
    return dest


# libyaml when present: the same documents, parsed ten times faster than pure Python.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def fast_safe_load(stream):
    return yaml.load(stream, Loader=FAST_LOADER)


def read_checklist_data(template: Path) -> dict:
    return fast_safe_load((template / "playbook" / "checklist.yml").read_text(encoding="utf-8"))


def write_checklist_data(template: Path, data: dict) -> None:
    (template / "playbook" / "checklist.yml").write_text(
        yaml.dump(data, Dumper=FAST_DUMPER, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
    )


def sections_with_room(data: dict, minimum: int = 3) -> list[dict]:
    return [section for section in data["sections"] if len(section["items"]) >= minimum]


def older_playbook(dropped: int = 2) -> Mutation:
    """A plausible previous release: the first, a middle and the last long-enough sections lack
    their last `dropped` items (they are the items the next release appends)."""

    def mutate(template: Path) -> None:
        data = read_checklist_data(template)
        for section in pick_first_middle_last(sections_with_room(data, dropped + 1)):
            del section["items"][-dropped:]
        write_checklist_data(template, data)

    return mutate


def item_inserted_in_the_middle(template: Path) -> None:
    """A release that breaks the rules on purpose: a new item inserted between the first two items."""
    data = read_checklist_data(template)
    items = data["sections"][0]["items"]
    items.insert(1, {**items[0], "id": "Z01", "text": "Un item inséré au milieu, contre la règle."})
    write_checklist_data(template, data)


def pick_first_middle_last(items: list) -> list:
    if len(items) <= 3:
        return list(items)
    return [items[0], items[len(items) // 2], items[-1]]


def item_ids(data: dict) -> list[str]:
    return [item["id"] for section in data["sections"] for item in section["items"]]


# --------------------------------------------------------------------------- the team's edits


def tick(text: str, item_id: str) -> str:
    line = re.compile(rf"^- \[ \] \*\*{re.escape(item_id)}\*\*", re.MULTILINE)
    assert len(line.findall(text)) == 1, f"item {item_id} not found once in the checklist"
    return line.sub(f"- [x] **{item_id}**", text)


def add_notes(text: str, item_id: str, notes: list[str]) -> str:
    """Write the team's notes between the item's two markers, after any notes already there."""
    closing = f"  <!-- /{item_id} -->\n"
    assert text.count(closing) == 1, f"notes markers of {item_id} not found once"
    return text.replace(closing, "".join(f"{note}\n" for note in notes) + closing)


def add_own_items(text: str, lines: list[str]) -> str:
    """The team's own items go at the end of the file, in « Nos items »."""
    assert OWN_SECTION_TITLE in text
    if not lines:
        return text
    return text.rstrip("\n") + "\n\n" + "".join(f"{line}\n" for line in lines)


@dataclass
class TeamEdits:
    ticks: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    own_items: list[str] = field(default_factory=list)

    def apply(self, text: str) -> str:
        for item_id in self.ticks:
            text = tick(text, item_id)
        for item_id, notes in self.notes.items():
            text = add_notes(text, item_id, notes)
        return add_own_items(text, self.own_items)


@dataclass
class ChecklistState:
    ticked: set[str]
    notes: dict[str, list[str]]
    ids: list[str]
    sections: dict[str, list[str]]
    own_section: str


def parse_checklist(text: str) -> ChecklistState:
    """What a team cares about in CHECKLIST.md: which items are ticked, the notes of each item,
    the items of each section in order, and the text of « Nos items »."""
    ticked, ids, notes, sections = set(), [], {}, {}
    section = None
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line == OWN_SECTION_TITLE:
            break  # the team's own section: its lines are the team's, whatever they look like
        if line.startswith("## "):
            section = line[3:]
            sections.setdefault(section, [])
        match = re.match(r"^- \[([ xX])\] \*\*([A-Za-z0-9-]+)\*\*", line)
        if match:
            ids.append(match[2])
            sections[section].append(match[2])
            if match[1] != " ":
                ticked.add(match[2])
        match = re.match(r"^  <!-- notes (\S+) -->$", line)
        if match:
            end = lines.index(f"  <!-- /{match[1]} -->", index)
            notes[match[1]] = lines[index + 1 : end]
    own = text.split(OWN_SECTION_TITLE, 1)[1] if OWN_SECTION_TITLE in text else ""
    return ChecklistState(ticked, notes, ids, sections, own)


# --------------------------------------------------------------------------- conflicts


def conflicts(project: Path) -> list[str]:
    """Files holding conflict markers, and `.rej` files: what Copier's exit code never reports."""
    found = []
    for path in sorted(project.rglob("*")):
        if ".git" in path.relative_to(project).parts or not path.is_file():
            continue
        relative = str(path.relative_to(project))
        if path.suffix == ".rej":
            found.append(f"{relative} (fichier de rejet)")
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if CONFLICT_LINE.search(content):
            found.append(f"{relative} (marqueurs de conflit)")
    return found


# --------------------------------------------------------------------------- Copier's merge, replayed


def copier_merge(old: str, team: str, new: str, workdir: Path) -> tuple[str, bool]:
    """Merge one file the way `copier update --conflict inline --context-lines 3` does.

    Copier diffs the old render against the team's version (3 context lines, hunks never joined),
    applies that diff onto the new render with `git apply --reject`, and for a file with a rejected
    hunk restores the team's version and runs `git merge-file` (team, old render, new render).
    Returns the merged text and whether the 3-way fallback ran.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    for folder, content in (("a", old), ("b", team), ("n", new)):
        (workdir / folder).mkdir(exist_ok=True)
        (workdir / folder / CHECKLIST).write_text(content, encoding="utf-8")
    diff = git(
        "diff",
        "--no-index",
        "--no-prefix",
        "--unified=3",
        "--inter-hunk-context=-1",
        f"a/{CHECKLIST}",
        f"b/{CHECKLIST}",
        cwd=workdir,
        check=False,
    )
    assert diff.returncode in (0, 1), diff.stderr
    target = workdir / "n" / CHECKLIST
    rejected = target.with_name(CHECKLIST + ".rej")
    if diff.stdout:
        # With --no-prefix the paths read a/CHECKLIST.md and b/CHECKLIST.md: -p1 strips the folder.
        git("apply", "--reject", "-p1", cwd=workdir / "n", check=False, input=diff.stdout)
    if not rejected.exists():
        return target.read_text(encoding="utf-8"), False
    rejected.unlink()
    target.write_text(team, encoding="utf-8")
    labels = [option for label in MERGE_LABELS for option in ("-L", label)]
    theirs = workdir / "m" / CHECKLIST
    theirs.parent.mkdir(exist_ok=True)
    theirs.write_text(new, encoding="utf-8")
    git("merge-file", *labels, "--", str(target), str(workdir / "a" / CHECKLIST), str(theirs), cwd=workdir, check=False)
    return target.read_text(encoding="utf-8"), True


# --------------------------------------------------------------------------- rendering without Copier


class ChecklistRenderer:
    """Renders template/CHECKLIST.md.jinja for any playbook, with the environment Copier builds
    (same extensions, same `_envops`, the context hook included) but without copying a project:
    a tenth of a second instead of seconds, so that property-based tests run hundreds of histories.

    It works in a folder holding extensions/, playbook/ and the checklist's template, as a release
    does: the playbook extension reads the playbook next to its own file, and the extensions are
    executed anew for each environment, so nothing is cached from one render to the next.
    """

    def __init__(self, workdir: Path, root: Path = ROOT, relative: str = "template/CHECKLIST.md.jinja"):
        self.tree = workdir / "modele"
        self.relative = relative
        self.settings = fast_safe_load((root / "copier.yml").read_text(encoding="utf-8"))
        for folder in ("extensions", "playbook", "includes", "piles", "hebergeurs"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, self.tree / folder)
        (self.tree / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, self.tree / relative)

    def render(self, checklist: dict, answers: dict) -> str:
        import jinja2
        from copier._jinja_ext import CopierTemplateLoader, SandboxedEnvironment, YieldExtension

        # JSON is YAML, and much faster to write than a YAML dump.
        (self.tree / "playbook" / "checklist.yml").write_text(json.dumps(checklist, ensure_ascii=False), encoding="utf-8")
        envops = dict(self.settings.get("_envops", {}))
        if envops.get("undefined") == "jinja2.StrictUndefined":
            envops["undefined"] = jinja2.StrictUndefined
        env = SandboxedEnvironment(
            loader=CopierTemplateLoader(self.tree),
            extensions=[
                "jinja2_ansible_filters.AnsibleCoreFiltersExtension",
                YieldExtension,
                *self.settings.get("_jinja_extensions", []),
            ],
            **envops,
        )
        context = {
            **answers,
            "_copier_answers": dict(answers),
            "_copier_conf": {"answers_file": ".copier-answers.yml", "dst_path": str(self.tree / "projet"), "sep": "/"},
            "_folder_name": "projet",
            "_copier_python": sys.executable,
            "_copier_phase": "render",
        }
        # The playbook extension parses YAML with `yaml.safe_load`; libyaml reads the same data faster.
        safe_load, yaml.safe_load = yaml.safe_load, fast_safe_load
        try:
            return env.get_template(self.relative).render(context)
        finally:
            yaml.safe_load = safe_load


# --------------------------------------------------------------------------- the layout before stack folders

STACK_FOLDER = re.compile(r"^\{\{ for_stack\('(\w+)'\) \}\}$")


def flat_layout(template: Path) -> None:
    """The layout of the template before stack folders (up to commit faaaf60): every file of a stack
    sits among the common files, its name wrapped in `{% if stack == '<stack>' %}…{% endif %}` at the
    first part of its path that the common files do not have."""
    source = template / "template"
    for folder in sorted(path for path in source.iterdir() if STACK_FOLDER.match(path.name)):
        stack = STACK_FOLDER.match(folder.name)[1]
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts = list(path.relative_to(folder).parts)
            at = next(i for i in range(len(parts)) if not (source.joinpath(*parts[: i + 1])).is_dir() or i == len(parts) - 1)
            name = parts[at]
            suffix = ".jinja" if at == len(parts) - 1 and name.endswith(".jinja") else ""
            stem = name[: len(name) - len(suffix)]
            parts[at] = f"{{% if stack == '{stack}' %}}{stem}{{% endif %}}{suffix}"
            target = source.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
        shutil.rmtree(folder)
