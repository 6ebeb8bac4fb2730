"""The contract every app stack keeps (docs/piles.md), checked over HTTP against its production server.

The stacks come from their descriptions (`application: true` in piles/), never from a list written
here: a new stack is checked as soon as its description's `contract:` section says how to install,
build and serve it. Each stack is generated with a Matomo site id, installed and built by its own
commands, and served in production on 127.0.0.1; then generated, built and served once more without
one, where measurement is off until MATOMO_SITE_ID is given where the stack decides (its description's
`measure`: to the server at run time, to the build). The last test breaks two generated files and shows
that the checks then fail.

Slow: run it for one stack at a time, `pytest tests/test_contrat_des_piles.py -k <stack>`.
"""

from __future__ import annotations

import ast
import http.client
import os
import re
import shlex
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from stack_helpers import copy_stack

from conftest import ROOT, load_extension

APP_STACKS = {name: stack for name, stack in load_extension("piles").load_stacks().items() if stack["application"]}
CONTRACT_KEYS = ("install", "build", "serve", "environment", "ready_path", "frame_options_file")

# The paths every app stack serves: the one list of includes/pages/_commun.jinja (a Python dict literal).
PATHS = ast.literal_eval(
    re.search(r"set paths = (\{.*?\}) -%\}", (ROOT / "includes/pages/_commun.jinja").read_text(encoding="utf-8"), re.DOTALL).group(1)
)
DASHLORD = yaml.safe_load((ROOT / "includes/dashlord/regles.yml").read_text(encoding="utf-8"))

SITE_ID = "42"
MATOMO_INSTANCE = "https://stats.example.gouv.fr"
MEASURED_ANSWERS = {"matomo_site_id": SITE_ID, "matomo_url": MATOMO_INSTANCE + "/"}
UNMEASURED_ANSWERS = {"matomo_site_id": "", "matomo_url": MATOMO_INSTANCE + "/"}

# The headers of every response, whatever its status (docs/piles.md, « En-têtes de sécurité »).
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}
CSP_DIRECTIVES = ["default-src 'self'", "frame-ancestors 'none'", "frame-src 'none'", "object-src 'none'", "base-uri 'self'"]
# The directives that name the Matomo instance when measurement is on.
MATOMO_DIRECTIVES = ("script-src", "img-src", "connect-src")

PORTS = range(8640, 8660)
TIMEOUT = 900


# ---------------------------------------------------------------- running a stack's commands


def production_env(stack: dict, project: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without what would change the service's settings, then production's."""
    contract = stack["contract"]
    prefixes = ("MATOMO", "SENTRY", "npm_", "VIRTUAL_ENV")
    names = {"PORT", "HOST", "NODE_ENV", "DEBUG", "SITE_DIR", stack["production_switch"], *contract["environment"]}
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes) and key not in names}
    env.update({key: str(value).replace("{project}", str(project)) for key, value in contract["environment"].items()})
    return {**env, stack["production_switch"]: "production", **extra}


def run(command: str, project: Path, env: dict[str, str]) -> None:
    result = subprocess.run(shlex.split(command), cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, f"{command}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"


def free_port() -> int:
    """A port of this suite's range that nothing listens on."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"aucun port libre entre {PORTS.start} et {PORTS.stop - 1}")


def request(port: int, method: str, path: str) -> tuple[int, http.client.HTTPMessage, str]:
    """As the host's proxy passes a visitor's request on: over HTTPS for the visitor."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def get(self, path: str, method: str = "GET") -> tuple[int, http.client.HTTPMessage, str]:
        return request(self.port, method, path)

    def stop(self) -> None:
        """By its PID; the servers stop their own workers on SIGTERM."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def serve(stack: dict, project: Path, **extra_env: str) -> Server:
    """The stack's production server, with production settings, once its ready path answers 200."""
    contract = stack["contract"]
    port = free_port()
    env = production_env(stack, project, PORT=str(port), **extra_env)
    command = shlex.split(contract["serve"].replace("{port}", str(port)))
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(process, port)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{contract['serve']} s'est arrêté : {process.stderr.read().decode()[-4000:]}")
        try:
            if server.get(contract["ready_path"])[0] == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"{contract['serve']} ne répond pas sur {contract['ready_path']}")
        time.sleep(0.3)


def prepare(stack: dict, destination: Path, answers: dict, **build_env: str) -> Path:
    """Generated with `answers`, installed and built by the stack's own commands."""
    project = copy_stack(stack["name"], destination, answers)
    contract = stack["contract"]
    run(contract["install"], project, production_env(stack, project))
    run(contract["build"], project, production_env(stack, project, **build_env))
    return project


# ---------------------------------------------------------------- the clauses


def check_security_headers(headers: http.client.HTTPMessage, where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{where} : {name} = {headers.get(name)!r}, attendu {value!r}"
    policy = headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in policy, f"{where} : {directive} manque à la Content-Security-Policy {policy!r}"
    assert "Set-Cookie" not in headers, f"{where} : un cookie est posé ({headers.get('Set-Cookie')})"


def check_dsfr_layout(body: str, where: str) -> None:
    """The DSFR header DashLord looks for, the footer and its accessibility mention, in French."""
    assert re.search(DASHLORD["dsfr_header"], body), f"{where} : pas d'en-tête DSFR"
    assert "fr-footer" in body, f"{where} : pas de pied de page DSFR"
    assert re.search(r"<html[^>]*\slang=\"fr\"", body), f"{where} : page qui ne se dit pas en français"
    assert any(mention in body for mention in DASHLORD["accessibility"]["mentions"]), f"{where} : pas de mention d'accessibilité"


def policy_sources(headers: http.client.HTTPMessage) -> dict[str, list[str]]:
    directives = [part.split() for part in headers.get("Content-Security-Policy", "").split(";") if part.strip()]
    return {directive[0]: directive[1:] for directive in directives}


def check_measured(headers: http.client.HTTPMessage, body: str, where: str) -> None:
    """The tracker's tag with the site id and the instance, and the instance allowed by the policy."""
    tags = re.findall(r"<script\b[^>]*\bdata-matomo-site-id=[^>]*>", body)
    assert len(tags) == 1, f"{where} : {len(tags)} balise(s) de mesure au lieu d'une"
    assert f'data-matomo-site-id="{SITE_ID}"' in tags[0] and f'data-matomo-url="{MATOMO_INSTANCE}"' in tags[0], f"{where} : {tags[0]}"
    sources = policy_sources(headers)
    for directive in MATOMO_DIRECTIVES:
        assert MATOMO_INSTANCE in sources.get(directive, []), f"{where} : {directive} n'autorise pas {MATOMO_INSTANCE}"


def check_unmeasured(headers: http.client.HTTPMessage, body: str, where: str) -> None:
    """No tracker's data attribute, and no instance in the policy."""
    assert "data-matomo" not in body, f"{where} : une balise de mesure sans numéro de site"
    assert "matomo" not in headers.get("Content-Security-Policy", "").lower(), f"{where} : l'instance Matomo est autorisée"
    assert MATOMO_INSTANCE not in headers.get("Content-Security-Policy", ""), where


def check_pages(server: Server, check_measurement) -> None:
    for name, path in PATHS.items():
        status, headers, body = server.get(path)
        where = f"GET {path} ({name})"
        assert status == 200, f"{where} : {status}"
        check_security_headers(headers, where)
        check_dsfr_layout(body, where)
        check_measurement(headers, body, where)


# ---------------------------------------------------------------- the servers of one stack


@pytest.fixture(scope="module", params=list(APP_STACKS))
def stack(request) -> dict:
    return APP_STACKS[request.param]


@pytest.fixture(scope="module")
def measured(stack, tmp_path_factory):
    """Generated with a site id, served in production: measurement is on."""
    project = prepare(stack, tmp_path_factory.mktemp(stack["name"]) / "mesure", MEASURED_ANSWERS)
    server = serve(stack, project)
    yield project, server
    server.stop()


@pytest.fixture(scope="module")
def unmeasured(stack, tmp_path_factory):
    """Generated without a site id, served in production without MATOMO_SITE_ID: measurement is off."""
    project = prepare(stack, tmp_path_factory.mktemp(stack["name"]) / "sans-mesure", UNMEASURED_ANSWERS)
    server = serve(stack, project)
    yield project, server
    server.stop()


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("name", APP_STACKS)
def test_every_app_stack_says_how_to_serve_it(name):
    contract = APP_STACKS[name].get("contract") or {}
    missing = [key for key in CONTRACT_KEYS if key not in contract]
    assert not missing, f"piles/{name}.yml : la section contract: n'a pas {', '.join(missing)} (docs/piles.md)"


@pytest.mark.slow
def test_every_page_answers_in_the_dsfr_layout_with_measurement(measured):
    check_pages(measured[1], check_measured)


@pytest.mark.slow
def test_health_route_answers_with_the_headers(stack, measured):
    status, headers, body = measured[1].get(stack["contract"]["ready_path"])
    assert status == 200
    assert '"ok"' in body
    check_security_headers(headers, "santé")


@pytest.mark.slow
def test_unknown_path_gets_the_404_page(measured):
    status, headers, body = measured[1].get("/page-absente/")
    assert status == 404
    check_security_headers(headers, "GET /page-absente/")
    check_dsfr_layout(body, "page 404")
    check_measured(headers, body, "page 404")
    status, headers, _ = measured[1].get("/absent.css")
    assert status == 404
    check_security_headers(headers, "GET /absent.css")


@pytest.mark.slow
def test_other_methods_get_405_with_the_headers(measured):
    for method, path in (("POST", PATHS["home"]), ("PUT", PATHS["help"]), ("DELETE", PATHS["stats"]), ("PATCH", PATHS["privacy"])):
        status, headers, _ = measured[1].get(path, method)
        where = f"{method} {path}"
        assert status == 405, f"{where} : {status}"
        check_security_headers(headers, where)
        assert {"GET", "HEAD"} <= {method.strip() for method in headers.get("Allow", "").split(",")}, where


@pytest.mark.slow
def test_no_measurement_without_a_site_id(unmeasured):
    check_pages(unmeasured[1], check_unmeasured)
    status, headers, body = unmeasured[1].get("/page-absente/")
    assert status == 404
    check_unmeasured(headers, body, "page 404")


@pytest.mark.slow
def test_the_environment_turns_measurement_on_when_the_stack_decides(stack, unmeasured):
    """MATOMO_SITE_ID given to the server (`measure: runtime`) or to the build (`measure: build`) of a
    project generated without a site id: measurement is on, without generating it again."""
    project, _ = unmeasured
    if stack["measure"] == "build":
        run(stack["contract"]["build"], project, production_env(stack, project, MATOMO_SITE_ID=SITE_ID))
        server = serve(stack, project)
    else:
        server = serve(stack, project, MATOMO_SITE_ID=SITE_ID)
    try:
        status, headers, body = server.get(PATHS["home"])
        assert status == 200
        check_measured(headers, body, "accueil")
    finally:
        server.stop()


@pytest.mark.slow
def test_the_checks_fail_when_a_clause_is_broken(stack, unmeasured):
    """The suite proves itself: X-Frame-Options loosened in the file that sets it, and a tracker's
    attribute written into the page texts, are both caught. Runs last for its stack: it rebuilds."""
    project, server = unmeasured
    server.stop()
    contract = stack["contract"]
    frame_options = project / contract["frame_options_file"]
    source = frame_options.read_text(encoding="utf-8")
    assert source.count("DENY") == 1, contract["frame_options_file"]
    frame_options.write_text(source.replace("DENY", "SAMEORIGIN"), encoding="utf-8")
    texts = sorted((project / stack["page_texts"]).glob("*.html"))
    assert texts, stack["page_texts"]
    for text in texts:
        text.write_text(text.read_text(encoding="utf-8") + '\n<p data-matomo-site-id="42">mesure</p>\n', encoding="utf-8")
    run(contract["build"], project, production_env(stack, project))
    broken = serve(stack, project, MATOMO_SITE_ID="")
    try:
        status, headers, body = broken.get(PATHS["home"])
        assert status == 200
        with pytest.raises(AssertionError, match="X-Frame-Options"):
            check_security_headers(headers, "accueil")
        with pytest.raises(AssertionError, match="balise de mesure"):
            check_unmeasured(headers, body, "accueil")
    finally:
        broken.stop()
