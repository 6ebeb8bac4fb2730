"""Text-truth rules true for the Django stack only (applied to its answer sets by tests/test_textes.py)."""

import re

from regles import Rule, always, hosted_on

from conftest import HEBERGEURS

RULES = [
    Rule(
        "l'administration porteuse est l'éditrice dans le code de l'application Django (pied de page)",
        always,
        ("config/settings.py",),
        must=lambda a: re.escape(f'SERVICE_PUBLISHER = "{a["administration"].strip()}"'),
    ),
    # With a database and environment variables (the Django stack): the host's own variables.
    *[
        Rule(f"Clever Cloud (Django) : le README donne « {step} »", hosted_on("clevercloud"), ("README.md",), must=re.escape(step))
        for step in ("clever addon create postgresql-addon", "clever env set", "POSTGRESQL_ADDON_URI", "ALLOWED_HOSTS")
    ],
    *[
        Rule(f"Scalingo (Django) : le README donne « {step} »", hosted_on("scalingo"), ("README.md",), must=re.escape(step))
        for step in ("addons-add postgresql", "env-set", "DATABASE_URL", "ALLOWED_HOSTS")
    ],
    Rule(
        "Django : les variables de production sont définies avant la construction des fichiers statiques",
        always,
        ("README.md",),
        must=r"### Déployer\n(?:(?!collectstatic)[\s\S])*?DJANGO_ENV[= ]production(?:(?!\n### )[\s\S])*?collectstatic",
    ),
    Rule(
        "Clever Cloud (Django) : les réglages Python de l'hébergeur",
        hosted_on("clevercloud"),
        ("README.md",),
        must=r"CC_PYTHON_MODULE config\.wsgi:application[\s\S]*CC_PYTHON_MANAGE_TASKS",
    ),
    Rule(
        "le premier déploiement répond sur l'adresse de l'hébergeur (ALLOWED_HOSTS)",
        lambda a: bool(HEBERGEURS[a["hosting"]]["provisional_domain"]),
        (".env.example",),
        must=lambda a: r"^ALLOWED_HOSTS=[a-z0-9-]+\." + re.escape(HEBERGEURS[a["hosting"]]["provisional_domain"]) + ",",
        flags=re.MULTILINE,
    ),
    Rule(
        "la base fournie par l'hébergeur n'est pas masquée par un DATABASE_URL à coller",
        hosted_on("scalingo", "clevercloud"),
        (".env.example",),
        must_not=r"^DATABASE_URL=",
        flags=re.MULTILINE,
    ),
    Rule("aucun fichier .env n'est lu : .env.example le dit", always, (".env.example",), must=r"ne lisent de fichier \.env"),
    Rule(
        "DJANGO_ENV : le commentaire ne contredit pas la valeur",
        always,
        (".env.example",),
        must_not=r"« local » \(défaut\)[^\n]*\n(?:#[^\n]*\n)*DJANGO_ENV=production",
    ),
    Rule(
        "Django : .env.example dit d'où vient le numéro de site en production, sans « valeur par défaut (vide) »",
        always,
        (".env.example",),
        must=lambda a: (
            rf"numéro de site donné au modèle, {a['matomo_site_id']}\b"
            if a["matomo_site_id"]
            else r"aucun numéro de site n'a été donné au modèle"
        ),
        must_not=r"\(vide\)",
    ),
    Rule(
        "Django : le traceur n'est chargé qu'en production, docs/matomo.md le dit",
        lambda a: bool(a["matomo_site_id"]),
        ("docs/matomo.md",),
        must=r"DJANGO_ENV=production",
    ),
]
