import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

// Unit tests (tests/unit): settings, security headers, Matomo, page texts. The browser tests are
// Playwright's (tests/navigateur, see playwright.config.mjs).
export default defineConfig({
  resolve: {
    alias: {
      "@/": fileURLToPath(new URL("./src/", import.meta.url)),
      "@contenus/": fileURLToPath(new URL("./contenus/", import.meta.url)),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
  },
});
