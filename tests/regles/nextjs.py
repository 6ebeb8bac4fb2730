"""Text-truth rules true for the Next.js stack only (applied to its answer sets by tests/test_textes.py)."""

import re
from pathlib import Path

from regles import Rule

# The range of Node.js versions the Next.js app accepts, as its package.json gives it.
PACKAGE = Path(__file__).resolve().parents[2] / "template" / "{{ for_stack('nextjs') }}" / "package.json.jinja"
NODE_RANGE = re.search(r'"node": "([^"]+)"', PACKAGE.read_text(encoding="utf-8")).group(1)

RULES = [
    Rule(
        "Next.js : package.json ne donne qu'une plage de versions de Node, le README la donne telle quelle",
        lambda a: True,
        ("README.md",),
        must=re.escape(f"`{NODE_RANGE}`"),
        must_not=r"et `package\.json`\)|20\.19 (?:ou|et) plus récent",
    ),
    Rule(
        ".env.example ne dit pas « vide, aucun traceur » quand, vide, la production prend le numéro donné au modèle",
        lambda a: bool(a["matomo_site_id"]),
        (".env.example",),
        must=lambda a: re.escape(f"numéro donné au modèle ({a['matomo_site_id']}) en production"),
        must_not=r"vide, aucun traceur n'est chargé",
    ),
]
