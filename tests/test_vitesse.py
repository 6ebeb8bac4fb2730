"""What keeps a copy fast (scripts/benchmark.py measures it): plain strings are never compiled, and
git is asked about the destination's file modes once per rendering, not once per file."""

from __future__ import annotations

import importlib
import subprocess

import jinja2
import pytest

from conftest import load_extension

compile_cache = load_extension("compile_cache")
git_mode = load_extension("git_mode")
# The module, not the `local` machine that plumbum.machines exports under the same name.
plumbum_local = importlib.import_module("plumbum.machines.local")

STRINGS = [
    "docs",
    "index.html",
    "{{ for_stack('une-pile') }}",
    "{% if stack == 'une-pile' %}site{% endif %}",
    "a {# comment #} b",
    "une ligne\n",
    "deux\nlignes",
    "retour\r\nchariot",
    "accolade { seule }",
    "",
]


def environments():
    options = {"keep_trailing_newline": True, "undefined": jinja2.StrictUndefined}
    plain = jinja2.Environment(**options)
    cached = jinja2.Environment(extensions=[compile_cache.CompileCache], **options)
    cached.globals["for_stack"] = plain.globals["for_stack"] = lambda stack: "."
    return plain, cached


@pytest.mark.parametrize("source", STRINGS)
def test_every_string_renders_as_jinja_renders_it(source):
    plain, cached = environments()
    context = {"stack": "une-pile"}
    assert cached.from_string(source).render(**context) == plain.from_string(source).render(**context)


def test_a_string_without_jinja_is_never_compiled(monkeypatch):
    _, cached = environments()
    compiled = []
    compile_source = cached.compile

    def counting_compile(source, *args, **kwargs):
        compiled.append(source)
        return compile_source(source, *args, **kwargs)

    monkeypatch.setattr(cached, "compile", counting_compile)
    for source in STRINGS * 2:
        cached.from_string(source)
    # Each string with a delimiter or a line break compiled once; the others never.
    assert sorted(compiled) == sorted(source for source in STRINGS if not compile_cache.renders_to_itself(cached, source))
    assert len(compiled) == 6


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


class FakeWorker:
    """What the hook reads of Copier's worker: the destination."""

    def __init__(self, destination):
        self.subproject = type("Subproject", (), {"local_abspath": destination})()


def test_git_is_asked_once_where_it_tracks_modes_itself(tmp_path, monkeypatch):
    git("init", "-q", cwd=tmp_path)
    asked, synced = [], []
    ask = git_mode.git_tracks_modes
    monkeypatch.setattr(git_mode, "git_tracks_modes", lambda worker: asked.append(1) or ask(worker))
    sync = git_mode.asking_git_once(lambda worker, path, mode: synced.append(path))
    worker = FakeWorker(tmp_path)
    for name in ("a", "b", "c"):
        sync(worker, name, 0o100755)
    assert (len(asked), synced) == (1, [])
    # Another rendering asks again.
    sync(FakeWorker(tmp_path), "d", 0o100644)
    assert len(asked) == 2


def test_copier_step_runs_for_every_file_where_git_ignores_modes(tmp_path):
    git("init", "-q", cwd=tmp_path)
    git("config", "core.fileMode", "false", cwd=tmp_path)
    synced = []
    sync = git_mode.asking_git_once(lambda worker, path, mode: synced.append(path))
    worker = FakeWorker(tmp_path)
    for name in ("a", "b", "c"):
        sync(worker, name, 0o100755)
    assert synced == ["a", "b", "c"]


def test_a_copy_asks_git_about_file_modes_once(generate, monkeypatch):
    """Copier alone runs `git config core.fileMode` after each of the files it writes."""
    asked = []
    popen = plumbum_local.Popen

    def counting_popen(args, *rest, **kwargs):
        if "core.fileMode" in [str(arg) for arg in args]:
            asked.append(args)
        return popen(args, *rest, **kwargs)

    monkeypatch.setattr(plumbum_local, "Popen", counting_popen)
    project = generate(stack="nocode")
    assert sum(1 for path in project.rglob("*") if path.is_file()) > 20
    assert len(asked) == 1


def test_a_copier_step_of_another_shape_is_left_alone(monkeypatch):
    """Another Copier version may change the step: the hook then changes nothing."""
    from copier._main import Worker

    def other_step(self, dst_relpath, src_mode, something_new):
        return None

    monkeypatch.setattr(Worker, "_sync_git_index_executable_bit", other_step)
    load_extension("git_mode").GitModeOnce(jinja2.Environment())
    assert Worker._sync_git_index_executable_bit is other_step
