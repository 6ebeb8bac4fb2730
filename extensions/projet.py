"""What the destination project's git history says, for texts that point to the team's files.

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


def _git(destination: Path, *args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", "-C", str(destination), *args], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


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


class ProjetExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)

        @pass_context
        def supprime_par_l_equipe(context, path: str) -> bool:
            # Copier's `_copier_conf` is a mapping (a lazy one), not a dict.
            try:
                destination = context["_copier_conf"]["dst_path"]
            except (KeyError, TypeError):
                return False
            return bool(destination) and deleted_by_team(destination, path)

        environment.globals["supprime_par_l_equipe"] = supprime_par_l_equipe
