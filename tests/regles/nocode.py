"""Text-truth rules true for the no-code stack only (applied to its answer sets by tests/test_textes.py)."""

from regles import Rule, always

RULES = [
    Rule(
        "sans application, docs/matomo.md ne décrit ni code du service ni bouton d'opposition",
        always,
        ("docs/matomo.md",),
        must_not=r"code du service|propose un bouton d'opposition|la mesure est active"
        r"|le code (?:appelle|ne suit|n'envoie|n'appelle)|l'application",
    ),
    Rule(
        "passer au code se fait par une mise à jour qui change la réponse stack",
        always,
        ("docs/sans-code.md",),
        must=r"copier update --trust --defaults -d stack=django -d hosting=scalingo",
    ),
    Rule("passer au code ne demande pas de nouvelle copie", always, ("docs/sans-code.md",), must_not=r"copier copy"),
]
