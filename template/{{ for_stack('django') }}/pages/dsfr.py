"""The DSFR as the pages use it: one stylesheet and one script assembled from django-dsfr's copy of the
DSFR, with its core, the dark mode and the components listed in config/dsfr.json only, instead of the
whole DSFR (576 kB of CSS for every page, a third of it for components the pages never show).

A static files finder (STATICFILES_FINDERS in config/settings.py) writes them into .dsfr/ (ignored by
git) when Django first looks for static files: `collectstatic` then hashes and compresses them like
every other file, and locally whitenoise serves them. Their url() point to django-dsfr's own fonts and
icons, beside them under dsfr/dist/.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import dsfr
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core import checks
from django.core.files.storage import FileSystemStorage

DIST = Path(dsfr.__file__).resolve().parent / "static" / "dsfr" / "dist"
# Beside django-dsfr's files, so that the url() of the stylesheet find the fonts and icons.
STYLESHEET = "dsfr/dist/dsfr-pages.css"
SCRIPT = "dsfr/dist/dsfr-pages.module.js"
URL = re.compile(r"""url\((["']?)([^)"']+)\1\)""")


def components_file() -> Path:
    return Path(settings.BASE_DIR) / "config" / "dsfr.json"


# A component is a folder name of dist/component/: never a path.
COMPONENT_NAME = re.compile(r"[a-z][a-z0-9-]*")


def components() -> list[str]:
    names = json.loads(components_file().read_text(encoding="utf-8"))["components"]
    valid = isinstance(names, list) and all(isinstance(name, str) and COMPONENT_NAME.fullmatch(name) for name in names)
    if not valid:
        raise ValueError("« components » est une liste de noms de composants du DSFR (header, footer…).")
    return names


def first_existing(*candidates: str) -> str | None:
    return next((path for path in candidates if (DIST / path).is_file()), None)


def parts() -> tuple[list[str], list[str]]:
    """The DSFR files of the stylesheet and of the script, relative to dist/, in dependency order."""
    css = [first_existing("core/core.main.min.css"), first_existing("scheme/scheme.min.css")]
    js = [first_existing("core/core.module.min.js"), first_existing("scheme/scheme.module.min.js")]
    for name in components():
        folder = f"component/{name}"
        css.append(first_existing(f"{folder}/{name}.main.min.css", f"{folder}/{name}.min.css"))
        js.append(first_existing(f"{folder}/{name}.module.min.js"))
    return [path for path in css if path], [path for path in js if path]


def with_urls_from_dist(path: str) -> str:
    """One stylesheet of the DSFR, its relative url() rewritten from its own folder to dist/."""
    folder = os.path.dirname(path)

    def rewrite(match: re.Match) -> str:
        quote, url = match.group(1), match.group(2)
        if re.match(r"(data:|https?:|#)", url):
            return match.group(0)
        return f"url({quote}{os.path.normpath(os.path.join(folder, url))}{quote})"

    return URL.sub(rewrite, (DIST / path).read_text(encoding="utf-8"))


def stylesheet() -> str:
    """The stylesheets joined, to be served from dist/."""
    css, _ = parts()
    return "\n".join(with_urls_from_dist(path) for path in css)


def script() -> str:
    """The modules joined; each keeps its top-level names in a block of its own (they share window.dsfr)."""
    _, js = parts()
    return "\n".join("{\n" + (DIST / path).read_text(encoding="utf-8") + "\n}" for path in js)


def write_if_changed(path: Path, text: str) -> None:
    """Written whole or not at all: several processes may start at once."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as temporary:
        temporary.write(text)
    os.chmod(temporary.name, 0o644)
    os.replace(temporary.name, path)


class PagesDsfrFinder(BaseFinder):
    """Finds the two assembled files, writing them first from config/dsfr.json and django-dsfr."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=Path(settings.BASE_DIR) / ".dsfr")
        self.written = False

    def write(self) -> None:
        if not self.written:
            write_if_changed(Path(self.storage.path(STYLESHEET)), stylesheet())
            write_if_changed(Path(self.storage.path(SCRIPT)), script())
            self.written = True

    def check(self, **kwargs):
        try:
            names = components()
        except (OSError, ValueError, KeyError, TypeError) as error:
            return [checks.Error(f"{components_file()} illisible : {error}", id="pages.E002")]
        missing = [name for name in names if not (DIST / "component" / name).is_dir()]
        return [
            checks.Error(
                f"config/dsfr.json : le composant « {name} » n'existe pas dans le DSFR de django-dsfr.",
                hint=f"Les composants sont les dossiers de {DIST / 'component'}.",
                id="pages.E003",
            )
            for name in missing
        ]

    def find(self, path, find_all=False, **kwargs):
        if path not in (STYLESHEET, SCRIPT):
            return []  # as Django's finders say "not here"
        self.write()
        found = self.storage.path(path)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        self.write()
        for path in (STYLESHEET, SCRIPT):
            yield path, self.storage
