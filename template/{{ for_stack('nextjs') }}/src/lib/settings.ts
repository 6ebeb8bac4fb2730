import { matomoDefaults } from "./service";

// Settings that differ between machines, read from the environment at run time (12 factors).
// - On a developer's machine (APP_ENV unset or "local") every variable has a safe default: no
//   audience measurement, no error reporting, no HSTS.
// - Deployed (APP_ENV=production, staging…) SITE_URL is required, and HSTS is sent.
// `.env.example` lists every variable.

export type Settings = {
  environment: string;
  local: boolean;
  siteUrl: string;
  matomo: { url: string; siteId: string } | null;
  sentryDsn: string;
};

type Env = Record<string, string | undefined>;

export class SettingsError extends Error {}

function read(env: Env, name: string, fallback = ""): string {
  return (env[name] ?? "").trim() || fallback;
}

export function readSettings(env: Env = process.env): Settings {
  const environment = read(env, "APP_ENV", "local");
  const local = environment === "local";
  const required = (name: string) => {
    const value = read(env, name);
    if (!value) {
      throw new SettingsError(
        `La variable d'environnement ${name} est obligatoire quand APP_ENV=${environment} ` +
          "(hors poste de développement). Voir .env.example pour sa description.",
      );
    }
    return value;
  };

  const siteUrl = (local ? read(env, "SITE_URL", "http://localhost:8000") : required("SITE_URL")).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+$/.test(siteUrl) || (!local && !siteUrl.startsWith("https://"))) {
    throw new SettingsError(
      `SITE_URL doit être l'adresse du site, en https hors poste de développement (reçu : « ${siteUrl} », ` +
        "exemple qui passe : « https://mon-service.beta.gouv.fr »).",
    );
  }

  // Outside production (local runs, review apps, staging) the template's site id is not a default,
  // so that test visits never reach the real statistics.
  const matomoUrl = read(env, "MATOMO_URL", matomoDefaults.url).replace(/\/+$/, "");
  const siteId = read(env, "MATOMO_SITE_ID", environment === "production" ? matomoDefaults.siteId : "");
  if (siteId && !/^[0-9]+$/.test(siteId)) {
    throw new SettingsError(`MATOMO_SITE_ID doit être un nombre (reçu : « ${siteId} »).`);
  }
  if (siteId && !/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(matomoUrl)) {
    throw new SettingsError(`MATOMO_URL doit être une adresse en https (reçu : « ${matomoUrl} »).`);
  }

  return {
    environment,
    local,
    siteUrl,
    matomo: siteId ? { url: matomoUrl, siteId } : null,
    sentryDsn: read(env, "SENTRY_DSN"),
  };
}
