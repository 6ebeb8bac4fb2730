"""Text-truth rules true for the adoption of an existing repository only (applied by tests/test_textes.py)."""

from regles import PROSE, Rule, always

RULES = [
    Rule(
        "existant : docs/matomo.md dit ce que le code de l'équipe doit faire, jamais ce qu'il ferait déjà",
        always,
        ("docs/matomo.md",),
        must=r"Ce que doit faire le code du service",
        must_not=r"propose un bouton d'opposition|la mesure est active|le code (?:appelle|ne suit|n'envoie|n'appelle)"
        r"|page Données personnelles \(|l'application",
    ),
    Rule(
        "un dépôt adopté nomme ses workflows avec le préfixe « beta-gouv- » qu'ils portent",
        always,
        (*PROSE, "CONSTRUCTION.md"),
        must_not=r"\.github/workflows/(?:garde-fous|suivi|mise-a-jour-modele)\.yml",
    ),
    Rule(
        "le guide de nommage ne dit pas qu'une application adoptée, écrite par l'équipe, utilise le DSFR",
        always,
        ("README.md", "CONSTRUCTION.md"),
        must_not=r"L'application de ce dépôt utilise le DSFR",
    ),
]
