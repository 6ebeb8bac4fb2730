// The built site (make test builds _site, and _site-suivi with MATOMO_SITE_ID=42): every page says what
// it must, the only inline script is allowed by its hash, and audience measurement is on only when asked.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { refuseLinksLeaving, refuseLinksLeavingSite } from "../config/construction.mjs";
import { scriptHash, securityHeaders } from "../config/en-tetes.mjs";
import { suivi } from "../config/suivi.mjs";
import { PAGES, SERVICE, SITE, TRACKED, built, expectedHeaders, inlineScripts, read } from "./outils.mjs";

// The words each page must hold (visible text, white space normalized).
const WORDS = {
  "/": ["Un service en construction", SERVICE.contact],
  "/accessibilite/": ["Accessibilité : non conforme", "déclaration d'accessibilité", "schéma pluriannuel", "Défenseur des droits"],
  "/mentions-legales/": ["Éditeur", "édité par", "directeur de la publication", "Hébergement", SERVICE.contact],
  "/donnees-personnelles/": ["Finalité", "Durée de conservation", "Sous-traitants", "Matomo", "Vous opposer à la mesure d'audience", "Vos droits"],
  "/cgu/": ["Conditions générales d'utilisation", "Accès au service"],
  "/stats/": ["Matrice d'impact", "Utilisable", "Utilisé", "Utile", "Impactant", "Efficient", "Fréquentation du site"],
  "/budget/": ["Budget", "Poste de dépense", "Total"],
  "/aide/": ["Aide et contact", "Nous écrire", SERVICE.contact],
  "/plan-du-site/": ["Plan du site"],
};
const FOOTER = [
  "Plan du site",
  `Accessibilité : ${SERVICE.accessibility}`,
  "Mentions légales",
  "Données personnelles",
  "Conditions générales d'utilisation",
  "Statistiques",
  "Budget",
  "Aide et contact",
];

test("chaque page de pages.json est construite et dit ce qu'elle doit dire", () => {
  assert.deepEqual(Object.keys(WORDS).sort(), [...PAGES].sort());
  for (const path of PAGES) {
    const html = built(path);
    const page = read(html);
    for (const words of [...WORDS[path], SERVICE.name]) {
      assert.ok(page.text.toLowerCase().includes(words.toLowerCase()), `${path} : « ${words} » manque`);
    }
    assert.equal(page.h1.length, 1, `${path} : une seule balise h1 attendue (${page.h1})`);
    assert.ok(page.description, `${path} : pas de meta description`);
    assert.match(html, /<html lang="fr"/);
    assert.match(html, /fr-header__brand/, `${path} : en-tête DSFR absent`);
    assert.ok(page.links.every((link) => link.href), `${path} : un lien sans href`);
    assert.doesNotMatch(html, /\{\{-?\s*[A-Za-z_][^}]*\}\}|\{%-?\s*[a-z]+\b/, `${path} : syntaxe de gabarit restée dans la page`);
  }
});

test("le pied de page mène aux pages obligatoires, et au code source", () => {
  const links = new Map(read(built("/")).links.map((link) => [link.text, link.href]));
  for (const label of FOOTER) {
    assert.ok(links.has(label), `lien « ${label} » absent du pied de page`);
    assert.ok(existsSync(`${SITE}${links.get(label)}index.html`), `« ${label} » mène à ${links.get(label)}, absente`);
  }
  assert.equal(links.get("Code source"), SERVICE.repository);
});

test("la page 404 garde la mise en page du site, et /healthz répond", () => {
  const page = read(built("/404.html"));
  assert.ok(page.text.includes("Page non trouvée"));
  assert.ok(page.text.includes(`Accessibilité : ${SERVICE.accessibility}`));
  assert.deepEqual(JSON.parse(readFileSync(`${SITE}/healthz.json`, "utf8")), { status: "ok" });
});

test("le seul script en ligne est autorisé par son empreinte, sans 'unsafe-inline'", () => {
  const policy = expectedHeaders()["content-security-policy"];
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  const scripts = new Set(PAGES.flatMap((path) => inlineScripts(built(path))));
  assert.equal(scripts.size, 1, "un seul script en ligne attendu : l'anti-flash du mode sombre");
  const [code] = scripts;
  assert.equal(code.trim(), readFileSync("site/_includes/schema.js", "utf8").trim());
  assert.ok(policy.includes(`script-src 'self' ${scriptHash(code)}`), policy);
  assert.doesNotMatch(PAGES.map((path) => built(path)).join(""), /\sstyle="|<style/);
});

test("sans numéro de site, aucun traceur ; avec, le traceur sans cookie et l'instance dans la CSP", () => {
  for (const path of PAGES) assert.doesNotMatch(built(path), /<script[^>]*(suivi\.js|matomo)/i, path);
  assert.doesNotMatch(expectedHeaders()["content-security-policy"], /stats\.example\.gouv\.fr/);
  const html = built("/", TRACKED);
  assert.match(html, /<script src="\/js\/suivi\.js" data-matomo-url="https:\/\/stats\.example\.gouv\.fr" data-matomo-site-id="42" defer>/);
  const directives = Object.fromEntries(
    expectedHeaders(TRACKED)["content-security-policy"].split("; ").map((part) => [part.split(" ")[0], part.split(" ").slice(1)]),
  );
  for (const name of ["script-src", "connect-src", "img-src"]) {
    assert.ok(directives[name].includes("https://stats.example.gouv.fr"), name);
  }
  assert.deepEqual(directives["frame-src"], ["'none'"]);
  const tracker = readFileSync(`${SITE}/js/suivi.js`, "utf8");
  assert.ok(tracker.indexOf('"disableCookies"') > 0 && tracker.indexOf('"disableCookies"') < tracker.indexOf('"trackPageView"'));
  assert.match(built("/donnees-personnelles/"), /<script src="\/js\/opposition\.js" defer><\/script>/);
  assert.doesNotMatch(built("/donnees-personnelles/"), /<iframe/);
});

test("le numéro de site vient de l'environnement ; en production, la réponse au modèle est la valeur par défaut", () => {
  assert.equal(suivi({}), null);
  assert.equal(suivi({ MATOMO_SITE_ID: "", SITE_ENV: "production" }), null);
  assert.deepEqual(suivi({ MATOMO_SITE_ID: "7", MATOMO_URL: "https://m.example.gouv.fr/" }), { url: "https://m.example.gouv.fr", siteId: "7" });
  assert.deepEqual(suivi({ SITE_ENV: "production" }), SERVICE.matomoSiteId ? { url: SERVICE.matomoUrl.replace(/\/+$/, ""), siteId: SERVICE.matomoSiteId } : null);
  assert.throws(() => suivi({ MATOMO_SITE_ID: "12a" }), /MATOMO_SITE_ID doit être un nombre/);
});

test("les en-têtes viennent de config/en-tetes.json, et l'instance Matomo s'y ajoute", () => {
  const source = JSON.parse(readFileSync("config/en-tetes.json", "utf8"));
  const headers = securityHeaders({ matomoUrl: "https://stats.beta.gouv.fr/", inlineScripts: ["x"] });
  for (const [name, value] of Object.entries(source.headers)) assert.equal(headers[name], value);
  assert.match(headers["Content-Security-Policy"], /script-src 'self' https:\/\/stats\.beta\.gouv\.fr 'sha256-/);
  assert.match(headers["Content-Security-Policy"], /frame-ancestors 'none'/);
});

test("la construction refuse un lien symbolique qui sort du projet, ou du site une fois copié", () => {
  const folder = mkdtempSync(join(tmpdir(), "liens-"));
  try {
    const project = join(folder, "projet");
    const sources = join(project, "site");
    mkdirSync(sources, { recursive: true });
    writeFileSync(join(folder, "secret.txt"), "hors du projet");
    writeFileSync(join(project, ".env"), "SECRET=1");
    const rule = { where: "du projet", advice: "Supprimez ce lien." };
    symlinkSync("../.env", join(sources, "env"));
    assert.doesNotThrow(() => refuseLinksLeaving(sources, project, rule), "un lien qui reste dans le projet");
    for (const [name, target] of [["fuite.txt", "../../secret.txt"], ["absent.txt", "/nulle-part/absent.txt"]]) {
      symlinkSync(target, join(sources, name));
      assert.throws(() => refuseLinksLeaving(sources, project, rule), new RegExp(`Construction refusée : .*${name} est un lien symbolique vers .*, hors du projet`));
      rmSync(join(sources, name));
    }
    // Eleventy copies the link as it is: the same ../../.env, one folder deeper, leaves the built site.
    const site = join(project, "_site");
    mkdirSync(join(site, "js"), { recursive: true });
    symlinkSync("index.html", join(site, "alias.html"));
    assert.doesNotThrow(() => refuseLinksLeavingSite(site), "un lien qui reste dans le site");
    symlinkSync("../../.env", join(site, "js", "env"));
    assert.throws(() => refuseLinksLeavingSite(site), /js\/env est un lien symbolique vers .*\.env, hors du dossier du site construit \(_site\)/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
