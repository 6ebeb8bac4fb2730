"""Whether the destination already is a git repository, and whether it already tracked the answers
file (a `copier recopy`, not a first copy), for the message after copy.

Copier runs `copier recopy` as a copy (`_copier_operation` is « copy » then, and messages do not even
receive it), and copying into an existing repository is a copy too: only the destination tells
whether the team still has to run `git init`. Read-only; used by `_message_after_copy` alone, never
by a rendered file, so renders stay deterministic.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from jinja2.ext import Extension


def dans_un_depot_git(path: object) -> bool:
    """True when `path` or one of its parents holds `.git` (a folder, or a file for worktrees)."""
    folder = Path(str(path)).absolute()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def deja_suivi_par_git(folder: object, relative: object) -> bool:
    """True when git already tracks `relative` in `folder`: the answers file of an earlier copy, so
    this copy is a `copier recopy` over the team's files. False on a first copy, even into an existing
    repository (adoption), and when git cannot say."""
    try:
        found = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", str(relative)],
            cwd=Path(str(folder)).absolute(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return found.returncode == 0


class DepotGit(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["dans_un_depot_git"] = dans_un_depot_git
        environment.globals["deja_suivi_par_git"] = deja_suivi_par_git
