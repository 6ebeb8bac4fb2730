#!/usr/bin/env python3
"""Tracked links of the service: build one, check it against the conventions, record it, print its QR code.

    python3 outils/liens.py creer URL --source … --support … --campagne … --partage …
    python3 outils/liens.py verifier
    python3 outils/liens.py qr LIEN --qr affiche.svg

Standard library only; segno (requirements-outils.txt) is imported for QR codes alone. The conventions
come from outils/conventions-liens.json, rendered by the template from its playbook; extra domains from
outils/domaines.txt (team-owned). Messages are French: the team reads them.

Exit codes: 0 ok, 1 refused or invalid, 2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import json
import os
import re
import shlex
import sys
import unicodedata
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# The tools run as `python3 outils/<tool>.py`: their own folder is on the import path.
from ligne_de_commande import FrenchParser, plural

TOOLS_DIR = Path(__file__).resolve().parent
ROOT = TOOLS_DIR.parent
CONVENTIONS_FILE = TOOLS_DIR / "conventions-liens.json"
DOMAINS_FILE = TOOLS_DIR / "domaines.txt"
REGISTRY_FILE = ROOT / "docs" / "liens-suivis.csv"
DOCS = "docs/liens-suivis.md"

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

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
CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


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


# ---------------------------------------------------------------- checks of the values


def close_matches(word: str, possibilities, n: int, cutoff: float) -> list[str]:
    import difflib  # noqa: PLC0415 - only refusals need it; imported on demand to keep checks fast

    return difflib.get_close_matches(word, list(possibilities), n=n, cutoff=cutoff)


def nearest(value: str, vocabulary: dict) -> str | None:
    """The allowed value closest to `value`, compared with the values and with their French labels."""
    key = slugify(value)
    if key in vocabulary:
        return key
    candidates = {}
    for allowed, label in vocabulary.items():
        candidates.setdefault(allowed, allowed)
        candidates.setdefault(slugify(label), allowed)
    matches = close_matches(key, candidates, n=1, cutoff=0.6)
    if matches:
        return candidates[matches[0]]
    # « newsletter-mars-2026 » → « newsletter »: one of its words is an allowed value.
    for word in key.split("-"):
        if word in vocabulary:
            return word
    return None


def shorten(value: str, limit: int) -> str:
    """Cut at the last hyphen that fits, or hard when there is none."""
    if len(value) <= limit:
        return value
    cut = value[:limit]
    return cut[: cut.rfind("-")].strip("-") or cut if "-" in cut else cut


def check_vocabulary(field: str, raw: str, conv: Conventions) -> list[Problem]:
    """Source and medium (« support »): one of the closed list's values."""
    vocabulary, plural = (conv.sources, "sources") if field == "source" else (conv.mediums, "supports")
    if raw in vocabulary:
        return []
    if not raw:
        return [Problem(field, "valeur obligatoire", RULE_REQUIRED, f"Valeurs possibles : {quoted_list(vocabulary)}.")]
    found = personal_data(raw, value=True)
    if found:
        return [
            Problem(
                field, f"« {raw} » contient {found}", RULE_PERSONAL, f"Choisissez parmi : {quoted_list(vocabulary)}."
            )
        ]
    close = nearest(raw, vocabulary)
    reason = f"« {raw} » n'est pas dans la liste des {plural}"
    rules = (RULE_VOCABULARY,)
    if not conv.value_pattern.match(raw):
        reason += ", et ne s'écrit pas en minuscules, chiffres et tirets"
        rules += (RULE_FORMAT,)
    if close:
        hint = f"Valeur la plus proche : « {close} » ({vocabulary[close]})."
    else:
        hint = f"Valeurs possibles : {quoted_list(vocabulary)}."
    return [Problem(field, reason, rules, hint + f" La liste commentée est dans {DOCS}.")]


def check_free_value(
    field: str, raw: str, conv: Conventions, *, campaign: bool, today: dt.date, known_campaigns: list[str] = ()
) -> list[Problem]:
    """Campaign and content: no vocabulary, but a format (and a date prefix for campaigns)."""
    if not raw:
        if campaign:
            return [Problem(field, "valeur obligatoire", RULE_REQUIRED, f"Exemple : « {conv.campaign_example} ».")]
        return []
    pattern = conv.campaign_pattern if campaign else conv.value_pattern
    if pattern.match(raw) and len(raw) <= conv.max_length and personal_data(raw, value=True) is None:
        return []
    prefix = f"{today.year:04d}-{today.month:02d}-"

    def fixed(value: str) -> str:
        """The value made valid: shortened, and for a campaign, dated (its own month if valid, else this one)."""
        if not campaign:
            return shorten(value, conv.max_length)
        head, body = prefix, value
        dated = CAMPAIGN_DATE_PREFIX.match(value)
        if dated:
            body = value[dated.end() :]
            if conv.campaign_pattern.match(dated.group(0) + "x"):
                head = dated.group(0)
        result = head + shorten(body.strip("-"), conv.max_length - len(head))
        return result if conv.campaign_pattern.match(result) else conv.campaign_example

    def hint(value: str) -> str:
        text = f"Suggestion : « {value} »." if value else ""
        if campaign and known_campaigns:
            close = [c for c in close_matches(value or raw, known_campaigns, n=3, cutoff=0.7) if c != value]
            if close:
                text += f" Campagnes proches déjà dans le registre : {quoted_list(f'« {c} »' for c in close)}."
        return text.strip()

    found = personal_data(raw, value=True)
    if found:
        cleaned = without_personal_data(raw)
        advice = "Nommez l'envoi ou le public, jamais une personne."
        # A suggestion only when an address or a number was cut out cleanly (not for « …-gmail-com »).
        clean_cut = EMAIL.search(unquote(raw)) or any(p.search(unquote(raw)) for p in PHONE_PATTERNS)
        if (
            clean_cut
            and CAMPAIGN_DATE_PREFIX.sub("", cleaned + "-").strip("-")
            and fixed(cleaned) != conv.campaign_example
        ):
            advice += f" Suggestion : « {fixed(cleaned)} »."
        return [
            Problem(
                field, f"« {raw} » contient {found} : un lien suivi ne doit désigner personne", RULE_PERSONAL, advice
            )
        ]
    if not conv.value_pattern.match(raw):
        slug = slugify(raw)
        return [
            Problem(
                field,
                f"« {raw} » doit s'écrire en minuscules sans accent, chiffres et tirets simples "
                "(ni espace, ni majuscule, ni « _ »)",
                RULE_FORMAT,
                hint(fixed(slug) if slug else ""),
            )
        ]
    if campaign and not conv.campaign_pattern.match(raw):
        return [
            Problem(
                field,
                f"« {raw} » doit commencer par l'année et le mois de la campagne (AAAA-MM-, "
                f"par exemple « {conv.campaign_example} »)",
                RULE_CAMPAIGN,
                hint(fixed(raw)),
            )
        ]
    if len(raw) > conv.max_length:
        return [
            Problem(
                field, f"« {raw} » fait {len(raw)} caractères, {conv.max_length} au plus", RULE_LENGTH, hint(fixed(raw))
            )
        ]
    return []


def check_target(raw: str, conv: Conventions, *, off_domain: bool) -> list[Problem]:
    field = "adresse cible"
    if not raw:
        return [Problem(field, "valeur obligatoire", RULE_REQUIRED)]
    if any(char.isspace() for char in raw):
        return [
            Problem(
                field, f"« {raw} » contient une espace", RULE_ADDRESS, "Copiez l'adresse depuis la barre du navigateur."
            )
        ]
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower().rstrip(".")
        parts.port  # noqa: B018 - raises on an invalid port
    except ValueError:
        return [Problem(field, f"« {raw} » n'est pas une adresse valide", RULE_ADDRESS)]
    if parts.scheme.lower() != "https" or not host:
        if parts.scheme.lower() == "http" and host:
            suggestion = "https://" + raw.split("://", 1)[1]
        elif not parts.scheme and "." in raw.split("/", 1)[0]:
            suggestion = "https://" + raw
        else:
            suggestion = f"https://{conv.domains[0]}/" if conv.domains else ""
        return [
            Problem(
                field,
                f"« {raw} » doit être une adresse complète en https",
                RULE_ADDRESS,
                f"Suggestion : « {suggestion} »." if suggestion else None,
            )
        ]
    problems = []
    if parts.username is not None or parts.password is not None:
        problems.append(
            Problem(
                field,
                "l'adresse contient un identifiant (« …@ » avant le domaine)",
                RULE_PERSONAL,
                "Retirez la partie avant « @ ».",
            )
        )
    tracking = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True) if conv.is_tracking_parameter(name)]
    tracking += [
        name for name, _ in parse_qsl(parts.fragment, keep_blank_values=True) if conv.is_tracking_parameter(name)
    ]
    if tracking:
        kept = [(n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True) if not conv.is_tracking_parameter(n)]
        fragment = "" if any(conv.is_tracking_parameter(n) for n, _ in parse_qsl(parts.fragment)) else parts.fragment
        clean = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept, quote_via=quote), fragment))
        problems.append(
            Problem(
                field,
                f"l'adresse porte déjà des paramètres de suivi ({quoted_list(dict.fromkeys(tracking))}) ; "
                f"ce lien n'emploie que la famille {conv.family}_, sans mélange",
                RULE_FAMILY,
                f"Partez de l'adresse sans eux : « {clean} ».",
            )
        )
    found = personal_data(f"{parts.path}?{parts.query}#{parts.fragment}")
    if found:
        problems.append(
            Problem(
                field, f"l'adresse contient {found}", RULE_PERSONAL, "Une adresse partagée ne doit désigner personne."
            )
        )
    if not off_domain and not conv.on_own_domain(host):
        close = close_matches(host, conv.domains, n=1, cutoff=0.8)
        hint = f"Vouliez-vous dire « {close[0]} » ? " if close else ""
        problems.append(
            Problem(
                field,
                f"« {host} » n'est pas un domaine du service ({quoted_list(conv.domains)})",
                RULE_DOMAIN,
                hint + "Ajoutez vos autres domaines dans outils/domaines.txt, ou passez --hors-domaine pour un site "
                "tiers (les paramètres n'y sont mesurés que si votre Matomo y est installé).",
            )
        )
    return problems


def check_text(field: str, text: str, *, required: bool) -> list[Problem]:
    if not text:
        return [Problem(field, "valeur obligatoire", RULE_REQUIRED)] if required else []
    found = personal_data(text)
    if found:
        return [
            Problem(
                field,
                f"contient {found} ; le registre est public comme le dépôt",
                RULE_PERSONAL,
                "Décrivez le public (« mairies du Cantal ») plutôt que les personnes.",
            )
        ]
    return []


@functools.lru_cache(maxsize=4096)
def split_target(target: str) -> tuple[str, str, str]:
    """(address up to the path, query, fragment), each exactly as written in the target."""
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}", parts.query, parts.fragment


def build_link(target: str, conv: Conventions, campaign: str, source: str, medium: str, content: str = "") -> str:
    """The target with the campaign parameters appended; its own query and fragment are kept as they are.

    Spelled out by hand rather than with urlunsplit, so that a registry's links stay identical whatever the
    Python version that checks them.
    """
    base, query, fragment = split_target(target)
    names = conv.parameters
    keyword = f"{source}{conv.keyword_separator}{medium}"
    if not UNRESERVED.match(campaign + keyword + content):
        # Checked values never need it; kept so that the function is right on its own.
        campaign, keyword, source, medium, content = (
            quote(v, safe="") for v in (campaign, keyword, source, medium, content)
        )
    added = (
        f"{names['campaign']}={campaign}&{names['keyword']}={keyword}&{names['source']}={source}"
        f"&{names['medium']}={medium}"
    )
    if content:
        added += f"&{names['content']}={content}"
    joiner = "" if not query or query.endswith("&") else "&"
    return f"{base}?{query}{joiner}{added}" + (f"#{fragment}" if fragment else "")


def check_link(
    conv: Conventions,
    *,
    target: str,
    campaign: str,
    source: str,
    medium: str,
    content: str,
    off_domain: bool,
    today: dt.date,
    known_campaigns: list[str] = (),
) -> list[Problem]:
    problems = check_target(target, conv, off_domain=off_domain)
    problems += check_free_value(
        "campagne", campaign, conv, campaign=True, today=today, known_campaigns=known_campaigns
    )
    problems += check_vocabulary("source", source, conv)
    problems += check_vocabulary("support", medium, conv)
    problems += check_free_value("contenu", content, conv, campaign=False, today=today)
    return problems


# ---------------------------------------------------------------- registry


class Registry:
    """docs/liens-suivis.csv: read it whole (with the first line of each row), append to it, never rewrite it."""

    def __init__(self, path: Path, conv: Conventions):
        self.path = path
        self.conv = conv
        self.header: list[str] = []
        self.rows: list[tuple[int, list[str]]] = []
        self.problems: list[Problem] = []
        self.fatal = False

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
            self._fatal(previous + 1, f"ligne CSV mal formée ({error}) ; guillemets mal fermés ?")
        if not self.header:
            self._fatal(1, f"ligne d'en-tête absente ; la première ligne doit être : {','.join(self.conv.columns)}")
        return self

    def _fatal(self, line: int, message: str) -> None:
        self.problems.append(Problem("registre", message, RULE_REGISTRY, line=line))
        self.fatal = True

    def _check_header(self, line: int) -> None:
        missing = [c for c in self.conv.columns if c not in self.header]
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
        """(line, values of `names`, stripped) for each row with the right number of fields; the others become
        problems."""
        width = len(self.header)
        indexes = [self.header.index(name) for name in names]
        for line, row in self.rows:
            if len(row) != width:
                self.problems.append(
                    Problem(
                        "registre",
                        f"{len(row)} champs au lieu de {width} (virgule en trop ou guillemets manquants autour "
                        "d'un texte qui contient une virgule ?)",
                        RULE_REGISTRY,
                        line=line,
                    )
                )
                continue
            yield line, [row[i].strip() for i in indexes]

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
    authors = Memo(lambda value: check_text("auteur", value, required=True))
    places = Memo(lambda value: check_text("partage", value, required=True))
    notes = Memo(lambda value: check_text("note", value, required=False))

    for line, values in registry.records(REGISTRY_FIELDS):
        (date, author, campaign, source, medium, content, target, link, with_parameters, off_domain, shared,
         note) = values  # fmt: skip
        found = (
            dates[date] + flags[(with_parameters, off_domain)] + targets[(target, off_domain)] + campaigns[campaign]
            + sources[source] + mediums[medium] + contents[content] + authors[author] + places[shared] + notes[note]
        )  # fmt: skip
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


class Memo(dict):
    """A dict that computes a missing value once, with `function(key)`."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value


def check_date(text: str) -> list[Problem]:
    if DATE.match(text) and _valid_date(text):
        return []
    return [Problem("date", f"« {text} » n'est pas une date AAAA-MM-JJ", RULE_REGISTRY)]


def check_flags(key: tuple[str, str]) -> list[Problem]:
    with_parameters, off_domain = key
    found = []
    if with_parameters not in ("", "oui", "non"):
        found.append(Problem("parametres", f"« {with_parameters} » : attendu « oui » ou « non »", RULE_REGISTRY))
    if off_domain not in ("", "oui", "non"):
        found.append(Problem("hors_domaine", f"« {off_domain} » : attendu « oui » ou vide", RULE_REGISTRY))
    return found


def _valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- QR codes


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


# ---------------------------------------------------------------- commands


def say(text: str = "") -> None:
    print(text, file=sys.stderr)


def report(problems: list[Problem], heading: str) -> None:
    say(heading)
    for problem in problems:
        say(f"  - {problem}")


def git_user_name() -> str:
    import subprocess  # noqa: PLC0415 - only `creer` without --auteur needs it

    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def command_create(args, conv: Conventions) -> int:
    today = dt.date.today()
    qr_paths = [Path(p) for p in args.qr or []]
    registry = Registry(args.registre, conv).read()
    if registry.fatal:
        say(f"Refusé : {display(args.registre)} est mal formé, corrigez-le d'abord :")
        for problem in registry.problems:
            say(f"  - ligne {problem.line} : {problem}")
        return EXIT_REFUSED

    target = args.url.strip()
    values = {
        "campagne": (args.campagne or "").strip(),
        "source": (args.source or "").strip(),
        "support": (args.support or "").strip(),
        "contenu": (args.contenu or "").strip(),
    }
    author = clean_text(args.auteur) if args.auteur is not None else clean_text(git_user_name())
    shared = clean_text(args.partage)
    note = clean_text(args.note)
    problems = check_link(
        conv,
        target=target,
        campaign=values["campagne"],
        source=values["source"],
        medium=values["support"],
        content=values["contenu"],
        off_domain=args.hors_domaine,
        today=today,
        known_campaigns=registry.campaigns(),
    )
    if args.auteur is None and not author:
        problems.append(
            Problem(
                "auteur",
                "impossible de le déduire de « git config user.name »",
                RULE_REQUIRED,
                "Précisez --auteur « Prénom Nom ».",
            )
        )
    problems += check_text("auteur", author, required=True)
    problems += check_text("partage", shared, required=True)
    problems += check_text("note", note, required=False)
    if problems:
        report(problems, "Refusé, rien n'a été enregistré :")
        say(f"Les conventions sont expliquées dans {DOCS}.")
        return EXIT_REFUSED

    if args.sans_parametres:
        link = target
    else:
        link = build_link(target, conv, values["campagne"], values["source"], values["support"], values["contenu"])
    existing = registry.links()
    if link in existing:
        where = f"{display(args.registre)}, ligne {existing[link]}"
        say(f"Refusé : ce lien est déjà dans {where} (règle « {RULE_DUPLICATE} »).")
        say("Pour un autre support de la même campagne, distinguez-le avec --contenu (par exemple « affiche-hall »).")
        if qr_paths:
            say("Pour refaire son QR code : python3 outils/liens.py qr LIEN --qr FICHIER.")
        return EXIT_REFUSED

    segno = None
    if qr_paths and not args.essai:
        segno = load_segno()
        if segno is None:
            say(segno_missing_message())
            return EXIT_REFUSED

    print(link)
    if args.essai:
        say("Essai : le lien respecte les conventions ; rien n'a été enregistré.")
        return EXIT_OK
    if segno is not None:
        write_qr(segno, link, qr_paths)
    record = {
        "date": args.date or today.isoformat(),
        "auteur": author,
        "campagne": values["campagne"],
        "source": values["source"],
        "support": values["support"],
        "contenu": values["contenu"],
        "cible": target,
        "lien": link,
        "parametres": "non" if args.sans_parametres else "oui",
        "hors_domaine": "oui" if args.hors_domaine else "",
        "partage": shared,
        "note": note,
    }
    line = registry.append(record)
    say(f"Enregistré dans {display(args.registre)}, ligne {line}.")
    if not args.sans_parametres:
        keyword = f"{values['source']}{conv.keyword_separator}{values['support']}"
        say(f"Dans Matomo (Acquisition > Campagnes) : nom « {values['campagne']} », mot-clé « {keyword} ».")
    for path in qr_paths:
        say(f"QR code écrit : {display(path)}")
    campaigns = registry.campaigns()
    if values["campagne"] not in campaigns:
        close = close_matches(values["campagne"], campaigns, n=3, cutoff=0.85)
        if close:
            say(
                f"Nouvelle campagne, proche de {quoted_list(f'« {c} »' for c in close)} déjà au registre : "
                "une faute de frappe sépare deux campagnes dans Matomo."
            )
    if args.hors_domaine:
        say("Lien hors des domaines du service : les paramètres n'y sont mesurés que si votre Matomo y est installé.")
    return EXIT_OK


def command_verify(args, conv: Conventions) -> int:
    registry = Registry(args.registre, conv)
    if not args.registre.exists():
        say(
            f"Registre introuvable : {display(args.registre)}. Restaurez-le avec git, ou créez-le avec la seule "
            f"ligne d'en-tête {','.join(conv.columns)} (« liens.py creer » le crée aussi)."
        )
        return EXIT_REFUSED
    registry.read()
    if not registry.header and not registry.fatal:
        registry._fatal(1, f"fichier vide ; sa première ligne doit être l'en-tête {','.join(conv.columns)}")
    count = verify_registry(registry, conv)
    name = display(args.registre)
    problems = sorted(registry.problems, key=lambda p: p.line or 0)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems[:50]:
            message = str(problem).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::error file={name},line={problem.line}::{message}")
    for problem in problems:
        print(f"{name}:{problem.line}: {problem}")
    if problems:
        print(
            f"Registre {name} : {plural(count, 'lien lu', 'liens lus')}, {plural(len(problems), 'problème')}. "
            f"Les conventions sont expliquées dans {DOCS}."
        )
        return EXIT_REFUSED
    if count == 0:
        print(f"Registre {name} : 0 lien pour l'instant.")
    elif count == 1:
        print(f"Registre {name} : 1 lien, conforme aux conventions.")
    else:
        print(f"Registre {name} : {count} liens, tous conformes aux conventions.")
    return EXIT_OK


def command_qr(args, conv: Conventions) -> int:
    registry = Registry(args.registre, conv).read()
    link = args.lien.strip()
    if link not in registry.links():
        say(
            f"Refusé : ce lien n'est pas dans {display(args.registre)}. Un QR code imprimé ne se corrige plus : "
            "créez d'abord le lien avec « python3 outils/liens.py creer … --qr FICHIER »."
        )
        return EXIT_REFUSED
    segno = load_segno()
    if segno is None:
        say(segno_missing_message())
        return EXIT_REFUSED
    paths = [Path(p) for p in args.qr]
    write_qr(segno, link, paths)
    for path in paths:
        say(f"QR code écrit : {display(path)}")
    return EXIT_OK


# argparse speaks English; its usual messages, in French.


def date_argument(text: str) -> str:
    if not DATE.match(text) or not _valid_date(text):
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date AAAA-MM-JJ")
    return text


def qr_argument(text: str) -> str:
    if not text.lower().endswith(QR_SUFFIXES):
        raise argparse.ArgumentTypeError(f"« {text} » : le QR code s'écrit dans un fichier .svg ou .png")
    return text


def parser() -> argparse.ArgumentParser:
    main = FrenchParser(
        prog="liens.py",
        description="Liens suivis du service : fabriquer un lien conforme aux conventions, l'inscrire au registre, "
        f"imprimer son QR code ; vérifier tout le registre. Conventions : {DOCS}.",
        epilog="Codes de sortie : 0 conforme, 1 refusé ou registre non conforme, 2 erreur d'utilisation.",
    )
    commands = main.add_subparsers(dest="commande", metavar="{creer,verifier,qr}", parser_class=FrenchParser)
    commands.required = True

    create = commands.add_parser(
        "creer",
        help="fabriquer un lien suivi, le vérifier et l'inscrire au registre",
        description="Fabrique un lien suivi, le vérifie et l'ajoute à la fin du registre.",
    )
    create.add_argument("url", help="adresse de destination (https, sur un domaine du service)")
    create.add_argument("--source", "-s", required=True, help="d'où vient le visiteur : newsletter, linkedin, affiche…")
    create.add_argument(
        "--support",
        "--medium",
        "-m",
        dest="support",
        required=True,
        help="type de support : email, reseau-social, qr-code…",
    )
    create.add_argument(
        "--campagne",
        "--campaign",
        "-c",
        dest="campagne",
        required=True,
        help="AAAA-MM-sujet, par exemple 2026-03-lancement-formulaire",
    )
    create.add_argument(
        "--contenu",
        "--content",
        dest="contenu",
        default="",
        help="facultatif : distingue deux liens d'une même campagne (bouton-haut, affiche-hall…)",
    )
    create.add_argument(
        "--partage", required=True, help="où le lien est diffusé (« Infolettre de mars, 1 200 agents »)"
    )
    create.add_argument("--note", default="", help="facultatif : remarque libre")
    create.add_argument("--auteur", help="qui crée le lien (par défaut : git config user.name)")
    create.add_argument("--date", type=date_argument, help="date d'inscription AAAA-MM-JJ (par défaut : aujourd'hui)")
    create.add_argument(
        "--qr",
        action="append",
        type=qr_argument,
        metavar="FICHIER",
        help="écrire aussi le QR code du lien (.svg pour l'imprimeur, .png pour un document) ; répétable",
    )
    create.add_argument("--hors-domaine", action="store_true", help="accepter une adresse hors des domaines du service")
    create.add_argument(
        "--sans-parametres",
        action="store_true",
        help="inscrire l'adresse telle quelle, sans paramètres de campagne (voir la réserve CNIL)",
    )
    create.add_argument("--essai", action="store_true", help="vérifier et afficher le lien sans rien enregistrer")
    create.add_argument("--registre", type=Path, default=REGISTRY_FILE, help=argparse.SUPPRESS)

    verify = commands.add_parser(
        "verifier",
        help="vérifier tout le registre (lancé par la CI)",
        description="Revérifie chaque ligne du registre : conventions, doublons, lignes mal formées.",
    )
    verify.add_argument(
        "--registre", type=Path, default=REGISTRY_FILE, help="chemin du registre (par défaut docs/liens-suivis.csv)"
    )

    qr = commands.add_parser(
        "qr",
        help="refaire le QR code d'un lien déjà inscrit au registre",
        description="Écrit le QR code d'un lien déjà inscrit au registre.",
    )
    qr.add_argument("lien", help="le lien suivi, tel qu'il figure dans la colonne « lien » du registre")
    qr.add_argument(
        "--qr",
        action="append",
        type=qr_argument,
        metavar="FICHIER",
        required=True,
        help="fichier .svg ou .png à écrire ; répétable",
    )
    qr.add_argument("--registre", type=Path, default=REGISTRY_FILE, help=argparse.SUPPRESS)
    return main


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = parser().parse_args(argv)
    try:
        conv = Conventions.load()
        handler = {"creer": command_create, "verifier": command_verify, "qr": command_qr}[args.commande]
        return handler(args, conv)
    except Refusal as refusal:
        say(f"Refusé : {refusal}")
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
