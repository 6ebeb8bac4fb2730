import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

import { contentSecurityPolicy } from "@/lib/csp";
import { proxy } from "@/proxy";

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
