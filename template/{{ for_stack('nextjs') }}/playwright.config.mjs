// Browser tests: the production build (`make build`) served twice on 127.0.0.1, without then with
// audience measurement, checked in the system's Chromium (never a downloaded browser).
import { defineConfig } from "@playwright/test";

import { freePort, launchOptions } from "./tests/navigateur/chromium.mjs";

// Ports chosen once by the runner, handed to its workers through the environment.
process.env.PORT_SITE ??= String(await freePort());
process.env.PORT_SUIVI ??= String(await freePort());
process.env.BASE_URL = `http://127.0.0.1:${process.env.PORT_SITE}`;
process.env.TRACKED_BASE_URL = `http://127.0.0.1:${process.env.PORT_SUIVI}`;
// Pages change without a reload (client-side navigation): each one must still be counted once.
process.env.CLIENT_NAVIGATION = "1";

const serve = (port) => `node_modules/.bin/next start --hostname 127.0.0.1 --port ${port}`;
// The local settings, whatever the caller's environment says.
const local = { APP_ENV: "local", SENTRY_DSN: "", NEXT_TELEMETRY_DISABLED: "1" };

export default defineConfig({
  testDir: "tests/navigateur",
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? "list" : [["list"]],
  timeout: 60_000,
  workers: 2,
  use: { launchOptions: launchOptions(), locale: "fr-FR" },
  webServer: [
    {
      command: serve(process.env.PORT_SITE),
      url: `${process.env.BASE_URL}/healthz`,
      env: { ...local, MATOMO_SITE_ID: "" },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: serve(process.env.PORT_SUIVI),
      url: `${process.env.TRACKED_BASE_URL}/healthz`,
      env: { ...local, MATOMO_SITE_ID: "42", MATOMO_URL: "https://stats.example.gouv.fr" },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
