"""Asks git about the destination's `core.fileMode` once per rendering, instead of once per file.

After writing each file, Copier 9.19 runs `git config --get core.fileMode` in the destination, so as to
copy the executable bit into git's index where git ignores file modes (`core.fileMode = false`, the
Windows default). That is one git process per file (about 90 for a stack with an application), and
the setting does not change while Copier renders. This hook keeps the answer for the rest of the
rendering (one Copier worker, one destination): where git tracks modes itself, the per-file step has
nothing to do and is skipped; where it does not, Copier's own step runs for every file, as before.
"""

from __future__ import annotations

import inspect

from jinja2.ext import Extension

MARK = "_asks_git_once"
# The step as Copier 9.19 writes it. Any other shape is another step, perhaps doing more: left alone.
EXPECTED_PARAMETERS = ["self", "dst_relpath", "src_mode"]


def git_tracks_modes(worker) -> bool:
    """Copier's own test: git tracks modes unless `core.fileMode` is false (unset, unreadable, or no
    repository at all: it does, or there is no index to fix)."""
    from copier._vcs import get_git
    from plumbum import ProcessExecutionError

    try:
        value = get_git(context_dir=worker.subproject.local_abspath)("config", "--type=bool", "--get", "core.fileMode")
    except ProcessExecutionError:
        return True
    return value.strip() != "false"


def asking_git_once(sync):
    def sync_executable_bit(worker, dst_relpath, src_mode):
        # Kept on the worker itself: a later copy or update (another worker) asks git again.
        answers = vars(worker).setdefault("_git_tracks_modes", {})
        destination = worker.subproject.local_abspath
        if destination not in answers:
            answers[destination] = git_tracks_modes(worker)
        if not answers[destination]:
            sync(worker, dst_relpath, src_mode)

    setattr(sync_executable_bit, MARK, True)
    return sync_executable_bit


class GitModeOnce(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        try:
            from copier._main import Worker
        except ImportError:
            return
        # Another Copier version may have no such step, or another one: then nothing changes.
        sync = getattr(Worker, "_sync_git_index_executable_bit", None)
        if callable(sync) and not getattr(sync, MARK, False) and same_step(sync):
            Worker._sync_git_index_executable_bit = asking_git_once(sync)


def same_step(sync) -> bool:
    try:
        return list(inspect.signature(sync).parameters) == EXPECTED_PARAMETERS
    except (TypeError, ValueError):
        return False
