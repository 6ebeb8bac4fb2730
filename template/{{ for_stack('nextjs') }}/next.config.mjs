// Next.js settings. The build uses webpack (`next build --webpack`): react-dsfr's Sass and fonts do not
// build with Turbopack yet.

import staticSecurityHeaders from "./src/lib/security-headers.json" with { type: "json" };

// Headers that never change, on every response (src/lib/security-headers.json, also read by the server
// for the answers it gives before Next.js); the Content-Security-Policy (with its per-request nonce) and
// HSTS are set by src/proxy.ts, which knows the environment at run time.

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // `make dev` answers on any *.localhost name too (e.g. http://service.localhost:8000).
  allowedDevOrigins: ["*.localhost"],
  poweredByHeader: false,
  // The page texts link to /accessibilite/, /stats/…: every page lives at an address ending with a slash.
  trailingSlash: true,
  // …except /healthz, which uptime checks call as is: src/proxy.ts adds the slash to the others.
  skipTrailingSlashRedirect: true,
  transpilePackages: ["@codegouvfr/react-dsfr"],
  // Loaded by the server only, and only when SENTRY_DSN is set.
  serverExternalPackages: ["@sentry/node"],
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders }];
  },
  webpack(config) {
    config.module.rules.push(
      // The DSFR's fonts and manifest, served from the build like any asset (no CDN).
      { test: /\.(woff2|webmanifest)$/, type: "asset/resource" },
      // `import text from "…/contenus/page.html?raw"`: the page texts, as strings.
      { resourceQuery: /raw/, type: "asset/source" },
    );
    return config;
  },
};

export default nextConfig;
