"""Naming helpers: slug, answer validators and the naming guide's automatic warnings.

Loaded by copier-template-extensions from its file path; pure functions, no network, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, quote_plus

from jinja2.ext import Extension

DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
# No character a URL must percent-encode (quotes, angle brackets…): the address is pasted into HTML
# attributes, Markdown links and YAML by the docs and apps.
HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s\"'<>\\^`{|}]*)?$")
# Past this length a `<slug>.beta.gouv.fr` address gets hard to read aloud or type (our rule, not beta.gouv.fr's).
LONG_SLUG = 20
LONG_NAME = 30
RESERVED_WORDS = ("beta", "gouv")


LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: « L'Île aux Démarches » -> « l-ile-aux-demarches »."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(LIGATURES))
    # Accents (combining marks) vanish; every other non-ASCII character separates words.
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    ascii_text = "".join(char if char.isascii() else "-" for char in folded)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:63].strip("-")


# Answers reach pages, code and templates that are rendered again (Nunjucks, Django): these open template code.
TEMPLATE_OPENERS = ("{{", "{%", "{#")
# Control, format (bidirectional marks, zero-width characters) and surrogate characters, and the Unicode line
# and paragraph separators: invisible on screen, yet they break lines or reverse how a text reads.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
BIDI_MARKS = {chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]}
CONTROL_NAMES = {"\n": "retour à la ligne", "\r": "retour chariot", "\t": "tabulation"}
# Generous on purpose: an update silently replaces a recorded answer that no longer validates by the
# default (copier-org/copier PR #1589), and the description is on the home page the team publishes.
DESCRIPTION_MAX = 1000
ORGANISATION_MAX = 120
# The longest address SMTP can carry (RFC 5321, 4.5.3.1.3).
EMAIL_MAX = 254


def _passing(example: str) -> str:
    return example if example.startswith("exemple qui passe") else f"exemple qui passe : « {example} »"


def page_text_error(value: object, answer: str, subject: str, example: str) -> str:
    """French message when an answer holds template openers or invisible characters, or ''.

    Shared by every answer that reaches a page: `subject` names what the answer is (« le nom »), `example`
    is an answer that passes, or the whole « exemple qui passe : … » phrase when it needs more words.
    """
    text = str(value or "")
    if any(opener in text for opener in TEMPLATE_OPENERS):
        return f"{answer} : {subject} ne doit contenir ni « {{{{ », ni « {{% », ni « {{# » ({_passing(example)})."
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) in INVISIBLE_CATEGORIES:
            if char in BIDI_MARKS:
                kind = "une marque de sens d'écriture, qui peut retourner le texte affiché"
            else:
                kind = CONTROL_NAMES.get(char, "un caractère invisible")
            return (
                f"{answer} : {subject} ne doit contenir aucun caractère de contrôle ni caractère invisible ; "
                f"il contient U+{ord(char):04X} ({kind}) en position {position} ({_passing(example)})."
            )
    return ""


def _length_error(text: str, answer: str, subject: str, shortest: int, longest: int, example: str) -> str:
    if shortest <= len(text) <= longest:
        return ""
    return f"{answer} : {subject} doit faire entre {shortest} et {longest} caractères, il en fait {len(text)} ({_passing(example)})."


def service_name_error(name: object) -> str:
    """French message naming the rule the display name breaks, or '' when it is valid."""
    text = str(name or "").strip()
    example = "Mon Service Public"
    if not text:
        return f"service_name : le nom du service est obligatoire ({_passing(example)})."
    return _length_error(text, "service_name", "le nom", 2, 60, example) or page_text_error(name, "service_name", "le nom", example)


def description_error(description: object) -> str:
    """French message for the one-sentence description, or ''."""
    text = str(description or "").strip()
    example = "Trouver un stage en quelques minutes, sans se déplacer."
    if not text:
        return f"service_description : décrivez le service en une phrase ({_passing(example)})."
    return _length_error(text, "service_description", "la description", 2, DESCRIPTION_MAX, example) or page_text_error(
        description, "service_description", "la description", example
    )


def incubator_error(name: object) -> str:
    """French message for the incubator's name, or ''."""
    text = str(name or "").strip()
    example = "Incubateur de la DINUM"
    if not text:
        return f"incubator : indiquez l'incubateur qui accompagne l'équipe ({_passing(example)})."
    subject = "le nom de l'incubateur"
    return _length_error(text, "incubator", subject, 2, ORGANISATION_MAX, example) or page_text_error(name, "incubator", subject, example)


def administration_error(name: object) -> str:
    """French message for the sponsoring administration (may stay empty until it is known), or ''."""
    text = str(name or "").strip()
    example = "exemple qui passe : « Ministère de la Culture », ou vide tant qu'elle n'est pas connue"
    if not text:
        return ""
    subject = "le nom de l'administration porteuse"
    return _length_error(text, "administration", subject, 2, ORGANISATION_MAX, example) or page_text_error(
        name, "administration", subject, example
    )


def roles_error(roles: object) -> str:
    """French message when no role is chosen, readable both in the terminal and on the command line."""
    if roles:
        return ""
    return (
        "roles : choisissez au moins un rôle parmi intra, coach, dev, design, deploiement (dans le terminal, "
        "cochez-en avec la barre d'espace puis validez avec Entrée ; en ligne de commande, exemple qui passe : "
        "-d 'roles=[intra, dev]')."
    )


def service_slug_error(slug: object) -> str:
    text = str(slug or "")
    if DNS_LABEL.match(text):
        return ""
    hint = f"essayez « {slugify(text)} »" if slugify(text) else "exemple qui passe : « mon-service »"
    return (
        "service_slug : l'identifiant doit être un nom de domaine valide : minuscules sans accent, chiffres "
        f"et tirets, 63 caractères au plus, sans tiret au début ni à la fin ({hint})."
    )


def email_error(address: object) -> str:
    example = "contact@mon-service.beta.gouv.fr"
    text = str(address or "").strip()
    if unsafe := page_text_error(address, "contact_email", "l'adresse", example):
        return unsafe
    if len(text) > EMAIL_MAX:
        return f"contact_email : l'adresse doit faire {EMAIL_MAX} caractères au plus, elle en fait {len(text)} ({_passing(example)})."
    if EMAIL.match(text):
        return ""
    return f"contact_email : saisissez une adresse électronique valide ({_passing(example)})."


def https_url_error(url: object, answer: str, example: str) -> str:
    if unsafe := page_text_error(url, answer, "l'adresse", example):
        return unsafe
    if HTTPS_URL.match(str(url or "").strip()):
        return ""
    return (
        f"{answer} : saisissez une adresse complète en https, sans espace ni guillemet, apostrophe, chevron, "
        f"accolade ou barre oblique inverse (à encoder en %XX) ({_passing(example)})."
    )


def _text_width(text: str) -> int:
    """Columns a line takes in ruff's count: wide (East Asian, emoji) characters take two, combining marks none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.category(char) in {"Mn", "Me"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def _python_literal(text: str) -> str:
    """A string literal as `ruff format` writes it: double quotes, unless the text holds more double
    quotes than apostrophes."""
    body = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if body.count('"') > body.count("'"):
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


def _split_for_width(text: str, width: int) -> list[str]:
    """Pieces whose literals fit in `width` columns, cut after a space when a word fits, inside it otherwise."""
    pieces, current = [], ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if _text_width(_python_literal(current + word)) <= width:
            current += word
            continue
        if current:
            pieces.append(current)
            current = ""
        for char in word:
            if current and _text_width(_python_literal(current + char)) > width:
                pieces.append(current)
                current = ""
            current += char
    return [*pieces, current] if current or not pieces else pieces


def python_assignment(value: object, name: str, line_length: int = 120) -> str:
    """`NAME = "answer"` laid out exactly as `ruff format` would, within `line_length`: on one line when it
    fits, else the literal alone in parentheses, else implicitly concatenated pieces cut between words."""
    text = str(value or "").strip()
    literal = _python_literal(text)
    if _text_width(f"{name} = {literal}") <= line_length:
        return f"{name} = {literal}"
    indent = "    "
    if _text_width(indent + literal) <= line_length:
        return f"{name} = (\n{indent}{literal}\n)"
    pieces = _split_for_width(text, line_length - len(indent))
    return f"{name} = (\n" + "".join(f"{indent}{_python_literal(piece)}\n" for piece in pieces) + ")"


def naming_warnings(name: str, slug: str) -> list[str]:
    """Warnings about the chosen name, shown in the generated naming guide (French)."""
    name = str(name).strip()
    warnings = []
    if len(slug) > LONG_SLUG:
        warnings.append(
            f"L'identifiant « {slug} » fait {len(slug)} caractères : l'adresse « {slug}.beta.gouv.fr » sera longue "
            "à dicter et à taper. Un nom court, ou une forme abrégée pour l'adresse, facilite le bouche-à-oreille."
        )
    if len(name) > LONG_NAME:
        warnings.append(f"Le nom fait {len(name)} caractères : un nom plus court se retient mieux et tient dans l'en-tête du site.")
    # A word of 2 to 8 characters written all in capitals (accents included) reads as an acronym.
    acronyms = [word for word in re.findall(r"\w+", name) if 2 <= len(word) <= 8 and word.isupper()]
    if acronyms:
        warnings.append(
            f"« {', '.join(dict.fromkeys(acronyms))} » ressemble à un sigle : vos usagers ne le connaissent peut-être pas. "
            "Préférez des mots qu'ils emploient, ou expliquez le sigle partout où il apparaît."
        )
    if slugify(name) != _plain_slug(name):
        warnings.append(
            f"Les accents et signes du nom disparaissent dans l'adresse : « {slug} ». Relisez-la à voix haute "
            "et vérifiez qu'elle ne prête pas à confusion."
        )
    lowered = _plain_slug(name).split("-")
    reserved = [word for word in RESERVED_WORDS if word in lowered or any(part.startswith(word) for part in lowered)]
    if reserved:
        warnings.append(
            f"Le nom contient « {', '.join(reserved)} » : inutile de le répéter, l'adresse en « .beta.gouv.fr » le dit "
            "déjà, et le service devra quitter ce domaine à la sortie de la bêta."
        )
    return warnings


def _plain_slug(text: str) -> str:
    """Slug without accent folding, to detect what folding changed."""
    return re.sub(r"[^\w]+", "-", str(text).lower(), flags=re.UNICODE).strip("-").replace("_", "-")


def naming_links(name: str, slug: str) -> dict[str, str]:
    """Ready-made search links for the naming checks (no request is made at render time)."""
    name = str(name).strip()
    return {
        "google": f"https://www.google.com/search?q={quote_plus(chr(34) + name + chr(34))}",
        "inpi": f"https://data.inpi.fr/search?type=brands&q={quote(name)}",
        # AFNIC's RDAP answers 404 when the .fr name is free, and the registration record otherwise.
        "rdap_fr": f"https://rdap.nic.fr/domain/{slug}.fr",
        "whois_fr": "https://www.afnic.fr/noms-de-domaine/tout-savoir/whois-trouver-un-nom-de-domaine/",
        "beta_subdomain_request": "https://espace-membre.beta.gouv.fr/services/ops",
    }


class NamingExtension(Extension):
    """Registers the naming filters for copier.yml validators and the templates."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["slugify"] = slugify
        environment.filters["service_name_error"] = service_name_error
        environment.filters["service_slug_error"] = service_slug_error
        environment.filters["administration_error"] = administration_error
        environment.filters["description_error"] = description_error
        environment.filters["incubator_error"] = incubator_error
        environment.filters["roles_error"] = roles_error
        environment.filters["email_error"] = email_error
        environment.filters["https_url_error"] = https_url_error
        environment.filters["python_assignment"] = python_assignment
        environment.filters["naming_warnings"] = naming_warnings
        environment.filters["naming_links"] = naming_links
