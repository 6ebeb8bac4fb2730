"""Whether the destination already is a git repository, for the message after copy.

Copier runs `copier recopy` as a copy (`_copier_operation` is « copy » then, and messages do not even
receive it), and copying into an existing repository is a copy too: only the destination tells
whether the team still has to run `git init`. Read-only; used by `_message_after_copy` alone, never
by a rendered file, so renders stay deterministic.
"""

from __future__ import annotations

from pathlib import Path

from jinja2.ext import Extension


def dans_un_depot_git(path: object) -> bool:
    """True when `path` or one of its parents holds `.git` (a folder, or a file for worktrees)."""
    folder = Path(str(path)).absolute()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


class DepotGit(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["dans_un_depot_git"] = dans_un_depot_git
