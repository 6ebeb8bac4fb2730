// Public audience figures read from the Matomo instance, for the /stats page. They are shown only when
// the Matomo site grants anonymous view access (the transparency standard); otherwise, or when Matomo
// does not answer quickly, or answers anything but well-formed figures, the page says so and shows no
// figure. The result is kept in the server's memory: figures for half an hour, a failure for a minute,
// so that visits do not each wait for Matomo.

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
const MAX_ANSWER_CHARACTERS = 1_000_000;
export const SUCCESS_CACHE_MS = 30 * 60_000;
export const FAILURE_CACHE_MS = 60_000;
// Above this, a figure is an error, not an audience.
const MAX_FIGURE = 1e12;

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

// A count as Matomo writes it (a JSON integer, or its digits in a string), within bounds; else null.
function wholeNumber(value: unknown): number | null {
  const number = typeof value === "string" && /^[0-9]{1,13}$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isSafeInteger(number) && number >= 0 && number <= MAX_FIGURE
    ? number
    : null;
}

// Matomo answers {"2026-01": {"nb_visits": 12, "nb_actions": 30, …}, "2026-02": [], …}, an empty list
// standing for a month without visits, or {"result": "error", …}. Anything else (another shape, a month
// or a figure that is not one, more months than asked for) makes the whole answer unusable: never a
// table of half-true figures.
export function parseVisits(data: unknown, months = 12): MonthVisits[] | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    return null;
  }
  const entries = Object.entries(data).sort(([a], [b]) => (a < b ? 1 : -1));
  if (entries.length === 0 || entries.length > months) {
    return null;
  }
  const rows: MonthVisits[] = [];
  for (const [period, values] of entries) {
    const match = /^(\d{4})-(\d{2})$/.exec(period);
    const month = match ? Number(match[2]) : 0;
    if (!match || month < 1 || month > 12) {
      return null;
    }
    let visits: number | null = 0;
    let actions: number | null = 0;
    if (values && typeof values === "object" && !Array.isArray(values)) {
      visits = wholeNumber((values as Record<string, unknown>).nb_visits);
      actions = wholeNumber((values as Record<string, unknown>).nb_actions);
    } else if (!(Array.isArray(values) && values.length === 0)) {
      return null;
    }
    if (visits === null || actions === null) {
      return null;
    }
    rows.push({ month: `${MONTHS[month - 1]} ${match[1]}`, visits, actions });
  }
  return rows;
}

async function fetchVisits(site: MatomoSite, months: number): Promise<MonthVisits[] | null> {
  try {
    const response = await fetch(apiUrl(site, months), { signal: AbortSignal.timeout(TIMEOUT_MS), cache: "no-store" });
    if (!response.ok) {
      return null;
    }
    const text = await response.text();
    return text.length > MAX_ANSWER_CHARACTERS ? null : parseVisits(JSON.parse(text), months);
  } catch (error) {
    console.warn(`Chiffres de Matomo indisponibles : ${error}`);
    return null;
  }
}

// One entry per Matomo address and period; a request in progress is shared by the visits that wait for it.
const cache = new Map<string, { expires: number; visits: Promise<MonthVisits[] | null> }>();

export function monthlyVisits(site: MatomoSite, months = 12): Promise<MonthVisits[] | null> {
  const key = apiUrl(site, months);
  const cached = cache.get(key);
  if (cached && cached.expires > Date.now()) {
    return cached.visits;
  }
  const entry = { expires: Date.now() + FAILURE_CACHE_MS, visits: fetchVisits(site, months) };
  cache.set(key, entry);
  void entry.visits.then((rows) => {
    entry.expires = Date.now() + (rows ? SUCCESS_CACHE_MS : FAILURE_CACHE_MS);
  });
  return entry.visits;
}

// The public Matomo dashboard of the site (works once anonymous view access is granted).
export function dashboardUrl({ url, siteId }: MatomoSite): string {
  const query = new URLSearchParams({ module: "CoreHome", action: "index", idSite: siteId, period: "month", date: "today" });
  return `${url}/index.php?${query}`;
}
