// The browser tests (tests/navigateur/): the built site served twice by serveur.mjs on 127.0.0.1,
// without audience measurement (BASE_URL, _site) and with it (TRACKED_BASE_URL, _site-suivi: built
// by `make test` with MATOMO_SITE_ID=42), in the system's Chromium.
import { defineConfig } from "@playwright/test";

import { freePort, launchOptions } from "./tests/navigateur/chromium.mjs";

// Chosen once by the runner; its workers read them back from the environment.
process.env.PORT_SITE ??= String(await freePort());
process.env.PORT_SUIVI ??= String(await freePort());
process.env.BASE_URL = `http://127.0.0.1:${process.env.PORT_SITE}`;
process.env.TRACKED_BASE_URL = `http://127.0.0.1:${process.env.PORT_SUIVI}`;

const server = (siteDir, port, base) => ({
  command: "node serveur.mjs",
  env: { SITE_DIR: siteDir, PORT: port },
  url: `${base}/healthz`,
  reuseExistingServer: false,
  timeout: 20_000,
});

export default defineConfig({
  testDir: "tests/navigateur",
  testMatch: "*.spec.mjs",
  timeout: 30_000,
  workers: 2,
  reporter: process.env.CI ? "list" : "line",
  forbidOnly: Boolean(process.env.CI),
  use: { launchOptions: launchOptions() },
  webServer: [
    server("_site", process.env.PORT_SITE, process.env.BASE_URL),
    server("_site-suivi", process.env.PORT_SUIVI, process.env.TRACKED_BASE_URL),
  ],
});
