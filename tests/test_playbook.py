"""The playbook data (playbook/*.yml): complete, consistent and traced to its sources."""

import re
from collections import Counter
from pathlib import Path

import pytest

ROLE_IDS = {"intra", "coach", "dev", "design", "deploiement"}
SOURCE_HOSTS = ("https://doc.incubateur.net/communaute/", "https://beta.gouv.fr/")


def all_items(playbook):
    return [item for section in playbook["checklist"]["sections"] for item in section["items"]]


def section(playbook, section_id):
    return next(s for s in playbook["checklist"]["sections"] if s["id"] == section_id)


def test_ids_are_unique_and_well_formed(playbook):
    ids = [item["id"] for item in all_items(playbook)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z][0-9]{2}", item_id) for item_id in ids)
    assert len({s["id"] for s in playbook["checklist"]["sections"]}) == len(playbook["checklist"]["sections"])


def test_every_item_is_complete(playbook):
    kinds = set(playbook["checklist"]["kinds"])
    for item in all_items(playbook):
        assert item["text"].strip() and item["text"].endswith(".") and "\n" not in item["text"], item["id"]
        assert item["owners"] and set(item["owners"]) <= ROLE_IDS, item["id"]
        assert item["kind"] in kinds, item["id"]
        assert item["source"].startswith(SOURCE_HOSTS), item["id"]
        assert set(item.get("due", {})) <= {"months", "weeks", "days"}, item["id"]


def test_entry_checklist_has_its_eight_items(playbook):
    assert len(section(playbook, "entree")["items"]) == 8


# Standards / bonnes pratiques / bonus per category of the 3-month checklist, as counted on its source page.
PHASE_COUNTS = {
    "impact": (3, 1, 0),
    "transparence": (4, 2, 0),
    "organisation": (3, 1, 0),
    "utilisateurs": (6, 3, 1),
    "developpement": (4, 1, 0),
    "accessibilite": (2, 1, 0),
    "securite": (5, 2, 0),
}


@pytest.mark.parametrize(("section_id", "counts"), PHASE_COUNTS.items())
def test_three_month_checklist_matches_its_source(playbook, section_id, counts):
    kinds = Counter(item["kind"] for item in section(playbook, section_id)["items"])
    assert (kinds["standard"], kinds["bonne-pratique"], kinds["bonus"]) == counts
    # Standards are due at 3 months, the date the source page sets for this checklist.
    for item in section(playbook, section_id)["items"]:
        if item["kind"] == "standard":
            assert item["due"] == {"months": 3}


def test_first_months_milestones(playbook):
    due = {item["id"]: item.get("due") for item in all_items(playbook)}
    assert due["E01"] == {"weeks": 2}  # fiche produit
    assert due["J01"] == {"weeks": 2}  # name
    assert due["J03"] == {"months": 2}  # first user served
    assert due["J04"] == {"weeks": 9}  # first version online
    assert due["I03"] == {"months": 3}  # first version in production
    assert due["C05"] == {"months": 6}  # investment committee
    assert due["C03"] == {"months": 6, "weeks": -1}  # material one week before


def test_the_coach_kit_typo_is_not_repeated(playbook):
    rehearsal = next(item for item in all_items(playbook) if item["id"] == "C04")
    assert rehearsal["due"] == {"months": 6, "weeks": -1}


def test_timeline_milestones_are_dated(playbook):
    milestones = [item for item in all_items(playbook) if "milestone" in item]
    assert len(milestones) >= 6
    assert all(item.get("due") for item in milestones)
    assert all(":" not in item["milestone"] and "#" not in item["milestone"] for item in milestones)


def test_every_role_has_a_kit(playbook):
    roles = {role["id"] for role in playbook["roles"]["roles"]}
    assert roles == ROLE_IDS
    assert set(playbook["kits"]) == roles
    for role, kit in playbook["kits"].items():
        assert kit["objective"] and kit["sections"], role
        assert all(s["points"] for s in kit["sections"]), role
        assert all(source.startswith("https://") for source in kit["sources"]), role


def test_every_role_owns_items(playbook):
    owned = {role for item in all_items(playbook) for role in item["owners"]}
    assert owned == ROLE_IDS


def test_tracked_link_vocabulary(playbook):
    conventions = playbook["liens-suivis"]
    pattern = re.compile(conventions["value_pattern"])
    for value in list(conventions["sources"]) + list(conventions["mediums"]):
        assert pattern.fullmatch(value), value
    assert re.fullmatch(conventions["campaign_pattern"], conventions["campaign_example"])
    assert conventions["keyword_separator"] not in "".join(conventions["sources"]) + "".join(conventions["mediums"])


def test_matomo_criteria_are_thirteen_and_assigned(playbook):
    criteria = playbook["matomo"]["criteria"]
    assert len(criteria) == 13
    assert {c["who"] for c in criteria} == {"code", "admin", "team"}
    assert len({c["id"] for c in criteria}) == 13


def item(playbook, item_id):
    return next(i for i in all_items(playbook) if i["id"] == item_id)


def test_the_dpo_rules_on_campaign_measurement(playbook):
    """The CNIL's position on campaign parameters is for the DPO to judge: an item asks for it."""
    dpo = item(playbook, "S08")
    assert dpo["owners"] == ["intra"] and "DPO" in dpo["text"] and "liens suivis" in dpo["text"]
    assert dpo["source"] == playbook["matomo"]["source"]
    assert playbook["matomo"]["cnil_campagnes"]["depuis"] and playbook["matomo"]["cnil_campagnes"]["sources"]


def test_the_default_contact_and_its_domain_have_an_owner(playbook):
    """contact@<slug>.beta.gouv.fr points nowhere until the subdomain and the mailbox exist."""
    subdomain, mailbox = item(playbook, "J05"), item(playbook, "J06")
    assert ".beta.gouv.fr" in subdomain["text"] and "contact_email" in mailbox["text"]
    assert all(i["owners"] for i in (subdomain, mailbox))
    first_months = [i["id"] for i in section(playbook, "premiers-mois")["items"]]
    assert first_months.index("J06") > first_months.index("J05")


TEMPLATE_SOURCES = ("template", "includes", "extensions", "playbook", "piles", "hebergeurs")


def template_texts():
    root = Path(__file__).resolve().parent.parent
    for folder in TEMPLATE_SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".jinja", ".md", ".py", ".yml", ".html", ".njk", ".tsx", ".ts"}:
                yield path, path.read_text(encoding="utf-8")


def test_the_members_space_has_one_address(playbook):
    """espace-membre.beta.gouv.fr (its application's own host), never espace-membre.incubateur.net."""
    members = playbook["communaute"]["espace_membre"]
    for key, url in playbook["communaute"].items():
        assert "espace-membre" not in url or url.startswith(members), key
    for path, text in template_texts():
        for found in re.findall(r"https?://espace-membre[.\w-]*", text):
            assert found == members, (path, found)


def test_community_addresses_come_from_the_playbook(playbook):
    """The doc pages of Grist and Sites Faciles and the Sentry instance are written once; Grist's page
    lives under autres/."""
    assert playbook["communaute"]["grist"].endswith("/les-outils-de-la-communaute/autres/grist")
    assert playbook["communaute"]["sites_faciles"].endswith("/les-outils-de-la-communaute/autres-services/sites-faciles")
    for path, text in template_texts():
        if path.name != "communaute.yml":
            assert "les-outils-de-la-communaute/autres/" not in text, path
            assert "autres-services/sites-faciles" not in text, path
            # Test fixtures of the apps may use it as a sample DSN host; prose may not.
            if path.suffix in {".md", ".yml"} or path.name.endswith(".md.jinja"):
                assert "sentry.incubateur.net" not in text, path
                assert "betagouv/dashlord" not in text, path
