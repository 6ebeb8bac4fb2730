#!/usr/bin/env python3
"""Prepare a release of the template: check the contract, check the CHANGELOG, write the lock.

    .venv/bin/python scripts/release.py 0.2.0              # checks, then writes tests/released/0.2.0.yml
    .venv/bin/python scripts/release.py 0.2.0 --verifier   # checks only, writes nothing
    .venv/bin/python scripts/release.py 0.2.0 --changelog  # prints the CHANGELOG lines of the new items

Checks today's template (working tree, uncommitted work included) against every earlier lock:
released checklist items unchanged and in place, released paths still generated for the same
answers, answer names and choice values kept, new questions with a default. Then checks that the
CHANGELOG entry of the version names every item added since the previous release. Refuses a
version that is already tagged. Running it again for the same, untagged version refreshes its lock.
The full procedure is in RELEASING.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from update_contract import (  # noqa: E402
    VERSION,
    check_all,
    current_contract,
    dump_lock,
    load_locks,
    load_settings,
    lock_from,
    lock_path,
    release_answer_sets,
    tags,
    unreleased_items,
    version_key,
)

CHANGELOG = ROOT / "CHANGELOG.md"


def changelog_entry(version: str) -> str | None:
    """The text of the `## <version>` section of CHANGELOG.md, or None."""
    if not CHANGELOG.exists():
        return None
    text = CHANGELOG.read_text(encoding="utf-8")
    match = re.search(rf"^## \[?{re.escape(version)}\]?(?:[ \t][^\n]*)?\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else None


def missing_from_changelog(entry: str, items: list[dict]) -> list[dict]:
    """Items the CHANGELOG entry does not name (as **ID**)."""
    return [item for item in items if f"**{item['id']}**" not in entry]


def changelog_lines(items: list[dict]) -> str:
    """New items as CHANGELOG lines, grouped by section in the playbook's order."""
    lines, section = [], None
    for item in items:
        if item["section"] != section:
            section = item["section"]
            lines.append(f"\n#### {section}\n")
        lines.append(f"- **{item['id']}** {item['text']}")
    return "\n".join(lines).lstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Prépare la publication d'une version du modèle.")
    parser.add_argument("version", help="numéro de version X.Y.Z (le tag sera vX.Y.Z)")
    parser.add_argument("--verifier", action="store_true", help="vérifier seulement, sans écrire le verrou")
    parser.add_argument("--changelog", action="store_true", help="afficher les lignes du CHANGELOG des nouveaux items")
    options = parser.parse_args(argv)
    version = options.version.removeprefix("v")

    if not VERSION.match(version):
        print(f"« {options.version} » n'est pas un numéro de version X.Y.Z (exemple : 0.2.0).", file=sys.stderr)
        return 2
    if f"v{version}" in tags():
        print(
            f"La version {version} est déjà publiée (tag v{version}) : son verrou ne change plus. Choisissez le numéro suivant.",
            file=sys.stderr,
        )
        return 1
    locks = load_locks()
    later = [v for v in locks if version_key(v) > version_key(version)]
    if later:
        print(f"Une version plus récente est déjà verrouillée ({', '.join(later)}).", file=sys.stderr)
        return 1
    previous = {v: lock for v, lock in locks.items() if v != version}

    print("Rendu du modèle pour chaque jeu de réponses…", file=sys.stderr)
    current = current_contract(sets=release_answer_sets(load_settings(), previous))
    new_items = unreleased_items(previous, current)

    if options.changelog:
        print(changelog_lines(new_items))
        return 0

    failed = False
    problems = check_all(previous, current)
    if problems:
        failed = True
        print("Le contrat des versions publiées n'est pas respecté :\n", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        print(file=sys.stderr)

    entry = changelog_entry(version)
    if entry is None:
        failed = True
        print(
            f"CHANGELOG.md n'a pas d'entrée « ## {version} ». Ajoutez-la en tête des versions, avec ce qui change "
            "pour les équipes et la liste des items ajoutés :\n",
            file=sys.stderr,
        )
        print(changelog_lines(new_items), file=sys.stderr)
    else:
        missing = missing_from_changelog(entry, new_items)
        if missing:
            failed = True
            print(
                f"L'entrée « ## {version} » de CHANGELOG.md ne cite pas ces items ajoutés ; collez ces lignes "
                "dans sa liste des items ajoutés :\n",
                file=sys.stderr,
            )
            print(changelog_lines(missing), file=sys.stderr)
    if failed:
        return 1

    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if options.verifier:
        print(f"Version {version} : contrat respecté, CHANGELOG complet ({len(new_items)} item(s) ajouté(s)).")
        return 0

    path = lock_path(version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_lock(lock_from(current, version)), encoding="utf-8")
    relative = path.relative_to(ROOT)
    print(f"Verrou écrit : {relative} ({len(new_items)} item(s) ajouté(s) depuis la version précédente).")
    if dirty:
        print(
            "Attention : l'arbre de travail contient des modifications non validées ; le verrou les décrit. "
            "Validez-les avec le verrou avant de taguer."
        )
    print(
        "\nSuite de la publication (RELEASING.md) :\n"
        f"  VERIFIER_PUBLICATION=1 scripts/tests.sh\n"
        f'  git add {relative} CHANGELOG.md && git commit -m "Publier la version {version}"\n'
        f'  git tag -a v{version} -m "Version {version}" && git push origin main v{version}'
    )
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
