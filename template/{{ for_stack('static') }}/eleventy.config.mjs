// Eleventy builds the site from site/ into _site/ (SITE_DIR changes the folder). It bundles the DSFR
// parts the pages use (config/dsfr.mjs); refuses symbolic links that leave the project or the site,
// then writes the security headers next to the site, the host's configuration and compressed copies
// of the text files (config/construction.mjs).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterBuild, refuseLinksLeaving } from "./config/construction.mjs";
import { DIST, script, stylesheet } from "./config/dsfr.mjs";

const PROJECT = fileURLToPath(new URL(".", import.meta.url));

// A name that changes with the content: browsers may keep the file as long as they like.
function fingerprinted(name, text) {
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 10);
  return name.replace(/\.(?=[^.]+$|module\.js$)/, `.${hash}.`);
}

export default function (eleventyConfig) {
  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true });
  const { text: css, assets } = stylesheet();
  const js = script();
  const bundles = { css: fingerprinted("dsfr.css", css), js: fingerprinted("dsfr.module.js", js) };
  // The pages link the bundles by these names (see _includes/base.njk).
  eleventyConfig.addGlobalData("dsfr", { css: `/dsfr/${bundles.css}`, js: `/dsfr/${bundles.js}` });
  // Served by the site itself from the npm package (no CDN): the fonts and icons of the stylesheet,
  // the favicons, and the full script for old browsers without JavaScript modules.
  const copies = { "site/js": "js" };
  for (const file of [...assets, "dsfr.nomodule.min.js", "favicon/favicon.svg", "favicon/apple-touch-icon.png"]) {
    copies[`${DIST}/${file}`] = `dsfr/${file}`;
  }
  eleventyConfig.addPassthroughCopy(copies);
  const leavingProject = {
    where: "du projet",
    advice: "Supprimez ce lien, ou remplacez-le par le fichier lui-même s'il doit être publié.",
  };
  eleventyConfig.on("eleventy.before", ({ dir }) => refuseLinksLeaving(dir.input, PROJECT, leavingProject));
  eleventyConfig.on("eleventy.after", ({ dir }) => {
    mkdirSync(join(dir.output, "dsfr"), { recursive: true });
    writeFileSync(join(dir.output, "dsfr", bundles.css), css);
    writeFileSync(join(dir.output, "dsfr", bundles.js), js);
    afterBuild(dir.output);
  });
  return {
    dir: { input: "site", output: process.env.SITE_DIR || "_site", includes: "_includes", data: "_data" },
    templateFormats: ["njk"],
    htmlTemplateEngine: "njk",
  };
}
