// The site's own server: `make run` and the tests serve the built site with it, and so does production
// where the Procfile starts it (`node serveur.mjs`), with the security headers of the production
// servers (written by the build next to the site, from config/en-tetes.json).
// It only picks the file; `send` (the static file module of Express) sends it: ranges, conditional
// requests, and a file closed as soon as the visitor leaves or reading fails.
// Listens on 127.0.0.1 unless HOST says otherwise; PORT picks the port (8000 by default).
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { STATUS_CODES, createServer } from "node:http";
import { extname, join, relative, resolve, sep } from "node:path";

import send from "send";

import { ALLOWED_METHODS } from "./config/en-tetes.mjs";

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
const ENCODINGS = [
  ["br", ".br"],
  ["gzip", ".gz"],
];

// Whether an Accept-Encoding header accepts `encoding` (listed, and not with q=0).
export function accepts(header, encoding) {
  return String(header || "")
    .split(",")
    .some((part) => {
      const [name, ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
      const quality = parameters.find((parameter) => parameter.startsWith("q="));
      return name === encoding && (!quality || Number(quality.slice(2)) > 0);
    });
}

export function startServer({ siteDir = "_site", host = "127.0.0.1", port = 8000 } = {}) {
  const root = resolve(siteDir);
  const headersFile = `${root}.en-tetes.json`;
  if (!existsSync(headersFile)) {
    throw new Error(`${headersFile} introuvable : construisez d'abord le site (npm run build).`);
  }
  const security = JSON.parse(readFileSync(headersFile, "utf8"));
  const realRoot = realpathSync(root);
  const allowed = ALLOWED_METHODS.join(", ");

  // The real path of a file of the site, or null. Links are followed to their real path, which must
  // stay inside the site's folder: a link to a file outside the site counts as absent.
  function siteFile(path) {
    try {
      const real = realpathSync(path);
      return real.startsWith(realRoot + sep) && statSync(real).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  // The same lookup as the production servers: the file itself, then the folder's index.html.
  function lookup(pathname) {
    if (pathname === "/healthz") return siteFile(join(root, "healthz.json"));
    const path = join(root, pathname);
    if (path !== root && !path.startsWith(root + sep)) return null;
    return siteFile(path) || siteFile(join(path, "index.html"));
  }

  // A response that is not a file of the site: the security headers, and nothing of the file that
  // failed (its type, length or cache headers).
  function reset(response, status, extra = {}) {
    for (const name of response.getHeaderNames()) response.removeHeader(name);
    response.statusCode = status;
    for (const [name, value] of Object.entries({ ...security, ...extra })) response.setHeader(name, value);
  }

  function fail(request, response, status, extra = {}) {
    // Too late for another status: the visitor gets a cut response rather than a wrong one.
    if (response.headersSent) return response.destroy();
    const page = status === 404 && siteFile(join(root, "404.html"));
    if (page) return sendFile(request, response, page, 404);
    reset(response, status, { "Content-Type": "text/plain; charset=utf-8", ...extra });
    response.end(request.method === "HEAD" ? undefined : `${status} ${STATUS_CODES[status] || ""}\n`);
  }

  function sendFile(request, response, file, status, cacheControl = null) {
    reset(response, status, { "Content-Type": TYPES[extname(file)] || "application/octet-stream" });
    if (cacheControl) response.setHeader("Cache-Control", cacheControl);
    let body = file;
    if (COMPRESSED.has(extname(file))) {
      response.setHeader("Vary", "Accept-Encoding");
      for (const [encoding, suffix] of ENCODINGS) {
        const compressed = accepts(request.headers["accept-encoding"], encoding) && siteFile(file + suffix);
        if (compressed) {
          response.setHeader("Content-Encoding", encoding);
          body = compressed;
          break;
        }
      }
    }
    // send takes a URL path under its root: each segment of the real path, encoded.
    const path = "/" + relative(realRoot, body).split(sep).map(encodeURIComponent).join("/");
    // The 404 page is the same whatever the request: no range, no revalidation.
    const page = status === 200;
    send(request, path, {
      root: realRoot,
      dotfiles: "allow",
      index: false,
      cacheControl: false,
      acceptRanges: page,
      etag: page,
      lastModified: page,
    })
      .on("error", (error) => {
        if (status === 404) return fail(request, response, 500);
        fail(request, response, error.status || 500, error.headers);
      })
      .pipe(response);
  }

  function handle(request, response) {
    if (!ALLOWED_METHODS.includes(request.method)) {
      reset(response, 405, { Allow: allowed });
      return response.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      return fail(request, response, 400); // not a valid address, as nginx and Caddy answer
    }
    const file = lookup(pathname);
    if (!file) return fail(request, response, 404);
    let cacheControl = null;
    if (pathname === "/healthz") cacheControl = "no-cache";
    if (pathname.startsWith("/dsfr/")) cacheControl = "public, max-age=604800";
    sendFile(request, response, file, 200, cacheControl);
  }

  // Answers Node gives without the request handler (malformed request, CONNECT): with the headers too.
  function raw(socket, status, extra = {}) {
    const lines = Object.entries({ ...security, ...extra, "Content-Length": 0, Connection: "close" })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines}\r\n`);
  }

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      console.error(error);
      fail(request, response, 500);
    }
  });
  server.on("clientError", (error, socket) => {
    if (!socket.writable || error.code === "ECONNRESET") return socket.destroy();
    const status = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 }[error.code] || 400;
    raw(socket, status);
  });
  server.on("connect", (request, socket) => raw(socket, 405, { Allow: allowed }));
  server.listen(port, host);
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const siteDir = process.env.SITE_DIR || "_site";
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 8000);
  const server = startServer({ siteDir, host, port });
  server.on("listening", () => {
    console.log(`Site servi sur http://${host}:${port} (et http://<nom>.localhost:${port}) — Ctrl+C pour arrêter.`);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
}
