#!/usr/bin/env python3
"""Wall time of the generated repository's tools on large inputs; prints medians.

    .venv/bin/python scripts/benchmark_outils.py [--mesures 7] [--json] [--strict] [--projet DIR]

Generates a project from this checkout (or uses --projet), fills it with a 10,000-row link registry and a
500-item checklist, then times, from the project's root, as a team would:
  - python outils/liens.py verifier
  - python outils/progression.py
Each is run --mesures times as a subprocess (interpreter start included); the target is a median under 0.5 s.
--json prints one JSON object for other scripts; --strict exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from tools_helpers import large_registry, synthetic_checklist  # noqa: E402

TARGET_SECONDS = 0.5
REGISTRY_ROWS = 10_000
CHECKLIST_ITEMS = 500


def generate(destination: Path) -> Path:
    from copier import run_copy

    answers = yaml.safe_load((ROOT / "tests" / "exemple-reponses.yml").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a checkout without tags, or with changes not yet committed
        run_copy(str(ROOT), str(destination), data=answers, defaults=True, unsafe=True, quiet=True)
    return destination


def slug_of(project: Path) -> str:
    conventions = json.loads((project / "outils" / "conventions-liens.json").read_text(encoding="utf-8"))
    return conventions["service_slug"]


def measure(project: Path, command: list[str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        timings.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"« {' '.join(command)} » a échoué ({result.returncode}) :\n{result.stdout}{result.stderr}")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description="Mesure le temps des outils d'un dépôt généré (médianes).")
    parser.add_argument("--mesures", type=int, default=7, help="nombre de mesures par commande (7 par défaut)")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_argument("--strict", action="store_true", help="code de sortie 1 si une médiane dépasse 0,5 s")
    parser.add_argument("--projet", type=Path, help="projet déjà généré à utiliser (ses fichiers sont remplacés)")
    parser.add_argument("--python", default=sys.executable, help="interpréteur qui lance les outils")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="benchmark-outils-") as temporary:
        project = args.projet or generate(Path(temporary) / "projet")
        large_registry(project / "docs" / "liens-suivis.csv", REGISTRY_ROWS, slug_of(project))
        checklist = project / "benchmark-checklist.md"
        checklist.write_text(synthetic_checklist(CHECKLIST_ITEMS), encoding="utf-8")
        cases = {
            "liens_verifier": (
                f"liens.py verifier, registre de {REGISTRY_ROWS} lignes",
                [args.python, "outils/liens.py", "verifier"],
            ),
            "progression": (
                f"progression.py, checklist de {CHECKLIST_ITEMS} items",
                [args.python, "outils/progression.py", "--fichier", checklist.name, "--aujourdhui", "2026-07-01"],
            ),
        }
        results = {}
        for key, (label, command) in cases.items():
            timings = measure(project, command, args.mesures)
            results[key] = {
                "label": label,
                "median_s": round(statistics.median(timings), 4),
                "runs_s": [round(t, 4) for t in timings],
                "target_s": TARGET_SECONDS,
            }
        if args.projet:
            checklist.unlink()

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results.values():
            verdict = "ok" if result["median_s"] < TARGET_SECONDS else "TROP LENT"
            print(
                f"{result['label']} : médiane {result['median_s']:.3f} s sur {len(result['runs_s'])} mesures "
                f"(cible < {TARGET_SECONDS} s) {verdict}"
            )
    missed = [r for r in results.values() if r["median_s"] >= TARGET_SECONDS]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
