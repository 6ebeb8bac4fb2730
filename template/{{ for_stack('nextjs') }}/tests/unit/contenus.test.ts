import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { paths } from "@/lib/paths";

const root = process.cwd();
const read = (name: string) => readFileSync(join(root, "contenus", name), "utf8");

describe("textes des pages", () => {
  it("chaque adresse du pied de page a sa page, et la liste des tests est la même", () => {
    const tested = JSON.parse(readFileSync(join(root, "tests/navigateur/pages.json"), "utf8"));
    expect([...tested].sort()).toEqual(Object.values(paths).sort());
    for (const path of Object.values(paths)) {
      expect(existsSync(join(root, "src/app", path, "page.tsx")), path).toBe(true);
    }
  });

  it("aucun texte ne garde de syntaxe de modèle", () => {
    for (const name of readdirSync(join(root, "contenus"))) {
      expect(read(name), name).not.toMatch(/[{}]/);
    }
  });

  it("les mentions légales et les données personnelles ont les mots que DashLord cherche", () => {
    const legal = read("mentions-legales.html").toUpperCase();
    for (const word of [/DIRECTEUR|DIRECTRICE/, /PUBLICATION/, /HÉBERGE/, /ÉDITEUR|ÉDITÉ PAR/]) {
      expect(legal).toMatch(word);
    }
    const privacy = read("donnees-personnelles.html").toUpperCase();
    for (const word of [/@/, /FINALITÉ/, /DURÉE DE CONSERVATION/, /SOUS-TRAITANT/]) {
      expect(privacy).toMatch(word);
    }
  });

  it("la page données personnelles porte l'encadré d'opposition que remplit opposition.js", () => {
    expect(read("donnees-personnelles.html")).toMatch(/data-opt-out[\s>][\s\S]*data-opt-out-status/);
    expect(readFileSync(join(root, "src/app/donnees-personnelles/page.tsx"), "utf8")).toContain("/pages/opposition.js");
  });
});
