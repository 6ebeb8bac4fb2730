"""French grammar for the names a team answers: articles, elision, contractions, plurals.

A name such as « Incubateur de la DINUM », « Ministère de la Culture » or « Aides Locales » goes into
sentences (« édité par … », « le budget de … »). French needs an article before a common noun
(« l'Incubateur », « le Ministère »), none before a proper name (« France Travail »), the contractions
« du », « des », « au », « aux », and the elision « d' » before a vowel. Pure functions, no data files.
"""

from __future__ import annotations

import unicodedata

from jinja2.ext import Extension

# First words of institution names that take an article, by gender (accents and case ignored).
# A plural first word (« Services du Premier ministre ») is recognised from its singular.
MASCULINE = {
    "atelier",
    "centre",
    "commissariat",
    "conseil",
    "departement",
    "etablissement",
    "groupement",
    "haut-commissariat",
    "incubateur",
    "institut",
    "lab",
    "laboratoire",
    "ministere",
    "observatoire",
    "office",
    "programme",
    "reseau",
    "secretariat",
    "service",
}
FEMININE = {
    "academie",
    "administration",
    "agence",
    "autorite",
    "caisse",
    "cellule",
    "collectivite",
    "communaute",
    "delegation",
    "direction",
    "ecole",
    "fabrique",
    "fondation",
    "inspection",
    "maison",
    "mairie",
    "metropole",
    "mission",
    "plateforme",
    "prefecture",
    "region",
    "universite",
    "ville",
}
# Acronyms of administrations that are said with an article (« la DINUM », « l'ANCT », « l'Insee »).
ACRONYMS = {
    "ademe": "f",
    "anct": "f",
    "anssi": "f",
    "cnaf": "f",
    "cnam": "f",
    "cnil": "f",
    "dgfip": "f",
    "dinum": "f",
    "ditp": "f",
    "dnum": "f",
    "insee": "m",
    "urssaf": "f",
}
ARTICLES = ("le ", "la ", "les ", "l'", "l’")
# Elision before a vowel sound; « h » is left out: too many names start with an aspirated h
# (« de Haute-Garonne »), except before the first words below, whose h is mute (« d'Hébergement »).
# « œ » and « æ » do not decompose into a plain vowel (« d'Œuvres d'Art »).
VOWELS = set("aeiouyœæ")
MUTE_H = {
    "habitat",
    "habitation",
    "habitant",
    "habitants",
    "habitations",
    "harmonie",
    "hebergement",
    "hebergements",
    "heritage",
    "heure",
    "heures",
    "histoire",
    "histoires",
    "homme",
    "hommes",
    "hopital",
    "hopitaux",
    "horaire",
    "horaires",
    "horizon",
    "hospitalisation",
    "hotel",
    "hotellerie",
    "huile",
    "humain",
    "humains",
    "hygiene",
}
# Punctuation that ends a sentence, and closing signs that may follow it (« … fin. » or « … (fin.) »).
SENTENCE_END = ".!?…"
CLOSING = "»\"')]”’ \u00a0\u202f"


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _starts_with_vowel(text: str) -> bool:
    """A vowel sound: a vowel, or a mute h (« Hébergement d'Urgence »)."""
    if not text:
        return False
    if _plain(text[0]) in VOWELS:
        return True
    first_word = _plain(text.split(" ")[0].split("'")[0].split("-")[0]).strip(",.;:")
    return first_word in MUTE_H


def _gender(first_word: str) -> tuple[str, bool] | None:
    """(gender, plural) of a first word that takes an article, or None for a proper name."""
    word = _plain(first_word).strip(",.;:")
    if word in ACRONYMS:
        return ACRONYMS[word], False
    for plural, singular in ((False, word), (True, word[:-1] if word.endswith(("s", "x")) else "")):
        if singular in MASCULINE:
            return "m", plural
        if singular in FEMININE:
            return "f", plural
    return None


def avec_article(name: object) -> str:
    """The name as it reads inside a sentence: « l'Incubateur de la DINUM », « France Travail »."""
    text = " ".join(str(name or "").split())
    if not text or _plain(text).startswith(ARTICLES):
        return text
    found = _gender(text.split(" ")[0])
    if found is None:
        return text
    gender, plural = found
    if plural:
        return f"les {text}"
    if _starts_with_vowel(text):
        return f"l'{text}"
    return f"{'le' if gender == 'm' else 'la'} {text}"


def _contract(name: object, preposition: str, masculine: str, plural: str) -> str:
    text = avec_article(name)
    plain = _plain(text)
    if plain.startswith("le "):
        return f"{masculine} {text[3:]}"
    if plain.startswith("les "):
        return f"{plural} {text[4:]}"
    if preposition == "de" and _starts_with_vowel(text) and not plain.startswith(("l'", "l’")):
        return f"d'{text}"
    return f"{preposition} {text}"


def de(name: object) -> str:
    """« du Ministère… », « de l'Agence… », « des Services… », « de France Travail », « d'Aides Locales »."""
    return _contract(name, "de", "du", "des")


def au(name: object) -> str:
    """« au Ministère… », « à l'Agence… », « aux Services… », « à France Travail »."""
    return _contract(name, "à", "au", "aux")


def par(name: object) -> str:
    """« par l'Incubateur… », « par le Ministère… », « par France Travail »."""
    return f"par {avec_article(name)}"


def genre(name: object) -> str:
    """« f » for a name that takes a feminine article (« la Direction… », « l'Agence… »), « m » otherwise."""
    text = avec_article(name)
    plain = _plain(text)
    if plain.startswith("la "):
        return "f"
    if plain.startswith(("l'", "l’", "les ")):
        words = text.split(" ", 1)
        first = words[0][2:] if plain.startswith(("l'", "l’")) else (words[1].split(" ")[0] if len(words) > 1 else "")
        found = _gender(first)
        return found[0] if found else "m"
    return "m"


def accord(name: object, masculine: str, feminine: str) -> str:
    """The word that agrees with the name: « éditrice » after « la Direction… », « éditeur » otherwise."""
    return feminine if genre(name) == "f" else masculine


def de_cite(name: object) -> str:
    """« de » before a name quoted in « », elided before a vowel sound: « d'« Hébergement d'Urgence » »,
    « de « Mon Guichet » ». A name's own « Le » or « Les » contracts with « de » and leaves the quotes,
    as with any title (« du « Bon Dossier » », « des « Petits Pas » »); « La » and « L' » stay inside."""
    text = " ".join(str(name or "").split())
    first, _, rest = text.partition(" ")
    if rest and first.lower() in ("le", "les"):
        return f"{'du' if first.lower() == 'le' else 'des'} « {rest} »"
    return f"d'« {text} »" if _starts_with_vowel(text) else f"de « {text} »"


def phrase(text: object) -> str:
    """The text as a whole sentence: trimmed, and ended by a period unless it already ends with
    . ! ? or … (possibly followed by a closing quote or parenthesis); a trailing , ; or : is replaced."""
    sentence = " ".join(str(text or "").split())
    if not sentence:
        return sentence
    if sentence.rstrip(CLOSING)[-1:] in set(SENTENCE_END):
        return sentence
    return sentence.rstrip(",;: ") + "."


def pluriel(count: int, singular: str, plural: str | None = None) -> str:
    """« 0 lien », « 1 lien », « 2 liens »: in French, 0 and 1 take the singular."""
    return f"{count} {singular if abs(count) < 2 else (plural or singular + 's')}"


def duree(offset: dict | None) -> str:
    """A playbook offset in words: {months: 3} -> « 3 mois », {weeks: 2} -> « 2 semaines »,
    {months: 6, weeks: -1} -> « 6 mois moins 1 semaine »; '' when the item has none."""
    if not offset:
        return ""
    units = (("months", "mois", "mois"), ("weeks", "semaine", "semaines"), ("days", "jour", "jours"))
    parts = []
    for key, singular, plural in units:
        value = int(offset.get(key, 0))
        if value:
            words = pluriel(abs(value), singular, plural)
            parts.append(f"moins {words}" if value < 0 and parts else ("-" if value < 0 else "") + words)
    return " ".join(parts)


class FrancaisExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["avec_article"] = avec_article
        environment.filters["de"] = de
        environment.filters["au"] = au
        environment.filters["par"] = par
        environment.filters["pluriel"] = pluriel
        environment.filters["duree"] = duree
        environment.filters["genre"] = genre
        environment.filters["accord"] = accord
        environment.filters["de_cite"] = de_cite
        environment.filters["phrase"] = phrase
