"""Tracked links: the conventions (outils/conventions-liens.json), the service's domains and the problems found.

Shared by the modules of outils/liens.py: rule names, the personal-data detectors and the text helpers.
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

TOOLS_DIR = Path(__file__).resolve().parent
ROOT = TOOLS_DIR.parent
CONVENTIONS_FILE = TOOLS_DIR / "conventions-liens.json"
DOMAINS_FILE = TOOLS_DIR / "domaines.txt"
REGISTRY_FILE = ROOT / "docs" / "liens-suivis.csv"
DOCS = "docs/liens-suivis.md"

# Rule names, as titled in docs/liens-suivis.md: every refusal names one.
RULE_FAMILY = "une seule famille de paramètres"
RULE_VOCABULARY = "vocabulaire fermé"
RULE_FORMAT = "minuscules, chiffres et tirets"
RULE_CAMPAIGN = "campagne datée"
RULE_LENGTH = "longueur maximale"
RULE_PERSONAL = "aucune donnée personnelle"
RULE_DOMAIN = "domaine du service"
RULE_ADDRESS = "adresse https complète"
RULE_DUPLICATE = "un lien, une ligne"
RULE_REGISTRY = "registre bien formé"
RULE_REQUIRED = "champ obligatoire"
RULE_FORMULA = "texte sans formule"

# The local part stops at a hyphen: in « 2026-03-relance-jean.dupont@… » the address is the last word.
EMAIL = re.compile(r"[A-Za-z0-9._%+']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
AT_SIGN = re.compile(r"\w@\w")
PHONE_PATTERNS = (
    # French numbers: 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78, 0612345678.
    re.compile(r"(?<![0-9])0[1-9](?:[ .-]?[0-9]{2}){4}(?![0-9])"),
    # International: +33 6 12 34 56 78, 0033612345678, 33612345678.
    re.compile(r"(?<![0-9])(?:\+|00)[ .-]?[1-9][0-9]{0,2}(?:[ .-]?[0-9]){6,12}(?![0-9])"),
    re.compile(r"(?<![0-9])33[1-9][0-9]{8}(?![0-9])"),
)
# In campaign values only: long runs of digits (telephone, social security or file numbers).
LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{10,}(?![0-9])")
# Web mail domains written as a slug (« jean-dupont-gmail-com »).
MAIL_PROVIDER = re.compile(
    r"(?:^|-)(?:gmail|googlemail|hotmail|yahoo|outlook|wanadoo|icloud|protonmail|proton-me|laposte-net|live-fr)(?:-|$)"
)
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DIGIT = re.compile(r"[0-9]")
SLUG_CHARS = re.compile(r"^[a-z0-9-]*$")
# Characters a query value may hold as they are (RFC 3986 "unreserved").
UNRESERVED = re.compile(r"^[A-Za-z0-9._~-]*$")
CAMPAIGN_DATE_PREFIX = re.compile(r"^[0-9]{4}-[0-9]{2}-")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# A spreadsheet that opens the registry runs a cell starting with one of these as a formula
# (« =HYPERLINK(…) », « +1-2 », « @SOMME(A1) »); leading spaces do not stop every spreadsheet.
FORMULA_START = re.compile(r"^(?:[\t\r]| *[=+\-@])")
# Invisible characters no registry cell may hold; with a NUL byte, git shows the whole file as binary.
# Tab, line feed and carriage return are excluded: a quoted cell may hold them (a note on two lines).
CELL_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# ---------------------------------------------------------------- conventions


class Conventions:
    """The rendered conventions (outils/conventions-liens.json) and the service's domains."""

    def __init__(self, data: dict, extra_domains: list[str]):
        conventions = data["conventions"]
        self.family = conventions["family"]
        self.parameters = conventions["parameters"]
        self.keyword_separator = conventions["keyword_separator"]
        self.value_pattern = re.compile(conventions["value_pattern"])
        self.campaign_pattern = re.compile(conventions["campaign_pattern"])
        self.campaign_example = conventions["campaign_example"]
        self.max_length = int(conventions["max_length"])
        self.sources = conventions["sources"]
        self.mediums = conventions["mediums"]
        self.tracking_prefixes = tuple(p.lower() for p in conventions["tracking_prefixes"])
        self.tracking_parameters = frozenset(p.lower() for p in conventions["tracking_parameters"])
        self.columns = list(conventions["registry_columns"])
        # The first day of the construction phase: campaigns dated before it are most likely typing errors.
        self.phase_start = parse_day(data.get("construction_start"))
        self.domains = list(dict.fromkeys(d.lower().strip(".") for d in data["domains"] + extra_domains))

    @classmethod
    def load(cls) -> Conventions:
        try:
            data = json.loads(CONVENTIONS_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise Refusal(
                f"Conventions illisibles ({CONVENTIONS_FILE.name} : {error}). Ce fichier vient du modèle et ne se "
                "modifie pas : restaurez-le avec « git checkout -- outils/conventions-liens.json »."
            ) from error
        return cls(data, read_extra_domains())

    def is_tracking_parameter(self, name: str) -> bool:
        name = name.strip().lower()
        return name in self.tracking_parameters or name.startswith(self.tracking_prefixes)

    def on_own_domain(self, host: str) -> bool:
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


def parse_day(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def read_extra_domains() -> list[str]:
    try:
        lines = DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    domains = []
    for line in lines:
        value = line.split("#", 1)[0].strip().lower()
        if value:
            # Accept « https://www.example.fr/ » as well as « www.example.fr ».
            value = (urlsplit(value).hostname or value) if "//" in value else value.split("/", 1)[0]
            domains.append(value)
    return domains


# ---------------------------------------------------------------- problems


class Refusal(Exception):
    """A problem that stops the command with exit code 1."""


class Problem:
    __slots__ = ("field", "message", "rule", "suggestion", "line")

    def __init__(self, field: str, message: str, rule: str, suggestion: str | None = None, line: int | None = None):
        self.field, self.message, self.rule, self.suggestion, self.line = field, message, rule, suggestion, line

    def __str__(self) -> str:
        rules = (self.rule,) if isinstance(self.rule, str) else self.rule
        label = "règles" if len(rules) > 1 else "règle"
        text = f"{self.field} : {self.message} ({label} {' et '.join(f'« {rule} »' for rule in rules)})."
        if self.suggestion:
            text += f" {self.suggestion}"
        return text


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def clean_text(text: str | None) -> str:
    """Free text on one line (one registry row is one line), NFC, trimmed."""
    return " ".join(CONTROL.sub(" ", unicodedata.normalize("NFC", text or "")).split())


def personal_data(text: str, *, value: bool = False) -> str | None:
    """Describe the personal data found in `text`, or None. `value`: stricter checks for link values."""
    decoded = unquote(text) if "%" in text else text
    has_at = "@" in decoded
    if has_at:
        match = EMAIL.search(decoded)
        if match:
            return f"une adresse e-mail (« {match.group(0)} »)"
    # Only text with digits can hold a number; most registry text has none, and is done here.
    if DIGIT.search(decoded):
        # The date prefix of a campaign (« 2026-03-… ») is not part of a telephone number.
        body = CAMPAIGN_DATE_PREFIX.sub("", decoded) if value else decoded
        for pattern in PHONE_PATTERNS:
            match = pattern.search(body)
            if match:
                return f"un numéro de téléphone (« {match.group(0).strip()} »)"
        if value:
            match = LONG_NUMBER.search(body)
            if match:
                return f"une longue suite de chiffres (« {match.group(0)} » : téléphone, numéro de dossier…)"
    if value:
        if has_at and AT_SIGN.search(decoded):
            return "un « @ » d'adresse e-mail ou de compte"
        match = MAIL_PROVIDER.search(decoded if SLUG_CHARS.match(decoded) else slugify(decoded))
        if match:
            return f"ce qui ressemble à une adresse e-mail (« {match.group(0).strip('-')} »)"
    return None


def without_personal_data(text: str) -> str:
    text = unquote(text)
    text = EMAIL.sub(" ", text)
    for pattern in PHONE_PATTERNS:
        text = pattern.sub(" ", text)
    text = re.sub(r"\S*@\S*", " ", text)
    text = LONG_NUMBER.sub(" ", text)
    return MAIL_PROVIDER.sub("-", slugify(text)).strip("-")


def quoted_list(values) -> str:
    return ", ".join(values)


def close_matches(word: str, possibilities, n: int, cutoff: float) -> list[str]:
    import difflib  # noqa: PLC0415 - only refusals need it; imported on demand to keep checks fast

    return difflib.get_close_matches(word, list(possibilities), n=n, cutoff=cutoff)
