"""Audience measurement: off without a site id, cookie-less with one, never on sensitive pages; the
figures of /stats read from Matomo, whatever it answers."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory

from pages import matomo
from pages.context_processors import service

from .helpers import read


def test_no_tracker_without_a_site_id(client):
    response = client.get("/")
    html = response.content.decode()
    assert "suivi.js" not in html and "matomo" not in html.lower()
    assert "stats.beta.gouv.fr" not in response.headers["Content-Security-Policy"]


def test_tracker_with_a_site_id(client, settings):
    settings.MATOMO_SITE_ID = "42"
    settings.MATOMO_URL = "https://stats.example.gouv.fr"
    response = client.get("/")
    html = response.content.decode()
    assert 'data-matomo-site-id="42"' in html
    assert 'data-matomo-url="https://stats.example.gouv.fr"' in html
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    for directive in ("script-src", "connect-src", "img-src"):
        assert "https://stats.example.gouv.fr" in directives[directive]
    assert not response.cookies


@pytest.mark.parametrize("path", ["/admin/", "/connexion/", "/compte/profil/"])
def test_no_tracking_on_sensitive_pages(settings, path):
    settings.MATOMO_SITE_ID = "42"
    assert service(RequestFactory().get(path))["MATOMO"] is None
    assert service(RequestFactory().get("/aide/"))["MATOMO"] == {"url": settings.MATOMO_URL, "site_id": "42"}


def test_tracker_disables_cookies_before_the_first_page_view():
    script = open(finders.find("pages/suivi.js"), encoding="utf-8").read()
    assert 0 < script.index('"disableCookies"') < script.index('"trackPageView"')
    assert "matomo.js" in script and "innerHTML" not in script


def test_privacy_page_offers_a_first_party_opt_out(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "data-opt-out" in html and "pages/opposition.js" in html
    assert "<iframe" not in html
    script = open(finders.find("pages/opposition.js"), encoding="utf-8").read()
    assert "optUserOut" in script and "forgetUserOptOut" in script


def test_stats_without_a_site_id(client):
    doc = read(client.get("/stats/").content.decode())
    assert "La mesure d'audience n'est pas encore active" in doc.text


def test_stats_show_matomo_figures(client, settings, monkeypatch):
    settings.MATOMO_SITE_ID = "42"
    answer = {"2026-02": {"nb_visits": 120, "nb_actions": 300}, "2026-01": {"nb_visits": 80, "nb_actions": 150}}
    monkeypatch.setattr(matomo, "fetch_visits", lambda months: answer)
    doc = read(client.get("/stats/").content.decode())
    assert "février 2026 120 300" in doc.text
    assert doc.text.index("février 2026") < doc.text.index("janvier 2026")


def test_stats_when_matomo_does_not_answer(client, settings, monkeypatch):
    settings.MATOMO_SITE_ID = "42"
    monkeypatch.setattr(matomo, "fetch_visits", lambda months: None)
    doc = read(client.get("/stats/").content.decode())
    assert "Les chiffres de fréquentation ne sont pas disponibles" in doc.text


@pytest.mark.parametrize(
    "answer",
    [None, [], {"result": "error", "message": "You can't access this resource"}, {"2026-01": []}, "<html>"],
)
def test_parse_visits_rejects_what_is_not_figures(answer):
    assert matomo.parse_visits(answer) in (None, [{"month": "janvier 2026", "visits": 0, "actions": 0}])


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the service hung up on purpose (an answer too large or too slow)


class FakeMatomo:
    """A Matomo instance on 127.0.0.1 that answers what the test says, and counts the calls."""

    def __init__(self):
        self.status, self.body, self.delay, self.calls = 200, b"{}", 0.0, 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.calls += 1
                time.sleep(fake.delay)
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)

            def log_message(self, *args):
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, body: bytes, status: int = 200):
        self.body, self.status = body, status


@pytest.fixture
def fake_matomo(settings):
    fake = FakeMatomo()
    settings.MATOMO_SITE_ID = "42"
    settings.MATOMO_URL = fake.url
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


GOOD_ANSWER = b'{"2026-01": {"nb_visits": 80, "nb_actions": 150}, "2026-02": {"nb_visits": 120, "nb_actions": 300}}'
UNAVAILABLE = "Les chiffres de fréquentation ne sont pas disponibles"


def stats_text(client) -> str:
    response = client.get("/stats/")
    assert response.status_code == 200
    return read(response.content.decode()).text


def test_stats_read_from_matomo(client, fake_matomo):
    fake_matomo.answer(GOOD_ANSWER)
    text = stats_text(client)
    assert "février 2026 120 300" in text and "janvier 2026 80 150" in text


@pytest.mark.parametrize(
    "body",
    [
        b'{"2026-01": {"nb_visits": "abc", "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": -5, "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": 1e400, "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": 12.5, "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": 10000000000000000, "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": ' + b"9" * 5000 + b', "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": true, "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": {"n": 1}, "nb_actions": 3}}',
        b'{"2026-01": {"nb_actions": 3}}',
        b'{"2026-01": "12"}',
        b'{"2026-13": {"nb_visits": 1, "nb_actions": 3}}',
        b'{"janvier": {"nb_visits": 1, "nb_actions": 3}}',
        b'{"2026-01": {"nb_visits": 1, "nb_actions": 3}, "result": "error"}',
        b'{"result": "error", "message": "You can\'t access this resource"}',
        b"[[80, 150], [120, 300]]",
        b"{}",
        b"null",
        b'"80 visites"',
        b"<html><body>Erreur</body></html>",
        b"\xff\xfe\x00",
        b"[" * 100_000,
        b'{"2026-01": {"nb_visits": 1, "nb_actions": 3}, "padding": "' + b"x" * 2_000_000 + b'"}',
    ],
)
def test_stats_when_matomo_answers_something_else_than_figures(client, fake_matomo, body):
    fake_matomo.answer(body)
    text = stats_text(client)
    assert UNAVAILABLE in text
    assert "Visites par mois" not in text


def test_stats_when_matomo_answers_an_error_status(client, fake_matomo):
    fake_matomo.answer(GOOD_ANSWER, status=500)
    assert UNAVAILABLE in stats_text(client)


def test_stats_when_matomo_is_too_slow(client, fake_matomo, monkeypatch):
    monkeypatch.setattr(matomo, "TIMEOUT_SECONDS", 0.3)
    fake_matomo.answer(GOOD_ANSWER)
    fake_matomo.delay = 2
    start = time.monotonic()
    assert UNAVAILABLE in stats_text(client)
    assert time.monotonic() - start < 1.5


def test_stats_when_matomo_cannot_be_reached(client, settings):
    settings.MATOMO_SITE_ID = "42"
    settings.MATOMO_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there
    assert UNAVAILABLE in stats_text(client)


class Clock:
    """Django's cache reads time.time(): the tests move it forward instead of waiting."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds: float):
        self.now += seconds


def test_figures_are_kept_for_a_while(client, fake_matomo, monkeypatch):
    clock = Clock(monkeypatch)
    fake_matomo.answer(GOOD_ANSWER)
    for _ in range(3):
        assert "février 2026 120 300" in stats_text(client)
    assert fake_matomo.calls == 1
    clock.advance(5 * 60)
    stats_text(client)
    assert fake_matomo.calls == 1
    clock.advance(2 * 3600)
    stats_text(client)
    assert fake_matomo.calls == 2


def test_a_failure_is_kept_briefly(client, fake_matomo, monkeypatch):
    clock = Clock(monkeypatch)
    fake_matomo.answer(b'{"2026-01": {"nb_visits": "abc"}}')
    for _ in range(3):
        assert UNAVAILABLE in stats_text(client)
    assert fake_matomo.calls == 1
    clock.advance(5 * 60)
    fake_matomo.answer(GOOD_ANSWER)
    assert "février 2026 120 300" in stats_text(client)
    assert fake_matomo.calls == 2
