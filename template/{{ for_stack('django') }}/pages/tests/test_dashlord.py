"""The DashLord checks of beta.gouv.fr (see dashlord.py), run against the pages as served."""

from . import dashlord
from .helpers import read
from .test_pages import PAGES


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    return html, read(html)


def test_dsfr_header(client):
    for path in PAGES:
        assert dashlord.has_dsfr_header(page(client, path)[0]), path


def test_accessibility_mention_and_declaration(client):
    for path in PAGES:
        mention, url = dashlord.accessibility_declaration(page(client, path)[1])
        assert mention == "Accessibilité : non conforme", path
        assert url == "/accessibilite/", path


def test_legal_notice_scores_4_of_4(client):
    url = dashlord.find_link(page(client, "/")[1], dashlord.LEGAL_NOTICE_LINKS)
    assert url == "/mentions-legales/"
    score = dashlord.words_score(page(client, url)[0], dashlord.LEGAL_NOTICE_WORDS)
    assert (score, dashlord.grade(score, dashlord.LEGAL_NOTICE_WORDS, url)) == (4, "A")


def test_privacy_policy_scores_4_of_4(client):
    url = dashlord.find_link(page(client, "/")[1], dashlord.PRIVACY_LINKS)
    assert url == "/donnees-personnelles/"
    score = dashlord.words_score(page(client, url)[0], dashlord.PRIVACY_WORDS)
    assert (score, dashlord.grade(score, dashlord.PRIVACY_WORDS, url)) == (4, "A")


def test_the_rules_catch_a_bad_page():
    """The re-implemented rules fail where DashLord fails: the referee itself is tested."""
    bad = read('<p>Le site est édité au sein de la DINUM.</p><a href="">Accessibilité : non conforme</a>')
    assert dashlord.accessibility_declaration(bad) == ("Accessibilité : non conforme", None)
    assert dashlord.words_score(str(bad.text), dashlord.LEGAL_NOTICE_WORDS) == 0
    assert dashlord.find_link(bad, dashlord.LEGAL_NOTICE_LINKS) is None
    # Fuzzy, as DashLord: a missing space still matches, another status does not.
    assert dashlord.fuzzy("Accessibilité : non conforme", "Pied de page. Accessibilité: non conforme.") > 0.9
    assert dashlord.fuzzy("Accessibilité : totalement conforme", "Accessibilité : non conforme") < 0.9
