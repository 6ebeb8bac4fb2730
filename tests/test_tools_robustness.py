"""The generated tools (outils/) facing what teams and spreadsheets actually produce: formula cells and control
characters in the link registry, checklists broken by hand, French spreadsheet exports, mistyped campaigns and
addresses, a phase that starts later than the examples. Each test runs the tools as a team does, in a copy of
a generated project (see test_tools.py for the ordinary cases)."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tools_helpers import registry_row, registry_text, run_tool

from conftest import EXAMPLE_ANSWERS, ROOT, load_extension

naming = load_extension("naming")
dates = load_extension("dates")

SLUG = naming.slugify(EXAMPLE_ANSWERS["service_name"])
HOME = f"https://{SLUG}.beta.gouv.fr"
# A phase that starts well after the playbook's example campaign (2026-03-…), and after today.
LATE_START = "2031-05-10"


@pytest.fixture(scope="module")
def generated(copie_session):
    result = copie_session.copy(extra_answers=EXAMPLE_ANSWERS)
    assert result.exit_code == 0, result.exception
    return result.project_dir


@pytest.fixture(scope="module")
def generated_late(copie_session):
    result = copie_session.copy(extra_answers={**EXAMPLE_ANSWERS, "construction_start": LATE_START})
    assert result.exit_code == 0, result.exception
    return result.project_dir


@pytest.fixture
def project(generated, tmp_path):
    return Path(shutil.copytree(generated, tmp_path / "projet"))


@pytest.fixture
def late_project(generated_late, tmp_path):
    return Path(shutil.copytree(generated_late, tmp_path / "projet-tardif"))


def liens(project, *args, **options):
    return run_tool(project, "liens", *args, **options)


def create(project, *extra, url=f"{HOME}/", campagne="2026-03-lancement", auteur="Camille Martin", **options):
    author = ("--auteur", auteur) if auteur is not None else ()
    return liens(project, "creer", url, "--source", "newsletter", "--support", "email", "--campagne", campagne, *author, *extra, **options)


def registry(project) -> Path:
    return project / "docs" / "liens-suivis.csv"


def reported_lines(output: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for match in re.finditer(r"^docs/liens-suivis\.csv:(\d+): (.*)$", output, re.MULTILINE):
        found.setdefault(int(match.group(1)), []).append(match.group(2))
    return found


def suggestions(stderr: str) -> list[str]:
    return re.findall(r"(?:Suggestion|Partez de l'adresse sans eux) : « ([^»]+) »", stderr)


# ---------------------------------------------------------------- registry cells a spreadsheet would run


def test_create_refuses_text_a_spreadsheet_would_run(project):
    before = registry(project).read_bytes()
    result = create(project, "--partage", '=HYPERLINK("https://exemple.org","ici")', "--note", "+1-2", auteur="@SOMME(A1)")
    assert result.returncode == 1, result.stderr
    for field, start in [("auteur", "@"), ("partage", "="), ("note", "+")]:
        line = next(line for line in result.stderr.splitlines() if line.startswith(f"  - {field} : "))
        assert f"commence par « {start} »" in line and "formule" in line, line
        assert "« texte sans formule »" in line, line
        assert ("sans ce caractère" if field == "auteur" else "Commencez-le par une lettre") in line, line
    assert registry(project).read_bytes() == before
    # Written from a word, the same text is accepted.
    accepted = create(project, "--partage", "Infolettre", "--note", "Note : +1-2")
    assert accepted.returncode == 0, accepted.stderr


@pytest.mark.parametrize("note", ["-20 % de rebond", "\t=1+1", " @x"])
def test_create_refuses_every_formula_start(project, note):
    result = create(project, "--partage", "Infolettre", "--note", note)
    assert result.returncode == 1 and "texte sans formule" in result.stderr, result.stderr


def test_verifier_flags_formula_cells_and_control_characters(project):
    rows = [registry_row(index, SLUG) for index in range(1, 7)]
    rows[0]["note"] = "=1+1"  # line 2
    rows[1]["auteur"] = "\tCamille Martin"  # line 3: a leading tab
    rows[2]["partage"] = "Infolettre\x00"  # line 4: NUL
    rows[3]["note"] = "fin de ligne\x1b[31m"  # line 5: an escape sequence
    # line 6: fine; line 7: the team's own column
    text = registry_text(rows)
    lines = text.splitlines()
    lines[0] += ",suivi"
    lines[1:] = [line + ",fait" for line in lines[1:]]
    lines[6] = lines[6][: -len(",fait")] + ",@relancer"
    registry(project).write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = liens(project, "verifier")
    assert result.returncode == 1
    found = reported_lines(result.stdout)
    assert set(found) == {2, 3, 4, 5, 7}, result.stdout
    assert "note : « =1+1 » commence par « = »" in found[2][0] and "texte sans formule" in found[2][0]
    assert "auteur" in found[3][0] and "tabulation" in found[3][0]
    assert "partage" in found[4][0] and "U+0000" in found[4][0] and "binaire" in found[4][0]
    assert "note" in found[5][0] and "U+001B" in found[5][0]
    assert found[7][0].startswith("suivi : « @relancer » commence par « @ »")


def test_created_registry_stays_text_for_git(project):
    """What `creer` writes never makes git show the registry as binary, whatever the arguments hold."""
    assert create(project, "--partage", "Infolettre\x7f\x85", "--note", "a\x01b").returncode == 0
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    stats = subprocess.run(
        ["git", "diff", "--no-index", "--numstat", "/dev/null", "docs/liens-suivis.csv"], cwd=project, capture_output=True, text=True
    )
    assert re.match(r"^\d+\t\d+\t", stats.stdout), stats.stdout  # binary files show « -\t-\t »
    assert liens(project, "verifier").returncode == 0


# ---------------------------------------------------------------- messages of the link tool


def test_missing_git_author_is_reported_once(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / "absent"), "GIT_CONFIG_NOSYSTEM": "1"}
    result = create(project, "--partage", "Infolettre", auteur=None, env=env)
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("  - auteur : ")]
    assert len(problems) == 1, result.stderr
    assert "git config user.name" in problems[0] and "initiales" in problems[0] and "rôle" in problems[0]


def test_semicolon_registry_is_recognised(project):
    text = registry_text([registry_row(1, SLUG)]).replace(",", ";")
    registry(project).write_text(text, encoding="utf-8")
    result = liens(project, "verifier")
    assert result.returncode == 1
    found = reported_lines(result.stdout)
    assert list(found) == [1] and "points-virgules" in found[1][0] and "séparateur virgule" in found[1][0], result.stdout
    assert "colonnes manquantes" not in result.stdout
    # One row pasted from a spreadsheet into a good registry.
    good = registry_text([registry_row(1, SLUG)])
    registry(project).write_text(good + registry_text([registry_row(2, SLUG)]).splitlines()[1].replace(",", ";") + "\n", encoding="utf-8")
    found = reported_lines(liens(project, "verifier").stdout)
    assert list(found) == [3] and "points-virgules" in found[3][0]


@pytest.mark.parametrize("campaign", ["2026-lancement", "2027-lancement", "2026-3-lancement", "2026-13-lancement"])
def test_campaign_with_a_year_keeps_it_in_the_suggestion(project, campaign):
    result = create(project, "--partage", "Infolettre", campagne=campaign)
    assert result.returncode == 1
    [suggested] = suggestions(result.stderr)
    year = campaign[:4]
    assert re.fullmatch(rf"{year}-(0[1-9]|1[0-2])-lancement", suggested), result.stderr
    if campaign == "2026-3-lancement":
        assert suggested == "2026-03-lancement"
    assert create(project, "--partage", "Infolettre", "--essai", campagne=suggested).returncode == 0


BAD_TARGETS = [
    f"http://{SLUG}.beta.gouv.fr/aide?utm_source=newsletter&theme=logement",
    f"http://{SLUG}.beta.gouv.fr/aide?mtm_campaign=x#haut",
    f"{SLUG}.beta.gouv.fr/aide?fbclid=abc",
    f"https://jean@{SLUG}.beta.gouv.fr/aide?utm_medium=email",
    f"http://{SLUG[:-1]}.beta.gouv.fr/aide?utm_source=x",
]


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_every_address_problem_is_reported_and_suggestions_pass(project, target):
    result = create(project, "--partage", "Infolettre", url=target)
    assert result.returncode == 1
    rules = re.findall(r"^  - adresse cible : .*?\(règle « ([^»]+) »\)", result.stderr, re.MULTILINE)
    assert "une seule famille de paramètres" in rules, result.stderr
    if not target.startswith("https://"):
        assert "adresse https complète" in rules, result.stderr
    offered = set(suggestions(result.stderr))
    assert len(offered) == 1, result.stderr
    [address] = offered
    assert "utm_" not in address and "fbclid" not in address and address.startswith("https://")
    accepted = create(project, "--partage", "Infolettre", "--essai", url=address)
    assert accepted.returncode == 0, accepted.stderr


def test_no_suggestion_that_would_be_refused(project):
    """Off the service's domains, an https address without the other family would still be refused: the tool
    says what to change without offering it as a ready-made address."""
    result = create(project, "--partage", "Infolettre", url="http://exemple.org/page?utm_source=x")
    assert result.returncode == 1
    assert "adresse https complète" in result.stderr and "une seule famille" in result.stderr and "domaine du service" in result.stderr
    assert suggestions(result.stderr) == []


def test_unknown_option_after_a_command_points_to_its_help(project):
    result = liens(project, "creer", f"{HOME}/", "-s", "sms", "-m", "sms", "-c", "2026-03-x", "--partage", "x", "--inconnue")
    assert result.returncode == 2
    assert "Aide : python3 outils/liens.py creer --help" in result.stderr and "« --inconnue »" not in result.stderr
    assert "--inconnue" in result.stderr and "utilisation : liens.py creer" in result.stderr
    verify = liens(project, "verifier", "--inconnue")
    assert verify.returncode == 2 and "Aide : python3 outils/liens.py verifier --help" in verify.stderr


def test_each_command_help_gives_its_own_exit_codes(project):
    texts = {command: liens(project, command, "--help", env={"COLUMNS": "400"}).stdout for command in ["creer", "verifier", "qr"]}
    assert "Codes de sortie : 0 QR code écrit, 1 refusé (lien absent du registre, module segno manquant)" in texts["qr"]
    assert "Codes de sortie : 0 registre conforme, 1 registre non conforme ou introuvable" in texts["verifier"]
    assert "Codes de sortie : 0 lien inscrit" in texts["creer"]
    overall = liens(project, "--help", env={"COLUMNS": "400"}).stdout
    assert "QR code écrit" in overall and "segno" in overall


# ---------------------------------------------------------------- the author column, said truthfully


def test_author_column_is_described_as_the_personal_data_it_is(project):
    doc = (project / "docs/liens-suivis.md").read_text(encoding="utf-8")
    flat = " ".join(doc.split())
    # Rule 6 no longer counts the author among the columns that name nobody.
    assert "(auteur, lieu de partage, note)" not in flat
    assert "L'auteur est une donnée personnelle de l'équipe." in flat
    assert "`--auteur CM` ou `--auteur Coach`" in flat and "git config user.name" in flat
    help_text = liens(project, "creer", "--help", env={"COLUMNS": "400"}).stdout
    assert "votre nom (« Camille Martin »), vos initiales (« CM ») ou votre rôle (« Coach »)" in help_text
    assert "Prénom Nom" not in help_text
    assert create(project, "--partage", "Infolettre", auteur="CM").returncode == 0


# ---------------------------------------------------------------- the example campaign follows the phase


def test_campaign_example_filter():
    assert dates.campaign_example("2026-01-05", "2026-03-lancement-formulaire") == "2026-03-lancement-formulaire"
    assert dates.campaign_example("2031-11-30", "2026-03-lancement-formulaire") == "2032-01-lancement-formulaire"
    assert dates.campaign_example("2031-05-10", "salon-des-maires", 4) == "2031-09-salon-des-maires"
    assert dates.campaign_example("2031-05-10", "x", 0) == "2031-05-x"


def test_example_campaigns_follow_construction_start(late_project, playbook):
    expected = dates.campaign_example(LATE_START, playbook["liens-suivis"]["campaign_example"])
    assert expected == "2031-07-lancement-formulaire"
    conventions = json.loads((late_project / "outils/conventions-liens.json").read_text(encoding="utf-8"))
    assert conventions["conventions"]["campaign_example"] == expected
    assert conventions["construction_start"] == LATE_START
    doc = (late_project / "docs/liens-suivis.md").read_text(encoding="utf-8")
    readme = (late_project / "README.md").read_text(encoding="utf-8")
    for text in (doc, readme):
        assert f"--campagne {expected}" in text
        campaigns = re.findall(r"\b(20\d\d-\d\d)-[a-z]", text)
        assert campaigns and all(month >= LATE_START[:7] for month in campaigns), campaigns
    assert f"mtm_campaign={expected}&" in doc and "`2031-05`" in doc and "--avant-phase" in doc
    help_text = liens(late_project, "creer", "--help", env={"COLUMNS": "400"}).stdout
    assert f"par exemple {expected}" in help_text


def test_docs_example_command_works_for_a_later_phase(late_project):
    doc = (late_project / "docs/liens-suivis.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(python3 outils/liens\.py creer .*?)\n```", doc, re.DOTALL).group(1)
    command = block.replace("\\\n", " ").replace("python3 ", f"{sys.executable} ", 1)
    result = subprocess.run(["bash", "-c", command + " --auteur 'Camille Martin'"], cwd=late_project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_campaign_before_the_phase_is_refused_with_a_way_through(late_project):
    before = registry(late_project).read_bytes()
    result = create(late_project, "--partage", "Infolettre", campagne="2030-06-lancement")
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if line.startswith("  - campagne : "))
    assert "avant le début de la construction (2031-05-10)" in line and "--avant-phase" in line
    assert "« 2031-06-lancement »" in line
    assert registry(late_project).read_bytes() == before
    assert create(late_project, "--partage", "Infolettre", "--essai", campagne="2031-06-lancement").returncode == 0
    assert create(late_project, "--partage", "Infolettre", "--essai", campagne="2031-05-lancement").returncode == 0
    forced = create(late_project, "--partage", "Bilan de l'investigation", "--avant-phase", campagne="2030-06-lancement")
    assert forced.returncode == 0, forced.stderr
    assert liens(late_project, "verifier").returncode == 0


def test_undated_campaign_suggestion_is_within_the_phase(late_project):
    """Before the phase has started, a suggestion is dated from its first month, not from today."""
    result = create(late_project, "--partage", "Infolettre", campagne="Lancement")
    [suggested] = suggestions(result.stderr)
    assert suggested == "2031-05-lancement"
    assert create(late_project, "--partage", "Infolettre", "--essai", campagne=suggested).returncode == 0


# ---------------------------------------------------------------- checklist progress


def progression(project, *args, **options):
    return run_tool(project, "progression", *args, **options)


BROKEN_CHECKLIST = """# Checklist

## Première

- [x] **A01** Fait.

  Responsables : Coach · Échéance : 2026-01-10
  <!-- notes A01 -->
  <!-- /A01 -->

##Deuxième

- [✓] **A02** Coché avec un autre signe.

- [ ] **A01** Copié-collé de l'item A01.

## Nos items

- [ ]Sans espace après la case

```sh
make test
"""


def test_progress_warns_about_what_it_cannot_read(project):
    path = project / "CHECKLIST.md"
    path.write_text(BROKEN_CHECKLIST, encoding="utf-8")
    for args in ([], ["--markdown"]):
        result = progression(project, "--aujourdhui", "2026-03-01", *args)
        assert result.returncode == 1, result.stdout + result.stderr
        warnings = dict(re.findall(r"^  - CHECKLIST\.md, ligne (\d+) : (.*)$", result.stderr, re.MULTILINE))
        assert set(warnings) == {"11", "13", "15", "19", "21"}, result.stderr
        assert "« ## Deuxième »" in warnings["11"]
        assert "case « [✓] » illisible" in warnings["13"] and "- [x] texte" in warnings["13"]
        assert "« A01 » déjà employé ligne 5" in warnings["15"]
        assert "espace manquante" in warnings["19"]
        assert "jamais refermé" in warnings["21"] and "lignes 21 à 22" in warnings["21"]
        assert "incomplet" in result.stderr
    assert "lue en partie" in result.stdout and "- ligne 11 : " in result.stdout


def test_ci_step_writes_the_summary_and_fails_on_a_broken_checklist(project, tmp_path):
    (project / "CHECKLIST.md").write_text(BROKEN_CHECKLIST, encoding="utf-8")
    workflow = yaml.safe_load((project / ".github/workflows/suivi.yml").read_text(encoding="utf-8"))
    [run] = [step["run"] for step in workflow["jobs"]["progression"]["steps"] if "run" in step]
    summary = tmp_path / "resume.md"
    result = subprocess.run(
        ["bash", "-e", "-c", run.replace("python3 ", f"{sys.executable} ")],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert "lue en partie" in summary.read_text(encoding="utf-8")
    assert "ligne 11 : titre « ##Deuxième »" in result.stderr


def test_progress_of_an_empty_checklist_is_not_a_success(project):
    (project / "CHECKLIST.md").write_text("# Checklist\n\nRien ici.\n", encoding="utf-8")
    result = progression(project)
    assert result.returncode == 1 and "aucun item" in result.stderr


HOSTILE = "Voir <img src=x onerror=alert(1)> et [ce lien](javascript:alert(1)) **gras** `code` $x$ a|b ~~barré~~ @equipe &amp;"


def test_progress_markdown_escapes_checklist_text(project):
    path = project / "CHECKLIST.md"
    path.write_text(
        f"# Checklist\n\n## Section <b>|gras|</b>\n\n- [ ] {HOSTILE}\n  Échéance : 2026-02-01\n\n"
        f"- [ ] Texte ordinaire\n  Échéance : 2026-02-02\n",
        encoding="utf-8",
    )
    result = progression(project, "--aujourdhui", "2026-03-01", "--markdown")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    item_line = next(line for line in out.splitlines() if "Voir" in line)
    # Every markup character of the item's text is escaped: no HTML, link, emphasis, code, table cell or math.
    body = item_line.split("Voir", 1)[1].split(" — ", 1)[0]
    for character in "<>[]*`$|~@&":
        assert all(body[i - 1] == "\\" for i, c in enumerate(body) if c == character), (character, item_line)
    assert re.sub(r"\\(.)", r"\1", body).startswith(" <img src=x onerror=alert(1)> et [ce lien](javascript")
    section_row = next(line for line in out.splitlines() if "Section" in line and "gras" in line)
    assert "\\<b\\>\\|gras\\|\\</b\\>" in section_row, section_row
    assert len(re.findall(r"(?<!\\)\|", section_row)) == 4  # the section's own « | » adds no table cell


LONG_TEXT = (
    "Publier la fiche produit sur beta.gouv.fr avec le lien vers le service et les informations obligatoires demandées par le comité"
)


def test_progress_cuts_long_texts_between_words(project):
    path = project / "CHECKLIST.md"
    path.write_text(f"# Checklist\n\n## Section\n\n- [ ] {LONG_TEXT}\n  Échéance : 2026-02-01\n", encoding="utf-8")
    words = LONG_TEXT.split()
    for args in ([], ["--markdown"]):
        out = progression(project, "--aujourdhui", "2026-03-01", *args).stdout
        [shown] = re.findall(r"(Publier la fiche[^…\n]*)…", out)
        assert len(shown) <= 90 and shown.split() == words[: len(shown.split())], shown


# ---------------------------------------------------------------- the link tool, split by concern


def test_link_tool_is_split_by_concern_behind_one_entry_point():
    tools = ROOT / "template" / "outils"
    modules = {path.stem: path for path in tools.glob("*.py")}
    assert {"liens", "liens_conventions", "liens_controles", "liens_registre", "liens_qr"} <= set(modules)
    defined = {}
    for stem, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 9))
        defined[stem] = {node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
                for name in names:
                    top = name.split(".")[0]
                    # segno only, and only inside the QR module's function that needs it.
                    assert top in sys.stdlib_module_names | {"__future__", "segno"} | set(modules), (stem, name)
                    assert top != "segno" or (stem == "liens_qr" and node not in tree.body), (stem, name)
    assert "Conventions" in defined["liens_conventions"] and "Registry" in defined["liens_registre"]
    assert "check_link" in defined["liens_controles"] and "write_qr" in defined["liens_qr"]
    # The entry point is the command line only.
    assert not {"Conventions", "Registry", "check_target", "write_qr"} & defined["liens"]
    assert {"main", "parser", "command_create", "command_verify", "command_qr"} <= defined["liens"]
