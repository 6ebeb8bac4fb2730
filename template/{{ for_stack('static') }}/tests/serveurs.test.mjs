// The site as served: the local server (make run) sends the headers written by the build, and the
// production server of the host, started here from the configuration the build wrote (nginx for
// Scalingo, Caddy for Clever Cloud), sends exactly the same ones.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";

import { startServer } from "../serveur.mjs";
import { PAGES, SERVICE, SITE, ask, built, expectedHeaders } from "./outils.mjs";

// The DSFR stylesheet as the home page links it (its name carries a hash of its content).
const STYLESHEET = built("/").match(/<link rel="stylesheet" href="([^"]+)">/)[1];
const PATHS = [...PAGES, "/page-absente/", "/healthz", STYLESHEET, "/js/suivi.js", "/accessibilite"];

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
    probe.on("error", fail);
  });
}

async function waitFor(base, child) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child && child.exitCode !== null) throw new Error(`le serveur s'est arrêté (code ${child.exitCode})`);
    try {
      await fetch(`${base}/healthz`);
      return;
    } catch {
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }
  throw new Error(`${base} ne répond pas`);
}

let local;
let base;
before(async () => {
  const port = await freePort();
  local = startServer({ siteDir: SITE, port });
  base = `http://127.0.0.1:${port}`;
  await waitFor(base);
});
after(() => local?.close());

test("le serveur local envoie les en-têtes de la construction, partout, sans cookie", async () => {
  const expected = expectedHeaders();
  for (const path of PATHS) {
    const { status, headers } = await ask(base, path);
    assert.equal(status, path === "/page-absente/" ? 404 : 200, path);
    assert.deepEqual(headers, expected, path);
  }
});

test("le serveur local sert la page 404 du site, /healthz en JSON, et rien hors du site", async () => {
  const missing = await ask(base, "/page-absente/");
  assert.match(missing.body, /Page non trouvée/);
  const health = await ask(base, "/healthz");
  assert.equal(health.type, "application/json");
  assert.deepEqual(JSON.parse(health.body), { status: "ok" });
  // Every way out of the folder, the built folders beside it included.
  const outside = ["/../package.json", "/%2e%2e/package.json", "/..%2Fpackage.json", "/..%2F_site.en-tetes.json"];
  for (const path of [...outside, "/..%2F_site-suivi/index.html"]) {
    assert.equal((await ask(base, path)).status, 404, path);
  }
});

test("le serveur local envoie les fichiers compressés aux navigateurs qui les acceptent", async () => {
  const response = await fetch(base + STYLESHEET, { headers: { "Accept-Encoding": "br" } });
  assert.equal(response.headers.get("content-encoding"), "br");
  assert.equal(await response.text(), readFileSync(SITE + STYLESHEET, "utf8"));
});

// The host's own server, when its program is installed (the CI installs it); its configuration is
// the file the build wrote, as the host reads it.
const HOSTS = {
  scalingo: { program: "nginx", package: "nginx-light", start: startNginx },
  clevercloud: { program: "caddy", package: "caddy", start: startCaddy },
};
const host = HOSTS[SERVICE.hosting];

// The program's path: on PATH, or in /usr/sbin (where Debian puts nginx, outside most users' PATH).
function installed(program) {
  const found = spawnSync("sh", ["-c", `command -v ${program} || command -v /usr/sbin/${program}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

function startNginx(nginx, folder, port) {
  const site = readFileSync("nginx.conf.erb", "utf8");
  // The buildpack renders the file with ERB; its only tag is the application's folder.
  assert.deepEqual(site.match(/<%[\s\S]*?%>/g), ["<%= ENV['HOME'] %>"]);
  writeFileSync(join(folder, "site.conf"), site.replace("<%= ENV['HOME'] %>", resolve(".")));
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  // The http level of Scalingo's buildpack: MIME types and compression, then the site's server.
  writeFileSync(
    join(folder, "nginx.conf"),
    `${user}daemon off;\nworker_processes 1;\npid ${folder}/nginx.pid;\nerror_log ${folder}/error.log;\n` +
      `events { worker_connections 64; }\nhttp {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n` +
      `  access_log off;\n  client_body_temp_path ${folder}/body;\n  proxy_temp_path ${folder}/proxy;\n` +
      `  fastcgi_temp_path ${folder}/fastcgi;\n  uwsgi_temp_path ${folder}/uwsgi;\n  scgi_temp_path ${folder}/scgi;\n` +
      `  gzip on;\n  gzip_types text/css application/javascript;\n` +
      `  server {\n    listen 127.0.0.1:${port};\n    server_name localhost;\n    include ${folder}/site.conf;\n  }\n}\n`,
  );
  return spawn(nginx, ["-p", folder, "-c", join(folder, "nginx.conf"), "-e", join(folder, "error.log")], { stdio: "ignore" });
}

function startCaddy(caddy, folder, port) {
  const env = { ...process.env, PORT: String(port), XDG_DATA_HOME: folder, XDG_CONFIG_HOME: folder, HOME: folder };
  return spawn(caddy, ["run", "--config", "Caddyfile", "--adapter", "caddyfile"], { env, stdio: "ignore" });
}

test("en production, l'hébergeur envoie les mêmes en-têtes que le serveur local", async (t) => {
  if (!host) {
    // Any other host runs the local server itself, as the Procfile says.
    assert.equal(readFileSync("Procfile", "utf8"), "web: HOST=0.0.0.0 node serveur.mjs\n");
    return;
  }
  const program = installed(host.program);
  if (!program) {
    const message = `${host.program} absent (Debian : sudo apt-get install ${host.package}) : configuration de production non essayée`;
    if (process.env.CI) assert.fail(message);
    return t.skip(message);
  }
  const folder = mkdtempSync(join(tmpdir(), "hebergeur-"));
  const port = await freePort();
  const server = host.start(program, folder, port);
  try {
    const production = `http://127.0.0.1:${port}`;
    await waitFor(production, server);
    for (const path of PATHS) {
      const [theirs, ours] = [await ask(production, path), await ask(base, path)];
      assert.equal(theirs.status, ours.status, `${path} : statut`);
      assert.deepEqual(theirs.headers, ours.headers, `${path} : en-têtes`);
      if (path.endsWith("/") || path === "/healthz") assert.equal(theirs.body, ours.body, `${path} : contenu`);
    }
  } finally {
    server.kill("SIGTERM");
    rmSync(folder, { recursive: true, force: true });
  }
});
