// The DSFR's own behaviour, with the bundle the build assembles (config/dsfr.json): the menu on a
// small screen, the display settings window, and the dark theme kept from one page to the next.
import { expect, test } from "@playwright/test";

const base = () => process.env.BASE_URL.replace(/\/+$/, "");

test("le menu s'ouvre sur un petit écran", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(base() + "/");
  const menu = page.locator("#menu-principal");
  await expect(menu).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(menu.getByRole("link", { name: "Statistiques" })).toBeVisible();
  await menu.getByRole("button", { name: "Fermer" }).click();
  await expect(menu).toBeHidden();
});

test("le thème sombre, choisi dans les paramètres d'affichage, vaut pour les pages suivantes", async ({ page }) => {
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(base() + "/");
  await page.getByRole("button", { name: "Paramètres d'affichage" }).click();
  const dialog = page.getByRole("dialog", { name: "Paramètres d'affichage" });
  await expect(dialog).toBeVisible();
  await dialog.getByText("Thème sombre").click();
  await expect(page.locator("html")).toHaveAttribute("data-fr-theme", "dark");
  // Next page without the DSFR's script: only the inline anti-flash script can set the theme, before
  // the first paint (its hash must be in the Content-Security-Policy).
  await page.route("**/dsfr/dsfr.*.module.js", (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: "" }),
  );
  await page.goto(base() + "/aide/");
  expect(await page.locator("html").getAttribute("data-fr-theme")).toBe("dark");
  expect(errors, "erreurs de la console (CSP comprise)").toEqual([]);
});
