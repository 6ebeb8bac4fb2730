"""Every page answers, says what it must say, and links to pages that exist."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from pages.views import server_error

from .helpers import read

# The words each page must contain (visible text, compared after white space is normalized).
PAGES = {
    "/": ["Un service en construction", settings.CONTACT_EMAIL],
    "/accessibilite/": [
        "Accessibilité : non conforme",
        "déclaration d'accessibilité",
        "schéma pluriannuel",
        "plan d'action annuel",
        "Défenseur des droits",
        settings.CONTACT_EMAIL,
    ],
    "/mentions-legales/": [
        "Éditeur",
        "édité par",
        "directeur de la publication",
        "Hébergement",
        settings.CONTACT_EMAIL,
    ],
    "/donnees-personnelles/": [
        "Finalité",
        "Durée de conservation",
        "Sous-traitants",
        "Matomo",
        "Vous opposer à la mesure d'audience",
        "Vos droits",
        settings.CONTACT_EMAIL,
    ],
    "/cgu/": ["Conditions générales d'utilisation", "Accès au service"],
    "/stats/": ["Matrice d'impact", "Utilisable", "Utilisé", "Utile", "Impactant", "Efficient", "Fréquentation"],
    "/budget/": ["Budget", "Poste de dépense", "Total"],
    "/aide/": ["Aide et contact", "Nous écrire", settings.CONTACT_EMAIL],
    "/plan-du-site/": ["Plan du site"],
}

FOOTER_LINKS = [
    "Plan du site",
    f"Accessibilité : {settings.ACCESSIBILITY_STATUS}",
    "Mentions légales",
    "Données personnelles",
    "Conditions générales d'utilisation",
    "Statistiques",
    "Budget",
    "Aide et contact",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_with_its_words(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    doc = read(html)
    for words in [*PAGES[path], settings.SERVICE_NAME]:
        assert words.casefold() in doc.text.casefold(), f"{path} : « {words} » manque"
    assert len(doc.h1) == 1, f"{path} : une seule balise h1 attendue, {doc.h1}"
    assert doc.meta.get("description"), f"{path} : pas de meta description"
    assert '<html lang="fr"' in html


@pytest.mark.parametrize("path", PAGES)
def test_every_link_has_a_target(client, path):
    """Crawlers (and Lighthouse's SEO score) skip links without href, such as a bare breadcrumb item."""
    doc = read(client.get(path).content.decode())
    assert all(link.href for link in doc.links), [link.text for link in doc.links if not link.href]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_states_its_accessibility(client, path):
    doc = read(client.get(path).content.decode())
    assert f"Accessibilité : {settings.ACCESSIBILITY_STATUS}" in doc.text


def test_footer_links_lead_to_real_pages(client):
    doc = read(client.get("/").content.decode())
    links = {link.text: link.href for link in doc.links}
    for label in FOOTER_LINKS:
        assert label in links, f"lien « {label} » absent du pied de page"
        response = client.get(links[label])
        assert response.status_code == 200, f"« {label} » ({links[label]}) répond {response.status_code}"
    assert links["Code source"] == settings.REPOSITORY_URL


def test_header_names_the_service(client):
    html = client.get("/").content.decode()
    assert "fr-header__brand" in html
    header = html[html.index("<header") : html.index("</header>")]
    assert settings.SERVICE_NAME in read(header).text
    assert "[url - à modifier]" not in html and "accès direct" not in html


def test_page_not_found(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    doc = read(response.content.decode())
    assert "Page non trouvée" in doc.text
    assert "Accessibilité : non conforme" in doc.text


def test_server_error_page():
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "Erreur inattendue" in read(response.content.decode()).text


@pytest.mark.django_db
def test_health_route(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


# The facts of the answers (pages/tests/faits.json, rendered by the template on every update): the page
# texts belong to the team, but these facts must stay true on them whatever the team wrote around them.
FACTS = json.loads(Path(__file__).with_name("faits.json").read_text(encoding="utf-8"))


def page_text(client, path: str) -> str:
    return " ".join(read(client.get(path).content.decode()).text.split())


def test_the_legal_notice_states_the_facts_of_the_answers(client):
    text = page_text(client, "/mentions-legales/")
    assert (FACTS["publisher"] or "l'administration porteuse (nom à compléter)") in text
    if FACTS["host"]:
        assert FACTS["host"]["name"] in text and FACTS["host"]["address"] in text
    for other in FACTS["other_hosts"]:
        assert other not in text, f"la page nomme un autre hébergeur : {other}"
    assert FACTS["contact_email"] in text
    assert FACTS["license"] in text and FACTS["repository_url"].removeprefix("https://") in text


def test_the_privacy_page_states_the_facts_of_the_answers(client):
    text = page_text(client, "/donnees-personnelles/")
    assert (FACTS["publisher"] or "l'administration porteuse (nom à compléter)") in text
    for processor in FACTS["processors"]:
        assert processor in text, f"sous-traitant absent : {processor}"
    for other in FACTS["other_hosts"]:
        assert other not in text, f"sous-traitant qui n'en est pas un : {other}"
    measured = "Sa fréquentation est mesurée avec Matomo" in text
    assert measured == FACTS["matomo_on"], "la page décrit la mesure d'audience dans un autre état que les réponses"
    assert ("quand elle est active" in text) != FACTS["matomo_on"]


def section_text(html: str, heading: str) -> str | None:
    """The visible text of the main content between the <h2> titled `heading` and the next <h2>."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", main, flags=re.DOTALL)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        if read(title).text == heading:
            return read(body).text
    return None


def test_the_administration_publishes_the_service_not_the_incubator(client):
    """Publisher, publication director's body and data controller: the sponsoring administration."""
    publisher = settings.SERVICE_PUBLISHER or "l'administration porteuse (nom à compléter)"
    incubator = settings.SERVICE_INCUBATOR
    sections = {
        "/mentions-legales/": ["Éditeur", "Directrice ou directeur de la publication"],
        "/donnees-personnelles/": ["Responsable des traitements"],
    }
    for path, headings in sections.items():
        html = client.get(path).content.decode()
        for heading in headings:
            text = section_text(html, heading)
            assert text is not None, f"{path} : section « {heading} » introuvable"
            assert publisher in text, f"{path}, « {heading} » : {text}"
            if heading != "Éditeur" and incubator not in publisher:
                assert incubator not in text, f"{path}, « {heading} » nomme l'incubateur : {text}"
    legal = client.get("/mentions-legales/").content.decode()
    footer = re.search(r'<p class="fr-footer__content-desc">(.*?)</p>', legal, re.DOTALL)
    assert footer, "pied de page : texte de présentation introuvable"
    footer_text = read(footer.group(1)).text
    assert f"Éditeur : {settings.SERVICE_PUBLISHER or 'administration porteuse, nom à compléter'}." in footer_text
    assert f"beta.gouv.fr, accompagnée par {settings.SERVICE_INCUBATOR_IN_SENTENCE}." in footer_text


def test_the_first_paint_waits_only_for_what_it_shows(client):
    """Marianne preloaded (a late font would shift the page), the utility stylesheet after the content."""
    html = client.get("/").content.decode()
    head, body = html.split("</head>", 1)
    preloaded = re.findall(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', head)
    assert [Path(href).name.split(".")[0] for href in preloaded] == ["Marianne-Regular", "Marianne-Bold"]
    sheets = re.findall(r'<link rel="stylesheet"\s+href="([^"]+)"', head)
    assert sheets and not any("utility" in href for href in sheets), sheets
    assert re.search(r'<link rel="stylesheet" href="[^"]+/utility/utility\.main\.min\.css">', body)
    assert client.get(preloaded[0]).status_code == 200
