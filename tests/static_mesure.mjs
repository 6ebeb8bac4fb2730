// Measures one served page the way the README's benchmark of the static stack does: Lighthouse
// (mobile defaults, median of N runs, four categories) and the three inputs of the ecoindex (DOM
// nodes outside SVG, transferred kB, requests, after load and a scroll), with Debian's Chromium.
//
// Run from a generated project after `make install` (it borrows that project's Playwright):
//   node <template>/tests/static_mesure.mjs http://perf.localhost:8000/ [runs]
// LIGHTHOUSE: the lighthouse binary (npm install --prefix /tmp/lh lighthouse@12.2.3);
// ECOINDEX_PYTHON: a Python with ecoindex-compute 5.10.0 (pip install ecoindex-compute==5.10.0).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [url, runs = "3"] = process.argv.slice(2);
if (!url) {
  console.error("usage : node static_mesure.mjs <adresse de la page> [nombre de passages]");
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const lighthouse = process.env.LIGHTHOUSE || "/tmp/lh/node_modules/.bin/lighthouse";
const python = process.env.ECOINDEX_PYTHON || "/tmp/eco/bin/python";
const require = createRequire(join(process.cwd(), "package.json"));
const playwright = await import(pathToFileURL(require.resolve("playwright")).href);
const chromium = playwright.chromium ?? playwright.default.chromium;

const folder = mkdtempSync(join(tmpdir(), "mesure-"));
const categories = ["performance", "accessibility", "best-practices", "seo"];
const scores = Object.fromEntries(categories.map((name) => [name, []]));
for (let run = 0; run < Number(runs); run += 1) {
  const output = join(folder, `lighthouse-${run}.json`);
  execFileSync(lighthouse, [url, "--quiet", "--output=json", `--output-path=${output}`, "--chrome-flags=--headless=new --no-sandbox"], {
    env: { ...process.env, CHROME_PATH: chromiumPath },
  });
  const report = JSON.parse(readFileSync(output, "utf8"));
  for (const name of categories) scores[name].push(report.categories[name].score);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Network.enable");
await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
let bytes = 0;
let requests = 0;
cdp.on("Network.requestWillBeSent", (event) => {
  if (!event.request.url.startsWith("data:")) requests += 1;
});
cdp.on("Network.loadingFinished", (event) => {
  bytes += event.encodedDataLength;
});
await page.goto(url, { waitUntil: "networkidle" });
await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
await page.waitForTimeout(3000);
const nodes = await page.evaluate(
  () => [...document.getElementsByTagName("*")].filter((element) => !element.parentElement?.closest("svg")).length,
);
await browser.close();

const kilobytes = bytes / 1024;
const code = [
  "import asyncio, inspect, json",
  "from ecoindex.compute import compute_ecoindex",
  `result = compute_ecoindex(${nodes}, ${kilobytes}, ${requests})`,
  "result = asyncio.run(result) if inspect.isawaitable(result) else result",
  'print(json.dumps({"grade": result.grade, "score": result.score}))',
].join("\n");
const ecoindex = JSON.parse(execFileSync(python, ["-c", code]).toString());
console.log(
  JSON.stringify(
    {
      url,
      lighthouse: Object.fromEntries(categories.map((name) => [name, median(scores[name])])),
      runs: scores,
      ecoindex,
      nodes,
      requests,
      kilobytes: Math.round(kilobytes),
    },
    null,
    2,
  ),
);
