"""Helpers for the tests and the benchmark of the generated repository's tools (outils/).

Everything here builds inputs independently of the tools' own code: links are spelled out literally,
checklists are written line by line in the format of template/CHECKLIST.md.jinja.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

COLUMNS = ["date", "auteur", "campagne", "source", "support", "contenu", "cible", "lien", "parametres", "hors_domaine", "partage", "note"]
SOURCES = ["newsletter", "linkedin", "affiche", "partenaire", "sms", "beta-gouv"]
MEDIUMS = ["email", "reseau-social", "qr-code", "lien-partenaire", "sms", "article"]


def run_tool(
    project: Path, tool: str, *args: str, python: str | None = None, env: dict | None = None, flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """Run outils/<tool>.py inside `project`, as a team member would, with its output captured."""
    # The tools annotate their output when they run on GitHub Actions: only when a test asks for it.
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    environment.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    return subprocess.run(
        [python or sys.executable, *flags, f"outils/{tool}.py", *args],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )


def tracked(target: str, campaign: str, source: str, medium: str, content: str = "") -> str:
    """The expected tracked link, spelled out (targets here carry no query)."""
    link = f"{target}?mtm_campaign={campaign}&mtm_kwd={source}_{medium}&mtm_source={source}&mtm_medium={medium}"
    return link + (f"&mtm_content={content}" if content else "")


def registry_row(index: int, slug: str) -> dict:
    source, medium = SOURCES[index % len(SOURCES)], MEDIUMS[index % len(MEDIUMS)]
    campaign = f"2026-{index % 12 + 1:02d}-campagne-{index // 100}"
    content = f"variante-{index}"
    target = f"https://{slug}.beta.gouv.fr/page-{index % 50}"
    return {
        "date": f"2026-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
        "auteur": "Camille Martin" if index % 2 else "Dominique Léa Petit",
        "campagne": campaign,
        "source": source,
        "support": medium,
        "contenu": content,
        "cible": target,
        "lien": tracked(target, campaign, source, medium, content),
        "parametres": "oui",
        "hors_domaine": "",
        "partage": f"Infolettre n°{index % 40}, agents d'accueil, « édition régionale »",
        "note": 'Relance "douce", après le salon' if index % 3 == 0 else "",
    }


def registry_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def large_registry(path: Path, count: int, slug: str) -> None:
    path.write_text(registry_text([registry_row(i, slug) for i in range(count)]), encoding="utf-8")


def synthetic_checklist(item_count: int, *, start_year: int = 2026, sections: int = 10) -> str:
    """A checklist in the generated format with `item_count` items, every third one ticked."""
    lines = ["# Checklist de la construction — Service de test", "", "Texte d'introduction.", ""]
    per_section = -(-item_count // sections)
    number = 0
    for section in range(sections):
        lines += [f"## Section {section + 1}", "", "Introduction de la section.", ""]
        for _ in range(per_section):
            if number == item_count:
                break
            number += 1
            ident = f"S{number:03d}"
            tick = "x" if number % 3 == 0 else " "
            due = f"{start_year}-{number % 12 + 1:02d}-{number % 28 + 1:02d}" if number % 4 else "au fil de la phase"
            lines += [
                f"- [{tick}] **{ident}** Item numéro {number}, avec un texte de longueur ordinaire pour la mesure.",
                "",
                f"  Responsables : Intrapreneur·e, Coach · Échéance : {due} · Standard · [Source](https://example.org/{number})",
                f"  <!-- notes {ident} -->",
                "  Une note de l'équipe, avec - [ ] une fausse case et Échéance : 2000-01-01.",
                f"  <!-- /{ident} -->",
                "",
            ]
    lines += ["## Nos items", "", "Ajoutez ici vos items.", ""]
    return "\n".join(lines) + "\n"


def png_modules(data: bytes, *, scale: int, border: int) -> list[list[bool]]:
    """Dark modules of a 1-bit greyscale PNG QR code (as segno writes it), read back with the standard library."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks.setdefault(kind, b"")
        chunks[kind] += data[position + 8 : position + 8 + length]
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (1, 0), "expected a 1-bit greyscale PNG"
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = (width + 7) // 8
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left, up = (line[i - 1] if i else 0), previous[i]
            up_left = previous[i - 1] if i else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append(line)
        previous = line
    size = width // scale - 2 * border

    def dark(x: int, y: int) -> bool:
        return not (rows[y][x // 8] >> (7 - x % 8)) & 1

    return [[dark((border + col) * scale + scale // 2, (border + row) * scale + scale // 2) for col in range(size)] for row in range(size)]
