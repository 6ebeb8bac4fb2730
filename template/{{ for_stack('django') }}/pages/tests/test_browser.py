"""The pages in a real browser: Chromium, headless, against the service started on 127.0.0.1.

Each page must load without a console error, without any request to another host, without setting a
cookie, and without an accessibility violation found by axe-core. The browser is the system's
Chromium (Debian: `apt-get install chromium`), never a downloaded one; CHROMIUM_PATH can point to
another binary.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import dashlord
from .helpers import read
from .test_pages import PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
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
MATOMO_URL = "https://stats.example.gouv.fr"
# Stands in for matomo.js: applies the queued commands and records their order (no network here).
MATOMO_STUB = """
(function () {
  var optedOut = false, calls = [];
  var tracker = {
    isUserOptedOut: function () { return optedOut; },
    optUserOut: function () { optedOut = true; },
    forgetUserOptOut: function () { optedOut = false; },
  };
  function apply(command) {
    if (typeof command[0] === "function") { command[0].apply(tracker); return; }
    calls.push(command[0]);
    if (tracker[command[0]]) { tracker[command[0]].apply(tracker, command.slice(1)); }
  }
  var queued = window._paq || [];
  window._paq = { push: apply };
  window.matomoCalls = calls;
  queued.forEach(apply);
})();
"""


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")]
    return next((path for path in candidates if path and os.path.exists(path)), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(tmp_path: Path, **env: str):
    """gunicorn on 127.0.0.1, as deployed but with local settings; returns (process, base URL)."""
    port = free_port()
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "MATOMO", "SENTRY"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "local",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MATOMO_SITE_ID": "",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté : {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("le serveur n'a pas répondu en 30 secondes")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium introuvable : installez-le (Debian : apt-get install chromium) ou indiquez CHROMIUM_PATH."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process, base = start_server(tmp_path_factory.mktemp("server"))
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def tracked_server(tmp_path_factory):
    process, base = start_server(tmp_path_factory.mktemp("tracked"), MATOMO_SITE_ID="42", MATOMO_URL=MATOMO_URL)
    yield base
    stop_server(process)


class Visit:
    """One page in a fresh browser context, with what it logged and requested."""

    def __init__(self, browser, url: str, routes: dict | None = None):
        self.context = browser.new_context(locale="fr-FR")
        for pattern, handler in (routes or {}).items():
            self.context.route(pattern, handler)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))
        self.page.on("requestfailed", lambda request: self.errors.append(f"échec : {request.url}"))
        self.response = self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def _visit(url: str, routes: dict | None = None) -> Visit:
        opened.append(Visit(browser, url, routes))
        return opened[-1]

    yield _visit
    for page in opened:
        page.close()


@pytest.mark.parametrize("path", [*PAGES, "/page-absente/"])
def test_page_in_a_browser(visit, server, path):
    from axe_playwright_python.sync_playwright import Axe

    missing = path == "/page-absente/"
    page = visit(server + path)
    assert page.response.status == (404 if missing else 200)
    # Chromium logs the 404 of the page itself as an error; nothing else may fail.
    expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"] if missing else []
    assert page.errors == expected, page.errors
    assert page.hosts == {urlsplit(server).netloc}, f"requêtes vers d'autres hôtes : {page.hosts}"
    assert page.context.cookies() == []
    assert page.page.locator("link[rel=stylesheet]").count() >= 1
    assert page.page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Marianne")
    results = Axe().run(page.page)
    assert results.violations_count == 0, results.generate_report()


def test_dashlord_checks_on_the_rendered_pages(visit, server):
    html = visit(server + "/").page.content()
    assert dashlord.has_dsfr_header(html)
    home = read(html)
    mention, declaration = dashlord.accessibility_declaration(home)
    assert (mention, declaration) == ("Accessibilité : non conforme", "/accessibilite/")
    for labels, words in (
        (dashlord.LEGAL_NOTICE_LINKS, dashlord.LEGAL_NOTICE_WORDS),
        (dashlord.PRIVACY_LINKS, dashlord.PRIVACY_WORDS),
    ):
        url = dashlord.find_link(home, labels)
        html = visit(server + url).page.content()
        assert dashlord.grade(dashlord.words_score(html, words), words, url) == "A", url


def matomo_routes():
    def tracker(route):
        route.fulfill(status=200, content_type="application/javascript", body=MATOMO_STUB)

    return {f"{MATOMO_URL}/matomo.js": tracker, f"{MATOMO_URL}/matomo.php*": lambda route: route.fulfill(status=204)}


def test_tracking_without_cookie(visit, tracked_server):
    page = visit(tracked_server + "/", matomo_routes())
    calls = page.page.evaluate("window.matomoCalls")
    assert calls.index("disableCookies") < calls.index("trackPageView")
    assert page.errors == []
    assert page.hosts == {urlsplit(tracked_server).netloc, urlsplit(MATOMO_URL).netloc}
    assert page.context.cookies() == []


def test_opt_out_without_third_party_frame(visit, tracked_server):
    page = visit(tracked_server + "/donnees-personnelles/", matomo_routes())
    status = page.page.locator("[data-opt-out-status]")
    button = page.page.get_by_role("button", name="Ne plus mesurer ma visite")
    assert "sans cookie" in status.inner_text()
    button.click()
    assert "Vous vous êtes opposé·e" in status.inner_text()
    page.page.get_by_role("button", name="Accepter de nouveau la mesure").click()
    assert "sans cookie" in status.inner_text()
    assert page.page.locator("iframe").count() == 0
    assert page.errors == []


def test_opt_out_says_when_measurement_is_off(visit, server):
    page = visit(server + "/donnees-personnelles/")
    assert "n'est pas active" in page.page.locator("[data-opt-out-status]").inner_text()


SECTION_TEXT = """(heading) => {
  const title = [...document.querySelectorAll("main h2")].find((node) => node.textContent.trim() === heading);
  if (!title) return null;
  let text = "";
  for (let node = title.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
    text += " " + node.textContent;
  }
  return text.split(/\\s+/).join(" ").trim();
}"""


def test_the_administration_publishes_the_service_not_the_incubator(visit, server):
    """Publisher, publication director's body and data controller: the sponsoring administration."""
    from django.conf import settings

    publisher = settings.SERVICE_PUBLISHER or "l'administration porteuse (nom à compléter)"
    incubator = settings.SERVICE_INCUBATOR
    sections = {
        "/mentions-legales/": ["Directrice ou directeur de la publication"],
        "/donnees-personnelles/": ["Responsable des traitements"],
    }
    for path, headings in sections.items():
        page = visit(server + path)
        for heading in headings:
            text = page.page.evaluate(SECTION_TEXT, heading)
            assert text is not None, f"{path} : section « {heading} » introuvable"
            assert publisher in text, f"{path}, « {heading} » : {text}"
            if incubator not in publisher:
                assert incubator not in text, f"{path}, « {heading} » nomme l'incubateur : {text}"
    legal = visit(server + "/mentions-legales/").page
    # The team owns the wording around it: the publisher's name is looked for in the section, not in a tag.
    assert publisher in legal.evaluate(SECTION_TEXT, "Éditeur")
    footer = " ".join(legal.locator(".fr-footer__content-desc").inner_text().split())
    assert f"Éditeur : {settings.SERVICE_PUBLISHER or 'administration porteuse, nom à compléter'}." in footer
    assert f"beta.gouv.fr, accompagnée par {settings.SERVICE_INCUBATOR_IN_SENTENCE}." in footer
