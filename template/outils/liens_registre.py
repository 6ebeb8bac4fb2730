"""Tracked links: the team's registry (docs/liens-suivis.csv), read whole, appended to, re-checked row by row.

Standard library only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

from liens_controles import (
    build_link,
    check_date,
    check_flags,
    check_free_value,
    check_target,
    check_text,
    check_vocabulary,
    formula_problem,
)
from liens_conventions import (
    CELL_CONTROL,
    RULE_DUPLICATE,
    RULE_REGISTRY,
    RULE_REQUIRED,
    Conventions,
    Problem,
    Refusal,
    quoted_list,
)
from ligne_de_commande import plural


def control_message(code: int) -> str:
    text = f"contient un caractère de contrôle invisible (U+{code:04X})"
    if code == 0:
        text += " ; avec un octet nul, git peut prendre tout le registre pour un fichier binaire"
    return text


class Registry:
    """docs/liens-suivis.csv: read it whole (with the first line of each row), append to it, never rewrite it."""

    def __init__(self, path: Path, conv: Conventions):
        self.path = path
        self.conv = conv
        self.header: list[str] = []
        self.rows: list[tuple[int, list[str]]] = []
        self.problems: list[Problem] = []
        self.fatal = False
        self.has_control_characters = False

    def read(self) -> Registry:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return self
        except OSError as error:
            raise Refusal(f"Registre illisible ({self.path} : {error}).") from error
        if not data.strip():
            return self
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self._fatal(line, "le fichier n'est pas en UTF-8 ; réenregistrez-le en « CSV, UTF-8, séparateur virgule »")
            return self
        # Rare in a registry: when absent, the rows need not be searched for them one cell at a time.
        self.has_control_characters = CELL_CONTROL.search(text) is not None
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        previous = 0
        try:
            for row in reader:
                start, previous = previous + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if not self.header:
                    self.header = [cell.strip() for cell in row]
                    self._check_header(start)
                    if self.fatal:
                        return self
                    continue
                self.rows.append((start, row))
        except csv.Error as error:
            if "NUL" in str(error):  # Python 3.9 and 3.10 stop at a NUL byte; later versions read it in a cell
                self._fatal(previous + 1, control_message(0))
            else:
                self._fatal(previous + 1, f"ligne CSV mal formée ({error}) ; guillemets mal fermés ?")
        if not self.header:
            self._fatal(1, f"ligne d'en-tête absente ; la première ligne doit être : {','.join(self.conv.columns)}")
        return self

    def _fatal(self, line: int, message: str) -> None:
        self.problems.append(Problem("registre", message, RULE_REGISTRY, line=line))
        self.fatal = True

    def _check_header(self, line: int) -> None:
        missing = [c for c in self.conv.columns if c not in self.header]
        separator = other_separator(self.header, len(self.conv.columns))
        if missing and separator:
            self._fatal(
                line,
                f"le fichier est séparé par des {separator}, non par des virgules (l'export CSV d'un tableur réglé en "
                "français, par exemple) ; réenregistrez-le en « CSV, UTF-8, séparateur virgule » (LibreOffice : "
                "« Enregistrer sous », type « Texte CSV », cochez « Éditer les paramètres du filtre » et choisissez "
                "la virgule comme séparateur de champ)",
            )
            return
        doubled = sorted({c for c in self.header if self.header.count(c) > 1})
        if missing or doubled:
            details = []
            if missing:
                details.append(f"colonnes manquantes : {quoted_list(missing)}")
            if doubled:
                details.append(f"colonnes en double : {quoted_list(doubled)}")
            self._fatal(
                line, f"en-tête incorrect ({' ; '.join(details)}) ; il doit contenir : {','.join(self.conv.columns)}"
            )

    def records(self, names: tuple[str, ...]):
        """(line, values of `names` stripped, the row as read) for each row with the right number of fields; the
        others become problems."""
        width = len(self.header)
        indexes = [self.header.index(name) for name in names]
        for line, row in self.rows:
            if len(row) != width:
                separator = other_separator(row, width)
                message = f"{plural(len(row), 'champ')} au lieu de {width}"
                if separator:
                    message += f" : ligne séparée par des {separator}, non par des virgules (venue d'un tableur ?)"
                else:
                    message += " (virgule en trop ou guillemets manquants autour d'un texte qui contient une virgule ?)"
                self.problems.append(Problem("registre", message, RULE_REGISTRY, line=line))
                continue
            yield line, [row[i].strip() for i in indexes], row

    def links(self) -> dict[str, int]:
        index = self.header.index("lien") if "lien" in self.header else None
        found: dict[str, int] = {}
        if index is None:
            return found
        for line, row in self.rows:
            if len(row) > index:
                found.setdefault(row[index].strip(), line)
        return found

    def campaigns(self) -> list[str]:
        if "campagne" not in self.header:
            return []
        index = self.header.index("campagne")
        return list(dict.fromkeys(row[index] for _, row in self.rows if len(row) > index and row[index]))

    def append(self, record: dict) -> int:
        """Append one row; create the file with its header when it is missing. Returns the row's line number."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new_file = not self.header
        header = self.conv.columns if new_file else self.header
        needs_newline = False
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                needs_newline = handle.read(1) not in (b"\n", b"\r")
        with self.path.open("a", encoding="utf-8", newline="") as handle:
            if needs_newline:
                handle.write("\n")
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore", restval="")
            if new_file:
                writer.writeheader()
            writer.writerow(record)
        with self.path.open("rb") as handle:
            return handle.read().count(b"\n")


REGISTRY_FIELDS = (
    "date", "auteur", "campagne", "source", "support", "contenu", "cible", "lien", "parametres", "hors_domaine",
    "partage", "note",
)  # fmt: skip


def verify_registry(registry: Registry, conv: Conventions) -> int:
    """Re-check every row against the conventions; returns the number of rows (malformed ones included)."""
    if registry.fatal:
        return 0
    seen: dict[str, int] = {}
    problems = registry.problems
    today = dt.date.today()
    # Registries repeat their dates, targets, campaigns, authors and places: each distinct value is checked once.
    dates = Memo(check_date)
    flags = Memo(check_flags)
    targets = Memo(lambda key: check_target(key[0], conv, off_domain=key[1] == "oui"))
    campaigns = Memo(lambda value: check_free_value("campagne", value, conv, campaign=True, today=today))
    sources = Memo(lambda value: check_vocabulary("source", value, conv))
    mediums = Memo(lambda value: check_vocabulary("support", value, conv))
    contents = Memo(lambda value: check_free_value("contenu", value, conv, campaign=False, today=today))
    # Free text is checked as written, before stripping: a leading tab is enough for a spreadsheet formula.
    authors = Memo(lambda raw: check_cell_text("auteur", raw, required=True))
    places = Memo(lambda raw: check_cell_text("partage", raw, required=True))
    notes = Memo(lambda raw: check_cell_text("note", raw, required=False))
    header = registry.header
    author_index, shared_index, note_index = (header.index(name) for name in ("auteur", "partage", "note"))
    # The team's own columns: free text too, that a spreadsheet would run just the same.
    team_columns = [(index, name) for index, name in enumerate(header) if name not in REGISTRY_FIELDS]

    for line, values, row in registry.records(REGISTRY_FIELDS):
        (date, _, campaign, source, medium, content, target, link, with_parameters, off_domain, _,
         _) = values  # fmt: skip
        author, shared, note = row[author_index], row[shared_index], row[note_index]
        found = (
            dates[date] + flags[(with_parameters, off_domain)] + targets[(target, off_domain)] + campaigns[campaign]
            + sources[source] + mediums[medium] + contents[content] + authors[author] + places[shared] + notes[note]
        )  # fmt: skip
        for index, name in team_columns:
            formula = formula_problem(name, row[index])
            if formula:
                found.append(formula)
        if registry.has_control_characters:
            found += control_character_problems(row, header)
        if not found:
            if with_parameters == "non":
                expected = target
            else:
                expected = build_link(target, conv, campaign, source, medium, content)
            if link != expected:
                found.append(
                    Problem(
                        "lien",
                        "ne correspond pas aux colonnes cible, campagne, source, support et contenu de la ligne "
                        "(modifié à la main ?)",
                        RULE_REGISTRY,
                        f"Lien attendu : « {expected} ».",
                    )
                )
        if not link:
            found.append(Problem("lien", "valeur obligatoire", RULE_REQUIRED))
        elif link in seen:
            found.append(
                Problem(
                    "lien",
                    f"déjà enregistré ligne {seen[link]}",
                    RULE_DUPLICATE,
                    "Gardez une seule ligne par lien ; distinguez deux supports par --contenu.",
                )
            )
        else:
            seen[link] = line
        for problem in found:
            problems.append(Problem(problem.field, problem.message, problem.rule, problem.suggestion, line))
    return len(registry.rows)


def other_separator(cells: list[str], width: int) -> str | None:
    """« points-virgules » or « tabulations » when `cells` hold a whole row split by one of them, else None."""
    if len(cells) >= width:
        return None
    text = ",".join(cells)
    for character, name in ((";", "points-virgules"), ("\t", "tabulations")):
        if text.count(character) >= width // 2:
            return name
    return None


def check_cell_text(field: str, raw: str, *, required: bool) -> list[Problem]:
    formula = formula_problem(field, raw)
    return [formula] if formula else check_text(field, raw.strip(), required=required)


def control_character_problems(row: list[str], header: list[str]) -> list[Problem]:
    found = []
    for name, cell in zip(header, row, strict=False):  # a short or long row is reported elsewhere
        match = CELL_CONTROL.search(cell)
        if match:
            found.append(
                Problem(
                    name,
                    control_message(ord(match.group(0))),
                    RULE_REGISTRY,
                    "Retapez le texte de cette cellule : ces caractères viennent souvent d'un copier-coller.",
                )
            )
    return found


class Memo(dict):
    """A dict that computes a missing value once, with `function(key)`."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value
