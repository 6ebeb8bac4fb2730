"""Public audience figures read from the Matomo instance, for the /stats page.

They are shown only when the Matomo site grants anonymous view access (the transparency standard);
otherwise, or when Matomo does not answer quickly, or answers anything but well-formed figures, the page
says so and shows no figure. The result is kept in Django's cache (each process's memory by default):
figures for half an hour, a failure for a minute, so that visits do not each wait for Matomo.
"""

import json
import logging
import re
import time
from http.client import HTTPException
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
# Each network step (connection, each read) waits at most TIMEOUT_SECONDS; the whole answer, DEADLINE_SECONDS.
TIMEOUT_SECONDS = 2
DEADLINE_SECONDS = 4
MAX_ANSWER_BYTES = 1_000_000
SUCCESS_CACHE_SECONDS = 30 * 60
FAILURE_CACHE_SECONDS = 60
# Above this, a figure is an error, not an audience.
MAX_FIGURE = 10**12
PERIOD = re.compile(r"(\d{4})-(\d{2})")


def monthly_visits(months: int = 12) -> list[dict] | None:
    """Visits and actions of the last `months` months, latest first; None when unavailable."""
    key = f"matomo-visits-{settings.MATOMO_URL}-{settings.MATOMO_SITE_ID}-{months}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        rows = parse_visits(fetch_visits(months), months)
    except Exception:  # whatever Matomo answers, /stats must not fail
        logger.warning("Matomo figures unreadable", exc_info=True)
        rows = None
    cache.set(key, rows or [], SUCCESS_CACHE_SECONDS if rows else FAILURE_CACHE_SECONDS)
    return rows


def fetch_visits(months: int):
    """Matomo's answer, decoded from JSON; None when it does not come, is too large, too slow or not JSON."""
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
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        with urlopen(f"{settings.MATOMO_URL}/index.php?{query}", timeout=TIMEOUT_SECONDS) as response:
            body = b""
            while chunk := response.read1(64 * 1024):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES or time.monotonic() > deadline:
                    raise ValueError("answer too large or too slow")
        return json.loads(body)
    except (OSError, HTTPException, ValueError, RecursionError) as error:
        logger.warning("Matomo figures unavailable: %s", error)
        return None


def parse_visits(data, months: int = 12) -> list[dict] | None:
    """Matomo answers {"2026-01": {"nb_visits": 12, "nb_actions": 30, …}, "2026-02": [], …}, an empty
    list standing for a month without visits, or {"result": "error", …}. Anything else (another shape,
    a month or a figure that is not one, more months than asked for) makes the whole answer unusable:
    never a table of half-true figures."""
    if not isinstance(data, dict) or not 0 < len(data) <= months:
        return None
    rows = []
    for period, values in sorted(data.items(), reverse=True):
        match = PERIOD.fullmatch(period)
        if not match or not 1 <= int(match[2]) <= 12:
            return None
        if values == []:
            visits = actions = 0
        elif isinstance(values, dict):
            visits, actions = whole_number(values.get("nb_visits")), whole_number(values.get("nb_actions"))
            if visits is None or actions is None:
                return None
        else:
            return None
        rows.append({"month": f"{MONTHS[int(match[2]) - 1]} {match[1]}", "visits": visits, "actions": actions})
    return rows


def whole_number(value) -> int | None:
    """A count as Matomo writes it (a JSON integer, or its digits in a string), within bounds; else None."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 13:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_FIGURE:
        return value
    return None


def dashboard_url() -> str:
    """The public Matomo dashboard of the site (works once anonymous view access is granted)."""
    if not settings.MATOMO_SITE_ID:
        return ""
    query = urlencode(
        {"module": "CoreHome", "action": "index", "idSite": settings.MATOMO_SITE_ID, "period": "month", "date": "today"}
    )
    return f"{settings.MATOMO_URL}/index.php?{query}"
