"""What keeps a copy fast (scripts/benchmark.py measures it): plain strings are never compiled, and
git is asked about the destination's file modes once per rendering, not once per file."""

from __future__ import annotations

import importlib
import os
import subprocess
from pathlib import Path

import jinja2
import pytest

from conftest import app_stacks, load_extension

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


@pytest.mark.parametrize("value", [True, 42, None, 1.5])
def test_a_value_that_is_not_text_is_refused_as_jinja_refuses_it(value):
    """Copier renders every question value and keeps the value itself on TypeError."""
    plain, cached = environments()
    with pytest.raises(TypeError) as by_jinja:
        plain.from_string(value)
    with pytest.raises(TypeError) as by_cache:
        cached.from_string(value)
    assert str(by_cache.value) == str(by_jinja.value)


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


def file_environment(folder, cache_folder, **options):
    """An environment that loads template files, as Copier's does, with the files' cache in cache_folder."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), keep_trailing_newline=True, **options)
    environment.bytecode_cache = compile_cache.TemplateFilesCache()
    environment.bytecode_cache.directory = str(cache_folder)
    return environment


def compiled_names(environment, monkeypatch):
    names = []
    compile_source = environment.compile

    def counting_compile(source, name=None, *args, **kwargs):
        names.append(name)
        return compile_source(source, name, *args, **kwargs)

    monkeypatch.setattr(environment, "compile", counting_compile)
    return names


def clone(source, destination):
    """What Copier renders from: a fresh temporary clone of the template at every copy."""
    destination.mkdir()
    for path in source.iterdir():
        (destination / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return destination


def one_file_template(tmp_path, name: str, source: str) -> tuple[Path, Path]:
    """A template folder holding one file, and an empty folder for the compiled code."""
    template, cache = tmp_path / "modele", tmp_path / "cache"
    template.mkdir()
    cache.mkdir()
    (template / name).write_text(source, encoding="utf-8")
    return template, cache


def test_a_template_file_is_compiled_once_per_machine_not_once_per_copy(tmp_path, monkeypatch):
    template, cache = one_file_template(tmp_path, "README.md.jinja", "# {{ nom }}\n{% for i in range(2) %}{{ i }}{% endfor %}\n")
    first = file_environment(clone(template, tmp_path / "copie-1"), cache)
    first_compiled = compiled_names(first, monkeypatch)
    assert first.get_template("README.md.jinja").render(nom="Aides") == "# Aides\n01\n"
    second = file_environment(clone(template, tmp_path / "copie-2"), cache)
    second_compiled = compiled_names(second, monkeypatch)
    assert second.get_template("README.md.jinja").render(nom="Bon Dossier") == "# Bon Dossier\n01\n"
    assert (first_compiled, second_compiled) == (["README.md.jinja"], [])


def test_a_changed_file_is_compiled_again_and_both_releases_stay_cached(tmp_path, monkeypatch):
    """An update renders the previous release and the new one: each finds its own compiled code."""
    cache = tmp_path / "cache"
    cache.mkdir()
    releases = {"v1": "Ancien : {{ nom }}\n", "v2": "Nouveau : {{ nom }}\n"}
    rendered = {}
    for round_ in ("premier", "second"):
        for release, source in releases.items():
            folder = tmp_path / f"{round_}-{release}"
            folder.mkdir()
            (folder / "page.jinja").write_text(source, encoding="utf-8")
            environment = file_environment(folder, cache)
            compiled = compiled_names(environment, monkeypatch)
            rendered[round_, release] = (environment.get_template("page.jinja").render(nom="Aides"), len(compiled))
    assert rendered == {
        ("premier", "v1"): ("Ancien : Aides\n", 1),
        ("premier", "v2"): ("Nouveau : Aides\n", 1),
        ("second", "v1"): ("Ancien : Aides\n", 0),
        ("second", "v2"): ("Nouveau : Aides\n", 0),
    }


def test_another_syntax_does_not_reuse_the_compiled_code(tmp_path):
    template, cache = one_file_template(tmp_path, "page.jinja", "[[ nom ]] {{ nom }}\n")
    usual = file_environment(template, cache).get_template("page.jinja").render(nom="A")
    brackets = file_environment(template, cache, variable_start_string="[[", variable_end_string="]]")
    assert (usual, brackets.get_template("page.jinja").render(nom="A")) == ("[[ nom ]] A\n", "A {{ nom }}\n")


def test_a_damaged_or_unwritable_cache_only_means_compiling(tmp_path, monkeypatch):
    template, cache = one_file_template(tmp_path, "page.jinja", "{{ nom }}\n")
    file_environment(template, cache).get_template("page.jinja")
    for cached in cache.iterdir():
        cached.write_bytes(cached.read_bytes()[:20])
    damaged = file_environment(template, cache)
    compiled = compiled_names(damaged, monkeypatch)
    assert damaged.get_template("page.jinja").render(nom="Aides") == "Aides\n"
    assert compiled == ["page.jinja"]
    unwritable = file_environment(template, tmp_path / "absent")
    assert unwritable.get_template("page.jinja").render(nom="Aides") == "Aides\n"


def test_a_second_copy_compiles_no_template_file(generate, monkeypatch, tmp_path):
    """The whole template, through Copier: the second copy of a release finds every file compiled."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    compiled = []
    compile_source = jinja2.Environment.compile

    def counting_compile(self, source, name=None, *args, **kwargs):
        if name is not None:
            compiled.append(name)
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    first = generate(stack=app_stacks()[0])
    first_compiled = list(compiled)
    compiled.clear()
    second = generate(stack=app_stacks()[0], service_name="Le Bon Dossier")
    assert any(name.startswith("template/") for name in first_compiled)
    assert compiled == []
    assert (tmp_path / f"_jinja2-cache-{os.getuid()}").is_dir()
    assert "Le Bon Dossier" in (second / "README.md").read_text(encoding="utf-8")
    assert first != second
