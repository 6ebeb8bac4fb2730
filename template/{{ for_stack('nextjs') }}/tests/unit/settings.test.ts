import { describe, expect, it } from "vitest";

import { matomoDefaults } from "@/lib/service";
import { readSettings, SettingsError } from "@/lib/settings";

const production = { APP_ENV: "production", SITE_URL: "https://mon-service.beta.gouv.fr" };

describe("réglages", () => {
  it("fonctionnent sans aucune variable sur un poste de développement", () => {
    const settings = readSettings({});
    expect(settings.local).toBe(true);
    expect(settings.matomo).toBeNull();
    expect(settings.sentryDsn).toBe("");
    expect(settings.siteUrl).toBe("http://localhost:8000");
  });

  it("refusent de démarrer hors poste de développement sans SITE_URL, en nommant la variable", () => {
    expect(() => readSettings({ APP_ENV: "production" })).toThrow(SettingsError);
    expect(() => readSettings({ APP_ENV: "staging" })).toThrow(/SITE_URL est obligatoire quand APP_ENV=staging/);
  });

  it("exigent https en production", () => {
    expect(() => readSettings({ ...production, SITE_URL: "http://mon-service.beta.gouv.fr" })).toThrow(/https/);
    expect(readSettings(production).siteUrl).toBe("https://mon-service.beta.gouv.fr");
  });

  it("n'utilisent le numéro de site Matomo du modèle qu'en production", () => {
    expect(readSettings({}).matomo).toBeNull();
    expect(readSettings({ ...production, APP_ENV: "staging" }).matomo).toBeNull();
    const inProduction = readSettings(production).matomo;
    expect(inProduction).toEqual(matomoDefaults.siteId ? { url: matomoDefaults.url.replace(/\/+$/, ""), siteId: matomoDefaults.siteId } : null);
  });

  it("lisent Matomo dans l'environnement et refusent un numéro qui n'en est pas un", () => {
    const settings = readSettings({ MATOMO_SITE_ID: "42", MATOMO_URL: "https://stats.example.gouv.fr/" });
    expect(settings.matomo).toEqual({ url: "https://stats.example.gouv.fr", siteId: "42" });
    expect(() => readSettings({ MATOMO_SITE_ID: "quarante-deux" })).toThrow(/MATOMO_SITE_ID doit être un nombre/);
    expect(() => readSettings({ MATOMO_SITE_ID: "42", MATOMO_URL: "http://stats.example.gouv.fr" })).toThrow(/https/);
  });

  it("lisent le DSN de Sentry, vide par défaut", () => {
    expect(readSettings({ SENTRY_DSN: " https://cle@sentry.incubateur.net/1 " }).sentryDsn).toBe(
      "https://cle@sentry.incubateur.net/1",
    );
  });
});
