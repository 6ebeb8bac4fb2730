"""What the destination's git says: whether it already is a git repository, whether it already
tracked the answers file (a `copier recopy`, not a first copy), for the message after copy; and which
files the team deleted, for texts that point to the team's files.

Copier runs `copier recopy` as a copy (`_copier_operation` is « copy » then, and messages do not even
receive it), and copying into an existing repository is a copy too: only the destination tells
whether the team still has to run `git init`. Read-only.

During `copier update`, Copier renders the new version three times: the old one into an empty
temporary folder, the new one into the project, and the new one again into an empty temporary
folder. Only the render into the project sees the team's repository: there, a file the team deleted
(absent from the index, removed by one of its commits) is not re-created, so a text must not link to
it. In a temporary folder or a folder without git, nothing was deleted.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from jinja2 import pass_context
from jinja2.ext import Extension


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess | None:
    """A read-only git command in `folder`; None when git cannot run there."""
    try:
        return subprocess.run(["git", *args], cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def dans_un_depot_git(path: object) -> bool:
    """True when `path` or one of its parents holds `.git` (a folder, or a file for worktrees)."""
    folder = Path(str(path)).absolute()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def deja_suivi_par_git(folder: object, relative: object) -> bool:
    """True when git already tracks `relative` in `folder`: the answers file of an earlier copy, so
    this copy is a `copier recopy` over the team's files. False on a first copy, even into an existing
    repository (adoption), and when git cannot say."""
    found = _git(Path(str(folder)).absolute(), "ls-files", "--error-unmatch", "--", str(relative))
    return found is not None and found.returncode == 0


def deleted_by_team(destination: object, path: str) -> bool:
    """True when `path` is not in the index of the destination's repository and a commit of that
    repository deleted it: the team removed it on purpose."""
    folder = Path(str(destination))
    if not (folder / ".git").exists():
        return False
    listed = _git(folder, "ls-files", "--", path)
    if listed is None or listed.returncode != 0 or listed.stdout.strip():
        return False
    history = _git(folder, "log", "-1", "--format=%H", "--diff-filter=D", "--", path)
    return bool(history and history.returncode == 0 and history.stdout.strip())


@pass_context
def supprime_par_l_equipe(context, path: str) -> bool:
    # Copier's `_copier_conf` is a mapping (a lazy one), not a dict.
    try:
        destination = context["_copier_conf"]["dst_path"]
    except (KeyError, TypeError):
        return False
    return bool(destination) and deleted_by_team(destination, path)


class DepotGit(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["dans_un_depot_git"] = dans_un_depot_git
        environment.globals["deja_suivi_par_git"] = deja_suivi_par_git
        environment.globals["supprime_par_l_equipe"] = supprime_par_l_equipe
