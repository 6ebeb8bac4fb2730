import http from "node:http";
import type { AddressInfo } from "node:net";

import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

import { contentSecurityPolicy } from "@/lib/csp";
import { refuseTrace } from "@/lib/server";
import { readSettings } from "@/lib/settings";
import { config, proxy } from "@/proxy";

function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(";").map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("Content-Security-Policy", () => {
  it("n'autorise que le site, les scripts portant le nonce, et aucun cadre", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc" }));
    expect(policy["script-src"]).toEqual(["'self'", "'nonce-abc'"]);
    expect(policy["style-src"]).toEqual(["'self'", "'nonce-abc'"]);
    expect(policy["default-src"]).toEqual(["'self'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(Object.values(policy).flat()).not.toContain("'unsafe-inline'");
    expect(Object.values(policy).flat()).not.toContain("'unsafe-eval'");
  });

  it("ajoute l'instance Matomo seulement quand la mesure est active", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc", matomoUrl: "https://stats.example.gouv.fr/x" }));
    for (const name of ["script-src", "img-src", "connect-src"]) {
      expect(policy[name]).toContain("https://stats.example.gouv.fr");
    }
    expect(contentSecurityPolicy({ nonce: "abc" })).not.toContain("stats.");
  });
});

describe("proxy", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("envoie une CSP avec un nonce neuf à chaque requête, transmis à Next.js", () => {
    vi.stubEnv("APP_ENV", "local");
    const first = proxy(new NextRequest("http://localhost:8000/"));
    const second = proxy(new NextRequest("http://localhost:8000/"));
    const policy = first.headers.get("Content-Security-Policy")!;
    const nonce = /'nonce-([^']+)'/.exec(policy)![1];
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    expect(second.headers.get("Content-Security-Policy")).not.toContain(nonce);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(first.headers.get("Strict-Transport-Security")).toBeNull();
  });

  it("envoie HSTS hors poste de développement", () => {
    vi.stubEnv("APP_ENV", "production");
    vi.stubEnv("SITE_URL", "https://mon-service.beta.gouv.fr");
    const response = proxy(new NextRequest("https://mon-service.beta.gouv.fr/"));
    expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("ajoute la barre finale aux adresses des pages, sauf /healthz", () => {
    vi.stubEnv("APP_ENV", "local");
    const redirect = proxy(new NextRequest("http://localhost:8000/cgu?source=lettre"));
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("Location")).toBe("http://localhost:8000/cgu/?source=lettre");
    expect(proxy(new NextRequest("http://localhost:8000/healthz")).status).toBe(200);
  });
});

describe("toutes les réponses", () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each(["/", "/aide/", "/dsfr/absent.css", "/favicon.ico", "/robots.txt", "/pages/suivi.js", "/_next/static/x.js"])(
    "passent par le proxy, qui pose la CSP et HSTS : %s",
    (path) => {
      expect(unstable_doesMiddlewareMatch({ config, url: path })).toBe(true);
      expect(
        unstable_doesMiddlewareMatch({ config, url: path, headers: { "next-router-prefetch": "1" } }),
      ).toBe(true);
    },
  );

  it.each(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])("refusent la méthode %s (405) avec les en-têtes", (method) => {
    vi.stubEnv("APP_ENV", "production");
    vi.stubEnv("SITE_URL", "https://mon-service.beta.gouv.fr");
    for (const path of ["/", "/aide/", "/healthz", "/aide"]) {
      const response = proxy(new NextRequest(`https://mon-service.beta.gouv.fr${path}`, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get("Allow")).toBe("GET, HEAD");
      expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
    }
  });

  it("posent les en-têtes sur la redirection vers l'adresse avec barre finale", () => {
    vi.stubEnv("APP_ENV", "production");
    vi.stubEnv("SITE_URL", "https://mon-service.beta.gouv.fr");
    const redirect = proxy(new NextRequest("https://mon-service.beta.gouv.fr/cgu"));
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(redirect.headers.get("Strict-Transport-Security")).not.toBeNull();
  });

  it("répondent 405 avec les en-têtes à TRACE, que Next.js ne sait pas traiter", async () => {
    const settings = readSettings({ APP_ENV: "production", SITE_URL: "https://mon-service.beta.gouv.fr" });
    refuseTrace(settings);
    // A server that fails on every request, as Next.js does on TRACE.
    const server = http.createServer((_, response) => {
      response.statusCode = 500;
      response.end("Internal Server Error");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const answer = (method: string) =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        http.request({ host: "127.0.0.1", port, method, path: "/" }, resolve).on("error", reject).end();
      });
    try {
      const trace = await answer("TRACE");
      expect(trace.statusCode).toBe(405);
      expect(trace.headers["allow"]).toBe("GET, HEAD");
      expect(trace.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(trace.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
      expect(trace.headers["x-frame-options"]).toBe("DENY");
      expect((await answer("GET")).statusCode).toBe(500);
    } finally {
      server.close();
    }
  });
});
