"""Questions as users meet them on the command line: good answers pass, bad ones are refused in
French, naming the answer and the rule, and leave no destination folder behind (design §3)."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

COPIER = str(Path(sys.executable).parent / "copier")


def copier_copy(destination: Path, *data: str, defaults: bool = True) -> subprocess.CompletedProcess:
    command = [COPIER, "copy", "--trust", "--vcs-ref", "HEAD", "--quiet"]
    if defaults:
        command.append("--defaults")
    for item in data:
        command += ["-d", item]
    return subprocess.run([*command, str(ROOT), str(destination)], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_defaults_with_only_a_name_generate_a_nocode_service(tmp_path):
    result = copier_copy(tmp_path / "service", "service_name=Mon Service Public")
    assert result.returncode == 0, result.stderr
    answers = yaml.safe_load((tmp_path / "service" / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["service_slug"] == "mon-service-public"
    assert answers["stack"] == "nocode"
    assert answers["roles"] == ["intra", "coach", "dev", "design", "deploiement"]
    assert answers["matomo_url"] == "https://stats.beta.gouv.fr"
    assert answers["contact_email"] == "contact@mon-service-public.beta.gouv.fr"
    assert len(answers["construction_start"]) == 10


def test_data_file_answers(tmp_path):
    result = subprocess.run(
        [
            COPIER,
            "copy",
            "--trust",
            "--vcs-ref",
            "HEAD",
            "--quiet",
            "--defaults",
            "--data-file",
            str(ROOT / "tests" / "exemple-reponses.yml"),
            str(ROOT),
            str(tmp_path / "service"),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Mon Service Public" in (tmp_path / "service" / "README.md").read_text(encoding="utf-8")


BAD_ANSWERS = {
    "nom vide": (["service_name="], "service_name : le nom du service est obligatoire"),
    "nom de 200 caractères": (["service_name=" + "x" * 200], "entre 2 et 60 caractères"),
    "nom avec du Jinja": (["service_name=Nom {{ x }}"], "ni « {{ » ni « {% »"),
    "identifiant avec une espace": (["service_name=Mon Service", "service_slug=mon service"], "service_slug : "),
    "identifiant calculé invalide": (["service_name=日本語"], "service_slug : "),
    "administration d'une lettre": (
        ["service_name=Mon Service", "administration=X"],
        "administration : le nom de l'administration porteuse",
    ),
    "administration avec du Jinja": (["service_name=Mon Service", "administration=Ministère {% x %}"], "administration : "),
    "e-mail invalide": (["service_name=Mon Service", "contact_email=contact-at-mon-service"], "contact_email : "),
    "aucun rôle": (["service_name=Mon Service", "roles=[]"], "roles : choisissez au moins un rôle"),
    # Values outside the choices are refused by Copier itself, which lists the valid ones.
    "rôle inconnu": (["service_name=Mon Service", "roles=[ops]"], "Invalid choice for 'roles'"),
    "date mal formée": (["service_name=Mon Service", "construction_start=05/01/2026"], "construction_start : "),
    "numéro Matomo non numérique": (["service_name=Mon Service", "matomo_site_id=abc"], "matomo_site_id : seulement des chiffres"),
    "Matomo en http": (["service_name=Mon Service", "matomo_url=http://stats.beta.gouv.fr"], "matomo_url : "),
    "pile inconnue": (["service_name=Mon Service", "stack=rails"], "Invalid choice for 'stack'"),
    "licence inconnue": (["service_name=Mon Service", "license=GPL"], "Invalid choice for 'license'"),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_bad_answer_is_refused_in_french_and_writes_nothing(tmp_path, case):
    data, message = BAD_ANSWERS[case]
    destination = tmp_path / "service"
    result = copier_copy(destination, *data)
    assert result.returncode != 0
    assert message in last_line(result), result.stderr[-2000:]
    assert not destination.exists()


def stack_values():
    return [choice["value"] for choice in yaml.safe_load((ROOT / "copier.yml").read_text())["stack"]["choices"].values()]


@pytest.mark.parametrize("stack", stack_values())
def test_every_stack_either_generates_or_is_refused_cleanly(tmp_path, stack):
    """Until a stack is built, its choice is disabled with a French message; never half-generated."""
    destination = tmp_path / "service"
    result = copier_copy(destination, "service_name=Mon Service", f"stack={stack}")
    choice = next(c for c in yaml.safe_load((ROOT / "copier.yml").read_text())["stack"]["choices"].values() if c["value"] == stack)
    if "validator" in choice:
        assert result.returncode != 0
        assert "Pas encore disponible" in last_line(result)
        assert not destination.exists()
    else:
        assert result.returncode == 0, result.stderr[-2000:]
        assert (destination / "CHECKLIST.md").exists()
