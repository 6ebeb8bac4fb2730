"""Text-truth rules true for the static site stack only (applied to its answer sets by tests/test_textes.py)."""

from regles import Rule, always, hosted_on

RULES = [
    Rule(
        "site statique : la construction écrit les en-têtes qu'elle dérive, config/en-tetes.json n'est pas servi",
        always,
        ("README.md", "docs/**/*.md"),
        must_not=r"`config/en-tetes\.json`,? servis",
    ),
    Rule(
        "site statique sur Scalingo ou Clever Cloud : serveur.mjs ne sert que le poste, pas la production",
        hosted_on("scalingo", "clevercloud"),
        ("README.md", "docs/**/*.md"),
        must_not=r"serveur\.mjs[^.;]*\ben production",
    ),
]
