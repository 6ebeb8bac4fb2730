// The browser tests (tests/navigateur/, the kit shared with the other stacks): the application served
// twice by gunicorn on 127.0.0.1, without audience measurement (BASE_URL) and with it (TRACKED_BASE_URL,
// site 42: the tests replace Matomo's script with a stub), in the system's Chromium (never a downloaded one).
import { defineConfig } from "@playwright/test";

import { freePort, launchOptions } from "./tests/navigateur/chromium.mjs";

// Chosen once by the runner; its workers read them back from the environment.
process.env.PORT_SITE ??= String(await freePort());
process.env.PORT_SUIVI ??= String(await freePort());
process.env.BASE_URL = `http://127.0.0.1:${process.env.PORT_SITE}`;
process.env.TRACKED_BASE_URL = `http://127.0.0.1:${process.env.PORT_SUIVI}`;

// The project's virtual environment (`make install`), unless PYTHON names another interpreter.
const python = process.env.PYTHON || ".venv/bin/python";
// Local settings without debug pages, whatever the caller's environment says: static files come from
// the installed packages (no collectstatic), the database is an empty one in memory.
const local = {
  DJANGO_SETTINGS_MODULE: "config.settings",
  DJANGO_ENV: "local",
  DEBUG: "false",
  DATABASE_URL: "sqlite://:memory:",
  SENTRY_DSN: "",
  // No collectstatic here: whitenoise's warning about the missing staticfiles/ folder says nothing.
  PYTHONWARNINGS: "ignore:No directory at:UserWarning",
};

const server = (port, base, env) => ({
  // Two servers side by side: without gunicorn's control socket, which they would share.
  command: `${python} -m gunicorn config.wsgi --bind 127.0.0.1:${port} --workers 1 --no-control-socket --log-level warning`,
  url: `${base}/healthz`,
  env: { ...local, ...env },
  reuseExistingServer: false,
  timeout: 30_000,
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
    server(process.env.PORT_SITE, process.env.BASE_URL, { MATOMO_SITE_ID: "" }),
    server(process.env.PORT_SUIVI, process.env.TRACKED_BASE_URL, {
      MATOMO_SITE_ID: "42",
      MATOMO_URL: "https://stats.example.gouv.fr",
    }),
  ],
});
