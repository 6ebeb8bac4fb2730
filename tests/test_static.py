"""The static stack: generated for each host and odd answers, it renders cleanly and passes its own tests.

Each project runs its own `make install test`: npm ci from the committed lockfile, then the build, the
build tests, the production server of its host, and the browser tests in Chromium.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from stack_helpers import ODD_ANSWER_SETS, assert_rendered_cleanly, copy_stack

from conftest import EXAMPLE_ANSWERS

# One project per host; all run `make test`.
SETS = ODD_ANSWER_SETS
INSTALLED = "ile-scalingo"  # the project whose lockfile is read
TIMEOUT = 900
CONTENT_DIR = Path("site/_includes/contenus")
# Generated files that Copier renders from a .jinja source, where no template syntax may remain.
RENDERED = [
    "site/_data/service.json",
    "site/js/suivi.js",
    "site/js/opposition.js",
    "tests/navigateur/pages.spec.mjs",
    "tests/navigateur/dashlord.mjs",
    "tests/navigateur/pages.json",
    "README.md",
]
HOST_FILES = {
    "scalingo": {"Procfile", ".buildpacks", "scalingo.json"},
    "clevercloud": set(),
    "autre": {"Procfile"},
}


def copy_static(destination: Path, answers: dict) -> Path:
    return copy_stack("static", destination, answers)


def clean_env() -> dict[str, str]:
    """The caller's environment, minus what would change the generated site's build or its tests."""
    names = {"PORT", "HOST", "SITE_DIR", "SITE_ENV", "BASE_URL", "TRACKED_BASE_URL", "PORT_SITE", "PORT_SUIVI"}
    return {key: value for key, value in os.environ.items() if not key.startswith("MATOMO") and key not in names}


def run(command: list[str], cwd: Path, timeout: int = 300, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env={**clean_env(), **env}, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return result


@pytest.fixture(scope="session")
def projects(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("static")
    return {name: copy_static(root / name, answers) for name, answers in SETS.items()}


@pytest.fixture(scope="session")
def install():
    """A project through its own `make install`, once per session."""
    done: set[Path] = set()

    def install_once(project: Path) -> Path:
        if project not in done:
            run(["make", "install"], project, timeout=TIMEOUT)
            done.add(project)
        return project

    return install_once


@pytest.fixture(scope="session")
def installed(projects, install) -> dict[str, Path]:
    """Every project through its own `make install`."""
    for project in projects.values():
        install(project)
    return projects


def check_rendering(project: Path, answers: dict) -> None:
    assert_rendered_cleanly(project, RENDERED, CONTENT_DIR)
    service = json.loads((project / "site/_data/service.json").read_text(encoding="utf-8"))
    assert service["name"] == answers["service_name"].strip()
    assert service["description"] == answers.get("service_description", service["description"]).strip()
    assert service["incubator"] == answers.get("incubator", EXAMPLE_ANSWERS["incubator"]).strip()
    assert service["matomoSiteId"] == answers["matomo_site_id"]
    legal = html.unescape((project / CONTENT_DIR / "mentions-legales.html").read_text(encoding="utf-8"))
    assert service["incubator"] in legal
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.count("## Lancer le service") == 1
    assert "accept-license: 1.0.1" in (project / ".dsfr.yml").read_text(encoding="utf-8")
    assert ".dsfr.yml" in readme and "DSFR_ACCEPT_LICENSE=1" in readme
    ignored = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"node_modules/", "_site*/", "nginx.conf.erb", "Caddyfile"} <= set(ignored)


def check_hosting(project: Path, hosting: str) -> None:
    present = {name for name in ("Procfile", ".buildpacks", "scalingo.json") if (project / name).exists()}
    assert present == HOST_FILES[hosting]
    legal = (project / CONTENT_DIR / "mentions-legales.html").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    if hosting == "scalingo":
        assert "Scalingo SAS" in legal
        assert (project / ".buildpacks").read_text().split() == [
            "https://github.com/Scalingo/nodejs-buildpack",
            "https://github.com/Scalingo/nginx-buildpack",
        ]
        assert (project / "Procfile").read_text() == "web: bin/run\n"
        manifest = json.loads((project / "scalingo.json").read_text(encoding="utf-8"))
        assert manifest["env"]["MATOMO_SITE_ID"]["value"] == ""
    elif hosting == "clevercloud":
        assert "Clever Cloud SAS" in legal
        assert "clever create --type static" in readme and "CC_STATIC_CADDYFILE ./Caddyfile" in readme
    else:
        assert "à compléter (nom, adresse postale et téléphone de l'hébergeur)" in legal
        assert (project / "Procfile").read_text() == "web: HOST=0.0.0.0 node serveur.mjs\n"


def check_workflow(project: Path, hosting: str) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/application.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert {"make install", "make test"} <= set(steps)
    packages = next(step for step in steps if "apt-get install" in step).split()
    server = {"scalingo": "nginx-light", "clevercloud": "caddy"}.get(hosting)
    assert "chromium" in packages and (server is None or server in packages)
    assert workflow["permissions"] == {"contents": "read"}


def test_every_host_gets_the_same_dependencies(projects):
    """The same package.json and lockfile, as plain files, whatever the answers; exact versions."""
    for name in ("package.json", "package-lock.json"):
        contents = {(project / name).read_bytes() for project in projects.values()}
        assert len(contents) == 1, name
    lock = json.loads((projects[INSTALLED] / "package-lock.json").read_text(encoding="utf-8"))
    package = json.loads((projects[INSTALLED] / "package.json").read_text(encoding="utf-8"))
    for group in ("dependencies", "devDependencies"):
        for dependency, version in package[group].items():
            assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{dependency} {version} : version exacte attendue"
            assert lock["packages"][f"node_modules/{dependency}"]["version"] == version


@pytest.mark.parametrize("name", SETS)
def test_static_renders(name, projects):
    answers = SETS[name]
    check_rendering(projects[name], answers)
    check_hosting(projects[name], answers["hosting"])
    check_workflow(projects[name], answers["hosting"])


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_static_full(name, projects, installed):
    """The generated project's own `make test`, as its README and its CI run it."""
    project = projects[name]
    result = run(["make", "test"], project, timeout=TIMEOUT, CI="1")
    output = result.stdout + result.stderr
    assert re.search(r"# fail 0\b", output) and re.search(r"# skipped 0\b", output), output[-3000:]
    summary = re.search(r"(\d+) passed", output.splitlines()[-1] if output.strip() else "")
    assert summary and "failed" not in output.splitlines()[-1], output[-3000:]
    # The only skipped browser test is the client-side navigation one, which a static site never does.
    assert re.search(r"\b1 skipped\b", output), output[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_production_build_measures_only_with_a_site_id(name, projects, installed):
    project = projects[name]
    answers = SETS[name]
    run(["node_modules/.bin/eleventy", "--quiet"], project, SITE_ENV="production", SITE_DIR="_site-production")
    page = (project / "_site-production" / "index.html").read_text(encoding="utf-8")
    headers = json.loads((project / "_site-production.en-tetes.json").read_text(encoding="utf-8"))
    instance = answers.get("matomo_url", EXAMPLE_ANSWERS.get("matomo_url", "https://stats.beta.gouv.fr")).rstrip("/")
    if answers["matomo_site_id"]:
        assert f'data-matomo-site-id="{answers["matomo_site_id"]}"' in page
        assert f'data-matomo-url="{instance}"' in page
        assert instance in headers["Content-Security-Policy"]
    else:
        assert "suivi.js" not in page
        assert "matomo" not in headers["Content-Security-Policy"]


def build_output(project: Path, site_dir: str) -> str:
    """The build's output; it must fail."""
    command = ["node_modules/.bin/eleventy", "--quiet"]
    env = {**clean_env(), "SITE_DIR": site_dir}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0, "la construction aurait dû échouer"
    return result.stdout + result.stderr


@pytest.mark.slow
def test_build_refuses_links_leaving_the_project_or_the_site(projects, install, tmp_path):
    """A symbolic link in site/ would be followed by every server: the build refuses one that leaves
    the project, and one that Eleventy copies into the built site as it is and that leaves it there."""
    project = install(projects["accolades-autre-matomo"])
    site_dir = "_site-liens"  # not the site the other tests build and serve
    link = project / "site/js/fuite.txt"
    secret = tmp_path / "cle.txt"
    secret.write_text("secret", encoding="utf-8")
    try:
        link.symlink_to(secret)
        output = build_output(project, site_dir)
        assert f"Construction refusée : site/js/fuite.txt est un lien symbolique vers {secret}, hors du projet." in output
        assert not (project / site_dir / "js/fuite.txt").exists()
        link.unlink()
        (project / ".env").write_text("SECRET=1\n", encoding="utf-8")
        link.symlink_to("../../.env")  # inside the project, but outside the site once copied
        output = build_output(project, site_dir)
        expected = (
            f"Construction refusée : {site_dir}/js/fuite.txt est un lien symbolique vers {project / '.env'}, "
            f"hors du dossier du site construit ({site_dir})."
        )
        assert expected in output and "make clean" in output
    finally:
        link.unlink(missing_ok=True)
        (project / ".env").unlink(missing_ok=True)
        shutil.rmtree(project / site_dir, ignore_errors=True)
        (project / f"{site_dir}.en-tetes.json").unlink(missing_ok=True)


def test_other_stacks_get_no_static_file(generate):
    project = generate(stack="nocode")
    for name in ("site", "serveur.mjs", "eleventy.config.mjs", "package.json", ".dsfr.yml", "playwright.config.mjs"):
        assert not (project / name).exists(), name


# ---------------------------------------------------------------- the long answers of test_questions.py, through this site's checks


@pytest.mark.slow
def test_a_long_description_passes_the_static_sites_own_build_and_tests(tmp_path):
    from test_questions import LONG_DESCRIPTION, LONG_INCUBATOR, LONG_ORGANISATION

    answers = {"service_description": LONG_DESCRIPTION, "administration": LONG_ORGANISATION, "incubator": LONG_INCUBATOR}
    project = copy_stack("static", tmp_path / "service", answers)
    run(["make", "install"], project, timeout=TIMEOUT)
    result = run(["make", "test"], project, timeout=TIMEOUT, CI="1")
    output = result.stdout + result.stderr
    assert re.search(r"# fail 0\b", output), output[-3000:]
    assert "failed" not in output.splitlines()[-1], output[-3000:]
    built = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert LONG_DESCRIPTION.replace("'", "&#39;") in built or LONG_DESCRIPTION in built
