#!/usr/bin/env python3
"""Progress of CHECKLIST.md: done/total per section, late items, next due dates.

    python3 outils/progression.py [--aujourdhui AAAA-MM-JJ] [--markdown] [--fichier CHECKLIST.md]

Reads the checklist as the team edits it (ticks, notes between the markers, the team's own items) and
never writes it. Standard library only. Lines it cannot read (a code block left open, a heading or a box
mistyped, an id used twice) are reported with their numbers. Exit codes: 0 ok, 1 file unreadable or read
only in part, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path

# The tools run as `python3 outils/<tool>.py`: their own folder is on the import path.
from ligne_de_commande import FrenchParser

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST_FILE = ROOT / "CHECKLIST.md"
EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2
BAR_WIDTH = 20
NEXT_COUNT = 3

SECTION = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$")
ITEM = re.compile(r"^[-*+][ \t]+\[([ xX])\][ \t]+(.*)$")
ITEM_ID = re.compile(r"^\*\*([A-Za-z][A-Za-z0-9_.-]*)\*\*[ \t]*(.*)$")
NOTES_OPEN = re.compile(r"^[ \t]*<!--[ \t]*notes[ \t]+(\S+)[ \t]*-->")
NOTES_CLOSE = re.compile(r"^[ \t]*<!--[ \t]*/(\S+)[ \t]*-->")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# What a team types by hand and the parser would otherwise skip without a word.
HEADING_WITHOUT_SPACE = re.compile(r"^##[^#\s]")
BROKEN_BOX = re.compile(r"^[-*+][ \t]*\[([^\]]{0,3})\]")
# Fields of the meta line are separated by « · » with spaces; « Intrapreneur·e » has none.
DUE = re.compile(r"[ÉéEe]ch[ée]ance[ \t]*:[ \t]*(.*?)(?:[ \t]+[·|][ \t]|$)")
OWNERS = re.compile(r"Responsables?[ \t]*:[ \t]*(.*?)(?:[ \t]+[·|][ \t]|$)")
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\b")
FRENCH_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\b")
NO_DUE = "au fil de la phase"
# Terminal escape sequences and other invisible characters never reach the output.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What GitHub's Markdown reads as markup inside a line (emphasis, code, links and images, HTML, entities, table
# cells, strikethrough, math, mentions): escaped with a backslash, as CommonMark allows for any ASCII punctuation.
# The text never starts a line, so list and heading markers need no escape.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~$@])")


class Item:
    __slots__ = ("section", "ident", "text", "done", "due", "due_text", "owners", "line")

    def __init__(self, section: str, ident: str, text: str, done: bool, line: int):
        self.section, self.ident, self.text, self.done, self.line = section, ident, text, done, line
        self.due: dt.date | None = None
        self.due_text: str | None = None
        self.owners = ""

    @property
    def label(self) -> str:
        return self.ident or f"ligne {self.line}"


class Checklist:
    def __init__(self):
        self.sections: list[str] = []
        self.items: list[Item] = []
        self.unreadable_dates: list[Item] = []
        # (line, French explanation) of what could not be read: the counts leave it out.
        self.warnings: list[tuple[int, str]] = []


def parse_due(text: str) -> tuple[dt.date | None, bool]:
    """(date, readable) for what follows « Échéance : »."""
    text = text.strip().rstrip(".;,").strip()
    if not text or text.lower().startswith(NO_DUE):
        return None, True
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = FRENCH_DATE.match(text)
        if not match:
            return None, False
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day), True
    except ValueError:
        return None, False


def parse(text: str) -> Checklist:
    checklist = Checklist()
    section = None
    item: Item | None = None
    notes_of = None  # id of the item whose notes we are in
    fence = ""  # the opening fence of the code block we are in
    fence_line = 0
    lines_of_ids: dict[str, int] = {}
    warnings = checklist.warnings
    due_seen = owners_seen = False
    number = 0
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFC", raw_line)
        if notes_of is not None:
            closing = NOTES_CLOSE.match(line)
            if closing and closing.group(1) == notes_of:
                notes_of = None
                continue
            # A lost closing marker must not hide the rest: a heading or a template item ends the notes.
            item_match = ITEM.match(line)
            if not (SECTION.match(line) or (item_match and ITEM_ID.match(item_match.group(2)))):
                continue
            notes_of = None
        fence_match = FENCE.match(line)
        if fence:
            # A block closes with a fence of the same character, at least as long (CommonMark).
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = ""
            continue
        if fence_match:
            fence, fence_line = fence_match.group(1), number
            continue
        if HEADING_WITHOUT_SPACE.match(line):
            warnings.append(
                (number, f"titre « {shorten(line, 40)} » sans espace après « ## » : écrivez « ## {line[2:].strip()} »")
            )
        heading = SECTION.match(line)
        if heading:
            section = heading.group(1).strip()
            checklist.sections.append(section)
            item = None
            continue
        opening = NOTES_OPEN.match(line)
        if opening:
            notes_of = opening.group(1)
            continue
        item_match = ITEM.match(line)
        broken = None if item_match else BROKEN_BOX.match(line)
        if broken:
            if broken.group(1) not in (" ", "x", "X"):
                what = f"case « [{broken.group(1)}] » illisible"
            elif line[broken.end() :].strip():
                what = "espace manquante autour de la case"
            else:
                what = "item sans texte"
            warnings.append(
                (
                    number,
                    f"{what} dans « {shorten(line, 40)} » : écrivez « - [x] texte » (fait) ou « - [ ] texte » "
                    "(à faire), avec une espace avant et après la case",
                )
            )
        if item_match and section is None:
            warnings.append((number, "item placé avant le premier titre « ## » : il n'appartient à aucune section"))
        if item_match and section is not None:
            done = item_match.group(1) in "xX"
            rest = item_match.group(2).strip()
            id_match = ITEM_ID.match(rest)
            ident, body = (id_match.group(1), id_match.group(2)) if id_match else ("", rest)
            if ident in lines_of_ids:
                warnings.append(
                    (
                        number,
                        f"identifiant « {ident} » déjà employé ligne {lines_of_ids[ident]} : chaque item a le sien "
                        "(l'un des deux a-t-il été copié ?)",
                    )
                )
            elif ident:
                lines_of_ids[ident] = number
            item = Item(section, ident, body.strip(), done, number)
            checklist.items.append(item)
            due_seen = owners_seen = False
            # A template item's due date is on its « Responsables » line; a team item may carry it inline.
            line_for_meta = "" if ident else body
        elif item is None:
            continue
        else:
            # Every line up to the next item or heading belongs to the item (its notes excepted): the
            # team may write its « Échéance : … » line indented or not. The first one found counts.
            line_for_meta = line
        if not due_seen:
            due = DUE.search(line_for_meta)
            if due:
                due_seen = True
                item.due_text = due.group(1).strip()
                item.due, readable = parse_due(due.group(1))
                if not readable:
                    checklist.unreadable_dates.append(item)
        if not owners_seen:
            owners = OWNERS.search(line_for_meta)
            if owners:
                owners_seen = True
                item.owners = owners.group(1).strip()
    if fence:
        warnings.append(
            (
                fence_line,
                f"bloc de code ouvert par « {fence} » et jamais refermé : les lignes {fence_line} à {number} sont "
                f"ignorées ; ajoutez une ligne « {fence} » à la fin du bloc",
            )
        )
    if not checklist.items:
        warnings.append((1, "aucun item trouvé : chaque item s'écrit « - [ ] texte » sous un titre « ## Section »"))
    warnings.sort()
    return checklist


# ---------------------------------------------------------------- reports


def bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * done / total) if total else 0
    if total and done < total:
        filled = min(filled, BAR_WIDTH - 1)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def percent(done: int, total: int) -> str:
    # Rounded down: 100 % only when everything is done.
    return f"{done * 100 // total} %" if total else "–"


def days(count: int) -> str:
    return f"{count} jour{'s' if count > 1 else ''}"


def shorten(text: str, limit: int = 90) -> str:
    """One line of at most `limit` characters, cut between two words; a single longer word is kept whole."""
    text = " ".join(CONTROL.sub(" ", text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " ":
        space = cut.rfind(" ")
        if space <= 0:
            return text
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


class Report:
    def __init__(self, checklist: Checklist, today: dt.date):
        self.today = today
        self.rows = []
        for section in dict.fromkeys(checklist.sections):
            items = [i for i in checklist.items if i.section == section]
            self.rows.append((section, sum(i.done for i in items), len(items)))
        self.done = sum(i.done for i in checklist.items)
        self.total = len(checklist.items)
        open_items = [i for i in checklist.items if not i.done and i.due is not None]
        self.late = sorted((i for i in open_items if i.due < today), key=lambda i: (i.due, i.line))
        self.next = sorted((i for i in open_items if i.due >= today), key=lambda i: (i.due, i.line))[:NEXT_COUNT]
        self.unreadable = checklist.unreadable_dates
        self.warnings = checklist.warnings


def describe(item: Item, today: dt.date) -> str:
    if item.due < today:
        when = f"échéance {item.due.isoformat()}, {days((today - item.due).days)} de retard"
    elif item.due == today:
        when = "échéance aujourd'hui"
    else:
        when = f"échéance {item.due.isoformat()}, dans {days((item.due - today).days)}"
    owners = f" · {item.owners}" if item.owners else ""
    return f"{when}{owners}"


def text_report(report: Report, name: str) -> str:
    width = max([len(s) for s, _, _ in report.rows] + [len("Total")])
    lines = [f"Avancement de {name} au {report.today.isoformat()}", ""]
    for section, done, total in report.rows:
        lines.append(f"  {section.ljust(width)}  {bar(done, total)}  {done:>3}/{total:<3} {percent(done, total):>5}")
    lines.append(
        f"  {'Total'.ljust(width)}  {bar(report.done, report.total)}  {report.done:>3}/{report.total:<3} "
        f"{percent(report.done, report.total):>5}"
    )
    lines.append("")
    if report.late:
        lines.append(f"En retard ({len(report.late)}) :")
        for item in report.late:
            lines.append(f"  - {item.label} ({describe(item, report.today)})")
            lines.append(f"    {shorten(item.text)}")
    else:
        lines.append("En retard : aucun item.")
    lines.append("")
    if report.next:
        lines.append("Prochaines échéances :")
        for item in report.next:
            lines.append(f"  - {item.label} ({describe(item, report.today)})")
            lines.append(f"    {shorten(item.text)}")
    else:
        lines.append("Prochaines échéances : aucune.")
    if report.unreadable:
        lines.append("")
        lines.append("Échéances illisibles (écrivez « Échéance : AAAA-MM-JJ ») :")
        for item in report.unreadable:
            lines.append(f"  - ligne {item.line} : « {item.due_text} » ({shorten(item.text, 60)})")
    return "\n".join(lines) + "\n"


def md(text: str) -> str:
    """Text from the checklist, written into Markdown as plain text: no link, image, HTML or formula runs."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_report(report: Report, name: str) -> str:
    lines = [
        f"## Avancement de {md(name)} au {report.today.isoformat()}",
        "",
        "| Section | Faits | Avancement |",
        "|---|---:|---|",
    ]
    for section, done, total in report.rows:
        lines.append(f"| {md(section)} | {done}/{total} | `{bar(done, total)}` {percent(done, total)} |")
    lines.append(
        f"| **Total** | **{report.done}/{report.total}** | `{bar(report.done, report.total)}` "
        f"{percent(report.done, report.total)} |"
    )
    lines.append("")
    lines.append(f"### En retard ({len(report.late)})" if report.late else "### En retard : aucun item")
    lines.append("")
    for item in report.late:
        lines.append(f"- **{md(item.label)}** {md(shorten(item.text))} — {md(describe(item, report.today))}")
    if report.late:
        lines.append("")
    lines.append("### Prochaines échéances" if report.next else "### Prochaines échéances : aucune")
    lines.append("")
    for item in report.next:
        lines.append(f"- **{md(item.label)}** {md(shorten(item.text))} — {md(describe(item, report.today))}")
    if report.unreadable:
        lines += ["", "### Échéances illisibles", ""]
        for item in report.unreadable:
            lines.append(f"- ligne {item.line} : « {md(item.due_text or '')} » — écrivez `Échéance : AAAA-MM-JJ`")
    if report.warnings:
        lines += [""] if lines[-1] else []
        lines += [f"### {md(name)} lue en partie : l'avancement ci-dessus est incomplet", ""]
        for line, message in report.warnings:
            lines.append(f"- ligne {line} : {md(message)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- command


def date_argument(text: str) -> dt.date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date AAAA-MM-JJ") from None


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = FrenchParser(
        prog="progression.py",
        description="Avancement de la checklist : items faits par section, items en retard, prochaines échéances. "
        "Lit CHECKLIST.md tel que l'équipe l'a rempli, sans jamais l'écrire.",
        epilog="Codes de sortie : 0 rapport affiché, 1 fichier illisible ou lu en partie (lignes signalées), "
        "2 erreur d'utilisation.",
    )
    parser.add_argument(
        "--aujourdhui",
        type=date_argument,
        metavar="AAAA-MM-JJ",
        help="date de référence pour les retards (par défaut : aujourd'hui)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help='sortie en Markdown (résumé de la CI : >> "$GITHUB_STEP_SUMMARY")'
    )
    parser.add_argument(
        "--fichier", type=Path, default=CHECKLIST_FILE, help="checklist à lire (par défaut CHECKLIST.md)"
    )
    args = parser.parse_args(argv)
    try:
        text = args.fichier.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Checklist illisible : {args.fichier} ({error}).", file=sys.stderr)
        return EXIT_UNREADABLE
    report = Report(parse(text), args.aujourdhui or dt.date.today())
    name = args.fichier.name
    sys.stdout.write(markdown_report(report, name) if args.markdown else text_report(report, name))
    if report.warnings:
        print(
            f"Attention : {args.fichier} n'a pas pu être lue entièrement, l'avancement affiché est incomplet. "
            "À corriger :",
            file=sys.stderr,
        )
        for line, message in report.warnings:
            print(f"  - {name}, ligne {line} : {message}", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
