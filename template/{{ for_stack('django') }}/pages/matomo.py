"""Public audience figures read from the Matomo instance, for the /stats page.

They are shown only when the Matomo site grants anonymous view access (the transparency standard);
otherwise, or when Matomo does not answer quickly, the page says so and shows no figure.
"""

import json
import logging
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MONTHS = (
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
)
TIMEOUT_SECONDS = 3
CACHE_SECONDS = 6 * 3600
RETRY_SECONDS = 10 * 60


def monthly_visits(months: int = 12) -> list[dict] | None:
    """Visits and actions of the last `months` months, latest first; None when unavailable."""
    key = f"matomo-visits-{settings.MATOMO_SITE_ID}-{months}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    rows = parse_visits(fetch_visits(months))
    cache.set(key, rows or [], CACHE_SECONDS if rows else RETRY_SECONDS)
    return rows


def fetch_visits(months: int):
    query = urlencode(
        {
            "module": "API",
            "method": "VisitsSummary.get",
            "idSite": settings.MATOMO_SITE_ID,
            "period": "month",
            "date": f"last{months}",
            "format": "JSON",
            "token_auth": "anonymous",
        }
    )
    try:
        with urlopen(f"{settings.MATOMO_URL}/index.php?{query}", timeout=TIMEOUT_SECONDS) as response:
            return json.load(response)
    except (URLError, OSError, ValueError) as error:
        logger.warning("Matomo figures unavailable: %s", error)
        return None


def parse_visits(data) -> list[dict] | None:
    """Matomo answers {"2026-01": {"nb_visits": …, "nb_actions": …}, "2026-02": [], …} or an error."""
    if not isinstance(data, dict) or data.get("result") == "error":
        return None
    rows = []
    for period, values in sorted(data.items(), reverse=True):
        year, _, month = str(period).partition("-")
        if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
            continue
        values = values if isinstance(values, dict) else {}
        rows.append(
            {
                "month": f"{MONTHS[int(month) - 1]} {year}",
                "visits": int(values.get("nb_visits") or 0),
                "actions": int(values.get("nb_actions") or 0),
            }
        )
    return rows or None


def dashboard_url() -> str:
    """The public Matomo dashboard of the site (works once anonymous view access is granted)."""
    if not settings.MATOMO_SITE_ID:
        return ""
    query = urlencode(
        {"module": "CoreHome", "action": "index", "idSite": settings.MATOMO_SITE_ID, "period": "month", "date": "today"}
    )
    return f"{settings.MATOMO_URL}/index.php?{query}"
