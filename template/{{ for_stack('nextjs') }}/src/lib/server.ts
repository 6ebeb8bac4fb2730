import http from "node:http";

import type { Instrumentation } from "next";

import { dynamicSecurityHeaders, newNonce } from "@/lib/csp";
import staticSecurityHeaders from "@/lib/security-headers.json";
import { readSettings, SettingsError, type Settings } from "@/lib/settings";

// At start-up: refuse to start with missing or wrong settings (with the name of the variable to set),
// and report errors to Sentry only when SENTRY_DSN is set.
export async function startServer() {
  let settings;
  try {
    settings = readSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(`Démarrage impossible : ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  refuseTrace(settings);
  if (settings.sentryDsn) {
    const Sentry = await import("@sentry/node");
    Sentry.init({
      dsn: settings.sentryDsn,
      environment: settings.environment,
      // The deployed commit, when the host sets one of the usual variables for it.
      release: process.env.SENTRY_RELEASE || process.env.SOURCE_VERSION || process.env.COMMIT_ID || undefined,
      // No personal data in the reports: no user, cookie, header, query string or body.
      dataCollection: {
        userInfo: false,
        cookies: false,
        httpHeaders: false,
        httpBodies: [],
        urlQueryParams: false,
      },
      tracesSampleRate: 0,
    });
  }
}

export async function reportRequestError(...[error, request, context]: Parameters<Instrumentation.onRequestError>) {
  if (!process.env.SENTRY_DSN?.trim()) {
    return;
  }
  const Sentry = await import("@sentry/node");
  Sentry.captureException(error, {
    tags: { route: context.routePath, routerKind: context.routerKind },
    extra: { method: request.method, path: request.path.split("?")[0] },
  });
}

// Node.js's fetch refuses to build a request with the TRACE method (the Fetch standard forbids it), so
// Next.js would answer it with a bare 500 before src/proxy.ts runs. The HTTP server answers it first:
// 405, with the headers of every other response. Installed once, at start-up.
let traceRefused = false;

export function refuseTrace(settings: Settings) {
  if (traceRefused) {
    return;
  }
  traceRefused = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
    if (event === "request" && request.method === "TRACE") {
      response.writeHead(405, {
        Allow: "GET, HEAD",
        ...Object.fromEntries(staticSecurityHeaders.map(({ key, value }) => [key, value])),
        ...dynamicSecurityHeaders({ nonce: newNonce(), matomoUrl: settings.matomo?.url, local: settings.local }),
      });
      response.end();
      return true;
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
