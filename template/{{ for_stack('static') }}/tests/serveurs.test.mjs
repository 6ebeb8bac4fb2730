// The site as served: the local server (make run) sends the headers written by the build, and the
// production server of the host, started here as the host starts it (nginx for Scalingo, Caddy for
// Clever Cloud, `node serveur.mjs` from the Procfile elsewhere), sends exactly the same ones. Every
// server answers only GET and HEAD, and the local one survives visitors who leave mid-download.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { after, before, test } from "node:test";

import { ALLOWED_METHODS } from "../config/en-tetes.mjs";
import { startServer } from "../serveur.mjs";
import { PAGES, SERVICE, SITE, ask, askWith, built, expectedHeaders } from "./outils.mjs";

// The DSFR stylesheet as the home page links it (its name carries a hash of its content).
const STYLESHEET = built("/").match(/<link rel="stylesheet" href="([^"]+)">/)[1];
const PATHS = [...PAGES, "/page-absente/", "/dsfr/absent.css", "/healthz", STYLESHEET, "/js/suivi.js", "/accessibilite"];
// Methods no page needs, each answered 405: fetch refuses TRACE, so these go through node:http.
const OTHER_METHODS = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"];
const REFUSED_PATHS = ["/", "/page-absente/", STYLESHEET, "/healthz"];

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

// Every server: 405 with the headers and `Allow` for any method but GET and HEAD, wherever asked.
async function assertOnlyReadMethods(base) {
  const refused = { ...expectedHeaders(), allow: ALLOWED_METHODS.join(", ") };
  for (const path of REFUSED_PATHS) {
    for (const method of OTHER_METHODS) {
      const { status, headers } = await askWith(base, path, method);
      assert.equal(status, 405, `${method} ${path} : statut`);
      assert.deepEqual(headers, refused, `${method} ${path} : en-têtes`);
    }
    const head = await askWith(base, path, "HEAD");
    assert.equal(head.status, path === "/page-absente/" ? 404 : 200, `HEAD ${path}`);
    assert.deepEqual(head.headers, expectedHeaders(), `HEAD ${path} : en-têtes`);
  }
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
    assert.equal(status, ["/page-absente/", "/dsfr/absent.css"].includes(path) ? 404 : 200, path);
    assert.deepEqual(headers, expected, path);
  }
});

test("le serveur local ne répond qu'à GET et HEAD, et garde les en-têtes sur les erreurs", async () => {
  await assertOnlyReadMethods(base);
  // A request it cannot read, and an address that cannot be decoded.
  const port = new URL(base).port;
  const answer = await new Promise((done, fail) => {
    let text = "";
    const socket = connect(Number(port), "127.0.0.1", () => socket.end("N'IMPORTE QUOI\r\n\r\n"));
    socket.on("data", (chunk) => (text += chunk));
    socket.on("end", () => done(text));
    socket.on("error", fail);
  });
  assert.match(answer, /^HTTP\/1\.1 400 /);
  assert.match(answer, /\r\nContent-Security-Policy: /);
  const undecodable = await ask(base, "/%E0%A4%A");
  assert.equal(undecodable.status, 400);
  assert.deepEqual(undecodable.headers, expectedHeaders());
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

test("le serveur local ne suit pas un lien symbolique qui sort du site", async () => {
  const folder = mkdtempSync(join(tmpdir(), "liens-"));
  const site = join(folder, "site");
  mkdirSync(site);
  writeFileSync(join(site, "index.html"), "accueil");
  writeFileSync(join(site, "404.html"), "absente");
  writeFileSync(join(site, "healthz.json"), "{}");
  writeFileSync(`${site}.en-tetes.json`, JSON.stringify({ "X-Frame-Options": "DENY" }));
  writeFileSync(join(folder, ".env"), "SECRET=1");
  symlinkSync("../.env", join(site, "env.txt"));
  symlinkSync("..", join(site, "parent"));
  symlinkSync("index.html", join(site, "alias.html"));
  const port = await freePort();
  const server = startServer({ siteDir: site, port });
  const address = `http://127.0.0.1:${port}`;
  try {
    await waitFor(address);
    for (const path of ["/env.txt", "/parent/.env", "/parent/site.en-tetes.json"]) {
      const { status, body } = await ask(address, path);
      assert.equal(status, 404, path);
      assert.equal(body, "absente", path);
    }
    // A link that stays in the site is served.
    assert.equal((await ask(address, "/alias.html")).body, "accueil");
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test("le serveur local envoie les fichiers compressés aux navigateurs qui les acceptent, et des morceaux", async () => {
  const response = await fetch(base + STYLESHEET, { headers: { "Accept-Encoding": "br" } });
  assert.equal(response.headers.get("content-encoding"), "br");
  assert.equal(await response.text(), readFileSync(SITE + STYLESHEET, "utf8"));
  const refused = await fetch(base + STYLESHEET, { headers: { "Accept-Encoding": "br;q=0, gzip" } });
  assert.equal(refused.headers.get("content-encoding"), "gzip");
  await refused.arrayBuffer();
  const part = await fetch(base + STYLESHEET, { headers: { "Accept-Encoding": "identity", Range: "bytes=0-9" } });
  assert.equal(part.status, 206);
  assert.equal(await part.text(), readFileSync(SITE + STYLESHEET, "utf8").slice(0, 10));
});

// The largest file of the built site (not a compressed copy): a download long enough to be cut.
function largestFile(folder = SITE) {
  let largest = { size: 0 };
  for (const entry of readdirSync(folder, { recursive: true })) {
    const path = join(folder, entry);
    const stat = statSync(path);
    if (stat.isFile() && ![".br", ".gz"].includes(extname(path)) && stat.size > largest.size) {
      largest = { url: `/${entry.split(sep).join("/")}`, size: stat.size };
    }
  }
  return largest;
}

// A visitor who asks for the file and leaves as soon as the answer starts.
function leaveEarly(port, url) {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`GET ${url} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
    socket.once("readable", () => socket.destroy());
    socket.on("error", () => {});
    socket.on("close", done);
  });
}

function openFiles(pid) {
  const folder = `/proc/${pid}/fd`;
  return existsSync(folder) ? readdirSync(folder).length : null;
}

// `node serveur.mjs` as the Procfile starts it (there with HOST=0.0.0.0; tests listen on 127.0.0.1 only).
function startNodeServer(port) {
  const env = { ...process.env, HOST: "127.0.0.1", PORT: String(port) };
  delete env.SITE_DIR;
  return spawn(process.execPath, ["serveur.mjs"], { env, stdio: "ignore" });
}

test("le serveur lancé comme en production tient face à 400 téléchargements interrompus", async () => {
  const { url, size } = largestFile();
  assert.ok(size > 256 * 1024, `${url} : ${size} octets, trop peu pour être coupé en route`);
  const port = await freePort();
  const server = startNodeServer(port);
  const address = `http://127.0.0.1:${port}`;
  try {
    await waitFor(address, server);
    await (await fetch(address + url)).arrayBuffer();
    const before = openFiles(server.pid);
    for (let visitor = 0; visitor < 400; visitor += 1) await leaveEarly(port, url);
    assert.equal(server.exitCode, null, "le serveur s'est arrêté");
    const full = await fetch(address + url, { headers: { "Accept-Encoding": "identity" } });
    assert.equal(full.status, 200);
    assert.equal((await full.arrayBuffer()).byteLength, size);
    if (before !== null) {
      // The files of the cut downloads are closed once their visitors are gone.
      let now = openFiles(server.pid);
      for (let wait = 0; wait < 30 && now > before + 5; wait += 1) {
        await new Promise((pause) => setTimeout(pause, 100));
        now = openFiles(server.pid);
      }
      assert.ok(now <= before + 5, `${now - before} fichiers restés ouverts après 400 téléchargements interrompus`);
    }
  } finally {
    server.kill("SIGTERM");
  }
});

// The host's own server, when its program is installed (the CI installs it); its configuration is
// the file the build wrote, as the host reads it. Elsewhere the Procfile starts serveur.mjs.
const HOSTS = {
  scalingo: { program: "nginx", package: "nginx-light", start: startNginx },
  clevercloud: { program: "caddy", package: "caddy", start: startCaddy },
  autre: { program: null, start: startProcfile },
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

function startProcfile(program, folder, port) {
  assert.equal(readFileSync("Procfile", "utf8"), "web: HOST=0.0.0.0 node serveur.mjs\n");
  return startNodeServer(port);
}

test("en production, l'hébergeur envoie les mêmes en-têtes que le serveur local, et ne répond qu'à GET et HEAD", async (t) => {
  const program = host.program && installed(host.program);
  if (host.program && !program) {
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
    await assertOnlyReadMethods(production);
  } finally {
    server.kill("SIGTERM");
    rmSync(folder, { recursive: true, force: true });
  }
});
