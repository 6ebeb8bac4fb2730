// Eleventy builds the site from site/ into _site/ (SITE_DIR changes the folder). After each build it
// writes the security headers next to the site, the host's configuration, and compressed copies of
// the text files: see config/construction.mjs.
import { readFileSync } from "node:fs";

import { afterBuild } from "./config/construction.mjs";

const DSFR = "node_modules/@gouvfr/dsfr/dist";
// The DSFR files the pages load; the stylesheet's own fonts and icons are added below.
const STYLESHEET = "dsfr.min.css";
const SCRIPTS = ["dsfr.module.min.js", "dsfr.nomodule.min.js"];
const FAVICONS = ["favicon.svg", "apple-touch-icon.png"];

// Every file the stylesheet points to (fonts, icons), and nothing more: the site stays small.
function stylesheetAssets() {
  const css = readFileSync(`${DSFR}/${STYLESHEET}`, "utf8");
  const urls = [...css.matchAll(/url\(["']?([^)"']+)["']?\)/g)].map((match) => match[1]);
  return [...new Set(urls.filter((url) => !url.startsWith("data:")).map((url) => url.split(/[?#]/)[0]))];
}

export default function (eleventyConfig) {
  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true });
  const copies = { "site/js": "js" };
  for (const file of [STYLESHEET, ...SCRIPTS, ...stylesheetAssets()]) copies[`${DSFR}/${file}`] = `dsfr/${file}`;
  for (const file of FAVICONS) copies[`${DSFR}/favicon/${file}`] = `dsfr/favicon/${file}`;
  // Served by the site itself from the npm package: no CDN.
  eleventyConfig.addPassthroughCopy(copies);
  eleventyConfig.on("eleventy.after", ({ dir }) => afterBuild(dir.output));
  return {
    dir: { input: "site", output: process.env.SITE_DIR || "_site", includes: "_includes", data: "_data" },
    templateFormats: ["njk"],
    htmlTemplateEngine: "njk",
  };
}
