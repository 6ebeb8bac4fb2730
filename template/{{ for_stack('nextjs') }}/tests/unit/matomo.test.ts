import { afterEach, describe, expect, it, vi } from "vitest";

import { dashboardUrl, FAILURE_CACHE_MS, monthlyVisits, parseVisits, SUCCESS_CACHE_MS } from "@/lib/matomo";

describe("chiffres de Matomo", () => {
  it("lisent les visites par mois, du plus récent au plus ancien", () => {
    const rows = parseVisits({
      "2026-01": { nb_visits: 12, nb_actions: 30 },
      "2026-02": [],
      "2025-12": { nb_visits: "4", nb_actions: "9" },
    });
    expect(rows).toEqual([
      { month: "février 2026", visits: 0, actions: 0 },
      { month: "janvier 2026", visits: 12, actions: 30 },
      { month: "décembre 2025", visits: 4, actions: 9 },
    ]);
  });

  it("ne montrent rien quand Matomo répond une erreur ou rien d'utile", () => {
    expect(parseVisits({ result: "error", message: "You can't access this resource" })).toBeNull();
    expect(parseVisits(null)).toBeNull();
    expect(parseVisits({ total: 3 })).toBeNull();
  });

  it.each([
    ["un chiffre qui n'en est pas un", { "2026-01": { nb_visits: "abc", nb_actions: 3 } }],
    ["un chiffre négatif", { "2026-01": { nb_visits: -5, nb_actions: 3 } }],
    ["un chiffre à virgule", { "2026-01": { nb_visits: 12.5, nb_actions: 3 } }],
    ["un chiffre démesuré", { "2026-01": { nb_visits: 1e16, nb_actions: 3 } }],
    ["un chiffre infini", { "2026-01": { nb_visits: Infinity, nb_actions: 3 } }],
    ["un booléen", { "2026-01": { nb_visits: true, nb_actions: 3 } }],
    ["un objet", { "2026-01": { nb_visits: { n: 1 }, nb_actions: 3 } }],
    ["une clé manquante", { "2026-01": { nb_actions: 3 } }],
    ["un mois qui n'est pas un objet", { "2026-01": "12" }],
    ["un mois impossible", { "2026-13": { nb_visits: 1, nb_actions: 3 } }],
    ["une clé qui n'est pas un mois", { "2026-01": { nb_visits: 1, nb_actions: 3 }, result: "error" }],
    ["une liste", [[80, 150]]],
    ["un objet vide", {}],
    ["un texte", "80 visites"],
    ["plus de mois que demandé", Object.fromEntries([...Array(13).keys()].map((i) => [`20${10 + i}-01`, []]))],
  ])("ne montrent rien pour %s", (_, answer) => {
    expect(parseVisits(answer)).toBeNull();
  });

  it("lient le tableau de bord public du site", () => {
    expect(dashboardUrl({ url: "https://stats.beta.gouv.fr", siteId: "7" })).toBe(
      "https://stats.beta.gouv.fr/index.php?module=CoreHome&action=index&idSite=7&period=month&date=today",
    );
  });
});

describe("appels à Matomo", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  // Each test uses its own site: the answers are kept in memory between calls.
  const site = (siteId: string) => ({ url: "https://stats.example.gouv.fr", siteId });
  const GOOD = JSON.stringify({ "2026-01": { nb_visits: 80, nb_actions: 150 } });

  function fakeMatomo(body: string | ((url?: unknown, init?: RequestInit) => Promise<Response>), status = 200) {
    const fetch = vi.fn(typeof body === "string" ? async () => new Response(body, { status }) : body);
    vi.stubGlobal("fetch", fetch);
    return fetch;
  }

  it.each([
    ["du texte qui n'est pas du JSON", "<html>Erreur</html>"],
    ["une réponse démesurée", `{"2026-01": {"nb_visits": 1, "nb_actions": 3}, "x": "${"x".repeat(2_000_000)}"}`],
    ["des chiffres mal formés", '{"2026-01": {"nb_visits": "abc", "nb_actions": 3}}'],
  ])("ne montrent rien quand Matomo répond %s", async (_, body) => {
    fakeMatomo(body);
    expect(await monthlyVisits(site(`mal-${body.length}`))).toBeNull();
  });

  it("ne montrent rien quand Matomo répond une erreur HTTP ou ne répond pas", async () => {
    fakeMatomo(GOOD, 500);
    expect(await monthlyVisits(site("statut"))).toBeNull();
    fakeMatomo(() => Promise.reject(new TypeError("fetch failed")));
    expect(await monthlyVisits(site("injoignable"))).toBeNull();
  });

  it("abandonnent un Matomo qui ne répond pas en quelques secondes", async () => {
    // A Matomo that never answers: only the request's own time limit ends the wait.
    fakeMatomo(
      (_url?: unknown, init?: RequestInit) =>
        new Promise<Response>((_, reject) => init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason))),
    );
    const start = Date.now();
    expect(await monthlyVisits(site("lent"))).toBeNull();
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it("gardent les chiffres un moment, et un échec peu de temps", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const fetch = fakeMatomo(GOOD);
    for (let i = 0; i < 3; i++) {
      expect(await monthlyVisits(site("cache"))).toEqual([{ month: "janvier 2026", visits: 80, actions: 150 }]);
    }
    expect(fetch).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(SUCCESS_CACHE_MS - 1000);
    await monthlyVisits(site("cache"));
    expect(fetch).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2000);
    await monthlyVisits(site("cache"));
    expect(fetch).toHaveBeenCalledTimes(2);

    const failing = fakeMatomo("<html>Erreur</html>");
    expect(await monthlyVisits(site("echec"))).toBeNull();
    expect(await monthlyVisits(site("echec"))).toBeNull();
    expect(failing).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(FAILURE_CACHE_MS + 1000);
    await monthlyVisits(site("echec"));
    expect(failing).toHaveBeenCalledTimes(2);
    expect(FAILURE_CACHE_MS).toBeLessThan(SUCCESS_CACHE_MS);
  });
});
