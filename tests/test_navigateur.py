"""The browser-test kit of the stacks with pages (includes/navigateur/), proven on a small fixture site.

The kit is rendered as a stack renders it, then its shared Playwright suite runs against a good site
(every test passes) and a bad one (exactly the tests of what was broken fail). Its DashLord rules are
checked against the Python ones of the Django stack on the same texts: the Django stack runs both, the
kit in the browser and its Python rules on the pages of Django's test client (pages/tests/test_dashlord.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

from conftest import PILES, ROOT, app_stacks, load_extension

pytestmark = pytest.mark.slow

KIT = ROOT / "includes" / "navigateur"
FIXTURE = ROOT / "tests" / "fixtures" / "navigateur"
# The Python twin of the kit's DashLord rules: the one stack whose tests grade pages in Python.
(DJANGO_TESTS,) = {path.parent for path in (ROOT / "template").glob("{{ for_stack(*) }}/**/dashlord.py.jinja")}
# The devDependencies the kit's README tells the stacks to pin.
DEV_DEPENDENCIES = {"@playwright/test": "1.65.1", "@axe-core/playwright": "4.13.0"}
MATOMO_URL = "https://stats.example.gouv.fr"


def environment() -> jinja2.Environment:
    """Copier's rendering settings: copier.yml's `_envops` and the template's own Jinja extensions."""
    settings = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    extensions = []
    for entry in settings["_jinja_extensions"]:
        if entry.startswith("extensions/"):
            stem, name = Path(entry).stem.split(":")[0], entry.split(":")[1]
            extensions.append(getattr(load_extension(stem), name))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT),
        extensions=extensions,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def context() -> dict:
    return {"dashlord_rules": load_extension("playbook").load_dashlord_rules()}


def render_kit(destination: Path) -> Path:
    """`tests/navigateur/` as a stack renders it: `*.jinja` rendered, other files copied."""
    destination.mkdir(parents=True, exist_ok=True)
    env = environment()
    for source in KIT.iterdir():
        if source.name == "README.md":
            continue
        if source.suffix == ".jinja":
            text = env.get_template(source.relative_to(ROOT).as_posix()).render(context())
            (destination / source.stem).write_text(text, encoding="utf-8")
        else:
            shutil.copy(source, destination / source.name)
    return destination


def render_python_rules(destination: Path):
    """The Django stack's dashlord.py, rendered, importable as `regles_django.dashlord`."""
    package = destination / "regles_django"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    shutil.copy(DJANGO_TESTS / "helpers.py", package / "helpers.py")
    text = environment().get_template((DJANGO_TESTS / "dashlord.py.jinja").relative_to(ROOT).as_posix())
    (package / "dashlord.py").write_text(text.render(context()), encoding="utf-8")
    sys.path.insert(0, str(destination))
    try:
        import importlib

        return importlib.import_module("regles_django.dashlord"), importlib.import_module("regles_django.helpers")
    finally:
        sys.path.remove(str(destination))


PLAYWRIGHT_CONFIG = """\
import { defineConfig } from "@playwright/test";

import { freePort, launchOptions } from "./tests/navigateur/chromium.mjs";

// Chosen once by the runner; its workers read the same values back from the environment.
process.env.PORT_SITE ??= String(await freePort());
process.env.PORT_SUIVI ??= String(await freePort());
const site = `http://127.0.0.1:${process.env.PORT_SITE}`;
const tracked = `http://127.0.0.1:${process.env.PORT_SUIVI}`;
process.env.BASE_URL = site;
// SANS_SUIVI=1: the tracked site is missing, as in a project wired without it.
const tracking = !process.env.SANS_SUIVI;
if (tracking) process.env.TRACKED_BASE_URL = tracked;

const serve = (port, extra) =>
  `${process.env.PYTHON} serveur/serveur.py --racine site ${process.env.SURCHARGE || ""} --port ${port} ${extra}`;

export default defineConfig({
  testDir: "tests/navigateur",
  workers: 2,
  reporter: [["json", { outputFile: "resultats.json" }]],
  use: { launchOptions: launchOptions() },
  webServer: [
    { command: serve(process.env.PORT_SITE, ""), url: `${site}/healthz`, reuseExistingServer: false },
    ...(tracking
      ? [
          {
            command: serve(process.env.PORT_SUIVI, "--matomo MATOMO --site 42"),
            url: `${tracked}/healthz`,
            reuseExistingServer: false,
          },
        ]
      : []),
  ],
});
""".replace("MATOMO", MATOMO_URL)


@pytest.fixture(scope="session")
def kit_project(tmp_path_factory) -> Path:
    """A JavaScript project wired as the stacks wire the kit, with its devDependencies installed once."""
    if shutil.which("npm") is None:
        pytest.fail("npm est nécessaire pour tester le kit de tests navigateur")
    project = tmp_path_factory.mktemp("kit-navigateur")
    manifest = {"name": "kit-navigateur", "private": True, "type": "module", "devDependencies": DEV_DEPENDENCIES}
    (project / "package.json").write_text(json.dumps(manifest, indent=2))
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=project,
        check=True,
        capture_output=True,
        timeout=300,
    )
    render_kit(project / "tests" / "navigateur")
    (project / "playwright.config.mjs").write_text(PLAYWRIGHT_CONFIG)
    shutil.copytree(FIXTURE / "bon", project / "site")
    for script in ("suivi.js", "opposition.js"):
        shutil.copy(ROOT / "includes" / "pages" / "js" / script, project / "site" / "static" / script)
    shutil.copytree(FIXTURE / "mauvais", project / "mauvais")
    (project / "serveur").mkdir()
    shutil.copy(FIXTURE / "serveur.py", project / "serveur" / "serveur.py")
    return project


def run_suite(project: Path, *options: str, **env: str) -> dict[str, dict]:
    """Runs the shared suite; returns every test's title path with its status and error messages."""
    (project / "resultats.json").unlink(missing_ok=True)
    environment = {
        **{key: value for key, value in os.environ.items() if key not in ("BASE_URL", "TRACKED_BASE_URL", "CI")},
        "PYTHON": sys.executable,
        "CLIENT_NAVIGATION": "1",  # the fixture site follows its footer links without reloading
        **env,
    }
    command = ["npx", "playwright", "test", *options]
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=240)
    assert (project / "resultats.json").exists(), result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((project / "resultats.json").read_text())
    assert not report.get("errors"), report["errors"]
    outcomes: dict[str, dict] = {}

    def walk(suite, titles):
        titles = [*titles, suite["title"]] if suite.get("title") and not suite["title"].endswith(".mjs") else titles
        for spec in suite.get("specs", []):
            for test in spec["tests"]:
                errors = [error.get("message", "") for run in test["results"] for error in run.get("errors", [])]
                outcomes[" › ".join([*titles, spec["title"]])] = {"status": test["status"], "errors": errors}
        for child in suite.get("suites", []):
            walk(child, titles)

    for suite in report["suites"]:
        walk(suite, [])
    assert result.returncode == (0 if all(o["status"] != "unexpected" for o in outcomes.values()) else 1)
    return outcomes


def failed(outcomes: dict[str, dict]) -> set[str]:
    return {title for title, outcome in outcomes.items() if outcome["status"] != "expected"}


# Every test of the shared suite that the bad site must fail, and only those, with what each must report.
BROKEN = {
    # A third-party script (refused by the CSP, so never requested) and a cookie, on the same page.
    "chaque page › /aide/ s'affiche sans erreur, sans tiers, sans cookie, accessible": ["cdn.example.com", "cookies"],
    "en-têtes de sécurité › /budget/ envoie les en-têtes de sécurité": ["script-src"],  # 'unsafe-inline'
    "DashLord › mentions légales : trouvées depuis l'accueil, note A (4/4)": ["score"],  # « édité au sein de »
    "aucun lien cassé, aucune ressource cassée": ["/ancienne-page/ (404)"],
    "mesure d'audience › navigation côté client : une page vue de plus, une seule": ["une seule de plus"],
}
TRACKED_TESTS = {
    "mesure d'audience › Matomo sans cookie : disableCookies avant trackPageView",
    "mesure d'audience › opposition à la mesure sur la page données personnelles, sans iframe",
    "mesure d'audience › navigation côté client : une page vue de plus, une seule",
}


@pytest.mark.parametrize("stack", app_stacks())
def test_every_stack_with_pages_renders_the_whole_kit(stack):
    """Each stack's description writes every kit file into its tests/navigateur/, as the kit has it."""
    shared_files = PILES[stack]["shared_files"]
    for source in KIT.iterdir():
        if source.name == "README.md":
            continue
        target = "tests/navigateur/" + source.name.removesuffix(".jinja")
        assert shared_files.get(target) == f"includes/navigateur/{source.name}", target
    # No second browser suite beside the kit (Django's former pages/tests/test_browser.py keeps its
    # path, a released one, without any test).
    folder = ROOT / "template" / f"{{{{ for_stack('{stack}') }}}}"
    own_suites = [
        path.name
        for path in folder.rglob("*.py")
        if re.search(r"^\s*(from|import) (playwright|axe_playwright)", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert own_suites == [], own_suites


def test_the_django_rules_are_the_ones_its_python_tests_use():
    """What makes the agreement below matter: Django's own tests grade its pages with dashlord.py."""
    tests = (DJANGO_TESTS / "test_dashlord.py").read_text(encoding="utf-8")
    for name in ("has_dsfr_header", "accessibility_declaration", "find_link", "words_score", "grade"):
        assert f"dashlord.{name}(" in tests, name


def test_plain_kit_files_hold_no_template_syntax():
    """A stack renders every kit file through Jinja: the plain ones must come out unchanged."""
    env = environment()
    for source in KIT.glob("*.mjs"):
        template = env.get_template(source.relative_to(ROOT).as_posix())
        assert template.render(context()) == source.read_text(encoding="utf-8"), source.name


def test_rules_fit_in_string_literals():
    """regles.yml's values are written as Python and JavaScript string literals without escaping."""
    rules = context()["dashlord_rules"]
    values = [
        rules["dsfr_header"],
        rules["accessibility"]["fallback_link"],
        *rules["accessibility"]["mentions"],
        *(value for page in ("legal_notice", "privacy") for key in ("links", "words") for value in rules[page][key]),
    ]
    assert values and all('"' not in value and "\\" not in value for value in values)
    assert rules["thresholds"] == {"mention": 0.9, "link": 0.9, "rgpd_link": 0.8}


def test_the_suite_fails_exactly_where_the_site_is_broken(kit_project):
    """The bad site differs from the good one only by what BROKEN names: every other test passes on it."""
    outcomes = run_suite(kit_project, SURCHARGE="--surcharge mauvais")
    assert len(outcomes) > 20 and set(outcomes) >= set(BROKEN) | TRACKED_TESTS, sorted(outcomes)
    assert {title for title, outcome in outcomes.items() if outcome["status"] == "unexpected"} == set(BROKEN)
    assert failed(outcomes) == set(BROKEN)  # nothing skipped either
    for title, reasons in BROKEN.items():
        report = "\n".join(outcomes[title]["errors"])
        assert all(reason in report for reason in reasons), (title, report[:3000])


def test_the_suite_passes_on_a_good_site(kit_project):
    """The tests the bad site fails pass on the good one (the others passed on both: see above)."""
    titles = "|".join(re.escape(title.split(" › ")[-1]) for title in sorted(BROKEN))
    outcomes = run_suite(kit_project, "--grep", titles)
    assert set(outcomes) == set(BROKEN), sorted(outcomes)
    assert failed(outcomes) == set(), {title: outcomes[title] for title in failed(outcomes)}


def test_the_tracked_site_is_required_not_skipped(kit_project):
    """Without TRACKED_BASE_URL, a measurement test fails and says why (one test is enough to show it)."""
    title = "mesure d'audience › Matomo sans cookie : disableCookies avant trackPageView"
    outcomes = run_suite(kit_project, "--grep", "disableCookies", "--workers", "1", SANS_SUIVI="1")
    assert list(outcomes) == [title]
    assert outcomes[title]["status"] == "unexpected"
    assert any("TRACKED_BASE_URL manquante" in message for message in outcomes[title]["errors"]), outcomes[title]


READ_SCRIPT = """
import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import { launchOptions } from "./tests/navigateur/chromium.mjs";
import { readDocument } from "./tests/navigateur/dashlord.mjs";
const browser = await chromium.launch(launchOptions());
const page = await browser.newPage();
const docs = [];
for (const html of JSON.parse(readFileSync(0, "utf8"))) {
  await page.setContent(html);
  const { text, links } = await readDocument(page);
  docs.push({ text, links });
}
await browser.close();
console.log(JSON.stringify(docs));
"""

AGREEMENT_SCRIPT = """
import { readFileSync } from "node:fs";
const rules = await import(process.argv[1]);
const cases = JSON.parse(readFileSync(0, "utf8"));
const needles = { legal: rules.LEGAL_NOTICE_LINKS, privacy: rules.PRIVACY_LINKS };
const words = { legal: rules.LEGAL_NOTICE_WORDS, privacy: rules.PRIVACY_WORDS };
console.log(JSON.stringify({
  ratios: cases.ratios.map(([a, b]) => rules.ratio(a, b)),
  fuzzy: cases.fuzzy.map(([a, b]) => rules.fuzzy(a, b)),
  docs: cases.docs.map(({ html, doc }) => ({
    dsfr: rules.hasDsfrHeader(html),
    a11y: rules.accessibilityDeclaration(doc),
    legal: rules.findLink(doc, needles.legal),
    privacy: rules.findLink(doc, needles.privacy),
    words: [rules.wordsScore(html, words.legal), rules.wordsScore(html, words.privacy)],
    grades: [rules.grade(4, words.legal, "/x/"), rules.grade(3, words.legal, "/x/"), rules.grade(0, words.legal, null)],
  })),
}));
"""

PAIRS = [
    ("Accessibilité : non conforme", "Accessibilité : non conforme"),
    ("Accessibilité : non conforme", "Pied de page. Accessibilité: non conforme."),
    ("Accessibilité : totalement conforme", "Accessibilité : non conforme"),
    ("Accessibilité : partiellement conforme", "ACCESSIBILITE : PARTIELLEMENT CONFORME"),
    ("Accessibilité", "Déclaration d'accessibilité"),
    ("Mentions légales", "Mentions legales"),
    ("Mentions légales", "Mentions"),
    ("Politique de confidentialité", "Politique\u00a0de\u202fconfidentialité"),
    ("Données personnelles", "Vos données, vos droits"),
    ("Confidentialité", ""),
    ("Straße", "STRASSE et rue"),
    ("abcab" * 50, "bcabc" * 30 + "x" * 10),  # 200 characters and more: difflib's popular characters
]
HTMLS = [
    '<header><div class="fr-header__brand">Service</div></header><footer><a href="/accessibilite/">'
    'Accessibilité : non conforme</a><a href="/mentions-legales/">Mentions légales</a>'
    '<a href="/donnees-personnelles/">Données personnelles</a></footer>',
    '<p>Le site est édité au sein de la DINUM.</p><a href="">Accessibilité : non conforme</a>',
    '<div class="rf-header__brand"></div><p>Accessibilité : partiellement conforme</p>'
    '<a href="/a11y">Accessibilité</a><a href="#">Mentions légales</a><a href="/ml">Legal Notice</a>'
    '<a href="/pc">Politique de confidentialité</a><a href="/pc2">Confidentialité</a>',
    "<p>Directrice de la publication, hébergement, édité par ; contact@example.gouv.fr, finalité,"
    " durée de conservation, sous traitant</p><a>Mentions légales</a><a href='/cgu/'>Mentions d'information</a>",
    "<p>Accessibilité: totalement conforme</p><a href='/decl/'>Accessibilité : totalement conforme</a>"
    "<a href='/decl2/'>Accessibilité : totalement conforme</a><script>var a = 'Privacy Policy';</script>",
    "",
]


def test_javascript_and_python_rules_agree(tmp_path):
    from difflib import SequenceMatcher

    rules, helpers = render_python_rules(tmp_path / "python")
    kit = render_kit(tmp_path / "js")

    docs = []
    for html in HTMLS:
        doc = helpers.read(html)
        docs.append({"html": html, "doc": {"text": doc.text, "links": [vars(link) for link in doc.links]}})
    cases = {"ratios": PAIRS, "fuzzy": PAIRS, "docs": docs}
    result = subprocess.run(
        ["node", "--input-type=module", "-e", AGREEMENT_SCRIPT, (kit / "dashlord.mjs").as_uri()],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    javascript = json.loads(result.stdout)
    python = {
        "ratios": [SequenceMatcher(None, a, b).ratio() for a, b in PAIRS],
        "fuzzy": [rules.fuzzy(a, b) for a, b in PAIRS],
        "docs": [],
    }
    for case in docs:
        html, doc = case["html"], helpers.read(case["html"])
        mention, url = rules.accessibility_declaration(doc)
        python["docs"].append(
            {
                "dsfr": rules.has_dsfr_header(html),
                "a11y": {"mention": mention, "url": url},
                "legal": rules.find_link(doc, rules.LEGAL_NOTICE_LINKS),
                "privacy": rules.find_link(doc, rules.PRIVACY_LINKS),
                "words": [rules.words_score(html, rules.LEGAL_NOTICE_WORDS), rules.words_score(html, rules.PRIVACY_WORDS)],
                "grades": [
                    rules.grade(4, rules.LEGAL_NOTICE_WORDS, "/x/"),
                    rules.grade(3, rules.LEGAL_NOTICE_WORDS, "/x/"),
                    rules.grade(0, rules.LEGAL_NOTICE_WORDS, None),
                ],
            }
        )
    assert javascript["ratios"] == pytest.approx(python["ratios"], abs=1e-12)
    assert javascript["fuzzy"] == pytest.approx(python["fuzzy"], abs=1e-12)
    assert javascript["docs"] == python["docs"]
    # The behaviours the Django stack's own test asserts, held by the JavaScript side too.
    assert javascript["docs"][1]["a11y"] == {"mention": "Accessibilité : non conforme", "url": None}
    assert javascript["docs"][1]["words"][0] == 0 and javascript["docs"][1]["legal"] is None
    assert javascript["fuzzy"][1] > 0.9 > javascript["fuzzy"][2]
    assert javascript["fuzzy"][0] == 1


def test_read_document_reads_pages_as_the_python_reader(kit_project):
    """`readDocument` in Chromium and the Django stack's reader find the same text and links."""
    _, helpers = render_python_rules(kit_project / "python")
    (kit_project / "lecture.mjs").write_text(READ_SCRIPT)
    sys.path.insert(0, str(FIXTURE))
    try:
        from serveur import Site
    finally:
        sys.path.remove(str(FIXTURE))
    site = Site(FIXTURE / "bon", None, MATOMO_URL, "42")
    pages = [*HTMLS, *(site.page(name) for name in ("accueil", "donnees-personnelles", "plan-du-site"))]
    result = subprocess.run(
        ["node", "lecture.mjs"], cwd=kit_project, input=json.dumps(pages), capture_output=True, text=True, check=True, timeout=60
    )
    expected = [helpers.read(html) for html in pages]
    assert json.loads(result.stdout) == [{"text": doc.text, "links": [vars(link) for link in doc.links]} for doc in expected]
