"""Security headers, no cookie, no inline code, and production settings that refuse to start unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from pages import matomo

from .helpers import read
from .test_pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PATHS = [*PAGES, "/page-absente/"]
# A file served by whitenoise, and one it does not have.
STATIC_PATHS = ["/static/dsfr/dist/dsfr.min.css", "/static/absent.css"]


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_security_headers(client, path):
    assert_security_headers(client.get(path))


@pytest.mark.parametrize("path", STATIC_PATHS)
def test_security_headers_on_static_files(client, path):
    response = client.get(path)
    assert response.status_code == (200 if path.endswith("dsfr.min.css") else 404)
    assert_security_headers(response)


def test_security_headers_on_the_server_error_page(settings, monkeypatch):
    """A page that fails answers the service's 500 page, with the headers."""
    settings.MATOMO_SITE_ID = "42"

    def broken(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(matomo, "monthly_visits", broken)
    response = Client(raise_request_exception=False).get("/stats/")
    assert response.status_code == 500
    assert "Erreur inattendue" in read(response.content.decode()).text
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
@pytest.mark.parametrize("path", [*PAGES, "/healthz"])
def test_pages_only_answer_get_and_head(path, method):
    """Other methods get 405 with the headers, before the CSRF check (which would answer 403)."""
    client = Client(enforce_csrf_checks=True)
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert_security_headers(response)
    assert client.head(path).status_code == 200


@pytest.mark.parametrize("method", ["POST", "TRACE"])
def test_static_files_only_answer_get_and_head(client, method):
    response = client.generic(method, STATIC_PATHS[0])
    assert response.status_code == 405
    assert_security_headers(response)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_no_cookie_on_public_pages(client, path):
    response = client.get(path)
    assert not response.cookies, f"{path} dépose {list(response.cookies)}"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_or_style(client, path):
    """What the Content-Security-Policy would block: the pages must not need it."""
    doc = read(client.get(path).content.decode())
    assert doc.inline_scripts == 0
    assert doc.style_elements == 0
    assert doc.style_attributes == 0


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Runs Python in a fresh process with the given environment (settings are read at start-up)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "SENTRY", "MATOMO"))}
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "POSTGRESQL_ADDON_URI", "DEBUG"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "test-only-" + "0123456789abcdefghij" * 3,
    "ALLOWED_HOSTS": "service.example.gouv.fr",
    "DATABASE_URL": "sqlite:///:memory:",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_requires_its_settings(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run_django("pass", **env)
    assert result.returncode != 0
    assert f"La variable d'environnement {missing} est obligatoire" in result.stderr


@pytest.mark.parametrize(
    "setting, value",
    [
        ("MATOMO_SITE_ID", "12a"),
        ("MATOMO_SITE_ID", "²"),
        ("MATOMO_SITE_ID", "١٢"),
        ("MATOMO_URL", "http://stats.example.gouv.fr"),
    ],
)
def test_a_wrong_matomo_setting_stops_the_start(setting, value):
    """The same check as the other stacks of the template: ASCII digits, an https instance."""
    env = {**PRODUCTION, "MATOMO_SITE_ID": "12", setting: value}
    result = run_django("pass", **env)
    assert result.returncode != 0
    assert f"{setting} doit être" in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_django(
        "from django.core.management import call_command; call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr


def test_production_settings_are_strict():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.STORAGES['staticfiles']['BACKEND'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_local_runs_accept_any_localhost_name():
    result = run_django("from django.conf import settings as s; print(s.ALLOWED_HOSTS)")
    assert result.returncode == 0, result.stderr
    assert "'.localhost'" in result.stdout and "'127.0.0.1'" in result.stdout


def test_sentry_only_with_a_dsn_and_without_personal_data():
    code = (
        "import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], c.options['environment'], c.options['release'])"
    )
    assert run_django(code).stdout.split()[0] == "False"
    result = run_django(
        code, SENTRY_DSN="https://public@sentry.example.invalid/1", SENTRY_RELEASE="abc123", DJANGO_ENV="local"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "local", "abc123"]
