"""The DSFR the pages load: one stylesheet and one script with the components of config/dsfr.json."""

import re

from django.contrib.staticfiles import finders
from django.test import Client

from pages import dsfr

from .test_pages import PAGES


def rules_of(component: str) -> str:
    """A selector that only the component's own stylesheet defines."""
    return f".fr-{component}"


def test_the_pages_load_the_assembled_files_not_the_whole_dsfr():
    for path in PAGES:
        html = Client().get(path).content.decode()
        assert "dsfr/dist/dsfr-pages.css" in html and "dsfr/dist/dsfr-pages.module.js" in html, path
        assert "dsfr.main.min.css" not in html and "dsfr.min.css" not in html and "dsfr.module.min.js" not in html, path


def test_the_stylesheet_holds_the_listed_components_only():
    stylesheet = dsfr.stylesheet()
    for component in ("header", "footer", "table", "breadcrumb", "modal"):
        assert component in dsfr.components()
        assert rules_of(component) in stylesheet, component
    for absent in ("accordion", "card", "tile", "tab", "tag", "stepper", "quote"):
        assert absent not in dsfr.components()
        assert not re.search(re.escape(rules_of(absent)) + r"[\s{.,:_-]", stylesheet), absent
    whole = (dsfr.DIST / "dsfr" / "dsfr.main.min.css").stat().st_size
    assert len(stylesheet.encode()) < 0.75 * whole


def test_every_file_the_stylesheet_points_to_exists():
    urls = {match.group(2) for match in dsfr.URL.finditer(dsfr.stylesheet())}
    local = {url for url in urls if not url.startswith(("data:", "http:", "https:", "#"))}
    assert any(url.startswith("fonts/Marianne") for url in local)
    for url in local:
        assert (dsfr.DIST / url.split("?")[0].split("#")[0]).is_file(), url


def test_the_script_starts_the_listed_components():
    script = dsfr.script()
    assert script.count("\n{\n") + script.startswith("{\n") == len(dsfr.parts()[1])
    assert "navigation" in script and "modal" in script


def test_static_files_find_the_assembled_files():
    for path in (dsfr.STYLESHEET, dsfr.SCRIPT):
        found = finders.find(path)
        assert found and found.endswith(path)
        with open(found, encoding="utf-8") as written:
            assert written.read() == (dsfr.stylesheet() if path == dsfr.STYLESHEET else dsfr.script())


def test_an_unknown_component_is_reported_by_the_checks(monkeypatch):
    monkeypatch.setattr(dsfr, "components", lambda: ["header", "composant-inconnu"])
    errors = dsfr.PagesDsfrFinder().check()
    assert [error.id for error in errors] == ["pages.E003"]
    assert "composant-inconnu" in errors[0].msg


def test_a_component_name_that_is_a_path_is_reported_by_the_checks(tmp_path, settings):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "dsfr.json").write_text('{"components": ["header", "../../core"]}', encoding="utf-8")
    settings.BASE_DIR = tmp_path
    errors = dsfr.PagesDsfrFinder().check()
    assert [error.id for error in errors] == ["pages.E002"]
    assert "noms de composants" in errors[0].msg
