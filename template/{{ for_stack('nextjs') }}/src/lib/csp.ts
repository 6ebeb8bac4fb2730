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
