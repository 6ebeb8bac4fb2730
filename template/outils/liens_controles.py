"""Tracked links: the checks of one link's values and target address, and the link built from them.

Each check returns a list of problems (liens_conventions.Problem), empty when the value follows the conventions.
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from liens_conventions import (
    CAMPAIGN_DATE_PREFIX,
    DATE,
    DOCS,
    EMAIL,
    FORMULA_START,
    PHONE_PATTERNS,
    RULE_ADDRESS,
    RULE_CAMPAIGN,
    RULE_DOMAIN,
    RULE_FAMILY,
    RULE_FORMAT,
    RULE_FORMULA,
    RULE_LENGTH,
    RULE_PERSONAL,
    RULE_REGISTRY,
    RULE_REQUIRED,
    RULE_VOCABULARY,
    UNRESERVED,
    Conventions,
    Problem,
    clean_text,
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
    # Suggestions are dated this month, or the phase's first month when the phase has not started yet.
    month = max(today, conv.phase_start) if conv.phase_start else today
    prefix = f"{month.year:04d}-{month.month:02d}-"

    def fixed(value: str) -> str:
        """The value made valid: shortened, and for a campaign, dated (its own year and month when it has them)."""
        if not campaign:
            return shorten(value, conv.max_length)
        head, body = prefix, value
        dated = YEAR_MONTH_PREFIX.match(value)
        if dated:
            body = value[dated.end() :]
            year, written_month = int(dated.group(1)), dated.group(2)
            start = conv.phase_start
            if written_month and 1 <= int(written_month) <= 12:
                head = f"{year:04d}-{int(written_month):02d}-"
            elif year == month.year:
                # « 2026-lancement »: its year, and this month (or the phase's first, if later).
                head = f"{year:04d}-{month.month:02d}-"
            elif start and year == start.year:
                head = f"{year:04d}-{start.month:02d}-"
            elif year > month.year:
                head = f"{year:04d}-01-"
            # A year before the phase: this month's prefix, as for an undated campaign.
            if start and head != prefix:
                # A month the user wrote, before the phase: the first such month in the phase (see below).
                head = f"{phase_year(int(head[:4]), int(head[5:7]), start):04d}{head[4:]}"
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


def phase_year(year: int, month: int, start: dt.date) -> int:
    """The year of `month` kept when it is not before the phase, else the first year in the phase with that month:
    « 2025-10 » for a phase started in 2026-03 becomes « 2026-10 », « 2025-02 » becomes « 2027-02 »."""
    if (year, month) >= (start.year, start.month):
        return year
    return start.year if month >= start.month else start.year + 1


def check_campaign_phase(campaign: str, conv: Conventions) -> list[Problem]:
    """A campaign dated before the construction phase's first month: most likely a typing error in its year."""
    dated = YEAR_MONTH_PREFIX.match(campaign)
    start = conv.phase_start
    if not (start and dated and dated.group(2) and 1 <= int(dated.group(2)) <= 12):
        return []
    year, month = int(dated.group(1)), int(dated.group(2))
    if (year, month) >= (start.year, start.month):
        return []
    suggestion = f"{phase_year(year, month, start):04d}-{month:02d}-{campaign[dated.end() :]}"
    hint = (
        f"Faute de frappe sur l'année ? Suggestion : « {suggestion} »."
        if conv.campaign_pattern.match(suggestion)
        else ""
    )
    return [
        Problem(
            "campagne",
            f"« {campaign} » est datée de {year:04d}-{month:02d}, avant le début de la construction "
            f"({start.isoformat()})",
            RULE_CAMPAIGN,
            f"{hint} Pour une campagne réellement antérieure, ajoutez --avant-phase.".strip(),
        )
    ]



def _split_address(raw: str):
    """The parts of an address and its host in lower case; ValueError when it cannot be read (a bad port too)."""
    parts = urlsplit(raw)
    parts.port  # noqa: B018 - raises on an invalid port
    return parts, (parts.hostname or "").lower().rstrip(".")

def check_target(raw: str, conv: Conventions, *, off_domain: bool, suggest: bool = True) -> list[Problem]:
    """Every problem of the target address. An address is suggested only when it passes these checks itself:
    https, no identifier, no other tracking parameters, and the service's domain when a close one exists."""
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
        parts, host = _split_address(raw)
    except ValueError:
        return [Problem(field, f"« {raw} » n'est pas une adresse valide", RULE_ADDRESS)]
    problems = []
    https_problem = None
    if parts.scheme.lower() != "https" or not host:
        if parts.scheme.lower() == "http" and host:
            as_https = "https://" + raw.split("://", 1)[1]
        elif not parts.scheme and "." in raw.split("/", 1)[0]:
            as_https = "https://" + raw
        else:
            # Nothing to read further: the service's home page is a valid start.
            suggestion = f"https://{conv.domains[0]}/" if conv.domains else ""
            return [
                Problem(
                    field,
                    f"« {raw} » doit être une adresse complète en https",
                    RULE_ADDRESS,
                    f"Suggestion : « {suggestion} »." if suggestion else None,
                )
            ]
        try:
            parts, host = _split_address(as_https)
        except ValueError:
            return [Problem(field, f"« {raw} » n'est pas une adresse valide", RULE_ADDRESS)]
        # The other checks go on with the https address: every problem is reported at once.
        https_problem = Problem(field, f"« {raw} » doit être une adresse complète en https", RULE_ADDRESS)
        problems.append(https_problem)
    identifier_problem = None
    if parts.username is not None or parts.password is not None:
        identifier_problem = Problem(
            field, "l'adresse contient un identifiant (« …@ » avant le domaine)", RULE_PERSONAL
        )
        problems.append(identifier_problem)
    query = parse_qsl(parts.query, keep_blank_values=True)
    in_fragment = [name for name, _ in parse_qsl(parts.fragment, keep_blank_values=True)]
    tracking = [name for name, _ in query if conv.is_tracking_parameter(name)]
    tracking += [name for name in in_fragment if conv.is_tracking_parameter(name)]
    family_problem = None
    if tracking:
        family_problem = Problem(
            field,
            f"l'adresse porte déjà des paramètres de suivi ({quoted_list(dict.fromkeys(tracking))}) ; "
            f"ce lien n'emploie que la famille {conv.family}_, sans mélange",
            RULE_FAMILY,
        )
        problems.append(family_problem)
    found = personal_data(f"{parts.path}?{parts.query}#{parts.fragment}")
    if found:
        problems.append(
            Problem(
                field, f"l'adresse contient {found}", RULE_PERSONAL, "Une adresse partagée ne doit désigner personne."
            )
        )
    close_domain = None
    if not off_domain and not conv.on_own_domain(host):
        close = close_matches(host, conv.domains, n=1, cutoff=0.8)
        close_domain = close[0] if close else None
        hint = f"Vouliez-vous dire « {close_domain} » ? " if close_domain else ""
        problems.append(
            Problem(
                field,
                f"« {host} » n'est pas un domaine du service ({quoted_list(conv.domains)})",
                RULE_DOMAIN,
                hint + "Ajoutez vos autres domaines dans outils/domaines.txt, ou passez --hors-domaine pour un site "
                "tiers (les paramètres n'y sont mesurés que si votre Matomo y est installé).",
            )
        )
    if not (suggest and (https_problem or identifier_problem or family_problem)):
        return problems

    # One address that fixes all of them, offered only if it passes every check.
    netloc = close_domain or host
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    new_query, fragment = parts.query, parts.fragment
    if family_problem:
        new_query = urlencode([(n, v) for n, v in query if not conv.is_tracking_parameter(n)], quote_via=quote)
        if any(conv.is_tracking_parameter(name) for name in in_fragment):
            fragment = ""
    corrected = urlunsplit(("https", netloc, parts.path, new_query, fragment))
    if check_target(corrected, conv, off_domain=off_domain, suggest=False):
        corrected = None
    if https_problem:
        https_problem.suggestion = f"Suggestion : « {corrected} »." if corrected else "Écrivez-la en « https:// »."
    if identifier_problem:
        identifier_problem.suggestion = "Retirez la partie avant « @ »." + (
            f" Suggestion : « {corrected} »." if corrected else ""
        )
    if family_problem:
        family_problem.suggestion = (
            f"Partez de l'adresse sans eux : « {corrected} »." if corrected else "Retirez-les de l'adresse."
        )
    return problems


def formula_problem(field: str, text: str) -> Problem | None:
    """A cell a spreadsheet would run as a formula, or None."""
    if not FORMULA_START.match(text):
        return None
    first = text.lstrip(" ")[:1]
    start = {"\t": "une tabulation", "\r": "un retour chariot"}.get(first, f"« {first} »")
    shown = clean_text(text)
    if field == "auteur":
        advice = "Écrivez le nom, les initiales ou le rôle sans ce caractère."
    else:
        example = f", par exemple « {field.capitalize()} : {shown} »" if shown else ""
        advice = f"Commencez-le par une lettre ou un chiffre{example}."
    return Problem(
        field,
        f"« {shown} » commence par {start} : un tableur qui ouvre le registre exécuterait ce texte comme une formule",
        RULE_FORMULA,
        advice,
    )


def check_text(field: str, text: str, *, required: bool) -> list[Problem]:
    if not text:
        return [Problem(field, "valeur obligatoire", RULE_REQUIRED)] if required else []
    formula = formula_problem(field, text)
    if formula:
        return [formula]
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


# A campaign's own year, and its month if written (« 2026-03- », « 2026-3- », « 2026- »).
YEAR_MONTH_PREFIX = re.compile(r"^((?:19|20|21)[0-9]{2})-(?:([0-9]{1,2})-)?")


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
