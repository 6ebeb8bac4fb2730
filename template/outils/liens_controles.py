"""Tracked links: the checks of one link's values and target address, and the link built from them.

Each check returns a list of problems (liens_conventions.Problem), empty when the value follows the conventions.
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from liens_conventions import (
    CAMPAIGN_DATE_PREFIX,
    DATE,
    DOCS,
    EMAIL,
    PHONE_PATTERNS,
    RULE_ADDRESS,
    RULE_CAMPAIGN,
    RULE_DOMAIN,
    RULE_FAMILY,
    RULE_FORMAT,
    RULE_LENGTH,
    RULE_PERSONAL,
    RULE_REGISTRY,
    RULE_REQUIRED,
    RULE_VOCABULARY,
    UNRESERVED,
    Conventions,
    Problem,
    close_matches,
    personal_data,
    quoted_list,
    slugify,
    without_personal_data,
)


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



def check_date(text: str) -> list[Problem]:
    if DATE.match(text) and valid_date(text):
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


def valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
