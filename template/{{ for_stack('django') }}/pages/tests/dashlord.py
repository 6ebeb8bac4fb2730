"""The checks DashLord runs on beta.gouv.fr sites, re-implemented to run on every test run.

Rules of SocialGouv/dashlord-actions at commit 20b2f871: `dsfr` (header regex), `declaration-a11y`
(accessibility mention and its link, fuzzy score > 0.9) and `declaration-rgpd` (links to the legal
notice and the privacy policy, fuzzy score > 0.8, then four required words on each page). A difflib
ratio stands in for the fast-fuzzy score: identical texts score 1 with both. Checked against the
original scripts on this project's pages: same mentions, same links, same scores.
"""

import re
from difflib import SequenceMatcher

from .helpers import Document, normalize

DSFR_HEADER = re.compile(r"(rf|fr)-header__brand")

A11Y_MENTIONS = (
    "Accessibilité : non conforme",
    "Accessibilité : partiellement conforme",
    "Accessibilité : totalement conforme",
)
LEGAL_NOTICE_LINKS = ("Mentions légales", "Legal Notice")
PRIVACY_LINKS = (
    "Politique de confidentialité",
    "Privacy Policy",
    "Données personnelles",
    "Mentions d'information",
    "Confidentialité",
)
# Searched in the whole upper-cased HTML of the linked page.
LEGAL_NOTICE_WORDS = (
    r"DIRECTEUR|DIRECTRICE",
    r"PUBLICATION",
    r"HÉBERGEUR|HÉBERGEMENT|HEBERGEUR|HEBERGEMENT",
    r"ÉDITEUR|ÉDITÉ PAR|EDITEUR|EDITÉ PAR",
)
PRIVACY_WORDS = (
    r"@",
    r"FINALITÉ",
    r"DURÉE DE LA CONSERVATION|DURÉE DE CONSERVATION",
    r"SOUS-TRAITANT|SOUS TRAITANT",
)


def fuzzy(term: str, candidate: str) -> float:
    """Best similarity between `term` and any stretch of `candidate` of the same length."""
    term, candidate = normalize(term).casefold(), normalize(candidate).casefold()
    if not term or not candidate:
        return 0.0
    if term in candidate:
        return 1.0
    if len(candidate) <= len(term):
        return SequenceMatcher(None, term, candidate).ratio()
    return max(
        SequenceMatcher(None, term, candidate[start : start + len(term)]).ratio()
        for start in range(len(candidate) - len(term) + 1)
    )


def has_dsfr_header(html: str) -> bool:
    return bool(DSFR_HEADER.search(html))


def best_needle(needles: tuple[str, ...], text: str) -> tuple[str, float]:
    """The needle that matches best; on a tie, the later one (DashLord sorts, then reverses)."""
    exact = [needle for needle in needles if normalize(needle).casefold() in normalize(text).casefold()]
    if exact:  # a perfect score: no need to measure the others
        return exact[-1], 1.0
    scores = [(fuzzy(needle, text), index, needle) for index, needle in enumerate(needles)]
    score, _, needle = max(scores)
    return needle, score


def accessibility_declaration(doc: Document) -> tuple[str | None, str | None]:
    """The mention found in the page's text, and the URL of the last link that carries it."""
    mention, score = best_needle(A11Y_MENTIONS, doc.text)
    if score <= 0.9:
        return None, None
    url = None
    for link in doc.links:
        if fuzzy(mention, link.text) > 0.9:
            url = link.href if link.href and link.href != "#" else None
    if url is None:  # DashLord's looser search: any link labelled "Accessibilité"
        for link in doc.links:
            if fuzzy("Accessibilité", link.text) > 0.9:
                url = link.href if link.href and link.href != "#" else None
    return mention, url


def find_link(doc: Document, needles: tuple[str, ...]) -> str | None:
    """The legal page DashLord follows: best needle over all link texts, then the last link bearing it."""
    needle, score = best_needle(needles, " ".join(link.text for link in doc.links))
    if score <= 0.8:
        return None
    url = None
    for link in doc.links:
        if link.href and link.href != "#" and fuzzy(needle, link.text) > 0.9:
            url = link.href
    return url


def words_score(html: str, words: tuple[str, ...]) -> int:
    upper = html.upper()
    return sum(1 for pattern in words if re.search(pattern, upper))


def grade(score: int, words: tuple[str, ...], link: str | None) -> str:
    if link is None:
        return "F"
    return "A" if score == len(words) else "D"
