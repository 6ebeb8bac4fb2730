// The browser tests (tests/navigateur/): the built site served twice by serveur.mjs on 127.0.0.1,
// without audience measurement (BASE_URL) and with it (TRACKED_BASE_URL, site built into _site-suivi
// by `make test`), in the system's Chromium.
import { defineConfig } from "@playwright/test";

import { launchOptions } from "./tests/navigateur/chromium.mjs";

// Workers load this file again: the ports chosen by the first load travel in the environment.
if (!process.env.BASE_URL) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  process.env.BASE_URL = `http://127.0.0.1:${port}`;
  process.env.TRACKED_BASE_URL = `http://127.0.0.1:${port + 1}`;
  process.env.STARTED_SERVERS = "1";
}
const server = (name, siteDir) => {
  const { port } = new URL(process.env[name]);
  return {
    command: "node serveur.mjs",
    env: { SITE_DIR: siteDir, PORT: port },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 20_000,
  };
};

export default defineConfig({
  testDir: "tests/navigateur",
  testMatch: "*.spec.mjs",
  timeout: 30_000,
  workers: 2,
  reporter: process.env.CI ? "list" : "line",
  forbidOnly: Boolean(process.env.CI),
  use: { launchOptions: launchOptions(), locale: "fr-FR" },
  webServer: process.env.STARTED_SERVERS
    ? [server("BASE_URL", "_site"), server("TRACKED_BASE_URL", "_site-suivi")]
    : [],
});
