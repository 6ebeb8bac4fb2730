"""Questions as users meet them on the command line: good answers pass, bad ones are refused in
French, naming the answer and the rule, and leave no destination folder behind (design §3)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from update_contract import choice_entries, load_settings

from conftest import ROOT, load_extension, stacks_without_app

naming = load_extension("naming")
dates = load_extension("dates")

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


def test_defaults_with_only_a_name_generate_a_service_without_an_app(tmp_path):
    result = copier_copy(tmp_path / "service", "service_name=Mon Service Public")
    assert result.returncode == 0, result.stderr
    answers = yaml.safe_load((tmp_path / "service" / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["service_slug"] == "mon-service-public"
    assert answers["stack"] == stacks_without_app()[0]
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
    "nom avec du Jinja": (["service_name=Nom {{ x }}"], "ni « {{ », ni « {% », ni « {# »"),
    "nom retourné par une marque de sens d'écriture": (["service_name=Mon \u202eService"], "U+202E"),
    "description avec du Jinja": (["service_name=Mon Service", "service_description=Aider {{ x }}"], "service_description : "),
    "description trop longue": (["service_name=Mon Service", "service_description=" + "mot " * 260], "entre 2 et 1000 caractères"),
    "incubateur avec un commentaire de modèle": (["service_name=Mon Service", "incubator=Incubateur {# x"], "incubator : "),
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
    "date qui n'existe pas": (["service_name=Mon Service", "construction_start=2026-02-30"], "« 2026-02-30 » n'existe pas"),
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


def stack_entries() -> dict[str, bool]:
    """Each stack value and whether a team can choose it (a choice with a plain-text validator cannot)."""
    return dict(choice_entries(load_settings()["stack"]))


@pytest.mark.parametrize("stack", stack_entries())
def test_every_stack_either_generates_or_is_refused_cleanly(tmp_path, stack):
    """Until a stack is built, its choice is disabled with a French message; never half-generated."""
    destination = tmp_path / "service"
    result = copier_copy(destination, "service_name=Mon Service", f"stack={stack}")
    if not stack_entries()[stack]:
        assert result.returncode != 0
        assert "Pas encore disponible" in last_line(result)
        assert not destination.exists()
    else:
        assert result.returncode == 0, result.stderr[-2000:]
        assert (destination / "CHECKLIST.md").exists()


# ---------------------------------------------------------------- each validator, case by case

# The validator of every answer that reaches a page, and an answer it accepts.
PAGE_ANSWERS = {
    "service_name": (naming.service_name_error, "Mon Service Public"),
    "service_description": (naming.description_error, "Trouver un stage en quelques minutes."),
    "incubator": (naming.incubator_error, "Incubateur de la DINUM"),
    "administration": (naming.administration_error, "Ministère de la Culture"),
    "contact_email": (naming.email_error, "contact@mon-service.beta.gouv.fr"),
    "repository_url": (
        lambda url: naming.https_url_error(url, "repository_url", "https://github.com/betagouv/mon-service"),
        "https://github.com/betagouv/mon-service",
    ),
    "matomo_url": (lambda url: naming.https_url_error(url, "matomo_url", "https://stats.beta.gouv.fr"), "https://stats.beta.gouv.fr"),
}
TEMPLATE_OPENERS = ["{{", "{%", "{#"]
# Bidirectional marks (they can show a name reversed), other invisible characters and control characters.
INVISIBLE = [chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]] + [
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\u2028",  # line separator
    "\x00",
    "\x1b",
    "\x7f",
    "\n",
    "\t",
]


def passing_example(message: str) -> str:
    """The answer quoted after « exemple qui passe », which must pass the same validator."""
    return re.search(r"exemple qui passe : « (.*?) »", message).group(1)


def assert_stands_alone(message: str, answer: str, rule: str, validator) -> None:
    """Copier wraps the message in English words: the message itself names the answer, the rule, and an
    example that passes."""
    assert message.startswith(f"{answer} : "), message
    assert rule in message, message
    assert validator(passing_example(message)) == "", message


@pytest.mark.parametrize("answer", PAGE_ANSWERS)
def test_every_page_answer_accepts_its_example(answer):
    validator, good = PAGE_ANSWERS[answer]
    assert validator(good) == ""


@pytest.mark.parametrize("opener", TEMPLATE_OPENERS)
@pytest.mark.parametrize("answer", PAGE_ANSWERS)
def test_every_page_answer_refuses_template_openers(answer, opener):
    validator, good = PAGE_ANSWERS[answer]
    bad = good.replace("Service", f"Ser{opener}vice").replace("stats", f"st{opener}ats").replace("betagouv", f"beta{opener}gouv")
    bad = bad if opener in bad else opener + good
    assert_stands_alone(validator(bad), answer, "ni « {{ », ni « {% », ni « {# »", validator)


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda char: f"U+{ord(char):04X}")
@pytest.mark.parametrize("answer", PAGE_ANSWERS)
def test_every_page_answer_refuses_invisible_and_control_characters(answer, char):
    validator, good = PAGE_ANSWERS[answer]
    bad = good[:5] + char + good[5:]
    assert_stands_alone(validator(bad), answer, f"U+{ord(char):04X}", validator)
    assert "en position 6" in validator(bad)


def test_a_bidirectional_mark_is_named_for_what_it_does():
    assert "sens d'écriture" in naming.service_name_error("Mon \u202eService")


@pytest.mark.parametrize(
    "name",
    [
        "Mon Service Public",
        "L'Île aux Démarches",
        "Ça {marche} #1 { vraiment #}",  # lone braces and a closing mark open nothing
        "Aide\u00a0: simple",  # no-break spaces of French typography are ordinary spaces
        "Entr’aide\u202f!",
        "Café\u0301",  # a combining accent is not invisible
        "شمس",  # right-to-left text is welcome, only the marks that flip it are not
    ],
)
def test_service_name_accepts_real_names(name):
    assert naming.service_name_error(name) == ""


@pytest.mark.parametrize(
    ("validator", "answer", "shortest", "longest", "example"),
    [
        (naming.service_name_error, "service_name", 2, 60, "Mon Service Public"),
        (naming.description_error, "service_description", 2, naming.DESCRIPTION_MAX, "Trouver un stage en quelques minutes."),
        (naming.incubator_error, "incubator", 2, naming.ORGANISATION_MAX, "Incubateur de la DINUM"),
        (naming.administration_error, "administration", 2, naming.ORGANISATION_MAX, "Ministère de la Culture"),
    ],
)
def test_text_answers_have_a_length_range(validator, answer, shortest, longest, example):
    sentence = ("Trouver un stage en quelques minutes, sans se déplacer, avec l'aide d'un conseiller. " * 15)[: longest - 1] + "."
    assert validator(sentence) == ""
    assert validator("  " + sentence + "  ") == "", "les espaces autour ne comptent pas"
    for bad in [sentence[: shortest - 1], sentence + "x"]:
        message = validator(bad)
        assert_stands_alone(message, answer, f"entre {shortest} et {longest} caractères, il en fait {len(bad)}", validator)


def test_description_holds_at_least_three_hundred_characters():
    assert naming.DESCRIPTION_MAX >= 300


@pytest.mark.parametrize(
    ("validator", "answer"),
    [(naming.service_name_error, "service_name"), (naming.description_error, "service_description"), (naming.incubator_error, "incubator")],
)
def test_required_text_answers_refuse_blank(validator, answer):
    for blank in ["", "   "]:
        message = validator(blank)
        assert message.startswith(f"{answer} : ")
        assert validator(passing_example(message)) == ""


def test_administration_may_stay_blank():
    assert naming.administration_error("") == naming.administration_error("  ") == ""


def test_email_length_is_capped_at_what_smtp_carries():
    longest = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".fr"
    assert len(longest) <= naming.EMAIL_MAX and naming.email_error(longest) == ""
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr"
    assert_stands_alone(naming.email_error(too_long), "contact_email", f"{naming.EMAIL_MAX} caractères au plus", naming.email_error)


@pytest.mark.parametrize("address", ["contact", "a b@x.fr", "a@x"])
def test_email_format_message_stands_alone(address):
    assert_stands_alone(naming.email_error(address), "contact_email", "adresse électronique valide", naming.email_error)


@pytest.mark.parametrize("answer", ["repository_url", "matomo_url"])
def test_url_format_message_stands_alone(answer):
    validator = PAGE_ANSWERS[answer][0]
    assert_stands_alone(validator("http://stats.beta.gouv.fr"), answer, "en https", validator)


def test_roles_message_speaks_to_both_the_terminal_and_the_command_line():
    assert naming.roles_error(["dev"]) == ""
    message = naming.roles_error([])
    assert message.startswith("roles : ") and "au moins un rôle parmi intra, coach, dev, design, deploiement" in message
    assert "barre d'espace" in message, "dans le terminal, on coche"
    example = re.search(r"-d 'roles=(\[.*?\])'", message).group(1)
    assert naming.roles_error(yaml.safe_load(example)) == "", "l'exemple en ligne de commande passe"


@pytest.mark.parametrize("day", ["2026-02-28", "2024-02-29", "2026-01-05", "2026-12-31", "2015-01-01", "2100-12-31"])
def test_existing_dates_are_accepted(day):
    assert dates.date_error(day) == ""


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        ("2026-02-30", "« 2026-02-30 » n'existe pas, février 2026 n'a que 28 jours"),
        ("2025-02-29", "« 2025-02-29 » n'existe pas, février 2025 n'a que 28 jours"),
        ("2026-04-31", "avril 2026 n'a que 30 jours"),
        ("2026-13-01", "« 2026-13-01 » n'existe pas, le mois va de 01 à 12"),
        ("2026-00-10", "le mois va de 01 à 12"),
        ("2026-01-00", "le jour va de 01 à 31"),
        ("05/01/2026", "au format AAAA-MM-JJ"),
        ("2026-1-5", "au format AAAA-MM-JJ"),
        ("20260105", "au format AAAA-MM-JJ"),
        ("2026-W01-1", "au format AAAA-MM-JJ"),
        ("demain", "au format AAAA-MM-JJ"),
        ("", "au format AAAA-MM-JJ"),
        ("1999-01-01", "l'année 1999 semble erronée"),
    ],
)
def test_wrong_dates_are_refused_with_the_reason(day, rule):
    assert_stands_alone(dates.date_error(day), "construction_start", rule, dates.date_error)


def test_a_date_that_does_not_exist_suggests_the_last_day_of_its_month():
    assert passing_example(dates.date_error("2026-02-30")) == "2026-02-28"
    assert passing_example(dates.date_error("2024-02-30")) == "2024-02-29"


# ---------------------------------------------------------------- answers written into Python

# Answers at the edges of what the questions accept, as they reach an app's Python settings.
PYTHON_VALUES = [
    "",
    "Mon Service Public",
    "x" * 60,
    '"' * 60,
    "\\" * 60,
    "'" * 30 + '"' * 31,
    "Le « Guichet » d’Aide : démarches 日本語 😀 et e\u0301 combinés",
    ("Le service aide les usagers à trouver, en quelques minutes et sans se déplacer, l'aide qui leur revient. " * 3)[:300],
    ("Un « mot » très-long-sans-espace-" * 10)[:300],
    'Il a dit "oui" puis "non" ' * 11,
    "日本語の説明 " * 40,
    "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".fr",
    "https://github.com/betagouv/" + "x" * 200,
    "l'" + "Incubateur des territoires " * 4 + "x" * 8,
]


def test_python_assignments_read_back_and_pass_the_generated_projects_lint(tmp_path):
    """Every answer the questions accept becomes a Python constant that ruff leaves as it is (no line too
    long, nothing to reformat) and that reads back as the answer."""
    project = tmp_path / "constants"
    project.mkdir()
    # The ruff configuration of the stack whose app holds the answers as Python constants.
    (python_stack,) = [folder for folder in (ROOT / "template").glob("{{ for_stack(*) }}") if (folder / "pyproject.toml").is_file()]
    (project / "pyproject.toml").write_text((python_stack / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    names = [f"VALUE_{index}" for index in range(len(PYTHON_VALUES))]
    names[0] = "SERVICE_INCUBATOR_IN_SENTENCE"
    module = "\n".join(naming.python_assignment(value, name) for name, value in zip(names, PYTHON_VALUES, strict=True)) + "\n"
    (project / "constants.py").write_text(module, encoding="utf-8")
    ruff = str(Path(sys.executable).parent / "ruff")
    for command in ([ruff, "check", "constants.py"], [ruff, "format", "--diff", "constants.py"]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    tree = ast.parse(module)
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}
    assert [values[name] for name in names] == [value.strip() for value in PYTHON_VALUES]


def test_long_python_values_are_cut_between_words():
    assignment = naming.python_assignment(PYTHON_VALUES[7], "SERVICE_DESCRIPTION")
    pieces = [ast.literal_eval(line.strip()) for line in assignment.splitlines()[1:-1]]
    assert len(pieces) == 3
    assert all(piece.endswith(" ") for piece in pieces[:-1])


# ---------------------------------------------------------------- long answers (each app stack's own tests put them through its checks)

LONG_DESCRIPTION = (
    "Le service aide les usagers à trouver, en quelques minutes et sans se déplacer, l'aide à laquelle ils ont "
    "droit, à préparer les pièces que l'administration leur demande et à suivre leur dossier jusqu'à la réponse, "
    "avec l'appui d'un conseiller quand la démarche se complique ou que le délai s'allonge."
)
# Up to the limit, within a word: the sentence goes on with its own words, cut on a space, and ends
# with its period.
_words = (LONG_DESCRIPTION[len("Le service ") : -1] + ",").split() * 5
while len(LONG_DESCRIPTION) + len(_words[0]) + 1 <= naming.DESCRIPTION_MAX:
    LONG_DESCRIPTION = LONG_DESCRIPTION[:-1] + " " + _words.pop(0).rstrip(",") + "."
LONG_ORGANISATION = (
    "Ministère de l'Aménagement du territoire, de la Transition écologique et de la Cohésion des territoires ruraux et marins"
)
LONG_INCUBATOR = "Incubateur « Fabrique numérique » du ministère de la Transition écologique et de la Cohésion des territoires, La Défense"
LONG_ANSWERS = {
    "service_name": 'Le "Guichet" d’Aide aux Démarches des Territoires Ruraux',
    "service_description": LONG_DESCRIPTION,
    "administration": LONG_ORGANISATION,
    "incubator": LONG_INCUBATOR,
    "contact_email": "contact.du.guichet.aide.demarches@guichet-aide-aux-demarches-des-territoires-ruraux.beta.gouv.fr",
    "repository_url": "https://github.com/betagouv/guichet-aide-aux-demarches-des-territoires-ruraux-et-de-la-cohesion",
    "matomo_url": "https://stats.fabrique-numerique.ecologie.gouv.fr/matomo-de-la-fabrique-numerique-des-territoires",
    "matomo_site_id": "124",
}


def test_the_long_answers_are_at_the_limits():
    assert naming.DESCRIPTION_MAX - 20 < len(LONG_DESCRIPTION) <= naming.DESCRIPTION_MAX
    assert len(LONG_ORGANISATION) == len(LONG_INCUBATOR) == naming.ORGANISATION_MAX
    for answer, (validator, _) in PAGE_ANSWERS.items():
        assert validator(LONG_ANSWERS[answer]) == "", answer


def test_readme_shows_the_message_copier_prints(tmp_path):
    """The README warns that Copier's own words are English, with a message as Copier prints it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Les questions", 1)[1].split("\n## ", 1)[0]
    assert "en anglais" in section
    result = copier_copy(tmp_path / "service", "service_name=Mon Service", "construction_start=2026-02-30")
    assert last_line(result).removeprefix("ValueError: ") in section


@pytest.mark.parametrize("answer", ["matomo_url", "repository_url"])
@pytest.mark.parametrize(
    "url",
    [
        'https://stats.example.fr/"><script>alert(1)</script>',
        "https://a.example.fr/x'y",
        "https://a.example.fr/{x}",
        "https://a.example.fr/a\\b",
    ],
)
def test_urls_refuse_characters_that_break_an_html_attribute_or_a_markdown_link(answer, url):
    """The docs paste the addresses into HTML attributes (the Matomo snippet) and Markdown links."""
    message = naming.https_url_error(url, answer, "https://stats.beta.gouv.fr")
    assert message.startswith(f"{answer} : ") and "guillemet" in message
    assert naming.https_url_error("https://stats.beta.gouv.fr/matomo/?a=1&b=%22", answer, "https://stats.beta.gouv.fr") == ""
