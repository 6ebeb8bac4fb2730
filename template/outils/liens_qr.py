"""Tracked links: QR codes of recorded links, with segno (requirements-outils.txt), imported only when asked for."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

QR_SUFFIXES = (".svg", ".png")


def load_segno():
    try:
        import segno  # noqa: PLC0415 - optional, only for QR codes
    except ImportError:
        return None
    return segno


def segno_missing_message() -> str:
    # The system Python refuses `pip install` on current Debian, Ubuntu and Homebrew (PEP 668):
    # the repository's own virtual environment works everywhere.
    again = shlex.join([".venv/bin/python", "outils/liens.py", *sys.argv[1:]])
    return (
        "QR code impossible : le module Python « segno » n'est pas installé pour ce Python "
        f"({sys.executable}). Installez-le dans l'environnement virtuel du dépôt, puis relancez la "
        "commande avec le Python de cet environnement :\n"
        "    python3 -m venv .venv\n"
        "    .venv/bin/python -m pip install -r requirements-outils.txt\n"
        f"    {again}\n"
        "Sur Debian et Ubuntu, si la première commande le demande : sudo apt install python3-venv.\n"
        "Rien n'a été enregistré. Sans l'option --qr, la commande fonctionne sans segno."
    )


def write_qr(segno, link: str, paths: list[Path]) -> None:
    # Level M survives a stain or a fold on a printed sheet; a 4-module quiet zone is the standard's minimum.
    code = segno.make(link, error="m", micro=False, boost_error=False)
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".svg":
            code.save(str(path), kind="svg", scale=10, border=4, title=link)
        else:
            code.save(str(path), kind="png", scale=10, border=4, dpi=300)
