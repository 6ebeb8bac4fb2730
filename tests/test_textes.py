"""Everything a team reads is true for its answers (issue 10).

A matrix of answer sets — every stack selectable in copier.yml × every host × Matomo on and off ×
roles with and without a developer — is generated (generation only, no install), and each generated
repository is held to RULES: a rule is data, a predicate on the answers plus a pattern that must or
must not appear in some generated files. A new stack joins the matrix as soon as its choice becomes
selectable in copier.yml, and inherits every rule stated over the descriptions (piles/*.yml); the
rules true for one stack only are that stack's own, in tests/regles/<stack>.py.

The names answered vary from one set to the next and start with vowels or with an article (« Le … »),
with « Incubateur … », « Ministère … », « Agence … », or stay empty (the administration), so that
French articles, elision and contraction are exercised too.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from copier import run_copy
from jinja2.utils import htmlsafe_json_dumps
from regles import LEGAL_HEADINGS, LEGAL_PAGES, PROSE, Rule
from update_contract import choice_entries, load_settings

from conftest import EXAMPLE_ANSWERS, HEBERGEURS, PILES, ROOT, app_stacks, load_extension, stacks_without_app

francais = load_extension("francais")
SETTINGS = load_settings()
PLAYBOOK = load_extension("playbook").load_playbook(ROOT / "playbook")
DUE = {item["id"]: item.get("due") for section in PLAYBOOK["checklist"]["sections"] for item in section["items"]}

STACKS = [value for value, selectable in choice_entries(SETTINGS["stack"]) if selectable]
HOSTS = [value for value, selectable in choice_entries(SETTINGS["hosting"]) if selectable]
# The stacks examples are taken from, by their descriptions: with and without an application.
APP_STACKS = [stack for stack in app_stacks() if stack in STACKS]
NO_APP_STACKS = [stack for stack in stacks_without_app() if stack in STACKS]
ALL_ROLES = ["intra", "coach", "dev", "design", "deploiement"]
# Names that French must bend around: vowels first, common nouns that take an article, proper names.
NAMES = [
    {
        "service_name": "Aides Locales",
        "incubator": "Incubateur des territoires",
        "administration": "Agence nationale de la cohésion des territoires",
    },
    {"service_name": "Écoute Usagers", "incubator": "Incubateur de la DINUM", "administration": "Ministère de la Culture"},
    {"service_name": "Mon Guichet", "incubator": "Fabrique numérique des ministères sociaux", "administration": ""},
    {"service_name": "Itinéraire Emploi", "incubator": "Incubateur d'Occitanie", "administration": "France Travail"},
    {
        "service_name": "Le Guichet Unique",
        "incubator": "Incubateur de la DINUM",
        "administration": "Direction interministérielle du numérique",
    },
]


def answer_sets(piles: dict = PILES, stacks: list[str] | None = None) -> dict[str, dict]:
    """Every stack (by default the selectable ones) × each of its hosts × Matomo on and off × roles with and without a developer."""
    sets = {}
    for stack in STACKS if stacks is None else stacks:
        for hosting in piles[stack]["hosts"] or [None]:
            for matomo in ("", "124"):
                for roles in (ALL_ROLES, ["intra", "coach", "design"]):
                    name = "-".join(
                        [
                            stack,
                            *([hosting] if hosting else []),
                            "matomo" if matomo else "sans-matomo",
                            "dev" if "dev" in roles else "sans-dev",
                        ]
                    )
                    answers = {**EXAMPLE_ANSWERS, **NAMES[len(sets) % len(NAMES)], "stack": stack, "roles": roles}
                    answers["matomo_site_id"] = matomo
                    if hosting:
                        answers["hosting"] = hosting
                    sets[name] = answers
    return sets


ANSWER_SETS = answer_sets()


def app(answers: dict) -> bool:
    return PILES[answers["stack"]]["application"]


# --------------------------------------------------------------------------- the rules

VOWEL = "AEIOUYÉÈÊÂÎÔÛŒÆaeiouyéèêâîôûœæ"
NOUNS_WITH_ARTICLE = r"(?:Incubateur|Ministère|Agence|Direction|Fabrique|Délégation|Services?|Mission|Secrétariat)\b"


def publisher_named(answers: dict) -> str:
    name = answers["administration"].strip()
    return re.escape(name) if name else re.escape("l'administration porteuse (nom à compléter)")


def incubator_as_publisher(answers: dict) -> str:
    incubator = re.escape(answers["incubator"].strip())
    # Within one sentence: the publisher, the publication director's body or the data controller, then the incubator.
    role = r"(?:[Éé]dit(?:é|ée|eur|rice)|responsable des traitements|directeur de la publication)"
    return rf"{role}[^.;]{{0,120}}?{incubator}(?![^.]*n'en est pas l'éditeur)"


def delay(item_id: str) -> str:
    return re.escape(francais.duree(DUE[item_id]))


# ---- the page findings of issue 14–20: facts that follow what the stack has and what was answered
FEMININE_FIRST_WORDS = r"(?:Direction|Agence|Délégation|Mission|Caisse|Autorité|Administration|Fabrique|Préfecture|Région|Ville)"


def contact_ready(answers: dict) -> bool:
    default = f"contact@{answers.get('service_slug') or francais_slug(answers['service_name'])}.beta.gouv.fr"
    return answers.get("contact_email_ready", not answers["contact_email"].lower().endswith("@" + default.split("@")[1]))


def francais_slug(name: str) -> str:
    return load_extension("naming").slugify(name)


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def shared_rules(piles: dict, hosts: dict = HEBERGEURS) -> list[Rule]:
    """The rules every stack inherits, stated over the keys of the stack and host descriptions."""

    def app(answers: dict) -> bool:
        return piles[answers["stack"]]["application"]

    def host(*values: str) -> Callable[[dict], bool]:
        return lambda answers: app(answers) and answers.get("hosting") in values

    def without_error_reports(answers: dict) -> bool:
        return app(answers) and not piles[answers["stack"]]["error_tracking"]

    apps = [description for description in piles.values() if description["application"]]
    # Where the host not chosen must not be named: the shared files, and each app's code.
    app_texts = ("README.md", ".env.example", ".github/**/*.yml", *(glob for d in apps for glob in d["tests"]["host_silent_files"]))
    # The footer of each stack, and the file where it finds the incubator's name as it reads in a sentence.
    footers = tuple(d["tests"]["footer"] for d in apps)
    service_data = tuple(d["tests"]["facts_file"] for d in apps)
    # The page texts of each app stack: the team's words, and the facts of the answers that updates renew.
    page_texts = {d["name"]: f"{d['page_texts']}/*.html" for d in apps}

    def incubator_in_sentence(answers: dict) -> str:
        name = francais.avec_article(answers["incubator"])
        return "|".join(re.escape(d["tests"]["incubator_in_sentence"].format(name=name, json=htmlsafe_json_dumps(name))) for d in apps)

    def page_texts_row(answers: dict) -> str:
        return (
            rf"^\| `{re.escape(page_texts[answers['stack']])}` [^\n]*\| équipe et modèle \| gardent vos mots et réécrivent les faits"
            r"[^\n]*docs/modele\.md"
        )

    def other_page_texts(answers: dict) -> str:
        own = page_texts[answers["stack"]]
        return "|".join(rf"`{re.escape(path)}`" for path in set(page_texts.values()) - {own})

    rules = [
        # ---- French, for every answer set
        Rule("« de » devant une voyelle s'élide (« d'Aides Locales »)", lambda a: True, PROSE, must_not=rf"(?<![-\w])[Dd]e (?=[{VOWEL}])"),
        Rule(
            "« que », « le », « la » devant une voyelle s'élident",
            lambda a: True,
            PROSE,
            must_not=rf"(?<![-\w])(?:[Qq]ue|[Ll]e|[Ll]a) (?!ou\b)(?=[{VOWEL}][a-zé])",
        ),
        Rule(
            "un nom commun d'institution prend un article après « par », « de », « à » (« incubée par l'Incubateur … »)",
            lambda a: True,
            PROSE,
            must_not=rf"\b(?:par|de|à|pour) {NOUNS_WITH_ARTICLE}",
        ),
        Rule(
            "la licence MIT nomme ses auteurs avec « de » élidé ou contracté (« d'Aides Locales », « du Guichet »)",
            lambda a: a.get("license", "MIT") == "MIT",
            ("LICENSE",),
            must=lambda a: rf"^Copyright \(c\) \d{{4}} Les contributeurs et contributrices {re.escape(francais.de(a['service_name']))}$",
            flags=re.MULTILINE,
        ),
        Rule(
            "« de le », « de les » se contractent (« du Guichet Unique »)",
            lambda a: True,
            (*PROSE, "LICENSE"),
            must_not=r"(?<![-\w])[Dd]e (?:[Ll]e|[Ll]es) (?=[A-ZÉ])",
        ),
        Rule(
            "0 et 1 se disent au singulier",
            lambda a: True,
            PROSE,
            must_not=r"(?<![\d,.])[01] (?:liens|items|jours|semaines|problèmes|critères)\b",
        ),
        # ---- who publishes the service
        Rule("les pages légales nomment l'administration porteuse comme éditrice", app, LEGAL_PAGES, must=publisher_named),
        Rule(
            "l'incubateur n'est ni éditeur, ni directeur de la publication, ni responsable des traitements",
            app,
            (*LEGAL_PAGES, "README.md"),
            must_not=incubator_as_publisher,
        ),
        Rule(
            "le pied de page dit que la startup est « accompagnée par » l'incubateur, sans « Incubateur : Incubateur … »",
            app,
            footers,
            must=r"accompagnée par",
            must_not=r"Incubateur : ",
        ),
        Rule(
            "le pied de page reçoit l'incubateur avec son article (« l'Incubateur de la DINUM »)",
            app,
            service_data,
            must=incubator_in_sentence,
        ),
        Rule(
            "le README dit quelle administration porte le service",
            lambda a: bool(a["administration"].strip()),
            ("README.md",),
            must=lambda a: re.escape(francais.avec_article(a["administration"])),
        ),
        # ---- without an app
        Rule(
            "sans application, docs/matomo.md parle de la page de données personnelles de l'outil",
            lambda a: not app(a),
            ("docs/matomo.md",),
            must_not=r"\| La page (?:nomme|de politique)|page Données personnelles \(",
        ),
        Rule(
            "sans application, aucun « Matomo de ce service » n'est dit en marche",
            lambda a: not app(a),
            PROSE,
            must_not=r"Le Matomo de ce service fonctionne",
        ),
        Rule(
            "sans application, aucune commande ni page d'application n'est décrite",
            lambda a: not app(a),
            PROSE,
            must_not=r"make (?:run|install|test)|manage\.py|/healthz|Procfile|\.env\.example|pages légales de l'application",
        ),
        # ---- the host: complete for the one answered, silent about the others (hebergeurs/<host>.yml, `tests`)
        *[
            Rule(f"{described['label']} : rien d'un autre hébergeur", host(name), app_texts, must_not=described["tests"]["silent_about"])
            for name, described in hosts.items()
        ],
        *[
            Rule(f"{described['label']} : le README donne « {step} »", host(name), ("README.md",), must=re.escape(step))
            for name, described in hosts.items()
            for step in described["tests"]["readme_steps"]
        ],
        # The running commit, which the apps that report errors give Sentry: the host's own variable.
        *[
            Rule(
                f"{described['label']} : Sentry reçoit la version en service de {described['release_variable']}",
                lambda a, name=name: host(name)(a) and piles[a["stack"]]["error_tracking"],
                (".env.example",),
                must=rf"l'application lit {described['release_variable']}, fourni par {re.escape(described['label'])}",
            )
            for name, described in hosts.items()
            if described["release_variable"]
        ],
        *[
            Rule(
                f"{described['label']} : rien ne lit la variable de version d'un autre hébergeur",
                host(name),
                (".env.example", *(glob for d in apps for glob in d["tests"]["host_silent_files"])),
                must_not="|".join(rf"\b{other['release_variable']}\b" for other in others),
            )
            for name, described in hosts.items()
            if (others := [other for other in hosts.values() if other["release_variable"] not in (None, described["release_variable"])])
        ],
        *[
            Rule(
                f"{described['label']} : le README donne l'adresse provisoire de l'application ({described['provisional_domain']})",
                host(name),
                ("README.md",),
                must=r"<https://[a-z0-9-]+\." + re.escape(described["provisional_domain"]) + ">",
            )
            for name, described in hosts.items()
            if described["provisional_domain"]
        ],
        # ---- audience measurement
        Rule(
            "sans numéro de site, rien ne dit que la mesure est active",
            lambda a: not a["matomo_site_id"],
            PROSE,
            must_not=r"(?<![Qq]uand )(?<![Ss]i )la mesure est active|Sa fréquentation est mesurée avec Matomo"
            r"|Ce service mesure sa fréquentation|numéro\s+donné\s+au\s+modèle|Le Matomo de ce service fonctionne",
        ),
        Rule(
            "sans numéro de site, la page Données personnelles ne décrit Matomo et son sous-traitance que « quand elle est active »",
            lambda a: app(a) and not a["matomo_site_id"],
            ("<h1>Données personnelles</h1>",),
            must_not=r"Mesure d'audience \(Matomo\) Données|Mesure d'audience sans cookie(?!, quand elle est active)",
        ),
        Rule(
            "avec une application, docs/matomo.md nomme sa page Données personnelles, pas une politique de confidentialité",
            app,
            ("docs/matomo.md",),
            must=r"page Données personnelles \(`?/donnees-personnelles/`?\)",
            must_not=r"politique de confidentialité (?:contient|propose|le dit)",
        ),
        Rule(
            "docs/matomo.md renvoie à sa propre section, pas à lui-même",
            lambda a: True,
            ("docs/matomo.md",),
            must_not=r"convention de docs/matomo\.md",
        ),
        Rule(
            "avec un numéro de site, docs/matomo.md le donne",
            lambda a: bool(a["matomo_site_id"]),
            ("docs/matomo.md",),
            must=lambda a: rf"\*\*{a['matomo_site_id']}\*\*",
        ),
        # ---- the team's tools
        Rule(
            "les codes de sortie de liens.py valent pour ses trois commandes",
            lambda a: True,
            ("docs/liens-suivis.md",),
            must=r"Codes de sortie des trois commandes \(`creer`, `verifier`, `qr`\)",
            must_not=r"deux commandes",
        ),
        Rule(
            "le README donne à chaque outil ses codes de sortie (progression.py : 1, checklist illisible)",
            lambda a: True,
            ("README.md",),
            must=r"`1` checklist illisible",
        ),
        Rule(
            "la CI des outils tourne sur main, sur les pull requests et le lundi, pas « à chaque envoi »",
            lambda a: True,
            ("README.md", "docs/**/*.md"),
            must_not=r"à chaque envoi(?! sur la branche `main`)",
        ),
        Rule(
            "les exemples écrivent les QR codes dans qr/, ignoré par git",
            lambda a: True,
            PROSE,
            must_not=r"--qr (?!qr/|FICHIER)[\w.-]+\.(?:svg|png)",
        ),
        Rule(
            "le README dit que les textes des pages (de sa pile seulement) gardent les mots de l'équipe et suivent les faits des réponses",
            app,
            ("README.md",),
            must=page_texts_row,
            must_not=other_page_texts,
            flags=re.MULTILINE,
        ),
        # ---- roles
        Rule(
            "sans développeur·se, aucun lien vers son kit",
            lambda a: "dev" not in a["roles"],
            ("README.md", "docs/**/*.md"),
            must_not=r"docs/kit/dev\.md|\(dev\.md\)",
        ),
        Rule(
            "sans développeur·se, personne ne lui est assigné",
            lambda a: "dev" not in a["roles"],
            ("CHECKLIST.md",),
            must_not=r"Responsables : [^\n]*Développeur·se",
        ),
        # ---- one source for every figure: the checklist
        Rule("la page /stats ne promet rien à 18 mois", app, ("<h1>Statistiques</h1>",), must_not=r"18 mois"),
        Rule(
            "la page /stats suit l'échéance de la checklist (T01)",
            app,
            ("<h1>Statistiques</h1>",),
            must=lambda a: rf"au plus tard {delay('T01')} après",
        ),
        Rule(
            "le nom se choisit dans le délai de l'item J01",
            lambda a: True,
            ("README.md",),
            must=lambda a: rf"au plus tard {delay('J01')} après le début de la construction \(item J01\)",
        ),
        # ---- install steps that work on current Debian, Ubuntu and macOS
        Rule(
            "pip n'est jamais lancé sur le Python du système (refusé par Debian, Ubuntu, Homebrew)",
            lambda a: True,
            ("README.md", "docs/**/*.md", "outils/*.py", "requirements-outils.txt"),
            must_not=r"(?<![/\w])python3 -m pip install",
        ),
        Rule(
            "le README donne l'installation des QR codes dans un environnement virtuel",
            lambda a: True,
            ("README.md",),
            must=r"python3 -m venv \.venv[^\n]*\n\.venv/bin/python -m pip install -r requirements-outils\.txt",
        ),
        # ---- facts and advice of the checklist, kits and naming guide (texts of the playbook)
        Rule(
            "la règle des jours ouvrés est dite en tête de la checklist",
            lambda a: True,
            ("CHECKLIST.md",),
            must=r"\A(?:(?!\n## )[\s\S])*un jour férié en France ou un 31 décembre passe au jour ouvré suivant",
        ),
        Rule(
            "le README ne dit pas le nom retenu tant que l'item J01 peut rester ouvert",
            lambda a: True,
            ("README.md",),
            must=r"Nom proposé : « ",
            must_not=r"[Nn]om (?:retenu|choisi|définitif) ?:",
        ),
        Rule("« le ou la première » s'écrit « le premier ou la première »", lambda a: True, PROSE, must_not=r"\b[Ll]e ou la première\b"),
        Rule(
            "le kit de l'intrapreneur·e ne met pas « 2 jours par semaine » et « mi-temps » dans une même phrase",
            lambda a: "intra" in a["roles"],
            ("docs/kit/intra.md",),
            must_not=r"2 jours par semaine[^.\n]*mi-temps|mi-temps[^.\n]*2 jours par semaine",
        ),
        *[
            Rule(
                f"les kits ne font pas recruter en priorité un rôle déjà dans l'équipe ({role})",
                lambda a, role=role: role in a["roles"],
                ("docs/kit/*.md",),
                must_not=rf"(?i)recruter[^.\n]*{label}",
            )
            for role, label in (("dev", "développeur"), ("deploiement", "chargé·e de déploiement"))
        ],
        Rule(
            "le kit de l'intrapreneur·e fait recruter le ou la dev qui manque",
            lambda a: "intra" in a["roles"] and "dev" not in a["roles"],
            ("docs/kit/intra.md",),
            must=r"Recruter en priorité un·e développeur·se",
        ),
        Rule(
            "40 jours sur 6 mois font environ un jour et demi par semaine, pas 2",
            lambda a: "coach" in a["roles"],
            ("docs/kit/coach.md",),
            must=r"40 jours au plus sur les 6 premiers mois \(environ un jour et demi par semaine\)",
        ),
        Rule(
            "le kit du déploiement ne fait pas tracer chaque lien sans la réserve de la CNIL (item S08)",
            lambda a: "deploiement" in a["roles"],
            ("docs/kit/deploiement.md",),
            must=r"[Tt]racer chaque lien[^\n]*item S08",
        ),
        Rule(
            "la position de la CNIL sur les campagnes a une seule date, celle du playbook",
            lambda a: True,
            ("docs/matomo.md", "docs/liens-suivis.md"),
            must=re.escape(f"publication de la CNIL de {PLAYBOOK['matomo']['cnil_campagnes']['depuis']}"),
            must_not=r"20\d\d ?[–-] ?20\d\d",
        ),
        Rule(
            "l'espace-membre a une seule adresse, celle du playbook",
            lambda a: True,
            ("README.md", "CHECKLIST.md", "docs/**/*.md"),
            must_not=lambda a: (
                rf"https?://espace-membre\.(?!{re.escape(PLAYBOOK['communaute']['espace_membre'].split('espace-membre.')[1])})"
            ),
        ),
        Rule(
            "le kit dev nomme l'instance Matomo de l'équipe (sa réponse), pas une adresse figée",
            lambda a: "dev" in a["roles"],
            ("docs/kit/dev.md",),
            must=lambda a: re.escape(f"Matomo ({a.get('matomo_url', SETTINGS['matomo_url']['default'])})"),
        ),
        Rule(
            "l'adresse du service : le README ne propose pas d'adresse publique hors .gouv.fr pour un site DSFR",
            lambda a: True,
            ("README.md",),
            must=r"n'en permettent l'usage que sur des sites exploités en `\.gouv\.fr`",
            must_not=r"mise en ligne très rapide|`[a-z0-9-]+\.fr`\*\* : une adresse postale",
        ),
    ]

    # ---- the page findings of issue 14–20: facts that follow what the stack has and what was answered
    page_rules = [
        Rule(
            "14. une application sans suivi des erreurs (error_tracking: false) : la page Données personnelles n'en parle pas",
            without_error_reports,
            ("<h1>Données personnelles</h1>",),
            must_not=r"Sentry|suivi des erreurs",
        ),
        Rule(
            "15. la page d'erreur 500 ne dit pas que l'équipe est informée (vrai seulement avec SENTRY_DSN)",
            app,
            ("<h1>Erreur inattendue</h1>",),
            must_not=r"[Ll]'équipe en est informée|[Nn]ous sommes prévenus",
        ),
        Rule(
            "16. le budget couvre la phase de construction, pas une année civile",
            app,
            ("<h1>Budget</h1>",),
            must=r"phase de construction",
            must_not=r"Budget \d{4}|Prévu pour \d{4}|Dépensé en \d{4}|en janvier|en juin",
        ),
        Rule(
            "17. « éditrice » s'accorde avec une administration au féminin (« la Direction …, éditrice »)",
            lambda a: app(a) and (not a["administration"].strip() or re.match(FEMININE_FIRST_WORDS, a["administration"].strip())),
            LEGAL_PAGES,
            must_not=r"(?:[Ll]a |[Ll]'|porteuse \(nom à compléter\))[^,.;]{0,80}, éditeur\b",
        ),
        Rule(
            "17. « de » s'élide devant un nom cité qui commence par une voyelle (« d'« Hébergement… » »)",
            app,
            ("<h1>Statistiques</h1>", "<h1>Budget</h1>", *LEGAL_PAGES),
            must_not=rf"(?<![-\w])de « (?:[{VOWEL}]|H(?:ébergement|abitat|ôpital|ôtel))",
        ),
        Rule(
            "18. /stats parle de l'administration porteuse, comme les autres pages",
            app,
            ("<h1>Statistiques</h1>",),
            must_not=r"administration partenaire",
        ),
        Rule(
            "19. tant que la boîte n'est pas ouverte, chaque adresse de contact des pages est dite « en cours de création »",
            lambda a: app(a) and not contact_ready(a),
            tuple(page_texts.values()),
            must_not=lambda a: rf"{re.escape(a['contact_email'])}(?! \(adresse en cours de création\))",
        ),
        Rule(
            "20. la description finit sa phrase, quoi qu'on ait tapé (README)",
            lambda a: True,
            ("README.md",),
            must=lambda a: rf"^{re.escape(francais.phrase(a['service_description']))}$",
            flags=re.MULTILINE,
        ),
        Rule(
            "20. la description finit sa phrase, quoi qu'on ait tapé (accueil, CGU)",
            app,
            ("<h1>Conditions générales d'utilisation</h1>",),
            must=lambda a: re.escape(francais.phrase(a["service_description"])),
        ),
    ]
    # ---- found by reading two fresh repositories (an app on Clever Cloud, « Aides à l'Habitat » for a
    # « Direction… », phase from 24 December; an app on another host for « Le Bon Dossier »)
    reading_rules = [
        Rule(
            "21. « de » + le « Le » d'un nom cité se contractent hors des guillemets (« du « Bon Dossier » »)",
            lambda a: True,
            (*PROSE, "<h1>Statistiques</h1>"),
            must_not=r"(?<![-\w])[Dd]e « (?:Le|Les) ",
        ),
        Rule(
            "22. un rôle au masculin n'annonce pas une administration au féminin (« L'éditeur : la Direction… »)",
            lambda a: app(a) and (not a["administration"].strip() or re.match(FEMININE_FIRST_WORDS, a["administration"].strip())),
            LEGAL_PAGES,
            must_not=rf"\b[ÉéEe]diteur\b[^.:]{{0,60}}: (?:la |l'|{FEMININE_FIRST_WORDS})",
        ),
        Rule(
            "23. une date n'est pas coupée de sa phrase par deux-points (« La phase a commencé : le 24 décembre »)",
            app,
            (*LEGAL_PAGES, "<h1>Statistiques</h1>"),
            must_not=rf"[a-zé] : le \d{{1,2}}(?:er)? (?:{MONTHS}) \d{{4}}",
        ),
        Rule(
            "24. /stats : l'échéance d'avant le comité (C02) n'est pas la date du comité (C05)",
            app,
            ("<h1>Statistiques</h1>",),
            must_not=lambda a: rf"{delay('C02')}[^.,;]{{0,40}}pour le premier comité",
        ),
        Rule(
            "25. le README ne dit pas que les mises à jour laissent les textes des pages intacts (leurs faits suivent les réponses)",
            app,
            ("README.md",),
            must_not=r"ne les réécrivent (?:pas|jamais)",
        ),
        Rule(
            "26. sans suivi des erreurs (error_tracking: false), docs/modele.md ne le compte pas parmi les faits des pages",
            without_error_reports,
            ("docs/modele.md",),
            must_not=r"suivi des erreurs",
        ),
        Rule(
            "27. l'exemple de changement d'hébergeur change vraiment d'hébergeur",
            lambda a: app(a),
            ("README.md", "docs/**/*.md"),
            must_not=lambda a: rf"-d hosting={re.escape(a['hosting'])}\b",
        ),
        Rule(
            "29. « réglé pour se passer de bandeau » se rapporte à Matomo, pas au numéro de site",
            lambda a: True,
            ("docs/matomo.md",),
            must_not=r"numéro de site,\s+réglé",
        ),
        Rule(
            "28. le README dit l'adresse de contact en attente quand les pages la disent « en cours de création »,"
            " et dit comment en sortir",
            lambda a: not contact_ready(a),
            ("README.md",),
            must=r"ne reçoit rien[^)]*`copier update --trust --defaults -d contact_email_ready=true`",
        ),
        Rule(
            "28. le README ne dit pas muette une adresse que les pages donnent comme ouverte",
            contact_ready,
            ("README.md",),
            must_not=r"ne reçoit rien tant que",
        ),
    ]
    rules += page_rules + reading_rules
    rules += [
        Rule(
            "le README ne dit pas que les mises à jour laissent les textes des pages, que son tableau dit fusionnés",
            app,
            ("README.md",),
            must=r"gardent vos mots et réécrivent les faits de vos réponses",
            must_not=r"ne les réécrivent (?:jamais|pas)\.",
        ),
        Rule(
            "la page Budget dit la date de début sans deux-points (« La phase a commencé le … »)",
            app,
            ("<h1>Budget</h1>",),
            must=r"La phase a commencé le \d{1,2}(?:er)? \w+ \d{4}\.",
        ),
    ]
    rules.append(
        Rule(
            "docs/modele.md dit, pour les textes des pages, ce qui suit les réponses et ce qui est à l'équipe",
            app,
            ("docs/modele.md",),
            must=lambda a: (
                rf"## Les textes des pages\n\nLes textes des pages de l'application \(`{re.escape(page_texts[a['stack']])}`\)"
                r"[\s\S]*\*\*Ce qui suit vos réponses\*\*[\s\S]*\*\*Ce qui est à vous\*\*[\s\S]*reste supprimé"
            ),
        )
    )
    return rules


REGLES = ROOT / "tests" / "regles"


def stack_rules(piles: dict) -> dict[str, list[Rule]]:
    """Each described stack's own rules, from tests/regles/<stack>.py (none without the module),
    applied to that stack's answer sets only."""
    found = {}
    for stack in piles:
        path = REGLES / f"{stack}.py"
        if not path.is_file():
            found[stack] = []
            continue
        spec = importlib.util.spec_from_file_location(f"regles_{stack}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[stack] = [
            Rule(
                rule.says,
                lambda a, stack=stack, when=rule.when: a["stack"] == stack and when(a),
                rule.files,
                rule.must,
                rule.must_not,
                rule.flags,
            )
            for rule in module.RULES
        ]
    return found


def rules_for(piles: dict, hosts: dict = HEBERGEURS) -> list[Rule]:
    """The shared rules and each stack's own."""
    return shared_rules(piles, hosts) + [rule for rules in stack_rules(piles).values() for rule in rules]


STACK_RULES = stack_rules(PILES)
RULES = rules_for(PILES)

SKIPPED_DIRS = {".git", "node_modules", ".venv", "__pycache__"}


def files_for(project: Path, patterns: tuple[str, ...]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        if pattern.startswith("<"):
            heading = LEGAL_HEADINGS if pattern == LEGAL_PAGES[0] else re.compile(re.escape(pattern))
            candidates = [p for p in project.rglob("*") if p.suffix in {".html", ".tsx", ".jsx", ".njk", ".md", ".mdx"}]
            found |= {p for p in candidates if p.is_file() and not SKIPPED_DIRS & set(p.parts) and heading.search(read(p))}
        else:
            found |= {p for p in project.glob(pattern) if p.is_file() and not SKIPPED_DIRS & set(p.relative_to(project).parts)}
    return sorted(found)


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


def normalized(path: Path) -> str:
    text = read(path)
    if path.suffix in {".html", ".tsx", ".jsx", ".njk", ".mdx"}:
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        return " ".join(text.split())
    return text


def pattern_of(value, answers: dict) -> str | None:
    return value(answers) if callable(value) else value


def violations(project: Path, answers: dict, rules=RULES) -> list[str]:
    problems = []
    for rule in rules:
        if not rule.when(answers):
            continue
        paths = files_for(project, rule.files)
        must, must_not = pattern_of(rule.must, answers), pattern_of(rule.must_not, answers)
        if must and not paths:
            problems.append(f"{rule.says} : aucun fichier parmi {', '.join(rule.files)}")
        for path in paths:
            text = normalized(path)
            relative = path.relative_to(project)
            if must and not re.search(must, text, rule.flags):
                problems.append(f"{rule.says} : absent de {relative} (motif {must!r})")
            if must_not:
                found = re.search(must_not, text, rule.flags)
                if found:
                    start = max(found.start() - 60, 0)
                    problems.append(f"{rule.says} : {relative} dit « …{text[start : found.end() + 40]}… »")
    return problems


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """Today's template files (uncommitted edits included) in a plain folder: Copier renders it in
    place, without the clone and commit it makes for every copy of a git working copy."""
    from update_helpers import write_snapshot

    folder = tmp_path_factory.mktemp("modele")
    write_snapshot(folder)
    return folder


def generate(template: Path, destination: Path, answers: dict) -> Path:
    run_copy(src_path=str(template), dst_path=str(destination), data=answers, defaults=True, unsafe=True, quiet=True)
    return destination


# --------------------------------------------------------------------------- the matrix


def test_the_matrix_covers_every_selectable_stack_host_matomo_and_roles():
    assert APP_STACKS and NO_APP_STACKS, "stacks with and without an application"
    stacks = {answers["stack"] for answers in ANSWER_SETS.values()}
    assert stacks == set(STACKS)
    apps = [a for a in ANSWER_SETS.values() if app(a)]
    assert {a["hosting"] for a in apps} == set(HOSTS)
    assert {bool(a["matomo_site_id"]) for a in ANSWER_SETS.values()} == {True, False}
    assert {"dev" in a["roles"] for a in ANSWER_SETS.values()} == {True, False}
    assert len(ANSWER_SETS) == 4 * sum(len(PILES[stack]["hosts"]) or 1 for stack in STACKS)
    assert {a["administration"] for a in ANSWER_SETS.values()} >= {"", "Ministère de la Culture"}


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_every_statement_is_true_for_its_answers(name, template, tmp_path):
    answers = ANSWER_SETS[name]
    project = generate(template, tmp_path / name, answers)
    problems = violations(project, answers)
    assert not problems, f"{name} :\n- " + "\n- ".join(problems)


# --------------------------------------------------------------------------- the rules can fail


def test_each_kind_of_false_statement_is_caught(template, tmp_path):
    """The rules fail on the false statements of issue 10, written back into a generated repository."""
    answers = ANSWER_SETS[f"{APP_STACKS[0]}-clevercloud-sans-matomo-sans-dev"]
    project = generate(template, tmp_path / "p", answers)
    assert violations(project, answers) == []
    readme = project / "README.md"
    (legal,) = files_for(project, ("<h1>Mentions légales</h1>",))
    (stats,) = files_for(project, ("<h1>Statistiques</h1>",))
    env = project / ".env.example"
    originals = {path: path.read_text(encoding="utf-8") for path in (readme, legal, stats, env)}
    cases = [
        (readme, "\nStartup d'État incubée par Incubateur de la DINUM.\n", "prend un article"),
        (readme, "\nLe budget de Aides Locales.\n", "s'élide"),
        (readme, "\nRegistre : 0 liens lus.\n", "singulier"),
        (readme, "\nsur Scalingo, poussez la branche.\n", "rien d'un autre hébergeur"),
        (readme, "\npython3 -m pip install -r requirements-outils.txt\n", "Python du système"),
        (legal, f"<p>Son éditeur, {answers['incubator']}, s'y engage.</p>", "l'incubateur n'est ni éditeur"),
        (stats, "<p>Les premiers chiffres sont attendus au plus tard 18 mois après.</p>", "18 mois"),
        (readme, "\nSi la mesure est active, la mesure est active.\n", "rien ne dit que la mesure est active"),
        (readme, "\nVoir [le kit](docs/kit/dev.md).\n", "aucun lien vers son kit"),
    ]
    # The host's database, hidden by a pasted address: a rule of the stacks that have one.
    if any("pas masquée" in rule.says for rule in STACK_RULES[answers["stack"]]):
        cases.append((env, "\nDATABASE_URL=postgres://u:p@h:5432/b\n", "pas masquée"))
    for path, addition, expected in cases:
        path.write_text(originals[path] + addition, encoding="utf-8")
        found = violations(project, answers)
        assert any(expected in problem for problem in found), (expected, found)
        path.write_text(originals[path], encoding="utf-8")
    legal.write_text(originals[legal].replace(answers["administration"], "Quelqu'un d'autre"), encoding="utf-8")
    assert any("nomment l'administration porteuse" in problem for problem in violations(project, answers))


def test_the_no_app_rules_catch_an_app_described_where_there_is_none(template, tmp_path):
    """The first stack without an application (its own rules: no app described, moving to code by an update)."""
    answers = ANSWER_SETS[f"{NO_APP_STACKS[0]}-sans-matomo-dev"]
    project = generate(template, tmp_path / "p", answers)
    assert violations(project, answers) == []
    matomo = project / "docs/matomo.md"
    matomo.write_text(
        matomo.read_text(encoding="utf-8") + "\nLa politique de confidentialité propose un bouton d'opposition.\n", encoding="utf-8"
    )
    assert any("ni code du service ni bouton" in problem for problem in violations(project, answers))
    sans_code = project / "docs/sans-code.md"
    sans_code.write_text(
        sans_code.read_text(encoding="utf-8").replace("copier update --trust --defaults -d stack=", "copier copy --trust -d stack="),
        encoding="utf-8",
    )
    found = violations(project, answers)
    assert any("mise à jour qui change la réponse stack" in problem for problem in found)
    assert any("pas de nouvelle copie" in problem for problem in found)


def test_the_playbook_text_rules_catch_their_old_defects(template, tmp_path):
    """The false or contradictory sentences the checklist, kits and naming guide used to hold are caught."""
    answers = {**ANSWER_SETS[f"{APP_STACKS[-1]}-autre-matomo-dev"], "roles": ["intra", "coach", "dev", "deploiement"]}
    project = generate(template, tmp_path / "p", answers)
    assert violations(project, answers) == []
    names = ("README.md", "docs/matomo.md", "docs/kit/intra.md", "docs/kit/coach.md", "docs/kit/deploiement.md")
    files = {name: project / name for name in names}
    originals = {name: path.read_text(encoding="utf-8") for name, path in files.items()}
    cases = [
        ("README.md", ("Nom proposé : « ", "Nom retenu : « "), "nom retenu"),
        ("README.md", ("jamais comme adresse publique", "et pour une mise en ligne très rapide ;"), "hors .gouv.fr"),
        ("README.md", ("https://espace-membre.beta.gouv.fr/", "https://espace-membre.incubateur.net/"), "une seule adresse"),
        ("docs/matomo.md", ("publication de la CNIL de", "publication de la CNIL de 2025–2026, soit"), "une seule date"),
        ("docs/kit/intra.md", ("- Piloter", "- Consacrer 2 jours par semaine, soit un mi-temps.\n- Piloter"), "même phrase"),
        ("docs/kit/intra.md", ("- Piloter", "- Recruter en priorité le ou la première dev.\n- Piloter"), "le premier ou la première"),
        ("docs/kit/intra.md", ("- Piloter", "- Recruter en priorité un·e développeur·se.\n- Piloter"), "déjà dans l'équipe (dev)"),
        ("docs/kit/coach.md", ("environ un jour et demi par semaine", "environ 2 jours par semaine"), "jour et demi"),
        ("docs/kit/deploiement.md", ("(item S08)", "(plus tard)"), "réserve de la CNIL"),
    ]
    for name, (before, after), expected in cases:
        assert before in originals[name], (name, before)
        files[name].write_text(originals[name].replace(before, after, 1), encoding="utf-8")
        found = violations(project, answers)
        assert any(expected in problem for problem in found), (expected, found)
        files[name].write_text(originals[name], encoding="utf-8")


@pytest.mark.parametrize(("contact", "warned"), [(None, True), ("Equipe@Orbite.beta.gouv.fr", True), ("equipe@interieur.gouv.fr", False)])
def test_the_readme_says_the_default_contact_receives_nothing_until_created(contact, warned, template, tmp_path):
    """contact@<slug>.beta.gouv.fr points nowhere until the subdomain and its mailbox exist (items J05, J06)."""
    answers = {**EXAMPLE_ANSWERS, "service_name": "Orbite", "stack": NO_APP_STACKS[0]}
    answers.pop("contact_email")
    if contact:
        answers["contact_email"] = contact
    readme = read(generate(template, tmp_path / "p", answers) / "README.md")
    note = re.search(r"Contact : <[^>]+> \(cette adresse ne reçoit rien tant que le sous-domaine et\s+sa boîte[^)]*J05 et J06", readme)
    assert bool(note) == warned


# --------------------------------------------------------------------------- dates and addresses

# Answer sets of the reading checklist: starts just before Christmas, on a Friday before May holidays.
READING_SETS = {
    f"{NO_APP_STACKS[0]}-intra-design": {
        **EXAMPLE_ANSWERS,
        "stack": NO_APP_STACKS[0],
        "roles": ["intra", "design"],
        "construction_start": "2026-12-24",
    },
    f"{APP_STACKS[-1]}-scalingo": {
        **EXAMPLE_ANSWERS,
        "service_name": "Orbite",
        "stack": APP_STACKS[-1],
        "hosting": "scalingo",
        "administration": "Ministère de l'Intérieur",
        "construction_start": "2027-04-30",
    },
}
ISO_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")


def deadlines(project: Path) -> list[tuple[str, str]]:
    """(file, date) of every deadline the repository states: checklist and kit due dates, timeline milestones."""
    found = []
    for path in [project / "CHECKLIST.md", *sorted((project / "docs" / "kit").glob("*.md"))]:
        for line in read(path).splitlines():
            if "Échéance :" in line or line.startswith("- **"):
                found += [(path.name, day) for day in ISO_DATE.findall(line)]
    chart = re.search(r"```mermaid\n(.*?)```", read(project / "README.md"), re.DOTALL).group(1)
    for line in chart.splitlines():
        if ": milestone," in line or ": phase" in line:
            found += [("README.md", day) for day in ISO_DATE.findall(line)]
    return found


@pytest.mark.parametrize("name", READING_SETS)
def test_every_deadline_lands_on_a_french_working_day(name, template, tmp_path):
    answers = READING_SETS[name]
    project = generate(template, tmp_path / name, answers)
    dates = load_extension("dates")
    stated = [(where, day) for where, day in deadlines(project) if day != answers["construction_start"]]
    assert len(stated) > 30
    off = [(where, day) for where, day in stated if not dates.is_working_day(dt.date.fromisoformat(day))]
    assert not off, off


def address_bullets(readme: str) -> dict[str, str]:
    section = readme.split("### L'adresse du service", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(0) for m in re.finditer(r"^- \*\*`([^`]+)`\*\*[^\n]*(?:\n  [^\n]*)*", section, re.MULTILINE)}


# A stack whose README section cites the DSFR's terms itself, and the first stack without an application.
DSFR_TERMS_STACKS = [next(s for s in APP_STACKS if PILES[s]["tests"]["readme_cites_dsfr_terms"]), NO_APP_STACKS[0]]


@pytest.mark.parametrize("stack", DSFR_TERMS_STACKS)
def test_the_naming_guide_offers_no_public_address_the_dsfr_terms_refuse(stack, template, tmp_path):
    """The DSFR's terms restrict its sites to .gouv.fr: every other address is said not to be the public one."""
    answers = {**EXAMPLE_ANSWERS, "stack": stack, "service_name": "Le Relais", "hosting": "autre"}
    readme = read(generate(template, tmp_path / stack, answers) / "README.md")
    bullets = address_bullets(readme)
    assert {address.rsplit(".", 2)[-2] + "." + address.rsplit(".", 1)[-1] for address in bullets} >= {"gouv.fr", "incubateur.net"}
    for address, bullet in bullets.items():
        if not address.endswith(".gouv.fr"):
            assert re.search(r"ne peut pas|jamais comme adresse publique", bullet), bullet
    # The rule is stated once: a stack's own DSFR section (readme_cites_dsfr_terms) points to the naming guide.
    assert len(re.findall(r"`\.gouv\.fr` :", readme)) == 1
    assert readme.count(PLAYBOOK["communaute"]["dsfr_terms"]) == (2 if PILES[stack]["tests"]["readme_cites_dsfr_terms"] else 1)


# --------------------------------------------------------------------------- instructions that run


def readme_block(readme: str, first_line: str) -> list[str]:
    """The shell commands of the README's code block that starts with `first_line`."""
    for block in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL):
        if block.startswith(first_line):
            text = re.sub(r"\\\n\s*", "", block)
            return [line.split("  #")[0].strip() for line in text.splitlines() if line.strip()]
    raise AssertionError(f"bloc « {first_line} » introuvable dans le README")


def system_python() -> str:
    """The distribution's Python where there is one (Debian's refuses pip: the case to cover)."""
    for candidate in ("/usr/bin/python3", sys.executable):
        if Path(candidate).exists():
            return candidate
    return sys.executable


@pytest.mark.slow
def test_the_qr_code_install_steps_of_the_readme_work(template, tmp_path):
    """The README's commands, run as written with the system's python3: a virtual environment, segno
    installed from the registry, then the QR code written."""
    project = generate(template, tmp_path / "p", {**EXAMPLE_ANSWERS, "stack": NO_APP_STACKS[0]})
    commands = readme_block((project / "README.md").read_text(encoding="utf-8"), "python3 -m venv .venv")
    assert len(commands) == 3, commands
    for command in commands:
        argv = shlex.split(command)
        if argv[0] == "python3":
            argv[0] = system_python()
        result = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=300)
        if result.returncode != 0 and "pip install" in command and "Could not" in result.stderr + result.stdout:
            pytest.skip(f"registre PyPI injoignable : {result.stderr[-300:]}")
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    qr = next(arg for arg in shlex.split(commands[-1]) if arg.endswith(".svg"))
    assert (project / qr).read_text(encoding="utf-8").startswith("<?xml")


def run_tool(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True, timeout=60)


def test_tool_messages_are_french(template, tmp_path):
    """French quotes, a space before the colon, singular for 0 and 1."""
    project = generate(template, tmp_path / "p", {**EXAMPLE_ANSWERS, "stack": NO_APP_STACKS[0]})
    for command in (["outils/liens.py", "nimporte"], ["outils/liens.py", "creer", "--source"], ["outils/progression.py", "--inconnu"]):
        result = run_tool(project, *command)
        assert result.returncode == 2, result
        message = next(line for line in result.stderr.splitlines() if line.startswith("Erreur d'utilisation : "))
        assert "'" not in message.replace("d'utilisation", ""), message
        assert re.search(r"\S:", message) is None, message
    assert "« nimporte »" in run_tool(project, "outils/liens.py", "nimporte").stderr
    empty = run_tool(project, "outils/liens.py", "verifier")
    assert empty.returncode == 0 and "0 lien pour l'instant" in empty.stdout, empty.stdout
    link = "https://mon-service-public.beta.gouv.fr/"
    made = run_tool(
        project,
        "outils/liens.py",
        "creer",
        link,
        "--source",
        "linkedin",
        "--support",
        "reseau-social",
        "--campagne",
        "2026-03-lancement",
        "--partage",
        "Post de lancement",
    )
    assert made.returncode == 0, made.stderr
    one = run_tool(project, "outils/liens.py", "verifier")
    assert "1 lien, conforme" in one.stdout, one.stdout


def test_moving_from_no_app_to_an_app_is_the_update_sans_code_md_gives(tmp_path):
    """The command of docs/sans-code.md, run as written on a repository without an application (the
    first such stack) a team has ticked and annotated: the app arrives, every tick and note stays,
    nothing conflicts."""
    from update_helpers import TeamEdits, build_template_repo, commit_all, conflicts, copier_cli, parse_checklist

    template = build_template_repo(tmp_path / "modele", [("v1.0.0", None)])
    project = tmp_path / "service"
    run_copy(
        src_path=str(template),
        dst_path=str(project),
        data={**EXAMPLE_ANSWERS, "stack": NO_APP_STACKS[0]},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    commit_all(project, "Création depuis le modèle")
    checklist = project / "CHECKLIST.md"
    edits = TeamEdits(
        ticks=["E01", "E05", "J01", "C05"],
        notes={"E05": ["  Grist pour les demandes, Sites Faciles pour la vitrine."], "C05": ["  Comité fixé au 3 juillet."]},
        own_items=["- [x] Ouvrir la table Grist des demandes"],
    )
    checklist.write_text(edits.apply(checklist.read_text(encoding="utf-8")), encoding="utf-8")
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nNotre conciergerie répond le mardi.\n", encoding="utf-8")
    registry = project / "docs/liens-suivis.csv"
    rows = registry.read_text(encoding="utf-8")
    commit_all(project, "Nos coches et nos notes")

    command = next(
        line for line in readme_block_any((project / "docs/sans-code.md").read_text(encoding="utf-8")) if line.startswith("copier update")
    )
    argv = shlex.split(command)
    assert argv[:2] == ["copier", "update"]
    given = dict(arg.split("=", 1) for arg in argv if "=" in arg and not arg.startswith("-"))
    stack, hosting = given["stack"], given["hosting"]
    assert stack in APP_STACKS and hosting in PILES[stack]["hosts"], given
    result = copier_cli(*argv[1:], "--quiet", str(project))
    assert result.returncode == 0, result.stderr[-3000:]

    assert conflicts(project) == []
    state = parse_checklist(checklist.read_text(encoding="utf-8"))
    assert state.ticked == set(edits.ticks)
    for item_id, lines in edits.notes.items():
        assert state.notes[item_id] == lines
    assert "- [x] Ouvrir la table Grist des demandes" in state.own_section
    assert "Notre conciergerie répond le mardi." in readme.read_text(encoding="utf-8")
    assert "## Lancer le service" in readme.read_text(encoding="utf-8")
    assert registry.read_text(encoding="utf-8") == rows
    description = PILES[stack]
    legal = f"{description['page_texts']}/{description['tests']['legal_page']}"
    for path in (*description["tests"]["app_files"], legal, *description["tests"]["deploy_files"][hosting]):
        assert (project / path).is_file(), path
    assert not (project / "docs/sans-code.md").exists()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert (answers["stack"], answers["hosting"]) == (stack, hosting)


def readme_block_any(text: str) -> list[str]:
    """Every shell command of the text's code blocks."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        lines += [line.split("  #")[0].strip() for line in re.sub(r"\\\n\s*", "", block).splitlines() if line.strip()]
    return lines


def test_the_template_readme_quotes_copiers_own_english_words_as_copier_writes_them():
    """The README warns that Copier's own words around the French questions are English: each quoted
    phrase must still be what the installed Copier (and its prompt library) prints."""
    import copier
    import questionary

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Copier pose les questions ci-dessous, en français.", 1)[1].split("```", 1)[0]
    sources = "".join(
        path.read_text(encoding="utf-8") for package in (copier, questionary) for path in Path(package.__file__).parent.rglob("*.py")
    )
    quoted = re.findall(r"« \(?([A-Z][A-Za-z ,<>]*[A-Za-z>])", section)
    assert {"Use arrow keys", "Validation error for question"} <= set(quoted), quoted
    for phrase in quoted:
        assert phrase in sources, phrase


# --------------------------------------------------------------------------- page findings 14–20

PAGE_FINDING_ANSWERS = {
    **EXAMPLE_ANSWERS,
    "service_name": "Hébergement d'Urgence",
    "service_slug": "hebergement-urgence",
    "service_description": "Trouver une place d'hébergement pour la nuit",
    "administration": "Direction interministérielle du numérique",
    "contact_email": "contact@hebergement-urgence.beta.gouv.fr",
    "construction_start": "2026-12-02",
    "hosting": "scalingo",
}


# The stacks with an application, hence with pages.
@pytest.mark.parametrize("stack", APP_STACKS)
def test_the_page_findings_hold_for_odd_answers_and_their_rules_fail(stack, template, tmp_path):
    """A description without its period, the default contact address (mailbox not created yet), a
    feminine administration, a name with a mute h, a phase starting in December: every page rule holds,
    and each rule fails on the false statement it is written against."""
    answers = {**PAGE_FINDING_ANSWERS, "stack": stack}
    project = generate(template, tmp_path / stack, answers)
    assert violations(project, answers) == []
    pages = {
        heading: files_for(project, (heading,)) for heading in ("<h1>Budget</h1>", "<h1>Statistiques</h1>", "<h1>Erreur inattendue</h1>")
    }
    legal = files_for(project, ("<h1>Mentions légales</h1>",))
    accessibility = files_for(project, ("<h1>Accessibilité</h1>",))
    cases = [
        *(
            [(pages["<h1>Erreur inattendue</h1>"], "<p>L'équipe en est informée.</p>", "15.")]
            if PILES[stack]["tests"]["error_page"]
            else []
        ),
        (pages["<h1>Budget</h1>"], "<p>Budget 2026 : prévu.</p>", "16."),
        (accessibility, "<p>la Direction interministérielle du numérique, éditeur du service.</p>", "17. « éditrice »"),
        (pages["<h1>Statistiques</h1>"], "<p>Indicateurs d'impact de « Hébergement d'Urgence »</p>", "17. « de » s'élide"),
        (pages["<h1>Statistiques</h1>"], "<p>À définir avec l'administration partenaire</p>", "18."),
        (legal, f"<p>Écrivez à {answers['contact_email']}.</p>", "19."),
    ]
    if not PILES[stack]["error_tracking"]:
        cases.append((files_for(project, ("<h1>Données personnelles</h1>",)), "<p>Sentry</p>", "14."))
    for paths, addition, expected in cases:
        assert paths, expected
        path = paths[0]
        original = path.read_text(encoding="utf-8")
        path.write_text(original + addition, encoding="utf-8")
        found = violations(project, answers)
        assert any(problem.startswith(expected) for problem in found), (expected, found)
        path.write_text(original, encoding="utf-8")
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("pour la nuit.", "pour la nuit"), encoding="utf-8")
    assert any(problem.startswith("20.") for problem in violations(project, answers))


READING_ANSWERS = {
    "A": {
        "service_name": "Aides à l'Habitat",
        "administration": "Direction interministérielle du numérique",
        "construction_start": "2026-12-24",
        "roles": ["intra", "design"],
        "matomo_site_id": "42",
        "license": "EUPL-1.2",
        "stack": APP_STACKS[0],
        "hosting": "clevercloud",
    },
    "B": {
        "service_name": "Le Bon Dossier",
        "administration": "Agence nationale de la cohésion des territoires",
        "service_description": "Le Bon Dossier aide les porteurs de projets à constituer leur dossier de subvention",
        "contact_email": "equipe@anct.gouv.fr",
        "construction_start": "2027-05-07",
        "stack": APP_STACKS[-1],
        "hosting": "autre",
    },
}


def stored_answers(project: Path) -> dict:
    """Every answer of a generated repository, defaults included, as Copier recorded them."""
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    return {key: value for key, value in recorded.items() if not key.startswith("_")}


@pytest.mark.parametrize("name", READING_ANSWERS)
def test_the_reading_findings_hold_and_their_rules_fail(name, template, tmp_path):
    """The two repositories read as a new team member would: every rule holds, and each reading rule
    fails on the sentence it was written against."""
    project = generate(template, tmp_path / name, READING_ANSWERS[name])
    answers = stored_answers(project)
    assert violations(project, answers) == []
    headings = ("<h1>Budget</h1>", "<h1>Statistiques</h1>", "<h1>Accessibilité</h1>")
    budget, stats, accessibility = (files_for(project, (heading,))[0] for heading in headings)
    cases = [
        (budget, "<p>Budget de la phase de « Le Bon Dossier ».</p>", "21."),
        (accessibility, f"<p>L'éditeur : {francais.avec_article(answers['administration'])}.</p>", "22."),
        (budget, "<p>La phase a commencé : le 24 décembre 2026.</p>", "23."),
        (stats, f"<p>Au plus tard {francais.duree(DUE['C02'])} après ce début pour le premier comité.</p>", "24."),
        (project / "README.md", "\nLes textes sont à vous, les mises à jour ne les réécrivent pas.\n", "25."),
        (project / "docs/modele.md", f"\n`copier update --trust --defaults -d hosting={answers['hosting']}`\n", "27."),
    ]
    if not PILES[answers["stack"]]["error_tracking"]:
        cases.append((project / "docs/modele.md", "\nl'état du suivi des erreurs\n", "26."))
    if not answers["matomo_site_id"]:
        cases.append((project / "docs/matomo.md", "\nmesurera avec Matomo dès qu'il aura son numéro de site,\nréglé pour\n", "29."))
    readme = project / "README.md"
    if contact_ready(answers):
        cases.append((readme, "\nContact : cette adresse ne reçoit rien tant que la boîte n'existe pas.\n", "28."))
    else:
        original = readme.read_text(encoding="utf-8")
        readme.write_text(original.replace("-d contact_email_ready=true", "-d contact_email_ready=oui"), encoding="utf-8")
        assert any(problem.startswith("28.") for problem in violations(project, answers))
        readme.write_text(original, encoding="utf-8")
    for path, addition, expected in cases:
        original = path.read_text(encoding="utf-8")
        path.write_text(original + addition, encoding="utf-8")
        found = violations(project, answers)
        assert any(problem.startswith(expected) for problem in found), (expected, found)
        path.write_text(original, encoding="utf-8")


def test_the_copy_message_elides_before_the_quoted_name(template, tmp_path, capsys):
    """« Le dépôt d'« Aides à l'Habitat » est prêt », not « de « Aides… » »; « du « Bon Dossier » »."""
    for name, expected in (("Aides à l'Habitat", "d'« Aides à l'Habitat »"), ("Le Bon Dossier", "du « Bon Dossier »")):
        answers = {"service_name": name, "stack": NO_APP_STACKS[0]}
        run_copy(src_path=str(template), dst_path=str(tmp_path / francais_slug(name)), data=answers, defaults=True, unsafe=True)
        message = capsys.readouterr().err
        assert f"Le dépôt {expected} est prêt" in message, message[-400:]


def owner_rows(readme: str) -> list[str]:
    """The paths and patterns of the « Fichiers et propriétaires » table, as written in its first column."""
    table = readme[readme.index("## Fichiers et propriétaires") :].split("\n## ")[0]
    cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return [pattern for cell in cells for pattern in re.findall(r"`([^`]+)`", cell)]


def covered(path: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern.endswith("/") and path.startswith(pattern):
            return True
        if re.fullmatch(re.escape(pattern).replace(r"\*", "[^/]*"), path):
            return True
    return False


@pytest.mark.parametrize("stack", NO_APP_STACKS)
def test_the_owners_table_names_every_file_the_template_writes(stack, template, tmp_path):
    """Without an application, every file of the repository is the template's: each one has its row
    (who owns it, what an update does to it)."""
    answers = {**EXAMPLE_ANSWERS, "stack": stack}
    project = generate(template, tmp_path / stack, answers)
    patterns = owner_rows((project / "README.md").read_text(encoding="utf-8"))
    written = [path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()]
    missing = [path for path in written if not covered(path, patterns)]
    assert not missing, f"sans ligne dans « Fichiers et propriétaires » : {missing}"
