"""Audience measurement: off without a site id, cookie-less with one, never on sensitive pages."""

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
