// Audience measurement, decided when the site is built: on only when MATOMO_SITE_ID is set.
// In production (SITE_ENV=production) the site id given to the template is the default; anywhere
// else (local runs, tests, review apps) measurement stays off unless MATOMO_SITE_ID is set.
import { readFileSync } from "node:fs";

const SERVICE = JSON.parse(readFileSync(new URL("../site/_data/service.json", import.meta.url), "utf8"));

export function suivi(env = process.env) {
  const production = env.SITE_ENV === "production";
  const url = (env.MATOMO_URL || SERVICE.matomoUrl || "").trim().replace(/\/+$/, "");
  const siteId = (env.MATOMO_SITE_ID ?? (production ? SERVICE.matomoSiteId : "")).trim();
  if (siteId && !/^[0-9]+$/.test(siteId)) {
    throw new Error(`MATOMO_SITE_ID doit être un nombre (reçu : « ${siteId} »).`);
  }
  if (siteId && !url.startsWith("https://")) {
    throw new Error(`MATOMO_URL doit commencer par https:// (reçu : « ${url} »).`);
  }
  return siteId ? { url, siteId } : null;
}
