// The facts of the answers on the page texts (tests/unit/faits.json, rendered by the template on every
// update): the page texts belong to the team, but these facts must stay true whatever it wrote around them.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

const root = process.cwd();
const FACTS = JSON.parse(readFileSync(join(root, "tests/unit/faits.json"), "utf8"));
const PUBLISHER: string = FACTS.publisher || "l'administration porteuse (nom à compléter)";
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#123;": "{", "&#125;": "}" };

// The visible text of a page text: tags removed, entities decoded, white space collapsed.
const text = (name: string) =>
  readFileSync(join(root, "contenus", name), "utf8")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(?:amp|lt|gt|quot|#39|#123|#125);/g, (entity) => ENTITIES[entity])
    .split(/\s+/)
    .join(" ");

describe("faits des réponses sur les pages", () => {
  it("les mentions légales disent l'éditeur, l'hébergeur, le contact, la licence et le dépôt", () => {
    const legal = text("mentions-legales.html");
    expect(legal).toContain(PUBLISHER);
    if (FACTS.host) {
      expect(legal).toContain(FACTS.host.name);
      expect(legal).toContain(FACTS.host.address);
    }
    for (const other of FACTS.other_hosts as string[]) {
      expect(legal, `la page nomme un autre hébergeur : ${other}`).not.toContain(other);
    }
    expect(legal).toContain(FACTS.contact_email);
    expect(legal).toContain(FACTS.license);
    expect(legal).toContain(FACTS.repository_url.replace("https://", ""));
  });

  it("la page données personnelles dit les sous-traitants et l'état de la mesure d'audience", () => {
    const privacy = text("donnees-personnelles.html");
    expect(privacy).toContain(PUBLISHER);
    for (const processor of FACTS.processors) {
      expect(privacy).toContain(processor);
    }
    for (const other of FACTS.other_hosts as string[]) {
      expect(privacy, `sous-traitant qui n'en est pas un : ${other}`).not.toContain(other);
    }
    expect(privacy.includes("Sa fréquentation est mesurée avec Matomo")).toBe(FACTS.matomo_on);
    expect(privacy.includes("quand elle est active")).toBe(!FACTS.matomo_on);
  });
});
