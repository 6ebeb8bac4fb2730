// The facts of the answers on the built pages (tests/faits.json, rendered by the template on every
// update): the page texts belong to the team, but these facts must stay true whatever it wrote around them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { built, read } from "./outils.mjs";

const FACTS = JSON.parse(readFileSync(new URL("./faits.json", import.meta.url), "utf8"));
const PUBLISHER = FACTS.publisher || "l'administration porteuse (nom à compléter)";
const text = (path) => read(built(path)).text.split(/\s+/).join(" ");

test("les mentions légales disent l'éditeur, l'hébergeur, le contact, la licence et le dépôt des réponses", () => {
  const legal = text("/mentions-legales/");
  assert.ok(legal.includes(PUBLISHER), PUBLISHER);
  if (FACTS.host) {
    assert.ok(legal.includes(FACTS.host.name) && legal.includes(FACTS.host.address), FACTS.host.name);
  }
  for (const other of FACTS.other_hosts) {
    assert.ok(!legal.includes(other), `la page nomme un autre hébergeur : ${other}`);
  }
  assert.ok(legal.includes(FACTS.contact_email));
  assert.ok(legal.includes(FACTS.license) && legal.includes(FACTS.repository_url.replace("https://", "")));
});

test("la page données personnelles dit les sous-traitants et l'état de la mesure d'audience des réponses", () => {
  const privacy = text("/donnees-personnelles/");
  assert.ok(privacy.includes(PUBLISHER), PUBLISHER);
  for (const processor of FACTS.processors) {
    assert.ok(privacy.includes(processor), `sous-traitant absent : ${processor}`);
  }
  for (const other of FACTS.other_hosts) {
    assert.ok(!privacy.includes(other), `sous-traitant qui n'en est pas un : ${other}`);
  }
  assert.equal(privacy.includes("Sa fréquentation est mesurée avec Matomo"), FACTS.matomo_on);
  assert.equal(privacy.includes("quand elle est active"), !FACTS.matomo_on);
});
