// What the build checks and writes around Eleventy: no symbolic link that leaves the project (in
// the sources) or the site (once built); then the security headers of the site (next to it, read by
// serveur.mjs), the host's configuration (nginx.conf.erb for Scalingo, Caddyfile for Clever Cloud)
// and compressed copies (.br, .gz) of the text files.
import { readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { suivi } from "./suivi.mjs";
import { caddyfile, nginxConf, securityHeaders } from "./en-tetes.mjs";

const SERVICE = JSON.parse(readFileSync(new URL("../site/_data/service.json", import.meta.url), "utf8"));
const TEXT = new Set([".html", ".css", ".js"]);
// The folder the host serves: only its build writes the host's configuration.
export const PRODUCTION_DIR = "_site";

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function* links(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isSymbolicLink()) yield path;
    else if (entry.isDirectory()) yield* links(path);
  }
}

// Servers follow symbolic links: a link under `folder` whose target is outside `boundary` would
// publish that target (a .env, a key). `where` names the boundary and `advice` says what to do, in
// the message.
export function refuseLinksLeaving(folder, boundary, { where, advice }) {
  const inside = realpathSync(boundary);
  for (const link of links(folder)) {
    let target;
    try {
      target = realpathSync(link);
    } catch {
      target = resolve(dirname(link), readlinkSync(link)); // a link to nothing: where it points
    }
    if (target !== inside && !target.startsWith(inside + sep)) {
      throw new Error(
        `Construction refusée : ${relative(process.cwd(), link)} est un lien symbolique vers ${target}, ` +
          `hors ${where}. Un serveur le suivrait et publierait ce fichier. ${advice}`,
      );
    }
  }
}

// Eleventy copies links as they are: the built site is checked too.
export function refuseLinksLeavingSite(root) {
  refuseLinksLeaving(root, root, {
    where: `du dossier du site construit (${basename(root)})`,
    advice:
      "Supprimez le lien d'origine dans site/ (ou remplacez-le par le fichier lui-même s'il doit être " +
      "publié), puis videz le site construit (make clean) : Eleventy y laisse les fichiers déjà copiés.",
  });
}

// The text of every inline script of the pages (scripts without src), each once.
export function inlineScripts(htmlTexts) {
  const found = new Set();
  for (const html of htmlTexts) {
    for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      if (!/\bsrc\s*=/i.test(match[1]) && match[2].trim()) found.add(match[2]);
    }
  }
  return [...found];
}

export function hostConfig(hosting, headers) {
  if (hosting === "scalingo") return { name: "nginx.conf.erb", text: nginxConf(headers) };
  if (hosting === "clevercloud") return { name: "Caddyfile", text: caddyfile(headers) };
  return null;
}

export function afterBuild(output, env = process.env) {
  const root = resolve(output);
  refuseLinksLeavingSite(root);
  const all = [...files(root)];
  const html = all.filter((path) => extname(path) === ".html").map((path) => readFileSync(path, "utf8"));
  const tracker = suivi(env);
  const headers = securityHeaders({ matomoUrl: tracker?.url, inlineScripts: inlineScripts(html) });
  writeFileSync(`${root}.en-tetes.json`, JSON.stringify(headers, null, 2) + "\n");
  const config = basename(root) === PRODUCTION_DIR ? hostConfig(SERVICE.hosting, headers) : null;
  if (config) writeFileSync(join(root, "..", config.name), config.text);
  for (const path of all) {
    if (!TEXT.has(extname(path))) continue;
    const content = readFileSync(path);
    if (content.length < 1024) continue;
    writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  }
}
