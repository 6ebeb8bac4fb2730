"""A host is its description: a host added with nothing else but what each stack says of it works.

The template (its tracked and new files) is copied to a temporary folder, and a host that exists nowhere
else is added to it: `tests/fixtures/hebergeur-ajoute/essai.yml` as `hebergeurs/essai.yml`. Each app
stack offers it in its description (`hosts`) and says what its `stack_needs` asks (`deploy.per_host.essai`),
the only edit a stack makes for a new host. Then every app stack generates a repository for it: its
README deploys with the host's steps and its provisional address, its legal pages name the host and only
it, the facts its own tests read list the other hosts, and the shared text-truth rules hold.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import test_textes as textes
import yaml
from update_helpers import write_snapshot

from conftest import EXAMPLE_ANSWERS, HEBERGEURS, ROOT, app_stacks, load_extension

FIXTURE = ROOT / "tests" / "fixtures" / "hebergeur-ajoute"
HOST = "essai"
DESCRIPTION = yaml.safe_load((FIXTURE / f"{HOST}.yml").read_text(encoding="utf-8"))
STACKS = [stack for stack in app_stacks() if textes.PILES[stack]["hosts"]]


def offer_the_host(template: Path) -> None:
    """The host's description, and the two lines each app stack adds to offer it."""
    (template / "hebergeurs" / f"{HOST}.yml").write_text((FIXTURE / f"{HOST}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    for stack in STACKS:
        path = template / "piles" / f"{stack}.yml"
        description = yaml.safe_load(path.read_text(encoding="utf-8"))
        description["hosts"].append(HOST)
        description["deploy"]["per_host"][HOST] = {"runs": f"Sur l'hébergeur d'essai, {description['label']} se construit seule."}
        path.write_text(yaml.safe_dump(description, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Today's template in a plain folder, with the fixture host offered by every app stack."""
    folder = tmp_path_factory.mktemp("modele-hebergeur-ajoute")
    write_snapshot(folder)
    offer_the_host(folder)
    return folder


@pytest.fixture(scope="module")
def descriptions(template) -> tuple[dict, dict]:
    piles = load_extension("piles")
    return piles.load_stacks(template / "piles", template / "hebergeurs"), piles.load_hosts(template / "hebergeurs")


def test_the_fixture_host_is_new_and_says_what_every_host_says():
    assert HOST not in HEBERGEURS and STACKS
    for key in load_extension("piles").HOST_KEYS:
        assert key in DESCRIPTION, key


def test_a_stack_that_offers_it_without_saying_what_it_needs_is_refused(template, tmp_path):
    stacks, hosts = tmp_path / "piles", tmp_path / "hebergeurs"
    shutil.copytree(template / "piles", stacks)
    shutil.copytree(template / "hebergeurs", hosts)
    path = stacks / f"{STACKS[0]}.yml"
    description = yaml.safe_load(path.read_text(encoding="utf-8"))
    del description["deploy"]["per_host"][HOST]["runs"]
    path.write_text(yaml.safe_dump(description, allow_unicode=True), encoding="utf-8")
    with pytest.raises(load_extension("piles").DescriptionError, match=rf"deploy\.per_host\.{HOST}\.runs"):
        load_extension("piles").load_stacks(stacks, hosts)


@pytest.mark.parametrize("stack", STACKS)
def test_every_app_stack_deploys_on_it_and_names_it_alone(stack, template, descriptions, tmp_path):
    piles, hosts = descriptions
    answers = {**EXAMPLE_ANSWERS, "stack": stack, "hosting": HOST, "matomo_site_id": "12"}
    project = textes.generate(template, tmp_path / stack, answers)
    recorded = textes.stored_answers(project)
    slug = recorded["service_slug"]
    assert recorded["hosting"] == HOST

    readme = (project / "README.md").read_text(encoding="utf-8")
    deploy = readme.split("### Déployer", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    assert f"`essai create {slug}`" in deploy and f"<https://{slug}.essai-apps.example>" in deploy
    assert f"Sur l'hébergeur d'essai, {piles[stack]['label']} se construit seule." in deploy

    legal_name, street = DESCRIPTION["legal"]["name"], DESCRIPTION["legal"]["address"][0]
    texts = project / piles[stack]["page_texts"]
    legal = textes.normalized(texts / piles[stack]["tests"]["legal_page"])
    privacy = textes.normalized(texts / piles[stack]["tests"]["privacy_page"])
    assert legal_name in legal and street in legal and legal_name in privacy
    others = [host["legal"]["name"] for name, host in hosts.items() if name != HOST and host["legal"]]
    assert others and not [name for name in others if name in legal or name in privacy]

    facts_path = next(project.rglob("faits.json"))
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    assert facts["host"]["name"] == legal_name and facts["other_hosts"] == others

    assert textes.violations(project, recorded, textes.shared_rules(piles, hosts)) == []
