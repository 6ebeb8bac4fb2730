import { describe, expect, it } from "vitest";

import { dashboardUrl, parseVisits } from "@/lib/matomo";

describe("chiffres de Matomo", () => {
  it("lisent les visites par mois, du plus récent au plus ancien", () => {
    const rows = parseVisits({ "2026-01": { nb_visits: 12, nb_actions: 30 }, "2026-02": [], "2025-12": { nb_visits: "4" } });
    expect(rows).toEqual([
      { month: "février 2026", visits: 0, actions: 0 },
      { month: "janvier 2026", visits: 12, actions: 30 },
      { month: "décembre 2025", visits: 4, actions: 0 },
    ]);
  });

  it("ne montrent rien quand Matomo répond une erreur ou rien d'utile", () => {
    expect(parseVisits({ result: "error", message: "You can't access this resource" })).toBeNull();
    expect(parseVisits(null)).toBeNull();
    expect(parseVisits({ total: 3 })).toBeNull();
  });

  it("lient le tableau de bord public du site", () => {
    expect(dashboardUrl({ url: "https://stats.beta.gouv.fr", siteId: "7" })).toBe(
      "https://stats.beta.gouv.fr/index.php?module=CoreHome&action=index&idSite=7&period=month&date=today",
    );
  });
});
