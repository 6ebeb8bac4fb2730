"""The app's page texts follow the answers on every update, and keep every word the team wrote.

For each app stack, a project is copied from the oldest commit of this repository where the stack
could be chosen (for the first app stack: 0.1.0, before the `administration` answer existed), edited like a team
(a paragraph added to the legal notice, a sentence rewritten on the privacy page), committed, then
updated to today's template while the host changes, the administration is answered and Matomo is
turned on. The page texts must then name the new host and not the old, the administration as
publisher, Matomo as on, keep the team's paragraph and sentence, hold no conflict marker; the slow
variant serves the pages with the project's own server and reads them over HTTP. A project whose
pages were never edited comes out of the same update equal to a fresh copy.
"""

from __future__ import annotations

import html
import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from update_helpers import ROOT, commit_all, conflicts, copier_copy, copier_update, git, write_snapshot

from conftest import PILES, app_stacks, stacks_without_app

# Where each app stack keeps its page texts, and the names of the two pages the team edits.
PAGE_TEXTS = {
    name: (PILES[name]["page_texts"], PILES[name]["tests"]["legal_page"], PILES[name]["tests"]["privacy_page"]) for name in app_stacks()
}
# The stack the single-stack tests take as their example: the first with an application.
EXAMPLE_STACK = app_stacks()[0]
BEFORE = {
    "service_name": "Hébergement d'Urgence",
    "service_slug": "hebergement-urgence",
    "incubator": "Incubateur de la DINUM",
    "contact_email": "contact@hebergement-urgence.example.org",
    "hosting": "scalingo",
    "matomo_site_id": "",
    "construction_start": "2026-12-02",
}
CHANGES = {"hosting": "clevercloud", "administration": "Ministère de la Culture", "matomo_site_id": "124"}
# The team's own words: a section added before « Accessibilité », a sentence rewritten in its own words.
TEAM_SECTION = "<h2>Partenaires</h2>\n<p>\n  Le service est construit avec les associations d'hébergement du département.\n</p>\n\n"
ORIGINAL_SENTENCE = "<p>Ne nous transmettez aucune donnée sensible (santé, numéro de sécurité sociale…) par courriel.</p>"
TEAM_SENTENCE = "<p>N'envoyez jamais par courriel votre numéro de sécurité sociale ni une information sur votre santé.</p>"
PORTS = iter(range(18640, 18700))


def oldest_commit_with(stack: str) -> str:
    """The first commit of this repository (first-parent history) where `stack` can be chosen."""
    commits = git("log", "--first-parent", "--reverse", "--format=%H", "--", "copier.yml", cwd=ROOT).stdout.split()
    for commit in commits:
        settings = yaml.safe_load(git("show", f"{commit}:copier.yml", cwd=ROOT).stdout)
        for choice in (settings.get("stack", {}).get("choices") or {}).values():
            value = choice["value"] if isinstance(choice, dict) else choice
            disabled = isinstance(choice, dict) and "validator" in choice and "{" not in choice["validator"]
            if value == stack and not disabled:
                return commit
    raise AssertionError(f"aucune version ne propose la pile {stack}")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A clone of this repository with today's template (uncommitted work included) as its last commit."""
    clone = tmp_path_factory.mktemp("modele") / "modele"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    write_snapshot(clone)
    commit_all(clone, "Aujourd'hui")
    return clone


def copy_old(template: Path, stack: str, project: Path, since: str | None = None) -> Path:
    """A project copied from `since`, by default the oldest commit that offers the stack."""
    copied = copier_copy(template, project, since or oldest_commit_with(stack), {**BEFORE, "stack": stack})
    assert copied.returncode == 0, copied.stderr[-3000:]
    commit_all(project, "Création depuis le modèle")
    return project


def edit_pages(project: Path, stack: str) -> None:
    folder, legal, privacy = PAGE_TEXTS[stack]
    legal_path, privacy_path = project / folder / legal, project / folder / privacy
    text = legal_path.read_text(encoding="utf-8")
    assert text.count("<h2>Accessibilité</h2>") == 1
    legal_path.write_text(text.replace("<h2>Accessibilité</h2>", TEAM_SECTION + "<h2>Accessibilité</h2>"), encoding="utf-8")
    text = privacy_path.read_text(encoding="utf-8")
    assert text.count(ORIGINAL_SENTENCE) == 1, "the sentence the team rewrites is in the old version"
    privacy_path.write_text(text.replace(ORIGINAL_SENTENCE, TEAM_SENTENCE), encoding="utf-8")
    commit_all(project, "Nos pages")


def update_with_changes(project: Path, template: Path) -> None:
    result = copier_update(project, git("rev-parse", "HEAD", cwd=template).stdout.strip(), CHANGES)
    assert result.returncode == 0, result.stderr[-3000:]


def visible(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def assert_pages_follow_the_answers(legal: str, privacy: str) -> None:
    """The facts of the new answers, in the visible text of the two pages."""
    legal, privacy = visible(legal), visible(privacy)
    assert "Clever Cloud SAS" in legal and "3 rue de l'Allier" in legal
    assert "Scalingo" not in legal and "Scalingo" not in privacy
    assert "Clever Cloud SAS" in privacy
    assert "Ministère de la Culture" in legal and "Ministère de la Culture" in privacy
    assert not re.search(r"(?:édité par|éditeur du site|édite le site)[^.]{0,80}Incubateur de la DINUM", legal + privacy)
    assert "Sa fréquentation est mesurée avec Matomo" in privacy
    assert "quand elle est active" not in privacy


def assert_team_words_kept(legal: str, privacy: str) -> None:
    assert visible(TEAM_SECTION) in visible(legal)
    assert visible(TEAM_SENTENCE) in visible(privacy)
    assert visible(ORIGINAL_SENTENCE) not in visible(privacy)


@pytest.mark.parametrize("stack", PAGE_TEXTS)
def test_an_edited_page_text_keeps_the_team_words_and_gains_the_new_facts(template, tmp_path, stack):
    project = copy_old(template, stack, tmp_path / "service")
    edit_pages(project, stack)

    update_with_changes(project, template)

    assert conflicts(project) == [], "the team touched nothing the update changed: no conflict"
    folder, legal, privacy = PAGE_TEXTS[stack]
    legal_text = (project / folder / legal).read_text(encoding="utf-8")
    privacy_text = (project / folder / privacy).read_text(encoding="utf-8")
    assert_pages_follow_the_answers(legal_text, privacy_text)
    assert_team_words_kept(legal_text, privacy_text)


@pytest.mark.parametrize("stack", PAGE_TEXTS)
def test_an_untouched_page_text_equals_a_fresh_copy_after_the_update(template, tmp_path, stack):
    project = copy_old(template, stack, tmp_path / "service")
    update_with_changes(project, template)
    fresh = tmp_path / "neuf"
    today = git("rev-parse", "HEAD", cwd=template).stdout.strip()
    copied = copier_copy(template, fresh, today, {**BEFORE, **CHANGES, "stack": stack})
    assert copied.returncode == 0, copied.stderr[-3000:]
    folder = PAGE_TEXTS[stack][0]
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted((fresh / folder).glob("*.html"))}
    updated = {p.name: p.read_text(encoding="utf-8") for p in sorted((project / folder).glob("*.html"))}
    assert updated == expected


def test_a_page_text_the_team_deleted_stays_deleted(template, tmp_path):
    """Page texts are no longer re-created like `_skip_if_exists` files: a deleted one stays deleted
    (docs/modele.md says so, and how to get it back)."""
    project = copy_old(template, EXAMPLE_STACK, tmp_path / "service")
    deleted = project / PAGE_TEXTS[EXAMPLE_STACK][0] / PILES[EXAMPLE_STACK]["tests"]["terms_page"]
    deleted.unlink()
    commit_all(project, "Pas de CGU")
    update_with_changes(project, template)
    assert not deleted.exists()


@pytest.mark.parametrize("since", ["oldest", "today"])
def test_a_rewritten_sentence_the_template_also_changes_is_a_visible_conflict(template, tmp_path, since):
    """The team rewrote the host's line; the update changes the host: the team sees a conflict, not a
    silent loss of its words nor a page left naming the old host."""
    project = tmp_path / "service"
    commit = oldest_commit_with(EXAMPLE_STACK) if since == "oldest" else git("rev-parse", "HEAD", cwd=template).stdout.strip()
    copied = copier_copy(template, project, commit, {**BEFORE, "stack": EXAMPLE_STACK})
    assert copied.returncode == 0, copied.stderr[-3000:]
    commit_all(project, "Création depuis le modèle")
    folder, legal_page, _ = PAGE_TEXTS[EXAMPLE_STACK]
    legal = project / folder / legal_page
    text = legal.read_text(encoding="utf-8")
    assert text.count("Scalingo SAS") == 1
    legal.write_text(text.replace("Scalingo SAS", "Scalingo SAS, notre hébergeur"), encoding="utf-8")
    commit_all(project, "Notre hébergeur")
    update_with_changes(project, template)
    merged = legal.read_text(encoding="utf-8")
    assert any(legal_page in found for found in conflicts(project)), merged
    assert "notre hébergeur" in merged and "Clever Cloud SAS" in merged


# --------------------------------------------------------------------------- served pages


def clean_env() -> dict[str, str]:
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "DJANGO", "MATOMO", "SENTRY", "NODE_ENV", "PORT")
    return {key: value for key, value in os.environ.items() if not key.startswith(drop)}


def run(command: list[str], cwd: Path, timeout: int = 900, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env={**clean_env(), **env}, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def serve(project: Path, stack: str, port: int) -> subprocess.Popen:
    """The project's own `make run` (each stack starts its own server, building or migrating first)."""
    env = {**clean_env(), "PORT": str(port), "MATOMO_SITE_ID": CHANGES["matomo_site_id"]}
    process = subprocess.Popen(
        ["make", "run"], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 900  # `make run` builds first (Next.js: minutes on a loaded machine)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"le serveur s'est arrêté : {process.stderr.read().decode()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise AssertionError("le serveur n'a pas répondu")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        assert response.status == 200, path
        return response.read().decode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("stack", PAGE_TEXTS)
def test_the_served_pages_after_the_update(template, tmp_path, stack):
    """The same history, then the project's own install, its pages read over HTTP from its own
    server, and (with a page_facts_check in its description) its own `make test`."""
    project = copy_old(template, stack, tmp_path / "service")
    edit_pages(project, stack)
    update_with_changes(project, template)
    assert conflicts(project) == []

    run(["make", "install"], project)
    port = next(PORTS)
    server = serve(project, stack, port)
    try:
        legal, privacy = fetch(port, "/mentions-legales/"), fetch(port, "/donnees-personnelles/")
    finally:
        stop(server)
    assert_pages_follow_the_answers(legal, privacy)
    assert_team_words_kept(legal, privacy)
    if "page_facts_check" in PILES[stack]["tests"]:
        run(["make", "test"], project)
        # Its page-fact tests read the answers, not the wording: they fail on a page naming the old host.
        legal_path = project / PAGE_TEXTS[stack][0] / PAGE_TEXTS[stack][1]
        legal_path.write_text(legal_path.read_text(encoding="utf-8") + "<p>Hébergé par Scalingo SAS.</p>\n", encoding="utf-8")
        facts = subprocess.run(
            shlex.split(PILES[stack]["tests"]["page_facts_check"]),
            cwd=project,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert facts.returncode != 0 and "autre hébergeur" in facts.stdout, facts.stdout[-2000:]


def test_the_readme_stops_linking_to_a_kit_the_team_deleted(template, tmp_path):
    """Copier keeps a deleted kit deleted; the README rendered into the project must not point to it,
    while a fresh copy (and Copier's renders in empty folders) still list every kit."""
    # From 0.1.0, the first version with an app stack (and with kits and a README).
    project = copy_old(template, stacks_without_app()[0], tmp_path / "service", since=oldest_commit_with(EXAMPLE_STACK))
    deleted = project / "docs" / "kit" / "design.md"
    assert "docs/kit/design.md" in (project / "README.md").read_text(encoding="utf-8")
    deleted.unlink()
    commit_all(project, "Pas de designer pour l'instant")

    result = copier_update(project, git("rev-parse", "HEAD", cwd=template).stdout.strip())
    assert result.returncode == 0, result.stderr[-3000:]

    assert not deleted.exists()
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "docs/kit/design.md" not in readme
    assert "docs/kit/dev.md" in readme, "the kits still there keep their link"
    assert conflicts(project) == []


# --------------------------------------------------------------------------- the layout rule, on every page text

# Lines that carry no words a team rewrites: blank, or a lone tag.
SEPARATOR = re.compile(r"^\s*(?:</?[a-z0-9]+(?:\s[^>]*)?>\s*)?$")
FACT_CHANGES = [
    {"hosting": "scalingo", "administration": "", "matomo_site_id": "", "contact_email_ready": "false"},
    {
        "hosting": "clevercloud",
        "administration": "Direction interministérielle du numérique",
        "matomo_site_id": "124",
        "matomo_url": "https://matomo.example.gouv.fr",
        "contact_email": "bonjour@hebergement-urgence.example.org",
        "contact_email_ready": "true",
        "license": "EUPL-1.2",
        "repository_url": "https://gitlab.example.org/equipe/hebergement",
        "construction_start": "2027-03-01",
    },
    {"hosting": "autre", "administration": "Ministère de la Culture", "matomo_site_id": "7"},
]


@pytest.mark.parametrize("stack", PAGE_TEXTS)
def test_every_fact_of_the_answers_sits_apart_from_the_prose(template, tmp_path, stack):
    """Render the page texts for answers that change every fact; every line that changes is framed by
    unchanged lines that hold no prose (a blank line or a lone tag): an update that changes a fact
    never touches a line the team rewrote, so `git merge-file` merges it cleanly (design §5.4)."""
    import difflib
    import itertools

    today = git("rev-parse", "HEAD", cwd=template).stdout.strip()
    renders = []
    for index, answers in enumerate(FACT_CHANGES):
        project = tmp_path / f"rendu-{index}"
        copied = copier_copy(template, project, today, {**BEFORE, **answers, "stack": stack})
        assert copied.returncode == 0, copied.stderr[-3000:]
        folder = project / PAGE_TEXTS[stack][0]
        renders.append({path.name: path.read_text(encoding="utf-8").splitlines() for path in folder.glob("*.html")})
    problems = []
    for before, after in itertools.pairwise(renders):
        for name, old in before.items():
            matcher = difflib.SequenceMatcher(a=old, b=after[name], autojunk=False)
            for tag, start, end, _, _ in matcher.get_opcodes():
                if tag == "equal":
                    continue
                for neighbour in (start - 1, end):
                    if 0 <= neighbour < len(old) and not SEPARATOR.match(old[neighbour]):
                        problems.append(f"{name} : « {old[neighbour].strip()} » touche un fait qui change")
    assert problems == [], "\n".join(problems)
