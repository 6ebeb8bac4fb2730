"""Adoption of the template by a repository that already holds its service (`stack=existant`).

Copier has no adopt command: copying into a folder that already has a file the template writes asks
whether to overwrite it, and fails without a terminal. So, at the first copy, the hidden answer
`preexisting_paths` records which paths the template would write already exist in the destination;
`_exclude` (copier.yml) turns each into an anchored pattern, so the template never writes there, on copy
or on any update (the old and the new renders of an update read the same stored answer, so they agree).

"The paths the template would write" are derived from the template tree itself, the way Copier renders
it (path parts rendered with the answers, `yield` expanded, empty parts skipped, `.jinja` stripped, the
template's own `_exclude` applied), never from a hand-written list.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path, PurePosixPath

import yaml
from jinja2 import pass_context
from jinja2.ext import Extension
from pathspec import PathSpec

try:  # the pattern flavour Copier itself matches `_exclude` with
    from copier._main import _pathspec_pattern as PATTERN_FLAVOUR
except ImportError:  # pragma: no cover
    PATTERN_FLAVOUR = "gitwildmatch"

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
SUFFIX = ".jinja"
ANSWERS_FILE = ".copier-answers.yml"
# The answer that records the adoption, and the one file that only exists when the README is kept.
ANSWER = "preexisting_paths"
README = "README.md"
MAX_PATHS = 500
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@functools.lru_cache(maxsize=1)
def _settings() -> dict:
    return yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8"))


def _render(environment, source: str, variables: dict) -> str:
    return environment.from_string(source).render(variables)


def _rendered_parts(environment, parts: tuple[str, ...], variables: dict):
    """Every destination path one template path renders to (Copier's `_render_parts`)."""
    from copier._jinja_ext import get_yield_context  # Copier's own `yield` bookkeeping

    if not parts:
        yield ()
        return
    part, rest = parts[0], parts[1:]
    rendered = _render(environment, part, variables)
    context = get_yield_context(environment)
    if context.yield_name:
        name, values = context.yield_name, list(context.yield_iterable or ())
        for value in values:
            scoped = {**variables, name: value}
            rendered = _render(environment, part, scoped)
            if rendered:
                for tail in _rendered_parts(environment, rest, scoped):
                    yield (rendered, *tail)
        return
    if rendered:
        for tail in _rendered_parts(environment, rest, variables):
            yield (rendered, *tail)


def template_paths(environment, variables: dict) -> list[str]:
    """The files a copy with these answers writes, relative to the destination, sorted.

    The answers file is left out: Copier always writes it, and it is never a team's file.
    `preexisting_paths`, when not answered yet, is taken as holding the README, so that the guide
    that replaces a kept README (CONSTRUCTION.md) counts among the paths that could collide.
    """
    variables = dict(variables)
    variables.setdefault(ANSWER, [README])
    source_root = TEMPLATE_ROOT / _settings().get("_subdirectory", ".")
    # The template's own exclusions, without the adoption's: this lists what the template holds.
    bare = {**variables, ANSWER: []}
    excluded = PathSpec.from_lines(
        PATTERN_FLAVOUR,
        [line for entry in _settings().get("_exclude", []) for line in _render(environment, entry, bare).splitlines()],
    )
    found = set()
    for path in sorted(source_root.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source_root)
        is_template = relative.name.endswith(SUFFIX)
        if not is_template and path.with_name(path.name + SUFFIX).exists():
            continue  # `X.jinja` wins over `X`
        if is_template:
            relative = relative.with_name(relative.name[: -len(SUFFIX)])
        for parts in _rendered_parts(environment, relative.parts, variables):
            rendered = PurePosixPath(*parts).as_posix()
            if rendered != ANSWERS_FILE and not excluded.match_file(rendered):
                found.add(rendered)
    return sorted(found)


def collisions(paths: list[str], destination: Path) -> list[str]:
    """The paths among `paths` the destination already holds (a file, folder or link of that name),
    or where a parent of the path is a file: the template could write none of them."""
    found = set()
    for path in paths:
        parts = PurePosixPath(path).parts
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            candidate = destination / prefix
            if os.path.lexists(candidate) and (depth == len(parts) or not candidate.is_dir() or candidate.is_symlink()):
                found.add(prefix)
                break
    return sorted(found)


@pass_context
def adoption_preexisting_paths(context) -> list[str]:
    """The default of `preexisting_paths`: empty for a repository already made from the template."""
    destination = Path(str(context["_copier_conf"]["dst_path"]))
    if os.path.lexists(destination / ANSWERS_FILE):
        return []
    return collisions(template_paths(context.environment, context.get_all()), destination)


@pass_context
def adoption_written_paths(context) -> list[str]:
    """What this copy writes: the template's paths minus those left to the team."""
    kept = set(context.get(ANSWER) or [])
    variables = context.get_all()
    return [path for path in template_paths(context.environment, variables) if path not in kept and not _under_any(path, kept)]


def _under_any(path: str, prefixes: set[str]) -> bool:
    return any(path.startswith(prefix + "/") for prefix in prefixes)


def preexisting_paths_error(value) -> str:
    """French message naming the rule, or "" when the answer is a list of plain relative paths."""
    rule = (
        f"{ANSWER} : réponse calculée à l'adoption, à ne pas donner à la main ; sinon une liste de chemins "
        "relatifs au dépôt, sans « .. » ni caractère de contrôle (exemple qui passe : -d '" + ANSWER + "=[README.md, LICENSE]')."
    )
    if not isinstance(value, list) or len(value) > MAX_PATHS:
        return rule
    for path in value:
        if not isinstance(path, str) or not path or CONTROL.search(path) or "\\" in path:
            return rule
        parts = path.split("/")
        if path.startswith("/") or any(part in ("", ".", "..") for part in parts) or path == ANSWERS_FILE:
            return rule
    return ""


def raw_template_file(name: str) -> str:
    """The text of a template file as it is, unrendered (a workflow that GitHub, not Jinja, reads)."""
    path = (TEMPLATE_ROOT / name).resolve()
    if not path.is_relative_to(TEMPLATE_ROOT):
        raise ValueError(f"{name} is outside the template")
    return path.read_text(encoding="utf-8")


class AdoptionExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["adoption_preexisting_paths"] = adoption_preexisting_paths
        environment.globals["adoption_written_paths"] = adoption_written_paths
        environment.globals["raw_template_file"] = raw_template_file
        environment.filters["preexisting_paths_error"] = preexisting_paths_error
