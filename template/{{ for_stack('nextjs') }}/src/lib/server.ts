import type { Instrumentation } from "next";

import { readSettings, SettingsError } from "@/lib/settings";

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
