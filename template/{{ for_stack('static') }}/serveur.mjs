// The site's own small server: `make run` and the tests serve the built site with it, with the same
// security headers as production (written by the build next to the site, from config/en-tetes.json).
// Listens on 127.0.0.1 unless HOST says otherwise; PORT picks the port (8000 by default).
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};
// Text files the build also wrote compressed (.br, .gz): sent as such to browsers that accept them.
const COMPRESSED = new Set([".html", ".css", ".js"]);

export function startServer({ siteDir = "_site", host = "127.0.0.1", port = 8000 } = {}) {
  const root = resolve(siteDir);
  const headersFile = `${root}.en-tetes.json`;
  if (!existsSync(headersFile)) {
    throw new Error(`${headersFile} introuvable : construisez d'abord le site (npm run build).`);
  }
  const security = JSON.parse(readFileSync(headersFile, "utf8"));

  function file(path) {
    try {
      return statSync(path).isFile() ? path : null;
    } catch {
      return null;
    }
  }

  // The same lookup as the production servers: the file itself, then the folder's index.html.
  function lookup(pathname) {
    if (pathname === "/healthz") return join(root, "healthz.json");
    const path = normalize(join(root, pathname));
    if (path !== root && !path.startsWith(root + sep)) return null;
    return file(path) || file(join(path, "index.html"));
  }

  function send(request, response, path, status, extra = {}) {
    const type = TYPES[extname(path)] || "application/octet-stream";
    const headers = { ...security, "Content-Type": type, ...extra };
    let body = path;
    if (COMPRESSED.has(extname(path))) {
      headers.Vary = "Accept-Encoding";
      const accepted = String(request.headers["accept-encoding"] || "");
      for (const [encoding, suffix] of [["br", ".br"], ["gzip", ".gz"]]) {
        if (accepted.includes(encoding) && file(path + suffix)) {
          headers["Content-Encoding"] = encoding;
          body = path + suffix;
          break;
        }
      }
    }
    headers["Content-Length"] = statSync(body).size;
    response.writeHead(status, headers);
    if (request.method === "HEAD") return response.end();
    createReadStream(body).pipe(response);
  }

  const server = createServer((request, response) => {
    if (!["GET", "HEAD"].includes(request.method)) {
      response.writeHead(405, { ...security, Allow: "GET, HEAD" });
      return response.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      pathname = "/";
    }
    const path = lookup(pathname);
    if (path) {
      const cache = pathname === "/healthz" ? { "Cache-Control": "no-cache" } : {};
      if (pathname.startsWith("/dsfr/")) cache["Cache-Control"] = "public, max-age=604800";
      return send(request, response, path, 200, cache);
    }
    return send(request, response, join(root, "404.html"), 404);
  });
  server.listen(port, host);
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const siteDir = process.env.SITE_DIR || "_site";
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 8000);
  const server = startServer({ siteDir, host, port });
  server.on("listening", () => {
    const shown = host === "127.0.0.1" ? "127.0.0.1" : host;
    console.log(`Site servi sur http://${shown}:${port} (et http://<nom>.localhost:${port}) — Ctrl+C pour arrêter.`);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
}
