"""The generated repository's tools (outils/): tracked links with their registry and QR codes, checklist progress.

Each test works in its own copy of one generated project and runs the tools as a team does, from the
project's root: `python outils/….py …` in a subprocess, reading and writing the generated files.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tools_helpers import (
    COLUMNS,
    large_registry,
    png_modules,
    registry_row,
    registry_text,
    run_tool,
    synthetic_checklist,
    tracked,
)

from conftest import EXAMPLE_ANSWERS, ROOT, load_extension

dates = load_extension("dates")
naming = load_extension("naming")

SLUG = naming.slugify(EXAMPLE_ANSWERS["service_name"])
HOME = f"https://{SLUG}.beta.gouv.fr"
START = EXAMPLE_ANSWERS["construction_start"]


@pytest.fixture(scope="module")
def generated(copie_session):
    result = copie_session.copy(extra_answers=EXAMPLE_ANSWERS)
    assert result.exit_code == 0, result.exception
    return result.project_dir


@pytest.fixture
def project(generated, tmp_path):
    """A fresh copy of the generated project for each test."""
    return Path(shutil.copytree(generated, tmp_path / "projet"))


def liens(project, *args, **options):
    return run_tool(project, "liens", *args, **options)


def progression(project, *args, **options):
    return run_tool(project, "progression", *args, **options)


def create(
    project,
    url=f"{HOME}/",
    *,
    source="newsletter",
    support="email",
    campagne="2026-03-lancement",
    partage="Infolettre de mars, agents d'accueil",
    extra=(),
    **options,
):
    return liens(
        project,
        "creer",
        url,
        "--source",
        source,
        "--support",
        support,
        "--campagne",
        campagne,
        "--partage",
        partage,
        "--auteur",
        "Camille Martin",
        *extra,
        **options,
    )


def registry(project) -> Path:
    return project / "docs" / "liens-suivis.csv"


def rows(project) -> list[dict]:
    with registry(project).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reported_lines(output: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for match in re.finditer(r"^docs/liens-suivis\.csv:(\d+): (.*)$", output, re.MULTILINE):
        found.setdefault(int(match.group(1)), []).append(match.group(2))
    return found


# ---------------------------------------------------------------- what the project holds


def test_generated_project_ships_the_tools(project):
    for name in [
        "outils/liens.py",
        "outils/progression.py",
        "outils/conventions-liens.json",
        "outils/domaines.txt",
        "docs/liens-suivis.md",
        "docs/liens-suivis.csv",
        "requirements-outils.txt",
        ".github/workflows/suivi.yml",
    ]:
        assert (project / name).is_file(), name
    conventions = json.loads((project / "outils/conventions-liens.json").read_text(encoding="utf-8"))
    assert conventions["domains"] == [f"{SLUG}.beta.gouv.fr", f"{SLUG}.incubateur.net"]
    assert registry(project).read_text(encoding="utf-8") == ",".join(COLUMNS) + "\n"
    pinned = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("segno==")]
    assert pinned and pinned[0] in (project / "requirements-outils.txt").read_text().splitlines()
    result = liens(project, "verifier")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lien" in result.stdout


def test_team_owned_files_survive_updates():
    skipped = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))["_skip_if_exists"]
    assert {"docs/liens-suivis.csv", "outils/domaines.txt"} <= set(skipped)


def test_tools_use_the_standard_library_only():
    """segno is the one exception, imported inside the QR function so that everything else works without it.
    The tools share their French command-line parser, a module of their own folder."""
    shared = {path.stem for path in (ROOT / "template" / "outils").glob("*.py")}
    for name in ["liens.py", "progression.py", "ligne_de_commande.py"]:
        # The README promises Python 3.9 or later: its grammar only.
        tree = ast.parse((ROOT / "template" / "outils" / name).read_text(encoding="utf-8"), feature_version=(3, 9))
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
                for module in modules:
                    assert module.split(".")[0] in sys.stdlib_module_names | {"__future__"} | shared, (name, module)


def test_tools_run_without_site_packages(project):
    """`python -S` hides every installed package: the registry check and the progress still work."""
    assert create(project, flags=("-S",)).returncode == 0
    assert liens(project, "verifier", flags=("-S",)).returncode == 0
    assert progression(project, flags=("-S",)).returncode == 0


@pytest.mark.skipif(shutil.which("python3") is None, reason="no python3 on PATH")
def test_tools_run_with_plain_python3(project):
    result = create(project, python=shutil.which("python3"))
    assert result.returncode == 0, result.stderr
    assert liens(project, "verifier", python=shutil.which("python3")).returncode == 0


# ---------------------------------------------------------------- building and recording a link


def test_create_keeps_query_and_fragment_and_records_the_link(project):
    target = f"{HOME}/demarche?ref=accueil&tri=date#etape-2"
    result = create(project, target, campagne="2026-03-lancement-formulaire", extra=("--contenu", "bouton-haut"))
    assert result.returncode == 0, result.stderr
    expected = (
        f"{HOME}/demarche?ref=accueil&tri=date&mtm_campaign=2026-03-lancement-formulaire"
        "&mtm_kwd=newsletter_email&mtm_source=newsletter&mtm_medium=email&mtm_content=bouton-haut#etape-2"
    )
    assert result.stdout.strip() == expected
    assert "ligne 2" in result.stderr and "newsletter_email" in result.stderr
    [row] = rows(project)
    assert row == {
        "date": row["date"],
        "auteur": "Camille Martin",
        "campagne": "2026-03-lancement-formulaire",
        "source": "newsletter",
        "support": "email",
        "contenu": "bouton-haut",
        "cible": target,
        "lien": expected,
        "parametres": "oui",
        "hors_domaine": "",
        "partage": "Infolettre de mars, agents d'accueil",
        "note": "",
    }
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"])
    assert liens(project, "verifier").returncode == 0


def test_registry_is_append_only_and_keeps_awkward_text(project):
    note = 'Envoi « spécial », avec des virgules, des "guillemets"\net un retour à la ligne — ça passe'
    assert create(project, extra=("--note", note, "--date", "2026-03-02")).returncode == 0
    before = registry(project).read_bytes()
    # A hand edit that drops the final newline must not glue the next row to the last one.
    registry(project).write_bytes(before.rstrip(b"\n"))
    assert create(project, campagne="2026-03-relance", partage="Tchap, « canal général »").returncode == 0
    after = registry(project).read_bytes()
    assert after.startswith(before.rstrip(b"\n") + b"\n")
    first, second = rows(project)
    assert first["note"] == " ".join(note.split()) and first["date"] == "2026-03-02"
    assert second["partage"] == "Tchap, « canal général »"
    assert len(after.decode("utf-8").splitlines()) == 3
    assert liens(project, "verifier").returncode == 0


def test_default_author_is_git_user_name(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Dominique Test\n", encoding="utf-8")
    result = liens(
        project,
        "creer",
        f"{HOME}/",
        "--source",
        "sms",
        "--support",
        "sms",
        "--campagne",
        "2026-04-rappel",
        "--partage",
        "SMS de rappel",
        env={"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert rows(project)[0]["auteur"] == "Dominique Test"


def test_duplicate_is_refused_and_registry_untouched(project):
    assert create(project).returncode == 0
    before = registry(project).read_bytes()
    result = create(project)
    assert result.returncode == 1
    assert "un lien, une ligne" in result.stderr and "ligne 2" in result.stderr and "--contenu" in result.stderr
    assert result.stdout == ""
    assert registry(project).read_bytes() == before


REFUSALS = [
    # (options, rule named, nearest allowed value or hint)
    ({"source": "Newsletter Mars"}, "vocabulaire fermé", "« newsletter »"),
    ({"support": "mail"}, "vocabulaire fermé", "« email »"),
    ({"source": "twitter"}, "vocabulaire fermé", "« x »"),
    ({"source": "Infolettre"}, "vocabulaire fermé", "« newsletter »"),
    ({"campagne": "Lancement Mars"}, "minuscules, chiffres et tirets", "-lancement-mars »"),
    ({"campagne": "2026-03-Lancement"}, "minuscules, chiffres et tirets", "« 2026-03-lancement »"),
    ({"campagne": "2026-03-lancement_mars"}, "minuscules, chiffres et tirets", "« 2026-03-lancement-mars »"),
    ({"campagne": "lancement-mars"}, "campagne datée", "-lancement-mars »"),
    ({"campagne": "2026-13-lancement"}, "campagne datée", "-lancement »"),
    ({"campagne": "2026-03-" + "a" * 60}, "longueur maximale", "« 2026-03-"),
    ({"campagne": "2026-03-relance-jean.dupont@gmail.com"}, "aucune donnée personnelle", "« 2026-03-relance »"),
    ({"campagne": "jean.dupont@example.fr"}, "aucune donnée personnelle", "adresse e-mail"),
    ({"campagne": "2026-03-rappel-0612345678"}, "aucune donnée personnelle", "téléphone"),
    ({"campagne": "2026-03-relance-marie-durand-gmail-com"}, "aucune donnée personnelle", "e-mail"),
    ({"extra": ("--contenu", "06-12-34-56-78")}, "aucune donnée personnelle", "téléphone"),
    ({"extra": ("--contenu", "Bouton Haut")}, "minuscules, chiffres et tirets", "« bouton-haut »"),
    ({"partage": "Envoyé à marie.durand@mairie.fr"}, "aucune donnée personnelle", "adresse e-mail"),
    ({"extra": ("--note", "Rappeler au 06 12 34 56 78")}, "aucune donnée personnelle", "téléphone"),
    ({"url": f"{HOME}/?utm_source=newsletter"}, "une seule famille de paramètres", f"« {HOME}/ »"),
    ({"url": f"{HOME}/page?id=3&mtm_campaign=x#haut"}, "une seule famille de paramètres", f"« {HOME}/page?id=3#haut »"),
    ({"url": f"{HOME}/?pk_campaign=x"}, "une seule famille de paramètres", "pk_campaign"),
    ({"url": f"{HOME}/?fbclid=abc"}, "une seule famille de paramètres", "fbclid"),
    ({"url": f"{HOME}/profil?email=jean%40exemple.fr"}, "aucune donnée personnelle", "adresse e-mail"),
    ({"url": "https://exemple.org/page"}, "domaine du service", "--hors-domaine"),
    ({"url": f"https://{SLUG}.beta.gouv.fr.exemple.org/"}, "domaine du service", "outils/domaines.txt"),
    ({"url": f"https://{SLUG[:-1]}.beta.gouv.fr/"}, "domaine du service", f"« {SLUG}.beta.gouv.fr »"),
    ({"url": f"http://{SLUG}.beta.gouv.fr/aide"}, "adresse https complète", f"« https://{SLUG}.beta.gouv.fr/aide »"),
    ({"url": f"{SLUG}.beta.gouv.fr/aide"}, "adresse https complète", f"« https://{SLUG}.beta.gouv.fr/aide »"),
]


@pytest.mark.parametrize(("options", "rule", "hint"), REFUSALS, ids=[str(r[0]) for r in REFUSALS])
def test_bad_values_are_refused_naming_the_rule(project, options, rule, hint):
    before = registry(project).read_bytes()
    result = create(project, **options)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"« {rule} »" in result.stderr, result.stderr
    assert hint in result.stderr, result.stderr
    assert "rien n'a été enregistré" in result.stderr
    assert result.stdout == ""
    assert registry(project).read_bytes() == before


def test_every_problem_is_reported_at_once(project):
    result = create(
        project, "https://exemple.org/?utm_source=x", source="Newsletter Mars", support="Réseau", campagne="2026-03-jean@exemple.fr"
    )
    assert result.returncode == 1
    for field in ["adresse cible", "source", "support", "campagne"]:
        assert f"  - {field} : " in result.stderr, field


def test_dry_run_records_nothing(project):
    before = registry(project).read_bytes()
    result = create(project, extra=("--essai", "--qr", "essai.svg"))
    assert result.returncode == 0 and result.stdout.startswith(f"{HOME}/?mtm_campaign=")
    assert registry(project).read_bytes() == before and not (project / "essai.svg").exists()


def test_forced_and_extra_domains(project):
    result = create(project, "https://formulaire.exemple.org/f/abc", extra=("--hors-domaine",))
    assert result.returncode == 0, result.stderr
    assert rows(project)[-1]["hors_domaine"] == "oui"
    with (project / "outils/domaines.txt").open("a", encoding="utf-8") as handle:
        handle.write("partenaire-du-service.fr\nhttps://www.autre-domaine.fr/\n")
    assert create(project, "https://www.partenaire-du-service.fr/aide").returncode == 0
    assert create(project, "https://www.autre-domaine.fr/").returncode == 0
    assert liens(project, "verifier").returncode == 0


def test_link_without_parameters_for_a_consent_decision(project):
    target = f"{HOME}/affiche-salon"
    result = create(project, target, source="affiche", support="qr-code", campagne="2026-05-salon", extra=("--sans-parametres",))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == target
    assert rows(project)[0]["parametres"] == "non" and rows(project)[0]["lien"] == target
    assert liens(project, "verifier").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["creer"],
        ["creer", f"{HOME}/", "--support", "email", "--campagne", "2026-03-x", "--partage", "x"],
        ["creer", f"{HOME}/", "-s", "sms", "-m", "sms", "-c", "2026-03-x", "--partage", "x", "--date", "03/2026"],
        ["creer", f"{HOME}/", "-s", "sms", "-m", "sms", "-c", "2026-03-x", "--partage", "x", "--qr", "code.jpg"],
        ["inconnue"],
        ["qr", "https://x"],
    ],
)
def test_usage_errors_exit_2(project, args):
    result = liens(project, *args)
    assert result.returncode == 2, result.stderr
    assert "Erreur d'utilisation" in result.stderr


# ---------------------------------------------------------------- QR codes


def test_qr_codes_encode_the_recorded_link(project):
    segno = pytest.importorskip("segno")
    result = create(
        project,
        f"{HOME}/affiche",
        source="affiche",
        support="qr-code",
        campagne="2026-05-salon-des-maires",
        extra=("--contenu", "stand", "--qr", "qr/salon.svg", "--qr", "qr/salon.png"),
    )
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert rows(project)[0]["lien"] == link
    svg = (project / "qr/salon.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert f"<title>{link.replace('&', '&amp;')}</title>" in svg
    modules = png_modules((project / "qr/salon.png").read_bytes(), scale=10, border=4)
    expected = segno.make(link, error="m", micro=False, boost_error=False)
    assert modules == [[bool(cell) for cell in row] for row in expected.matrix]


def test_qr_subcommand_remakes_the_code_of_a_recorded_link(project):
    pytest.importorskip("segno")
    link = create(project).stdout.strip()
    result = liens(project, "qr", link, "--qr", "refait.png")
    assert result.returncode == 0, result.stderr
    assert (project / "refait.png").read_bytes()[:4] == b"\x89PNG"
    unknown = liens(project, "qr", f"{HOME}/inconnu", "--qr", "inconnu.png")
    assert unknown.returncode == 1 and "pas dans" in unknown.stderr and not (project / "inconnu.png").exists()


def test_without_segno_qr_fails_clearly_and_the_rest_works(project, tmp_path):
    fake = tmp_path / "sans-segno" / "segno"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named segno')\n", encoding="utf-8")
    env = {"PYTHONPATH": str(fake.parent)}
    before = registry(project).read_bytes()
    result = create(project, extra=("--qr", "qr/code.svg"), env=env)
    assert result.returncode == 1
    assert "segno" in result.stderr and "pip install -r requirements-outils.txt" in result.stderr
    assert "Rien n'a été enregistré" in result.stderr
    assert registry(project).read_bytes() == before and not (project / "qr").exists()
    assert create(project, env=env).returncode == 0
    assert liens(project, "verifier", env=env).returncode == 0
    assert progression(project, env=env).returncode == 0


# ---------------------------------------------------------------- checking the registry


def test_verifier_reports_each_bad_row_with_its_line(project):
    good = registry_row(1, SLUG)
    lines = [",".join(COLUMNS)]  # line 1

    def add(row: dict) -> None:
        lines.append(registry_text([row]).split("\n", 1)[1].rstrip("\n"))

    add(good)  # 2
    add({**registry_row(2, SLUG), "source": "Newsletter Mars"})  # 3
    add({**registry_row(3, SLUG), "note": "sur deux\nlignes, valide"})  # 4-5
    lines.append(",".join(["2026-03-01"] * 9))  # 6: nine fields
    add(good)  # 7: duplicate of line 2
    add({**registry_row(4, SLUG), "date": "2026-13-01"})  # 8
    add({**registry_row(5, SLUG), "lien": registry_row(5, SLUG)["lien"] + "x"})  # 9: link edited by hand
    mixed = f"{HOME}/?utm_source=x"
    add({**registry_row(6, SLUG), "cible": mixed, "lien": tracked(mixed, "2026-07-campagne-0", "newsletter", "email")})  # 10
    add({**registry_row(7, SLUG), "campagne": "2026-08-jean@exemple.fr"})  # 11
    lines.append("")  # 12: blank, ignored
    add(registry_row(8, SLUG))  # 13
    add({**registry_row(9, SLUG), "source": "", "partage": ""})  # 14
    registry(project).write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = liens(project, "verifier")
    assert result.returncode == 1
    found = reported_lines(result.stdout)
    assert set(found) == {3, 6, 7, 8, 9, 10, 11, 14}, result.stdout
    assert "vocabulaire fermé" in found[3][0] and "newsletter" in found[3][0]
    assert "9 champs au lieu de 12" in found[6][0]
    assert "un lien, une ligne" in found[7][0] and "ligne 2" in found[7][0]
    assert "AAAA-MM-JJ" in found[8][0]
    assert "ne correspond pas" in found[9][0]
    assert "une seule famille de paramètres" in found[10][0]
    assert "aucune donnée personnelle" in found[11][0]
    assert len(found[14]) == 2
    assert "11 liens lus, 9 problèmes" in result.stdout

    annotated = liens(project, "verifier", env={"GITHUB_ACTIONS": "true"})
    assert "::error file=docs/liens-suivis.csv,line=3::source" in annotated.stdout


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (",".join(COLUMNS[:-1]) + "\n", 1, "colonnes manquantes : note"),
        ("", 1, "fichier vide"),
        (",".join(COLUMNS) + '\n2026-03-01,"Camille,sans fin\n', 2, "mal formée"),
        (",".join(COLUMNS) + '\n"a"b,c\n', 2, "mal formée"),
    ],
)
def test_verifier_reports_malformed_files(project, content, line, message):
    registry(project).write_text(content, encoding="utf-8")
    result = liens(project, "verifier")
    assert result.returncode == 1
    found = reported_lines(result.stdout)
    assert line in found and message in found[line][0], result.stdout


def test_verifier_reports_bytes_that_are_not_utf8(project):
    text = registry_text([registry_row(1, SLUG), registry_row(2, SLUG)]).encode("utf-8")
    registry(project).write_bytes(text.replace("Léa".encode(), "Léa".encode("latin-1"), 1))
    found = reported_lines(liens(project, "verifier").stdout)
    assert list(found) == [3] and "UTF-8" in found[3][0]


def test_verifier_accepts_a_spreadsheet_export(project):
    """A byte-order mark, CRLF line ends and an extra column of the team's: still valid, and appended to."""
    text = registry_text([registry_row(1, SLUG)])
    lines = text.splitlines()
    lines = [lines[0] + ",suivi", lines[1] + ",fait"]
    registry(project).write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    assert liens(project, "verifier").returncode == 0
    assert create(project).returncode == 0
    assert rows(project) and liens(project, "verifier").returncode == 0


def test_missing_registry(project):
    registry(project).unlink()
    result = liens(project, "verifier")
    assert result.returncode == 1 and "introuvable" in result.stderr
    assert create(project).returncode == 0
    assert registry(project).read_text(encoding="utf-8").startswith(",".join(COLUMNS) + "\n")


def median_cpu_seconds(function, runs: int = 3) -> float:
    """Median CPU time of the subprocesses `function` runs: unlike wall time, it does not grow when other
    tests load the machine. The 0.5 s wall-time target is measured by scripts/benchmark_outils.py."""
    timings = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        function()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        timings.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(timings)


def test_registry_of_ten_thousand_rows(project):
    large_registry(registry(project), 10_000, SLUG)
    result = liens(project, "verifier")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "10000 liens, tous conformes" in result.stdout
    # Three times the target: catches a slow algorithm, not a busy machine.
    assert median_cpu_seconds(lambda: liens(project, "verifier")) < 1.5

    lines = registry(project).read_text(encoding="utf-8").splitlines(keepends=True)
    assert ",newsletter," in lines[2497]
    lines[2497] = lines[2497].replace(",newsletter,", ",Newsletter Mars,", 1)  # line 2498
    lines[6999] = lines[6999].replace("2026-", "2026-13-", 1)  # line 7000: bad date
    lines.append(lines[1])  # line 10002: duplicate of line 2
    registry(project).write_text("".join(lines), encoding="utf-8")
    result = liens(project, "verifier")
    assert result.returncode == 1
    assert set(reported_lines(result.stdout)) == {2498, 7000, 10002}, result.stdout[-2000:]

    registry(project).write_text(
        "".join(lines[:-1]).replace("Newsletter Mars", "newsletter").replace("2026-13-", "2026-"), encoding="utf-8"
    )
    appended = create(project, campagne="2026-09-rentree")
    assert appended.returncode == 0 and "ligne 10002" in appended.stderr
    assert liens(project, "verifier").returncode == 0


# ---------------------------------------------------------------- checklist progress


def expected_progress(playbook, ticked: set[str], today: str):
    """Per-section (done, total), late ids and the next three ids, from the playbook itself."""
    sections, late, upcoming = [], [], []
    for section in playbook["checklist"]["sections"]:
        items = section["items"]
        sections.append((section["title"], sum(i["id"] in ticked for i in items), len(items)))
        for item in items:
            due = dates.due_date(item.get("due"), START)
            if due and item["id"] not in ticked:
                (late if due < today else upcoming).append((due, item["id"]))
    late.sort()
    upcoming.sort()
    return sections, [i for _, i in late], [i for _, i in upcoming[:3]]


def tick(text: str, ident: str, mark: str = "x") -> str:
    old = f"- [ ] **{ident}** "
    assert old in text
    return text.replace(old, f"- [{mark}] **{ident}** ")


def annotate(text: str, ident: str, notes: str) -> str:
    marker = f"  <!-- notes {ident} -->\n"
    assert marker in text
    return text.replace(marker, marker + notes)


TEAM_ITEMS = """
- [x] Recruter la ou le designer

- [ ] Préparer la démo du comité
  Échéance : 2026-02-01

- [ ] Atelier avec les agents d'accueil
Échéance : 2026-03-02

- [X] Ouvrir le canal Tchap de l'équipe
  Échéance : 2026-01-10

- [ ] Relire les mentions légales

- [ ] Point du jour avec la ou le coach
  Échéance : 2026-03-01
"""


def test_progress_counts_a_checklist_ticked_by_hand(project, playbook):
    path = project / "CHECKLIST.md"
    text = path.read_text(encoding="utf-8")
    first_ids = [s["items"][0]["id"] for s in playbook["checklist"]["sections"]]
    ticked = {first_ids[0], first_ids[1], first_ids[2], "E03"}
    text = tick(text, first_ids[0])
    text = tick(text, first_ids[1], "X")
    text = tick(text, first_ids[2])
    text = tick(text, "E03")
    # Notes that look like items or due dates do not count.
    text = annotate(text, "E02", "  - [x] sous-tâche faite\n  Échéance : 2000-01-01\n- [x] case sans retrait dans les notes\n")
    # A note written below the closing marker does not move the item's due date: the first one counts.
    text = text.replace("  <!-- /E02 -->\n", "  <!-- /E02 -->\n  Échéance : 2030-01-01, d'après la note\n")
    text = text.rstrip("\n") + "\n" + TEAM_ITEMS
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes(), path.stat().st_mtime_ns

    today = "2026-03-01"
    result = progression(project, "--aujourdhui", today)
    assert result.returncode == 0, result.stderr
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before

    sections, late, upcoming = expected_progress(playbook, ticked, today)
    for title, done, total in sections:
        assert re.search(rf"^  {re.escape(title)} +[█░]+ +{done}/{total} ", result.stdout, re.MULTILINE), title
    assert re.search(r"^  Nos items +[█░]+ +2/6 ", result.stdout, re.MULTILINE)
    total = sum(t for _, _, t in sections) + 6
    done = len(ticked) + 2
    assert re.search(rf"^  Total +[█░]+ +{done}/{total} ", result.stdout, re.MULTILINE)

    late_block = result.stdout.split("En retard (", 1)[1].split("Prochaines échéances", 1)[0]
    listed_late = re.findall(r"^  - (.+?) \(échéance (\S+),", late_block, re.MULTILINE)
    team_late = [label for label, _ in listed_late if label.startswith("ligne ")]
    assert [label for label, _ in listed_late if re.match(r"[A-Z]\d\d$", label)] == late
    assert "Préparer la démo du comité" in late_block and len(team_late) == 1
    assert "Atelier avec les agents" not in late_block and "sous-tâche" not in result.stdout
    assert late_block.startswith(f"{len(late) + 1}) :")

    next_block = result.stdout.split("Prochaines échéances :", 1)[1]
    listed_next = re.findall(r"^  - (.+?) \(échéance", next_block, re.MULTILINE)
    # Due today is not late: the team's meeting comes first, its workshop (due 2026-03-02) second, then the
    # playbook's next item.
    first, second = next_block.split("\n  - ")[1:3]
    assert "échéance aujourd'hui" in first and "Point du jour" in first
    assert "Atelier avec les agents d'accueil" in second
    assert [label for label in listed_next if re.match(r"[A-Z]\d\d$", label)] == upcoming[:1]


def test_progress_markdown_for_the_job_summary(project, playbook):
    result = progression(project, "--aujourdhui", "2026-03-01", "--markdown")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("## Avancement de CHECKLIST.md au 2026-03-01\n")
    assert "| Section | Faits | Avancement |" in out
    for section in playbook["checklist"]["sections"]:
        assert f"| {section['title']} | 0/{len(section['items'])} |" in out
    _, late, _ = expected_progress(playbook, set(), "2026-03-01")
    assert f"### En retard ({len(late)})" in out
    for ident in late:
        assert f"- **{ident}** " in out


def test_progress_reads_what_teams_actually_write(project):
    path = project / "CHECKLIST.md"
    path.write_text(
        "# Checklist\n\n## Première\n\n"
        "- [x] **A01** Fait.\n\n  Responsables : Coach · Échéance : 2026-01-10 · Étape · [Source](https://x)\n"
        "  <!-- notes A01 -->\n  notes\n"  # closing marker lost: the next template item still counts
        "- [ ] **A02** En retard, avec une date à la française.\n\n  Responsables : Coach · Échéance : 15/02/2026\n"
        "  <!-- notes A02 -->\n  <!-- /A02 -->\n\n"
        "```\n- [ ] dans un bloc de code\n```\n\n"
        "## Nos items\n\n* [ ] Date illisible\n  Échéance : bientôt\n\n+ [ ] Sans date\n\n"
        "- [ ] Date sur la ligne même (Échéance : 2026-02-20)\n",
        encoding="utf-8",
    )
    result = progression(project, "--aujourdhui", "2026-03-01")
    assert result.returncode == 0
    assert re.search(r"^  Première +[█░]+ +1/2 ", result.stdout, re.MULTILINE)
    assert re.search(r"^  Nos items +[█░]+ +0/3 ", result.stdout, re.MULTILINE)
    assert "(échéance 2026-02-20, 9 jours de retard)\n    Date sur la ligne même" in result.stdout
    assert "A02 (échéance 2026-02-15, 14 jours de retard · Coach)" in result.stdout
    assert "Échéances illisibles" in result.stdout and "« bientôt »" in result.stdout


def test_progress_of_five_hundred_items(project):
    path = project / "CHECKLIST.md"
    path.write_text(synthetic_checklist(500), encoding="utf-8")
    result = progression(project, "--aujourdhui", "2026-07-01")
    assert result.returncode == 0
    assert re.search(r"^  Total +[█░]+ +166/500 ", result.stdout, re.MULTILINE)
    assert median_cpu_seconds(lambda: progression(project, "--aujourdhui", "2026-07-01")) < 1.5


@pytest.mark.parametrize("args", [["--aujourdhui", "01/03/2026"], ["--aujourdhui", "2026-02-30"], ["--inconnue"]])
def test_progress_usage_errors(project, args):
    result = progression(project, *args)
    assert result.returncode == 2 and "Erreur d'utilisation" in result.stderr


def test_progress_missing_file(project):
    (project / "CHECKLIST.md").unlink()
    result = progression(project)
    assert result.returncode == 1 and "illisible" in result.stderr


# ---------------------------------------------------------------- CI, docs and README


def test_workflow_runs_the_tools(project, tmp_path):
    text = (project / ".github/workflows/suivi.yml").read_text(encoding="utf-8")
    assert "{%" not in text and "${{ github.workflow }}" in text
    workflow = yaml.safe_load(text)
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert any("python3 outils/liens.py verifier" in run for run in runs)
    assert any('progression.py --markdown >> "$GITHUB_STEP_SUMMARY"' in run for run in runs)
    # Each step, as GitHub runs it (bash -e), in the generated project with one recorded link.
    assert create(project).returncode == 0
    summary = tmp_path / "summary.md"
    for run in runs:
        result = subprocess.run(
            ["bash", "-e", "-c", run.replace("python3 ", f"{sys.executable} ")],
            cwd=project,
            env={"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary), "TZ": "Europe/Paris"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, run + result.stdout + result.stderr
    assert summary.read_text(encoding="utf-8").startswith("## Avancement de CHECKLIST.md")


def test_docs_explain_the_conventions(project, playbook):
    doc = (project / "docs/liens-suivis.md").read_text(encoding="utf-8")
    conventions = playbook["liens-suivis"]
    for value in list(conventions["sources"]) + list(conventions["mediums"]):
        assert f"| `{value}` |" in doc, value
    for name in conventions["parameters"].values():
        assert f"`{name}`" in doc
    for rule in [
        "Une seule famille de paramètres",
        "Vocabulaire fermé",
        "Minuscules, chiffres et tirets",
        "Campagne datée",
        "Aucune donnée personnelle",
        "Domaine du service",
    ]:
        assert re.search(rf"^### \d\. {rule}$", doc, re.MULTILINE), rule
    assert f"{HOME}/?mtm_campaign={conventions['campaign_example']}&mtm_kwd=newsletter_email&" in doc
    assert "à faire valider par votre juriste / dpo" in doc.lower()
    assert "cnil.fr" in doc and "--sans-parametres" in doc and "redirection" in doc
    assert "{{" not in doc and "{%" not in doc


def test_docs_example_command_works(project):
    doc = (project / "docs/liens-suivis.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(python3 outils/liens\.py creer .*?)\n```", doc, re.DOTALL).group(1)
    command = block.replace("\\\n", " ").replace("python3 ", f"{sys.executable} ", 1)
    result = subprocess.run(["bash", "-c", command + " --auteur 'Camille Martin'"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_readme_section_describes_both_commands(project):
    readme = project / "README.md"
    if not readme.exists():
        pytest.skip("the template renders no README yet")
    text = readme.read_text(encoding="utf-8")
    assert "## Outils de l'équipe" in text
    assert "python3 outils/liens.py creer" in text and "python3 outils/liens.py verifier" in text
    assert "python3 outils/progression.py" in text and f"https://{SLUG}.beta.gouv.fr/" in text
