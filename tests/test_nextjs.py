"""The Next.js stack: generated for odd answers and every host, it renders cleanly and passes its own
lint and tests.

One project runs `make install` (npm ci from the committed lockfile); the projects of the other hosts
get a copy of its node_modules (hard links) — honest because their lockfile is byte for byte the same
and their package.json asks for the same packages — and then each runs its own `make lint test`:
unit tests, production build, browser tests in Chromium without then with Matomo.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from stack_helpers import ODD_ANSWER_SETS, assert_rendered_cleanly, copy_stack

from conftest import EXAMPLE_ANSWERS, ROOT

STACK_DIR = ROOT / "template" / "{{ for_stack('nextjs') }}"
SETS = ODD_ANSWER_SETS
FIRST = "ile-scalingo"
SLOW_TIMEOUT = 900
# Generated files that Copier renders from a .jinja source, where no template syntax may remain.
RENDERED = [
    "package.json",
    "src/lib/service.ts",
    ".env.example",
    "README.md",
    "public/pages/suivi.js",
    "public/pages/opposition.js",
    "tests/navigateur/pages.spec.mjs",
    "tests/navigateur/dashlord.mjs",
    "tests/navigateur/pages.json",
]
CONTENT_DIR = Path("contenus")


def copy_nextjs(destination: Path, answers: dict) -> Path:
    return copy_stack("nextjs", destination, answers)


def clean_env() -> dict[str, str]:
    """The caller's environment, minus anything that would change the generated service's settings."""
    prefixes = ("APP_", "MATOMO", "SENTRY", "NEXT_", "PORT", "npm_", "NODE_ENV")
    names = {"SITE_URL", "BASE_URL", "TRACKED_BASE_URL", "CLIENT_NAVIGATION"}
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes) and key not in names}
    return {**env, "NEXT_TELEMETRY_DISABLED": "1"}


def run(command: list[str], cwd: Path, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env={**clean_env(), **(env or {})}, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-8000:]}\n{result.stderr[-6000:]}"
    return result


@pytest.fixture(scope="session")
def installed_project(tmp_path_factory) -> Path:
    """The first answer set, generated and installed once with its own `make install`."""
    project = copy_nextjs(tmp_path_factory.mktemp("nextjs") / FIRST, SETS[FIRST])
    run(["make", "install"], project, timeout=SLOW_TIMEOUT)
    return project


def with_shared_modules(project: Path, installed: Path) -> None:
    """Gives `project` the installed project's node_modules, when nothing says they would differ."""
    assert (project / "package-lock.json").read_bytes() == (installed / "package-lock.json").read_bytes()
    mine, theirs = (json.loads((p / "package.json").read_text(encoding="utf-8")) for p in (project, installed))
    for key in ("dependencies", "devDependencies", "engines", "scripts"):
        assert mine[key] == theirs[key], key
    subprocess.run(["cp", "-al", str(installed / "node_modules"), str(project / "node_modules")], check=True)


def check_rendering(project: Path, answers: dict) -> None:
    """No template syntax or unrendered name left, and the answers written as their readers expect."""
    assert_rendered_cleanly(project, RENDERED, CONTENT_DIR, skipped=("node_modules", ".next"))
    assert len(list((project / CONTENT_DIR).glob("*.html"))) == 11
    legal = html.unescape((project / CONTENT_DIR / "mentions-legales.html").read_text(encoding="utf-8"))
    assert answers.get("incubator", EXAMPLE_ANSWERS["incubator"]).strip() in legal
    if answers.get("administration"):
        assert answers["administration"] in legal
    # The answers, read back from the TypeScript object literal (JSON strings).
    service = (project / "src/lib/service.ts").read_text(encoding="utf-8")
    name = re.search(r"^  name: (.*),$", service, re.MULTILINE)[1]
    assert json.loads(name) == answers["service_name"].strip()
    if "service_description" in answers:
        description = re.search(r"^  description: (.*),$", service, re.MULTILINE)[1]
        assert json.loads(description) == answers["service_description"].strip()
    package = json.loads((project / "package.json").read_text(encoding="utf-8"))
    assert package["private"] is True and package["license"] == EXAMPLE_ANSWERS["license"]
    paths = json.loads((project / "tests/navigateur/pages.json").read_text(encoding="utf-8"))
    assert "/donnees-personnelles/" in paths and "/" in paths


def check_hosting(project: Path, hosting: str) -> None:
    legal = (project / CONTENT_DIR / "mentions-legales.html").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.count("## Lancer le service") == 1
    assert "next start" in readme
    assert (project / "Procfile").exists() == (hosting == "scalingo")
    assert (project / "scalingo.json").exists() == (hosting == "scalingo")
    if hosting == "scalingo":
        assert "Scalingo SAS" in legal and "67000 Strasbourg" in legal
        manifest = json.loads((project / "scalingo.json").read_text(encoding="utf-8"))
        assert manifest["env"]["SITE_URL"]["template"].startswith("https://")
        assert "--port $PORT" in (project / "Procfile").read_text(encoding="utf-8")
    elif hosting == "clevercloud":
        assert "Clever Cloud SAS" in legal and "44000 Nantes" in legal
        assert "CC_POST_BUILD_HOOK" in readme and "npm run build" in readme
    else:
        assert "à compléter (nom, adresse postale et téléphone de l'hébergeur)" in legal
        assert "CC_" not in readme and "Scalingo" not in readme


def check_workflow(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/application.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert {"make install", "make lint", "make test"} <= set(steps)
    assert workflow["permissions"] == {"contents": "read"}
    node = (project / ".node-version").read_text(encoding="utf-8").strip()
    assert workflow["jobs"]["test"]["container"] == f"node:{node}-bookworm"


def check_test_summary(output: str) -> None:
    """vitest's, then Playwright's closing lines: everything ran, nothing failed or was skipped."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert re.search(r"Tests\s+\d+ passed \(\d+\)", plain), plain[-3000:]
    summary = re.findall(r"^\s*(\d+) (passed|failed|skipped|flaky)", plain, re.MULTILINE)
    counts = {word: int(number) for number, word in summary}
    assert counts.get("passed", 0) >= 25 and set(counts) == {"passed"}, plain[-3000:]


@pytest.mark.parametrize("name", SETS)
def test_nextjs_rendering(name, tmp_path):
    answers = SETS[name]
    project = copy_nextjs(tmp_path / name, answers)
    check_rendering(project, answers)
    check_hosting(project, answers["hosting"])
    check_workflow(project)


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_nextjs_project(name, tmp_path, installed_project):
    """The generated project's own commands, as its README and its CI run them."""
    answers = SETS[name]
    if name == FIRST:
        project = installed_project
    else:
        project = copy_nextjs(tmp_path / name, answers)
        with_shared_modules(project, installed_project)
    check_rendering(project, answers)
    check_hosting(project, answers["hosting"])
    check_workflow(project)
    run(["make", "lint"], project)
    result = run(["make", "test"], project, timeout=SLOW_TIMEOUT)
    check_test_summary(result.stdout)


@pytest.mark.slow
def test_production_refuses_to_start_without_its_settings(installed_project):
    """`next start` on the build of the test above, deployed without SITE_URL: a clear refusal."""
    if not (installed_project / ".next" / "BUILD_ID").exists():
        run(["make", "build"], installed_project, timeout=SLOW_TIMEOUT)
    result = subprocess.run(
        ["node_modules/.bin/next", "start", "--hostname", "127.0.0.1", "--port", "0"],
        cwd=installed_project,
        env={**clean_env(), "APP_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SITE_URL est obligatoire quand APP_ENV=production" in result.stdout + result.stderr


def test_matomo_site_id_is_a_production_default_only(tmp_path):
    project = copy_nextjs(tmp_path / "p", {"service_name": "Mesure", "matomo_site_id": "124"})
    service = (project / "src/lib/service.ts").read_text(encoding="utf-8")
    assert 'siteId: "124",' in service
    settings = (project / "src/lib/settings.ts").read_text(encoding="utf-8")
    assert 'environment === "production" ? matomoDefaults.siteId : ""' in settings
    docs = (project / "docs/matomo.md").read_text(encoding="utf-8")
    assert "Dans l'application Next.js" in docs and "MatomoPageViews" in docs


def test_other_stacks_get_no_nextjs_file(generate):
    project = generate(stack="django")
    for name in ("next.config.mjs", "contenus", "src", "tsconfig.json"):
        assert not (project / name).exists(), name
    # Another stack may have a package.json of its own (Django's, for its browser tests): never Next's.
    for name in ("package.json", "package-lock.json"):
        assert '"next"' not in ((project / name).read_text(encoding="utf-8") if (project / name).exists() else ""), name


def test_lockfile_matches_package_json(tmp_path):
    """The committed lockfile pins exactly what package.json asks for (npm ci would refuse otherwise)."""
    project = copy_nextjs(tmp_path / "p", {"service_name": "Verrou"})
    package = json.loads((project / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((STACK_DIR / "package-lock.json").read_text(encoding="utf-8"))
    root = lock["packages"][""]
    for key in ("dependencies", "devDependencies"):
        assert root[key] == package[key], key
        for dependency, version in package[key].items():
            assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{dependency} n'est pas épinglé : {version}"
            assert lock["packages"][f"node_modules/{dependency}"]["version"] == version, dependency


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_production_responses_all_carry_the_security_headers(installed_project):
    """`next start` with production settings: missing files, refused methods and TRACE answer with the
    Content-Security-Policy and HSTS, like the pages."""
    if not (installed_project / ".next" / "BUILD_ID").exists():
        run(["make", "build"], installed_project, timeout=SLOW_TIMEOUT)
    port = free_port()
    server = subprocess.Popen(
        ["node_modules/.bin/next", "start", "--hostname", "127.0.0.1", "--port", str(port)],
        cwd=installed_project,
        env={**clean_env(), "APP_ENV": "production", "SITE_URL": "https://mon-service.beta.gouv.fr"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def request(method: str, path: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request(method, path)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert request("GET", "/healthz").status == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "next start ne répond pas"
                time.sleep(0.3)
        cases = [
            ("GET", "/", 200),
            ("GET", "/page-absente/", 404),
            ("GET", "/dsfr/absent.css", 404),
            ("GET", "/favicon.ico", 404),
            ("GET", "/robots.txt", 404),
            ("GET", "/cgu", 308),
            ("POST", "/", 405),
            ("PUT", "/aide/", 405),
            ("DELETE", "/stats/", 405),
            ("POST", "/healthz", 405),
            ("TRACE", "/", 405),
            ("TRACE", "/dsfr/absent.css", 405),
        ]
        for method, path, status in cases:
            response = request(method, path)
            assert response.status == status, (method, path)
            headers = response.headers
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], (method, path)
            assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", (method, path)
            assert headers["X-Frame-Options"] == "DENY", (method, path)
            assert headers["X-Content-Type-Options"] == "nosniff", (method, path)
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------- the long answers of test_questions.py, through this app's checks


@pytest.mark.slow
def test_long_answers_pass_the_nextjs_projects_own_lint(tmp_path):
    from test_questions import LONG_ANSWERS

    project = copy_stack("nextjs", tmp_path / "service", LONG_ANSWERS)
    run(["make", "install"], project, timeout=SLOW_TIMEOUT)
    run(["make", "lint"], project)
