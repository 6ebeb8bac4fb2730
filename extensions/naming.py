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
HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s]*)?$")
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


def service_name_error(name: object) -> str:
    """French message naming the rule the display name breaks, or '' when it is valid."""
    text = str(name or "").strip()
    example = "exemple qui passe : « Mon Service Public »"
    if not text:
        return f"service_name : le nom du service est obligatoire ({example})."
    if len(text) < 2 or len(text) > 60:
        return f"service_name : le nom doit faire entre 2 et 60 caractères, il en fait {len(text)} ({example})."
    if any(unicodedata.category(char) == "Cc" for char in text):
        return f"service_name : le nom ne doit contenir aucun caractère de contrôle (retour à la ligne, tabulation…) ({example})."
    if "{{" in text or "{%" in text:
        return f"service_name : le nom ne doit contenir ni « {{{{ » ni « {{% » ({example})."
    return ""


def administration_error(name: object) -> str:
    """French message for the sponsoring administration (may stay empty until it is known), or ''."""
    text = str(name or "").strip()
    example = "exemple qui passe : « Ministère de la Culture », ou vide tant qu'elle n'est pas connue"
    if not text:
        return ""
    if len(text) < 2 or len(text) > 120:
        return (
            "administration : le nom de l'administration porteuse doit faire entre 2 et 120 caractères, "
            f"il en fait {len(text)} ({example})."
        )
    if any(unicodedata.category(char) == "Cc" for char in text):
        return (
            "administration : le nom de l'administration porteuse ne doit contenir aucun caractère de "
            f"contrôle (retour à la ligne, tabulation…) ({example})."
        )
    if "{{" in text or "{%" in text:
        return f"administration : le nom de l'administration porteuse ne doit contenir ni « {{{{ » ni « {{% » ({example})."
    return ""


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
    if EMAIL.match(str(address or "").strip()):
        return ""
    return "contact_email : saisissez une adresse électronique valide (exemple qui passe : « contact@mon-service.beta.gouv.fr »)."


def https_url_error(url: object, answer: str, example: str) -> str:
    if HTTPS_URL.match(str(url or "").strip()):
        return ""
    return f"{answer} : saisissez une adresse complète en https, sans espace (exemple qui passe : « {example} »)."


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
        environment.filters["email_error"] = email_error
        environment.filters["https_url_error"] = https_url_error
        environment.filters["naming_warnings"] = naming_warnings
        environment.filters["naming_links"] = naming_links
