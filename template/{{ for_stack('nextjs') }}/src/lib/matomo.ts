// Public audience figures read from the Matomo instance, for the /stats page. They are shown only when
// the Matomo site grants anonymous view access (the transparency standard); otherwise, or when Matomo
// does not answer quickly, the page says so and shows no figure.

const MONTHS = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];
const TIMEOUT_MS = 3000;
const CACHE_SECONDS = 6 * 3600;

export type MatomoSite = { url: string; siteId: string };
export type MonthVisits = { month: string; visits: number; actions: number };

function apiUrl({ url, siteId }: MatomoSite, months: number): string {
  const query = new URLSearchParams({
    module: "API",
    method: "VisitsSummary.get",
    idSite: siteId,
    period: "month",
    date: `last${months}`,
    format: "JSON",
    token_auth: "anonymous",
  });
  return `${url}/index.php?${query}`;
}

// Matomo answers {"2026-01": {"nb_visits": …, "nb_actions": …}, "2026-02": [], …} or an error.
export function parseVisits(data: unknown): MonthVisits[] | null {
  if (!data || typeof data !== "object" || Array.isArray(data) || (data as { result?: unknown }).result === "error") {
    return null;
  }
  const rows: MonthVisits[] = [];
  for (const [period, values] of Object.entries(data).sort(([a], [b]) => (a < b ? 1 : -1))) {
    const match = /^(\d{4})-(\d{2})$/.exec(period);
    const month = match ? Number(match[2]) : 0;
    if (!match || month < 1 || month > 12) {
      continue;
    }
    const figures = values && typeof values === "object" && !Array.isArray(values) ? values : {};
    rows.push({
      month: `${MONTHS[month - 1]} ${match[1]}`,
      visits: Number((figures as Record<string, unknown>).nb_visits) || 0,
      actions: Number((figures as Record<string, unknown>).nb_actions) || 0,
    });
  }
  return rows.length ? rows : null;
}

export async function monthlyVisits(site: MatomoSite, months = 12): Promise<MonthVisits[] | null> {
  try {
    const response = await fetch(apiUrl(site, months), {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      next: { revalidate: CACHE_SECONDS },
    });
    return response.ok ? parseVisits(await response.json()) : null;
  } catch (error) {
    console.warn(`Chiffres de Matomo indisponibles : ${error}`);
    return null;
  }
}

// The public Matomo dashboard of the site (works once anonymous view access is granted).
export function dashboardUrl({ url, siteId }: MatomoSite): string {
  const query = new URLSearchParams({ module: "CoreHome", action: "index", idSite: siteId, period: "month", date: "today" });
  return `${url}/index.php?${query}`;
}
