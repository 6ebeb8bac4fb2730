// Helpers of the build tests: the built pages read as a visitor reads them, and a server to ask.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";

export const SITE = "_site";
export const TRACKED = "_site-suivi";
export const SERVICE = JSON.parse(readFileSync("site/_data/service.json", "utf8"));
export const PAGES = JSON.parse(readFileSync("tests/navigateur/pages.json", "utf8"));

export function pageFile(siteDir, path) {
  return path.endsWith(".html") ? join(siteDir, path) : join(siteDir, path, "index.html");
}

export function built(path, siteDir = SITE) {
  return readFileSync(pageFile(siteDir, path), "utf8");
}

function decode(text) {
  const named = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, code) => {
    if (code[0] !== "#") return named[code.toLowerCase()] ?? all;
    return String.fromCodePoint(code[1] === "x" ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
  });
}

export function normalize(text) {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

// The visible text, the links (href as written) and the h1 titles of a page.
export function read(html) {
  const visible = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ");
  const text = (fragment) => normalize(decode(fragment.replace(/<[^>]+>/g, " ")));
  const links = [...visible.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)].map(([, attributes, inner]) => {
    const href = attributes.match(/\bhref="([^"]*)"/);
    return { href: href ? decode(href[1]) : null, text: text(inner) };
  });
  const h1 = [...visible.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1>/gi)].map(([, inner]) => text(inner));
  const description = html.match(/<meta name="description" content="([^"]*)">/);
  return { text: text(visible), links, h1, description: description ? decode(description[1]) : null };
}

export function inlineScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc=/.test(attributes))
    .map(([, , code]) => code);
}

// The response headers that matter here, lower-cased names, for comparison between servers.
export const COMPARED = [
  "content-security-policy",
  "strict-transport-security",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "permissions-policy",
  "set-cookie",
  "allow",
];

export async function ask(base, path) {
  const response = await fetch(base + path, { redirect: "manual" });
  const headers = Object.fromEntries(COMPARED.map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, type: response.headers.get("content-type"), body: await response.text() };
}

// The same with any method (fetch refuses some, TRACE among them); the body is read and dropped.
export function askWith(base, path, method) {
  return new Promise((done, fail) => {
    const request = httpRequest(base + path, { method }, (response) => {
      response.resume();
      response.on("end", () => {
        const headers = Object.fromEntries(COMPARED.map((name) => [name, response.headers[name] ?? null]));
        done({ status: response.statusCode, headers });
      });
    });
    request.on("error", fail);
    request.end();
  });
}

export function expectedHeaders(siteDir = SITE) {
  const written = JSON.parse(readFileSync(`${siteDir}.en-tetes.json`, "utf8"));
  const lower = Object.fromEntries(Object.entries(written).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.fromEntries(COMPARED.map((name) => [name, lower[name] ?? null]));
}
