// The system's Chromium, driven by Playwright: no browser is ever downloaded.
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";

// Flags for a headless run that never reaches the network by itself.
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const NAMES = ["chromium", "chromium-browser", "google-chrome"];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  const folders = (process.env.PATH || "").split(delimiter).filter(Boolean);
  return folders.map((folder) => join(folder, name)).find(executable);
}

export function chromiumPath() {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen && !executable(chosen)) {
    throw new Error(
      `CHROMIUM_PATH désigne « ${chosen} », qui n'est pas un programme exécutable.`,
    );
  }
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    ...NAMES.map(onPath),
  ];
  const found = candidates.find((path) => path && executable(path));
  if (!found) {
    throw new Error(
      "Chromium introuvable : installez-le (Debian, Ubuntu : sudo apt-get install chromium) " +
        "ou indiquez son chemin dans la variable CHROMIUM_PATH.",
    );
  }
  return found;
}

// For `use.launchOptions` in playwright.config.mjs.
export function launchOptions() {
  return { executablePath: chromiumPath(), args: CHROMIUM_ARGS };
}

// A free TCP port on 127.0.0.1, for the servers the tests start (playwright.config.mjs `webServer`).
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
