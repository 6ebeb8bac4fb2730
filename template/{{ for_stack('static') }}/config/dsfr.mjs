// The DSFR as the pages need it: one stylesheet and one script bundled from the npm package, with
// only the core, the dark mode and the components listed in dsfr.json, so the pages stay light.
// Their url() are rewritten to the files copied beside them under /dsfr/.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";

export const DIST = "node_modules/@gouvfr/dsfr/dist";
const { components } = JSON.parse(readFileSync(new URL("./dsfr.json", import.meta.url), "utf8"));

// The first of the candidate files that the package holds.
function pick(...candidates) {
  return candidates.find((path) => existsSync(join(DIST, path)));
}

export function parts() {
  const css = [pick("core/core.main.min.css"), pick("scheme/scheme.min.css")];
  const js = [pick("core/core.module.min.js"), pick("scheme/scheme.module.min.js")];
  for (const name of components) {
    const folder = `component/${name}`;
    const style = pick(`${folder}/${name}.main.min.css`, `${folder}/${name}.min.css`);
    if (!style && !pick(`${folder}/${name}.module.min.js`)) {
      throw new Error(`config/dsfr.json : le composant « ${name} » n'existe pas dans le DSFR.`);
    }
    if (style) css.push(style);
    const script = pick(`${folder}/${name}.module.min.js`);
    if (script) js.push(script);
  }
  return { css: css.filter(Boolean), js: js.filter(Boolean) };
}

// The stylesheet, and the package files its url() point to (fonts, icons), relative to DIST.
export function stylesheet() {
  const assets = new Set();
  const text = parts()
    .css.map((file) => {
      const folder = dirname(file);
      return readFileSync(join(DIST, file), "utf8").replace(/url\((["']?)([^)"']+)\1\)/g, (all, quote, url) => {
        if (/^(data:|https?:|#)/.test(url)) return all;
        const target = posix.normalize(posix.join(folder, url.split(/[?#]/)[0]));
        assets.add(target);
        return `url(${quote}${target}${quote})`;
      });
    })
    .join("\n");
  return { text, assets: [...assets] };
}

// The modules share the DSFR's global (window.dsfr); each keeps its own top-level names in a block.
export function script() {
  return parts()
    .js.map((file) => `{\n${readFileSync(join(DIST, file), "utf8")}\n}`)
    .join("\n");
}
