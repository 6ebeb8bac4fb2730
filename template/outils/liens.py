#!/usr/bin/env python3
"""Tracked links of the service: build one, check it against the conventions, record it, print its QR code.

    python3 outils/liens.py creer URL --source … --support … --campagne … --partage …
    python3 outils/liens.py verifier
    python3 outils/liens.py qr LIEN --qr affiche.svg

Standard library only; segno (requirements-outils.txt) is imported for QR codes alone. The conventions
come from outils/conventions-liens.json, rendered by the template from its playbook; extra domains from
outils/domaines.txt (team-owned). Messages are French: the team reads them.

This file is the command line; the rest lives beside it, one module per concern:
    liens_conventions.py  the conventions, the service's domains, rule names, personal-data detectors
    liens_controles.py    the checks of one link (values, target address) and the link built from them
    liens_registre.py     the registry docs/liens-suivis.csv: read, append, re-check every row
    liens_qr.py           QR codes (segno)

Exit codes: 0 ok, 1 refused or invalid, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

# The tools run as `python3 outils/<tool>.py`: their own folder is on the import path. The link tool is split
# by concern: conventions and problems, checks of one link, the registry, QR codes; this file is the command line.
from liens_controles import build_link, check_campaign_phase, check_link, check_text, valid_date
from liens_conventions import (
    DATE,
    DOCS,
    REGISTRY_FILE,
    ROOT,
    RULE_DUPLICATE,
    RULE_REQUIRED,
    Conventions,
    Problem,
    Refusal,
    clean_text,
    close_matches,
    quoted_list,
)
from liens_qr import QR_SUFFIXES, load_segno, segno_missing_message, write_qr
from liens_registre import Registry, verify_registry
from ligne_de_commande import FrenchParser, plural

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# The author column names a member of the team (docs/liens-suivis.md, « Le registre »): whoever prefers not to
# appear by name gives initials or a role.
AUTHOR_FORMS = "votre nom (« Camille Martin »), vos initiales (« CM ») ou votre rôle (« Coach »)"


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
    if not args.avant_phase:
        problems += check_campaign_phase(values["campagne"], conv)
    if args.auteur is None and not author:
        # One problem, not a second « valeur obligatoire » for the same field.
        problems.append(
            Problem(
                "auteur",
                "impossible de le déduire de « git config user.name »",
                RULE_REQUIRED,
                f"Précisez --auteur : {AUTHOR_FORMS}.",
            )
        )
    else:
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
    if not DATE.match(text) or not valid_date(text):
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date AAAA-MM-JJ")
    return text


def qr_argument(text: str) -> str:
    if not text.lower().endswith(QR_SUFFIXES):
        raise argparse.ArgumentTypeError(f"« {text} » : le QR code s'écrit dans un fichier .svg ou .png")
    return text


def parser(campaign_example: str | None = None) -> argparse.ArgumentParser:
    """The command line; `campaign_example` comes from the conventions (dated from the phase's start)."""
    main = FrenchParser(
        prog="liens.py",
        description="Liens suivis du service : fabriquer un lien conforme aux conventions, l'inscrire au registre, "
        f"imprimer son QR code ; vérifier tout le registre. Conventions : {DOCS}.",
        epilog="Codes de sortie : 0 réussite (lien inscrit, registre conforme, QR code écrit), 1 refus (lien non "
        "conforme ou absent du registre, registre non conforme, module segno manquant pour un QR code), "
        "2 erreur d'utilisation.",
    )
    commands = main.add_subparsers(dest="commande", metavar="{creer,verifier,qr}", parser_class=FrenchParser)
    commands.required = True

    create = commands.add_parser(
        "creer",
        help="fabriquer un lien suivi, le vérifier et l'inscrire au registre",
        description="Fabrique un lien suivi, le vérifie et l'ajoute à la fin du registre.",
        epilog="Codes de sortie : 0 lien inscrit (ou conforme, avec --essai), 1 refusé (lien non conforme ou déjà "
        "inscrit, registre mal formé, module segno manquant pour --qr), 2 erreur d'utilisation.",
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
        help="AAAA-MM-sujet" + (f", par exemple {campaign_example}" if campaign_example else ""),
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
    create.add_argument("--auteur", help=f"qui crée le lien : {AUTHOR_FORMS} (par défaut : git config user.name)")
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
    create.add_argument(
        "--avant-phase",
        action="store_true",
        help="accepter une campagne datée d'avant le début de la construction (sinon refusée : faute de frappe ?)",
    )
    create.add_argument("--essai", action="store_true", help="vérifier et afficher le lien sans rien enregistrer")
    create.add_argument("--registre", type=Path, default=REGISTRY_FILE, help=argparse.SUPPRESS)

    verify = commands.add_parser(
        "verifier",
        help="vérifier tout le registre (lancé par la CI)",
        description="Revérifie chaque ligne du registre : conventions, doublons, lignes mal formées.",
        epilog="Codes de sortie : 0 registre conforme, 1 registre non conforme ou introuvable, 2 erreur d'utilisation.",
    )
    verify.add_argument(
        "--registre", type=Path, default=REGISTRY_FILE, help="chemin du registre (par défaut docs/liens-suivis.csv)"
    )

    qr = commands.add_parser(
        "qr",
        help="refaire le QR code d'un lien déjà inscrit au registre",
        description="Écrit le QR code d'un lien déjà inscrit au registre.",
        epilog="Codes de sortie : 0 QR code écrit, 1 refusé (lien absent du registre, module segno manquant), "
        "2 erreur d'utilisation.",
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
    main.commands = {"creer": create, "verifier": verify, "qr": qr}
    return main


def parse_arguments(main: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Like parse_args, but an unknown option after a command is reported by that command's parser, whose
    usage and help line (« python3 outils/liens.py creer --help ») are the ones that list its options."""
    args, unknown = main.parse_known_args(argv)
    if unknown:
        main.commands.get(args.commande, main).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        conv = Conventions.load()
    except Refusal as refusal:
        conv, unreadable = None, refusal
    args = parse_arguments(parser(conv.campaign_example if conv else None), argv)
    try:
        if conv is None:
            raise unreadable
        handler = {"creer": command_create, "verifier": command_verify, "qr": command_qr}[args.commande]
        return handler(args, conv)
    except Refusal as refusal:
        say(f"Refusé : {refusal}")
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
