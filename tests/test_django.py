"""The Django stack: generated for odd answers, it renders cleanly, lints clean and passes its own tests.

Two representative answer sets run the generated project's own `make install lint test` (the slow
tests, the shared browser kit of tests/navigateur/ included); the others reuse the first project's
virtual environment for the lighter checks (render, ruff, Django's checks, the Python tests).
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from stack_helpers import ODD_ANSWER_SETS, assert_rendered_cleanly, copy_stack

from conftest import EXAMPLE_ANSWERS

# The two projects that run their whole suite: the stacks' odd answers, with an administration whose
# name holds the characters HTML escapes.
FULL_SETS = {
    "ile-scalingo": ODD_ANSWER_SETS["ile-scalingo"],
    "guichet-clevercloud-matomo": {
        **ODD_ANSWER_SETS["guichet-clevercloud-matomo"],
        "administration": "Agence « Numérique & Santé » <ANS>",
    },
}
# Lighter checks, for the remaining corners: braces, backslashes, the last hosting value.
LIGHT_SETS = {
    "accolades-autre": ODD_ANSWER_SETS["accolades-autre-matomo"],
    "apostrophes-scalingo": {
        "service_name": "L’Aide d’Urgence",
        "service_description": "Aider l'usager à « trouver » l'aide d'urgence qu'il lui faut.",
        "incubator": "L'Incubateur d'Occitanie",
        "administration": "Ministère de l'Agriculture",
        "hosting": "scalingo",
        "matomo_site_id": "",
    },
}
CODE = ["config", "pages", "manage.py", "gunicorn.conf.py"]
SLOW_TIMEOUT = 900
# Generated files that Copier renders from a .jinja source, where no template syntax may remain.
RENDERED = [
    "config/settings.py",
    ".env.example",
    "README.md",
    "pages/static/pages/suivi.js",
    "pages/static/pages/opposition.js",
    "tests/navigateur/pages.spec.mjs",
    "tests/navigateur/dashlord.mjs",
    "tests/navigateur/pages.json",
]
# The browser-test kit shared with the JavaScript stacks, rendered in place of a Django-only suite.
KIT = Path(__file__).resolve().parents[1] / "includes" / "navigateur"
CONTENT_DIR = Path("pages/templates/pages/content")


def copy_django(destination: Path, answers: dict) -> Path:
    return copy_stack("django", destination, answers)


def clean_env() -> dict[str, str]:
    """The caller's environment, minus anything that would change the generated service's settings."""
    prefixes = ("DJANGO", "MATOMO", "SENTRY", "VIRTUAL_ENV")
    names = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "POSTGRESQL_ADDON_URI", "DEBUG", "PORT"}
    return {key: value for key, value in os.environ.items() if not key.startswith(prefixes) and key not in names}


def run(command: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return result


@pytest.fixture(scope="session")
def installed_project(tmp_path_factory) -> Path:
    """The first full set, generated and installed once with its own `make install`."""
    project = copy_django(tmp_path_factory.mktemp("django") / "ile-scalingo", FULL_SETS["ile-scalingo"])
    run(["make", "install"], project, timeout=SLOW_TIMEOUT)
    return project


def check_rendering(project: Path, answers: dict) -> None:
    """No template syntax or unrendered name left, and the answers written as their readers expect."""
    assert_rendered_cleanly(project, RENDERED, CONTENT_DIR)
    legal = html.unescape((project / CONTENT_DIR / "legal_notice.html").read_text(encoding="utf-8"))
    assert answers.get("incubator", EXAMPLE_ANSWERS["incubator"]).strip() in legal
    administration = answers.get("administration", "").strip()
    publisher = re.search(r"<h2>Éditeur</h2>\s*<p>.*?<strong>(.*?)</strong>", legal, re.DOTALL).group(1)
    assert publisher == (administration or "l'administration porteuse <em>(nom à compléter)</em>")
    settings = (project / "config/settings.py").read_text(encoding="utf-8")
    namespace: dict = {}
    service_lines = [line for line in settings.splitlines() if line.startswith(("SERVICE_", "CONTACT_EMAIL"))]
    exec("\n".join(service_lines), namespace)  # the answers, read back as Python
    assert namespace["SERVICE_NAME"] == answers["service_name"].strip()
    assert namespace["SERVICE_PUBLISHER"] == administration
    assert namespace["SERVICE_INCUBATOR"] == answers.get("incubator", EXAMPLE_ANSWERS["incubator"]).strip()
    if "service_description" in answers:
        assert namespace["SERVICE_DESCRIPTION"] == answers["service_description"].strip()


def check_hosting(project: Path, hosting: str) -> None:
    legal = (project / CONTENT_DIR / "legal_notice.html").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.count("## Lancer le service") == 1
    assert (project / "Procfile").exists() == (hosting != "clevercloud")
    assert (project / "scalingo.json").exists() == (hosting == "scalingo")
    if hosting == "scalingo":
        assert "Scalingo SAS" in legal and "67000 Strasbourg" in legal
        manifest = json.loads((project / "scalingo.json").read_text(encoding="utf-8"))
        assert manifest["env"]["SECRET_KEY"]["generator"] == "secret"
        assert "postdeploy: python manage.py migrate --noinput" in (project / "Procfile").read_text()
    elif hosting == "clevercloud":
        assert "Clever Cloud SAS" in legal and "44000 Nantes" in legal
        assert "CC_PYTHON_MODULE" in readme and "config.wsgi:application" in readme
        assert "clever env set GUNICORN_WORKER_CLASS gthread" in readme
    else:
        assert "à compléter (nom, adresse postale et téléphone de l'hébergeur)" in legal


def check_workflow(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/application.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert {"make install", "make lint", "make test"} <= set(steps)
    assert workflow["permissions"] == {"contents": "read"}
    # What `make install test` needs: Node.js 20 for the browser kit, Python 3.11 with venv, Chromium.
    assert workflow["jobs"]["test"]["container"] == "node:20-bookworm"
    packages = next(step["run"] for step in workflow["jobs"]["test"]["steps"] if "apt-get install" in step.get("run", ""))
    assert {"python3", "python3-venv", "chromium"} <= set(packages.split())


def check_browser_kit(project: Path) -> None:
    """The shared kit, wired as in the JavaScript stacks; the former Django-only browser suite is gone."""
    # The former Python suite's path stays (a released path is never removed), with no test left in it.
    former = (project / "pages/tests/test_browser.py").read_text(encoding="utf-8")
    assert "def test_" not in former and "import" not in former and "tests/navigateur/" in former
    assert (project / "tests/navigateur/chromium.mjs").read_text(encoding="utf-8") == (KIT / "chromium.mjs").read_text(encoding="utf-8")
    spec = (project / "tests/navigateur/pages.spec.mjs").read_text(encoding="utf-8")
    assert 'accessibility: "/accessibilite/"' in spec and 'privacy: "/donnees-personnelles/"' in spec
    paths = json.loads((project / "tests/navigateur/pages.json").read_text(encoding="utf-8"))
    assert "/donnees-personnelles/" in paths and "/" in paths
    package = json.loads((project / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"] == {"@axe-core/playwright": "4.13.0", "@playwright/test": "1.65.1"}
    lock = json.loads((project / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["devDependencies"] == package["devDependencies"]
    requirements = (project / "requirements-dev.txt").read_text(encoding="utf-8").lower()
    assert "playwright" not in requirements, "the browser tests run from npm, not from Python"
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    assert "npm introuvable" in makefile and "Node.js 20.19" in makefile


def light_checks(project: Path, python: Path) -> None:
    bin_dir = python.parent
    run([str(bin_dir / "ruff"), "check", *CODE], project)
    run([str(bin_dir / "ruff"), "format", "--check", *CODE], project)
    run([str(python), "manage.py", "check"], project)
    run([str(python), "manage.py", "makemigrations", "--check", "--dry-run"], project)
    run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)


@pytest.mark.parametrize("name", LIGHT_SETS)
def test_django_light(name, tmp_path, installed_project):
    answers = LIGHT_SETS[name]
    project = copy_django(tmp_path / name, answers)
    check_rendering(project, answers)
    check_hosting(project, answers["hosting"])
    check_workflow(project)
    check_browser_kit(project)
    light_checks(project, installed_project / ".venv" / "bin" / "python")


@pytest.mark.slow
@pytest.mark.parametrize("name", FULL_SETS)
def test_django_full(name, tmp_path, installed_project):
    """The generated project's own commands, as its README and its CI run them."""
    answers = FULL_SETS[name]
    if name == "ile-scalingo":
        project = installed_project  # already through `make install`
    else:
        project = copy_django(tmp_path / name, answers)
        run(["make", "install"], project, timeout=SLOW_TIMEOUT)
    check_rendering(project, answers)
    check_hosting(project, answers["hosting"])
    check_workflow(project)
    check_browser_kit(project)
    run(["make", "lint"], project)
    result = run(["make", "test"], project, timeout=SLOW_TIMEOUT)
    lines = [line.strip() for line in result.stdout.splitlines()]
    python = next(line for line in lines if re.fullmatch(r"=+ .* in [\d.]+s =+", line))
    assert " passed" in python and "skipped" not in python and "failed" not in python, python
    # Playwright's summary: everything passed but the client-side navigation test, which says why it
    # does not apply (Django reloads the page on every link).
    browser = lines[lines.index(next(line for line in lines if line.startswith("Running "))) :]
    assert re.search(r"^\d+ passed", browser[-1]) and browser[-2] == "1 skipped", "\n".join(browser[-6:])
    assert not any(re.match(r"\d+ (failed|flaky)", line) for line in browser), "\n".join(browser[-6:])


def test_other_stacks_get_no_django_file(generate):
    project = generate(stack="nocode")
    for name in ("manage.py", "config", "pages", "Procfile", "scalingo.json", ".env.example", "Makefile"):
        assert not (project / name).exists(), name
    assert not (project / ".github/workflows/application.yml").exists()


def test_matomo_site_id_is_a_production_default_only(tmp_path):
    project = copy_django(tmp_path / "p", {"service_name": "Mesure", "matomo_site_id": "124"})
    settings = (project / "config/settings.py").read_text(encoding="utf-8")
    assert 'MATOMO_SITE_ID = env("MATOMO_SITE_ID", "124" if ENVIRONMENT == "production" else "")' in settings


# ---------------------------------------------------------------- the production server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(installed_project, tmp_path_factory):
    """The Procfile's `web` command (gunicorn), with production settings, one process, on 127.0.0.1."""
    project = installed_project
    port = free_port()
    env = {
        **clean_env(),
        "PATH": f"{project / '.venv' / 'bin'}:{os.environ['PATH']}",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "test-only-" + "0123456789abcdefghij" * 3,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('base') / 'db.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    subprocess.run(["python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=project, env=env, check=True)
    web = next(line for line in (project / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = shlex.split(web.removeprefix("web:").replace("$PORT", str(port)).replace("0.0.0.0", "127.0.0.1"))
    assert command[0] == "gunicorn"
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn ne répond pas"
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)


def request(port: int, method: str, path: str) -> http.client.HTTPResponse:
    """As the host's proxy passes it on: over HTTPS for the visitor (so HSTS is due)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_production_responses_all_carry_the_security_headers(installed_project, production_server):
    manifest = json.loads((installed_project / "staticfiles" / "staticfiles.json").read_text(encoding="utf-8"))
    stylesheet = "/static/" + manifest["paths"]["dsfr/dist/dsfr.min.css"]
    cases = [
        ("GET", "/", 200),
        ("GET", "/page-absente/", 404),
        ("GET", stylesheet, 200),
        ("GET", "/static/absent.css", 404),
        ("POST", "/", 405),
        ("PUT", "/aide/", 405),
        ("DELETE", "/stats/", 405),
        ("TRACE", "/", 405),
        ("TRACE", stylesheet, 405),
        ("POST", "/healthz", 405),
    ]
    for method, path, status in cases:
        response = request(production_server, method, path)
        assert response.status == status, (method, path)
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], (method, path)
        assert headers["Strict-Transport-Security"].startswith("max-age="), (method, path)
        assert headers["X-Frame-Options"] == "DENY", (method, path)
        assert headers["X-Content-Type-Options"] == "nosniff", (method, path)


def test_slow_clients_do_not_stall_the_production_server(production_server):
    """A few clients that send half their request and wait: another visitor is still answered at once."""
    slow_clients = []
    try:
        for _ in range(4):
            client = socket.create_connection(("127.0.0.1", production_server), timeout=5)
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: ")
            slow_clients.append(client)
        time.sleep(0.5)
        start = time.monotonic()
        response = urllib.request.urlopen(f"http://127.0.0.1:{production_server}/healthz", timeout=5)
        assert response.status == 200
        assert time.monotonic() - start < 1
    finally:
        for client in slow_clients:
            client.close()


# ---------------------------------------------------------------- the long answers of test_questions.py, through this app's checks


def test_long_answers_render_django_settings_that_ruff_accepts(tmp_path):
    """Quick check, without installing the project: the whole generated code through ruff's check and format."""
    import ast
    import sys

    from test_questions import LONG_ANSWERS, LONG_DESCRIPTION, LONG_INCUBATOR, LONG_ORGANISATION

    project = copy_stack("django", tmp_path / "service", LONG_ANSWERS)
    settings = (project / "config/settings.py").read_text(encoding="utf-8")
    values = {node.targets[0].id: node.value for node in ast.parse(settings).body if isinstance(node, ast.Assign)}
    assert ast.literal_eval(values["SERVICE_DESCRIPTION"]) == LONG_DESCRIPTION
    assert ast.literal_eval(values["SERVICE_PUBLISHER"]) == LONG_ORGANISATION
    assert ast.literal_eval(values["SERVICE_INCUBATOR"]) == LONG_INCUBATOR
    assert ast.literal_eval(values["MATOMO_DEFAULT_URL"]) == LONG_ANSWERS["matomo_url"]
    ruff = str(Path(sys.executable).parent / "ruff")
    for command in ([ruff, "check", *CODE], [ruff, "format", "--check", *CODE]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_long_answers_pass_the_django_projects_own_lint(tmp_path):
    from test_questions import LONG_ANSWERS

    project = copy_stack("django", tmp_path / "service", LONG_ANSWERS)
    run(["make", "install"], project, timeout=SLOW_TIMEOUT)
    run(["make", "lint"], project)
