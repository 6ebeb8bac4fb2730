// The Content-Security-Policy of every page: only the site itself, plus the Matomo instance when
// tracking is on. Scripts and style elements need the per-request nonce (Next.js puts it on its own
// inline scripts, react-dsfr on its own) or come from the site; no frame, and no site may frame this one.

export type CspOptions = {
  nonce: string;
  matomoUrl?: string | null;
  // `next dev` evaluates code for hot reloading: never in a build.
  development?: boolean;
};

export function contentSecurityPolicy({ nonce, matomoUrl, development = false }: CspOptions): string {
  const tracker = matomoUrl ? [new URL(matomoUrl).origin] : [];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, ...tracker, ...(development ? ["'unsafe-eval'"] : [])],
    // react-dsfr writes the light/dark color scheme in a <style> element that bears the nonce.
    "style-src": ["'self'", ...(development ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    "img-src": ["'self'", "data:", ...tracker],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...tracker],
    "frame-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

// One year, subdomains included; preloading is a commitment for the team to decide, not a default.
export const HSTS = "max-age=31536000; includeSubDomains";

// The Content-Security-Policy and HSTS of one response; the other security headers never change
// (src/lib/security-headers.json, sent by next.config.mjs).
export function dynamicSecurityHeaders({ nonce, matomoUrl, development = false, local }: CspOptions & { local: boolean }) {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy({ nonce, matomoUrl, development }),
  };
  if (!local) {
    headers["Strict-Transport-Security"] = HSTS;
  }
  return headers;
}

export function newNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}
