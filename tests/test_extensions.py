"""Unit tests of the extensions' pure functions (extensions/*.py)."""

import datetime as dt

import pytest

from conftest import ROOT, load_extension

naming = load_extension("naming")
dates = load_extension("dates")
playbook_ext = load_extension("playbook")
PLAYBOOK = playbook_ext.load_playbook(ROOT / "playbook")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Mon Service Public", "mon-service-public"),
        ("L'Île aux Démarches", "l-ile-aux-demarches"),
        ('Le "Guichet" d’Aide', "le-guichet-d-aide"),
        ("  Œuvre & Cie  ", "oeuvre-cie"),
        ("ÉTÉ 2026", "ete-2026"),
        ("---", ""),
        ("x" * 80, "x" * 63),
    ],
)
def test_slugify(name, slug):
    assert naming.slugify(name) == slug


def test_slug_of_any_valid_name_is_a_dns_label_or_empty():
    for name in ["Aide à l'Emploi", "A-B", "Ça & Là", "1 2 3", "Démarches-Simplifiées"]:
        slug = naming.slugify(name)
        assert slug == "" or naming.DNS_LABEL.match(slug), name


@pytest.mark.parametrize("name", ["Mon Service Public", "AB", "x" * 60, " Espaces autour ", "L'Île aux Démarches"])
def test_service_name_accepted(name):
    assert naming.service_name_error(name) == ""


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("", "obligatoire"),
        ("   ", "obligatoire"),
        ("A", "entre 2 et 60"),
        ("x" * 61, "entre 2 et 60"),
        ("x" * 200, "il en fait 200"),
        ("Ligne\nsuivante", "caractère de contrôle"),
        ("Tab\there", "caractère de contrôle"),
        ("Nom {{ injecté }}", "ni « {{ », ni « {% », ni « {# »"),
        ("Nom {% if %}", "ni « {{ », ni « {% », ni « {# »"),
    ],
)
def test_service_name_refused_with_the_rule(name, rule):
    message = naming.service_name_error(name)
    assert message.startswith("service_name : ")
    assert rule in message
    assert "exemple qui passe" in message


@pytest.mark.parametrize("slug", ["a", "mon-service", "a1", "x" * 63, "123"])
def test_service_slug_accepted(slug):
    assert naming.service_slug_error(slug) == ""


@pytest.mark.parametrize("slug", ["", "mon service", "-mon", "mon-", "Mon", "é", "x" * 64, "mon_service"])
def test_service_slug_refused_with_a_suggestion(slug):
    message = naming.service_slug_error(slug)
    assert message.startswith("service_slug : ")
    assert "essayez" in message or "exemple qui passe" in message


def test_slug_refusal_suggests_a_valid_slug():
    assert "« mon-service »" in naming.service_slug_error("Mon Service")


@pytest.mark.parametrize("address", ["contact@mon-service.beta.gouv.fr", "a.b+c@x.fr", "prenom.nom@beta.gouv.fr"])
def test_email_accepted(address):
    assert naming.email_error(address) == ""


@pytest.mark.parametrize("address", ["", "contact", "contact@", "@x.fr", "a b@x.fr", "a@x", "a@@x.fr", "a@-x.fr"])
def test_email_refused(address):
    assert naming.email_error(address).startswith("contact_email : ")


def test_https_url_validator():
    assert naming.https_url_error("https://stats.beta.gouv.fr", "matomo_url", "e") == ""
    assert naming.https_url_error("https://github.com/betagouv/x", "repository_url", "e") == ""
    for bad in ["http://stats.beta.gouv.fr", "stats.beta.gouv.fr", "https://a b.fr", ""]:
        assert naming.https_url_error(bad, "matomo_url", "https://x").startswith("matomo_url : ")


def warnings_for(name):
    return " ".join(naming.naming_warnings(name, naming.slugify(name)))


def test_no_warning_for_a_short_plain_name():
    assert naming.naming_warnings("Mon Service", "mon-service") == []


def test_long_slug_warning():
    assert "caractères" in warnings_for("Plateforme nationale des démarches")
    assert "beta.gouv.fr" in warnings_for("Plateforme nationale des démarches")
    assert warnings_for("Dossier Facile") == ""


def test_long_name_warning():
    assert "se retient mieux" in warnings_for("Le service public de la formation continue")


@pytest.mark.parametrize("name", ["RSA Facile", "Aide CAF", "ÎLE verte", "Le portail ANTS"])
def test_acronym_warning(name):
    assert "sigle" in warnings_for(name)


@pytest.mark.parametrize("name", ["Mon Service", "Île verte", "A"])
def test_no_acronym_warning(name):
    assert "sigle" not in warnings_for(name)


def test_accent_warning_only_when_the_slug_loses_something():
    assert "accents" in warnings_for("L'Île aux Démarches")
    assert "accents" in warnings_for("Ça roule")
    assert "accents" not in warnings_for("Mon Service")


@pytest.mark.parametrize(("name", "word"), [("Beta Emploi", "beta"), ("GouvConnect", "gouv"), ("Mon service beta", "beta")])
def test_reserved_words_warning(name, word):
    assert f"« {word}" in warnings_for(name)


def test_no_reserved_word_warning_inside_other_words():
    assert "Le nom contient" not in warnings_for("Alphabet Emploi")


def test_naming_links_are_encoded():
    links = naming.naming_links("L'Île aux Démarches", "l-ile-aux-demarches")
    assert links["inpi"].startswith("https://data.inpi.fr/search?")
    assert " " not in links["inpi"] and " " not in links["google"]
    assert "%C3%8Ele" in links["inpi"]
    assert links["rdap_fr"] == "https://rdap.nic.fr/domain/l-ile-aux-demarches.fr"
    assert links["beta_subdomain_request"].startswith("https://espace-membre.beta.gouv.fr/")


@pytest.mark.parametrize(
    ("start", "offset", "expected"),
    [
        ("2026-01-05", {"weeks": 2}, "2026-01-19"),
        ("2026-01-05", {"weeks": 9}, "2026-03-09"),
        ("2026-01-05", {"months": 3}, "2026-04-05"),
        ("2026-01-31", {"months": 1}, "2026-02-28"),
        ("2028-01-31", {"months": 1}, "2028-02-29"),
        ("2026-11-15", {"months": 3}, "2027-02-15"),
        ("2026-01-05", {"months": 6, "weeks": -1}, "2026-06-28"),
        ("2026-08-31", {"months": 6}, "2027-02-28"),
    ],
)
def test_offsets_are_calendar_arithmetic(start, offset, expected):
    assert dates.add_offset(start, offset).isoformat() == expected


@pytest.mark.parametrize(
    ("start", "offset", "expected", "why"),
    [
        ("2026-01-05", {"weeks": 2}, "2026-01-19", "un lundi ordinaire reste en place"),
        ("2026-01-05", {"months": 3}, "2026-04-07", "dimanche de Pâques puis lundi de Pâques"),
        ("2026-01-31", {"months": 1}, "2026-03-02", "samedi 28 février"),
        ("2026-01-05", {"months": 6, "weeks": -1}, "2026-06-29", "dimanche 28 juin"),
        ("2026-06-24", {"months": 6}, "2026-12-24", "le 24 décembre est un jour ouvré"),
        ("2026-07-31", {"months": 5}, "2027-01-04", "31 décembre, 1er janvier, puis le week-end"),
        ("2026-11-14", {"months": 6}, "2027-05-14", "vendredi ordinaire après l'Ascension"),
        ("2026-11-08", {"months": 6}, "2027-05-10", "samedi 8 mai puis dimanche"),
        ("2027-01-25", {"weeks": 2}, "2027-02-08", "lundi ordinaire"),
        ("2026-12-24", {"weeks": 4, "days": 4}, "2027-01-25", "jeudi ordinaire"),
        ("2027-04-06", {"months": 1}, "2027-05-07", "jeudi 6 mai, Ascension 2027"),
        ("2027-04-17", {"months": 1}, "2027-05-18", "lundi de Pentecôte 17 mai 2027"),
        ("2026-06-14", {"months": 1}, "2026-07-15", "14 juillet"),
        ("2026-07-15", {"months": 1}, "2026-08-17", "15 août un samedi"),
        ("2026-10-01", {"months": 1}, "2026-11-02", "1er novembre un dimanche"),
        ("2026-10-11", {"months": 1}, "2026-11-12", "11 novembre un mercredi"),
        ("2026-11-25", {"months": 1}, "2026-12-28", "25 décembre un vendredi, puis le week-end"),
        ("2026-04-01", {"months": 1}, "2026-05-04", "1er mai un vendredi, puis le week-end"),
    ],
)
def test_due_dates_land_on_a_working_day_in_france(start, offset, expected, why):
    assert dates.due_date(offset, start) == expected, why
    day = dt.date.fromisoformat(expected)
    assert day.weekday() < 5 and day not in dates.public_holidays_fr(day.year) and (day.month, day.day) != (12, 31)


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2038, "2038-04-25"), (2100, "2100-03-28")],
)
def test_easter_sunday(year, easter):
    assert dates.easter_sunday(year).isoformat() == easter


def test_the_eleven_public_holidays_of_2027():
    expected = ["01-01", "03-29", "05-01", "05-06", "05-08", "05-17", "07-14", "08-15", "11-01", "11-11", "12-25"]
    assert sorted(day.isoformat()[5:] for day in dates.public_holidays_fr(2027)) == expected


def test_every_playbook_due_date_is_a_working_day_for_a_whole_year_of_starts():
    """Whatever the start date, no deadline of the playbook falls on a day off."""
    offsets = [item["due"] for section in PLAYBOOK["checklist"]["sections"] for item in section["items"] if item.get("due")]
    start = dt.date(2026, 1, 1)
    for shift in range(731):
        for offset in offsets:
            day = dt.date.fromisoformat(dates.due_date(offset, start + dt.timedelta(days=shift)))
            assert dates.is_working_day(day), (start + dt.timedelta(days=shift), offset, day)


def test_no_offset_means_no_due_date():
    assert dates.due_date(None, "2026-01-05") == ""
    assert dates.due_date({}, "2026-01-05") == ""


@pytest.mark.parametrize("value", ["2026-01-05", "2015-01-01", "2100-12-31"])
def test_date_accepted(value):
    assert dates.date_error(value) == ""


@pytest.mark.parametrize("value", ["", "05/01/2026", "2026-13-01", "2026-02-30", "demain", "1999-01-01", "2026-1-5"])
def test_date_refused(value):
    assert dates.date_error(value).startswith("construction_start : ")


def test_today_is_iso():
    assert dates.today() == dt.date.today().isoformat()


def test_date_fr():
    assert dates.date_fr("2026-01-05") == "5 janvier 2026"
    assert dates.date_fr("2026-08-01") == "1er août 2026"


def test_owners_follow_roles_and_fall_back_to_the_intrapreneur():
    item = {"owners": ["dev", "design"]}
    assert playbook_ext.owners(item, ["dev", "intra"]) == ["dev"]
    assert playbook_ext.owners(item, ["design", "dev"]) == ["dev", "design"]
    assert playbook_ext.owners(item, ["coach"]) == ["intra"]


def test_resolve_checklist_labels(playbook):
    sections = playbook_ext.resolve_checklist(playbook, ["coach"])
    items = [item for section in sections for item in section["items"]]
    assert {label for item in items for label in item["owner_labels"]} <= {"Coach", "Intrapreneur·e"}
    assert all(item["owner_ids"] for item in items)


# --------------------------------------------------------------------------- French grammar (francais.py)

francais = load_extension("francais")


@pytest.mark.parametrize(
    ("name", "article", "of", "to"),
    [
        ("Incubateur de la DINUM", "l'Incubateur de la DINUM", "de l'Incubateur de la DINUM", "à l'Incubateur de la DINUM"),
        ("Ministère de la Culture", "le Ministère de la Culture", "du Ministère de la Culture", "au Ministère de la Culture"),
        ("ministère de l'Intérieur", "le ministère de l'Intérieur", "du ministère de l'Intérieur", "au ministère de l'Intérieur"),
        (
            "Agence nationale de la cohésion des territoires",
            "l'Agence nationale de la cohésion des territoires",
            "de l'Agence nationale de la cohésion des territoires",
            "à l'Agence nationale de la cohésion des territoires",
        ),
        (
            "Direction interministérielle du numérique",
            "la Direction interministérielle du numérique",
            "de la Direction interministérielle du numérique",
            "à la Direction interministérielle du numérique",
        ),
        (
            "Services du Premier ministre",
            "les Services du Premier ministre",
            "des Services du Premier ministre",
            "aux Services du Premier ministre",
        ),
        (
            "Fabrique numérique {Écologie}",
            "la Fabrique numérique {Écologie}",
            "de la Fabrique numérique {Écologie}",
            "à la Fabrique numérique {Écologie}",
        ),
        ("DINUM", "la DINUM", "de la DINUM", "à la DINUM"),
        ("ANCT", "l'ANCT", "de l'ANCT", "à l'ANCT"),
        ("Insee", "l'Insee", "de l'Insee", "à l'Insee"),
        ("France Travail", "France Travail", "de France Travail", "à France Travail"),
        ("Aides Locales", "Aides Locales", "d'Aides Locales", "à Aides Locales"),
        ("Écoute Citoyenne", "Écoute Citoyenne", "d'Écoute Citoyenne", "à Écoute Citoyenne"),
        ("Haute-Garonne Numérique", "Haute-Garonne Numérique", "de Haute-Garonne Numérique", "à Haute-Garonne Numérique"),
        ("L'Incubateur d'Occitanie", "L'Incubateur d'Occitanie", "de L'Incubateur d'Occitanie", "à L'Incubateur d'Occitanie"),
        ("Le Lab Santé", "Le Lab Santé", "du Lab Santé", "au Lab Santé"),
        ("La Poste", "La Poste", "de La Poste", "à La Poste"),
        (
            "  Incubateur   des territoires ",
            "l'Incubateur des territoires",
            "de l'Incubateur des territoires",
            "à l'Incubateur des territoires",
        ),
    ],
)
def test_articles_elision_and_contractions(name, article, of, to):
    assert francais.avec_article(name) == article
    assert francais.de(name) == of
    assert francais.au(name) == to
    assert francais.par(name) == f"par {article}"


def test_an_empty_name_stays_empty():
    assert francais.avec_article("") == ""
    assert francais.avec_article(None) == ""


@pytest.mark.parametrize(("count", "text"), [(0, "0 lien"), (1, "1 lien"), (2, "2 liens"), (-1, "-1 lien"), (12, "12 liens")])
def test_plural_from_two_on(count, text):
    assert francais.pluriel(count, "lien") == text


def test_plural_with_its_own_form():
    assert francais.pluriel(3, "problème à corriger", "problèmes à corriger") == "3 problèmes à corriger"
    assert francais.pluriel(5, "mois", "mois") == "5 mois"


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        ({"months": 3}, "3 mois"),
        ({"weeks": 2}, "2 semaines"),
        ({"weeks": 1}, "1 semaine"),
        ({"months": 6, "weeks": -1}, "6 mois moins 1 semaine"),
        ({"days": 1}, "1 jour"),
        (None, ""),
        ({}, ""),
    ],
)
def test_delays_in_words(offset, words):
    assert francais.duree(offset) == words


@pytest.mark.parametrize("name", ["", "  ", "Ministère de la Culture", "DINUM", "x" * 120])
def test_administration_accepted(name):
    assert naming.administration_error(name) == ""


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("x", "entre 2 et 120 caractères"),
        ("x" * 121, "entre 2 et 120 caractères"),
        ("Ministère\nde la Culture", "caractère de contrôle"),
        ("Ministère {{ x }}", "ni « {{ », ni « {% », ni « {# »"),
    ],
)
def test_administration_refused_with_a_message_that_stands_alone(name, rule):
    message = naming.administration_error(name)
    assert message.startswith("administration : ")
    assert rule in message
    assert "exemple qui passe : « Ministère de la Culture »" in message


# --------------------------------------------------------------------------- agreement, quoted names, sentences


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Direction interministérielle du numérique", "éditrice"),
        ("Agence nationale de la cohésion des territoires", "éditrice"),
        ("DINUM", "éditrice"),
        ("Ministère de la Culture", "éditeur"),
        ("France Travail", "éditeur"),
        ("Services du Premier ministre", "éditeur"),
    ],
)
def test_the_publisher_word_agrees_with_the_name(name, word):
    assert francais.accord(name, "éditeur", "éditrice") == word


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("Hébergement d'Urgence", "d'« Hébergement d'Urgence »"),
        ("Aides Locales", "d'« Aides Locales »"),
        ("Île Emploi", "d'« Île Emploi »"),
        ("Œuvres d'Art", "d'« Œuvres d'Art »"),
        ("Mon Guichet", "de « Mon Guichet »"),
        ("Haute Vallée", "de « Haute Vallée »"),
        ("Le Guichet Unique", "du « Guichet Unique »"),
        ("Les Petits Pas", "des « Petits Pas »"),
        ("La Bonne Boîte", "de « La Bonne Boîte »"),
        ("L'Habitat Facile", "de « L'Habitat Facile »"),
        ("Lecture Facile", "de « Lecture Facile »"),
    ],
)
def test_de_elides_before_a_quoted_name(name, quoted):
    assert francais.de_cite(name) == quoted


def test_a_mute_h_elides_and_an_aspirated_one_does_not():
    assert francais.de("Hébergement d'Urgence") == "d'Hébergement d'Urgence"
    assert francais.de("Haute Vallée") == "de Haute Vallée"


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("Trouver un stage en quelques minutes", "Trouver un stage en quelques minutes."),
        ("Trouver un stage.", "Trouver un stage."),
        ("  Vraiment ?  ", "Vraiment ?"),
        ("Il l'a dit : « c'est fini. »", "Il l'a dit : « c'est fini. »"),
        ("Une démarche (en ligne)", "Une démarche (en ligne)."),
        ("Trois étapes ;", "Trois étapes."),
        ("Sur deux\nlignes", "Sur deux lignes."),
        ("", ""),
    ],
)
def test_phrase_ends_the_sentence_whatever_was_typed(typed, sentence):
    assert francais.phrase(typed) == sentence


depot = load_extension("depot")


def test_a_path_is_deleted_by_the_team_only_when_a_commit_removed_it(tmp_path):
    from update_helpers import commit_all, git

    assert depot.deleted_by_team(tmp_path, "docs/kit/dev.md") is False, "no git: nothing deleted"
    kit = tmp_path / "docs" / "kit" / "dev.md"
    kit.parent.mkdir(parents=True)
    kit.write_text("# Kit\n")
    commit_all(tmp_path, "Création")
    assert depot.deleted_by_team(tmp_path, "docs/kit/dev.md") is False
    assert depot.deleted_by_team(tmp_path, "docs/kit/design.md") is False, "never there: not deleted"
    git("rm", "-q", "docs/kit/dev.md", cwd=tmp_path)
    commit_all(tmp_path, "Sans kit dev")
    assert depot.deleted_by_team(tmp_path, "docs/kit/dev.md") is True
    kit.parent.mkdir(parents=True, exist_ok=True)
    kit.write_text("# Kit revenu\n")
    git("add", "docs/kit/dev.md", cwd=tmp_path)
    assert depot.deleted_by_team(tmp_path, "docs/kit/dev.md") is False, "back in the index: not deleted"
