#!/usr/bin/env python3
"""Mesure la qualité d'une page déjà servie : Lighthouse (médiane de plusieurs passages), ecoindex et
JavaScript chargé à l'ouverture.

    scripts/mesurer_site.py http://perf.localhost:8020/ [--passages 3] [--json resultats.json]

Le site doit déjà tourner (construit comme en production, servi en local). Rien n'est téléchargé :
- Lighthouse vient de npm (`npm install --prefix /tmp/lh lighthouse@12.2.3`, puis
  LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse ; sinon `lighthouse` dans le PATH) ;
- l'ecoindex se calcule avec `ecoindex-compute` et Playwright pour Python, dans un environnement
  virtuel (`python3 -m venv /tmp/mesure && /tmp/mesure/bin/pip install ecoindex-compute playwright`,
  puis lancer ce script avec /tmp/mesure/bin/python), sur le Chromium du système (CHROMIUM_PATH, sinon
  /usr/bin/chromium) : jamais de navigateur téléchargé.

Préférez une adresse en .localhost (http://perf.localhost:PORT/) à 127.0.0.1 : c'est un nom de
domaine pour les outils, et Lighthouse le traite comme un site sûr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LABELS = {
    "performance": "Performance",
    "accessibility": "Accessibilité",
    "best-practices": "Bonnes pratiques",
    "seo": "SEO",
}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("Chromium introuvable : sudo apt-get install chromium, ou indiquez CHROMIUM_PATH.")


def lighthouse_command() -> str:
    command = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    if not command:
        sys.exit(
            "Lighthouse introuvable : npm install --prefix /tmp/lh lighthouse@12.2.3, puis LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse."
        )
    return command


def lighthouse_once(url: str, chromium: str, attempts: int = 2) -> dict[str, float]:
    """One Lighthouse pass; a pass whose trace Chromium failed to record (NO_NAVSTART…) is run again."""
    for attempt in range(attempts):
        scores = lighthouse_pass(url, chromium, last=attempt == attempts - 1)
        if scores is not None:
            return scores
    raise AssertionError("unreachable")


def lighthouse_pass(url: str, chromium: str, last: bool) -> dict[str, float] | None:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "rapport.json"
        result = subprocess.run(
            [
                lighthouse_command(),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
            ],
            env={**os.environ, "CHROME_PATH": chromium},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not report.exists():
            if not last:
                return None
            sys.exit(f"Lighthouse a échoué :\n{result.stderr[-3000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        if not last:
            return None
        sys.exit(f"Lighthouse n'a pas pu mesurer la page : {data['runtimeError']}")
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


# Counted after the load and a scroll to the bottom, as ecoindex's own scraper does: the DOM nodes
# (without the inside of SVG images), the bytes transferred and the number of requests.
PAGE_FIGURES = """
() => {
  const nodes = document.getElementsByTagName("*").length
    - [...document.querySelectorAll("svg")].reduce((sum, svg) => sum + svg.getElementsByTagName("*").length, 0);
  const navigation = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const scripts = resources.filter((entry) => entry.initiatorType === "script"
    || (entry.initiatorType === "link" && entry.name.endsWith(".js")));
  return {
    nodes,
    requests: 1 + resources.length,
    bytes: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
    scriptBytes: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    scriptDecodedBytes: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
  };
}
"""


async def page_figures(url: str, chromium: str) -> dict:
    from ecoindex.compute import compute_ecoindex
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1920, "height": 1080})
        await page.goto(url, wait_until="networkidle")
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        await page.wait_for_timeout(3000)
        figures = await page.evaluate(PAGE_FIGURES)
        await browser.close()
    ecoindex = await compute_ecoindex(figures["nodes"], figures["bytes"] / 1024, figures["requests"])
    return {**figures, "ecoindex": {"score": round(ecoindex.score), "grade": getattr(ecoindex.grade, "value", ecoindex.grade)}}


def french(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="adresse de la page, par exemple http://perf.localhost:8020/")
    parser.add_argument("--passages", type=int, default=3, help="passages de Lighthouse (médiane), 3 par défaut")
    parser.add_argument("--json", type=Path, help="écrit aussi les résultats dans ce fichier")
    args = parser.parse_args()

    chromium = chromium_path()
    runs = [lighthouse_once(args.url, chromium) for _ in range(args.passages)]
    scores = {name: statistics.median(run[name] for run in runs) for name in CATEGORIES}
    figures = asyncio.run(page_figures(args.url, chromium))

    print(f"{args.url} — Lighthouse, médiane de {args.passages} passages")
    for name in CATEGORIES:
        print(f"  {LABELS[name]:<17} {french(scores[name])}  ({' '.join(french(run[name]) for run in runs)})")
    print(f"  Ecoindex          {figures['ecoindex']['grade']} ({figures['ecoindex']['score']})")
    print(f"  Page              {figures['nodes']} nœuds, {figures['requests']} requêtes, {figures['bytes'] / 1024:.0f} ko transférés")
    print(
        f"  JavaScript        {figures['scriptBytes'] / 1024:.0f} ko transférés à l'ouverture "
        f"({figures['scriptDecodedBytes'] / 1024:.0f} ko décompressés)"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"url": args.url, "lighthouse": scores, "runs": runs, **figures}, indent=2) + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
