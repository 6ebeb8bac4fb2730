// The page texts, imported as strings (see the `?raw` rule in next.config.mjs).
declare module "*.html?raw" {
  const html: string;
  export default html;
}
