import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Next.js's recommended rules (React, hooks, accessibility, Core Web Vitals) and TypeScript's.
const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  { ignores: [".next/", "node_modules/", "test-results/", "playwright-report/", "next-env.d.ts"] },
];

export default config;
