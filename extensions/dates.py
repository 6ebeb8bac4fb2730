"""Date helpers: due dates derived from `construction_start`, French formatting.

The clock is read in one place only, `today()`, which feeds the default of `construction_start`:
the answer is stored once, so every later render derives the same dates from it.

Every due date lands on a working day in France: a date on a weekend, a public holiday or
31 December moves to the next working day. 31 December is not a public holiday; it is avoided on
purpose: it closes the budget year and sits in the year-end break, when a deadline set there is
rarely met, so it moves to the first working day of January as a holiday would.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from jinja2.ext import Extension

MONTHS_FR = (
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


def today() -> str:
    return dt.date.today().isoformat()


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def date_error(value: object) -> str:
    """French validator message for `construction_start`, or ''."""
    text = str(value).strip()
    example = "(exemple qui passe : « 2026-01-05 »)"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return f"construction_start : saisissez une date au format AAAA-MM-JJ {example}."
    year, month, day = (int(part) for part in text.split("-"))
    if not 2015 <= year <= 2100:
        return f"construction_start : l'année {year} semble erronée {example}."
    if not 1 <= month <= 12:
        return f"construction_start : la date « {text} » n'existe pas, le mois va de 01 à 12 {example}."
    last_day = calendar.monthrange(year, month)[1]
    if day > last_day:
        return (
            f"construction_start : la date « {text} » n'existe pas, {MONTHS_FR[month - 1]} {year} n'a que {last_day} jours "
            f"(exemple qui passe : « {dt.date(year, month, last_day).isoformat()} »)."
        )
    if day == 0:
        return f"construction_start : la date « {text} » n'existe pas, le jour va de 01 à {last_day} {example}."
    return ""


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@functools.lru_cache(maxsize=16)
def public_holidays_fr(year: int) -> frozenset[dt.date]:
    """The eleven public holidays of metropolitan France (Code du travail, L3133-1)."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + dt.timedelta(days=1), easter + dt.timedelta(days=39), easter + dt.timedelta(days=50)]
    return frozenset({dt.date(year, month, day) for month, day in fixed} | set(movable))


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or (day.month, day.day) == (12, 31):
        return False
    return day not in public_holidays_fr(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_offset(start: object, offset: dict | None) -> dt.date | None:
    """Calendar arithmetic: months first (day clamped to the month's end), then weeks and days."""
    if not offset:
        return None
    day = parse_date(start)
    months = int(offset.get("months", 0))
    if months:
        month_index = day.month - 1 + months
        year, month = day.year + month_index // 12, month_index % 12 + 1
        day = day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
    return day + dt.timedelta(weeks=int(offset.get("weeks", 0)), days=int(offset.get("days", 0)))


def due_date(offset: dict | None, start: object) -> str:
    """ISO due date for a playbook offset, moved to a working day, or '' when the item has none."""
    day = add_offset(start, offset)
    return next_working_day(day).isoformat() if day else ""


def date_fr(value: object) -> str:
    day = parse_date(value)
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS_FR[day.month - 1]} {day.year}"


# The example campaign of the docs, the README and outils/ is dated this many months into the phase, when a
# first version is out: with any `construction_start`, it never predates the phase.
EXAMPLE_CAMPAIGN_MONTHS = 2


def campaign_example(start: object, example: str, months: int = EXAMPLE_CAMPAIGN_MONTHS) -> str:
    """A tracked-link campaign example (`AAAA-MM-sujet`, from the playbook) re-dated `months` after the phase's
    start. One source for docs/liens-suivis.md, the README and outils/conventions-liens.json."""
    day = add_offset(start, {"months": months}) if months else parse_date(start)
    subject = str(example).split("-", 2)[2] if str(example)[:4].isdigit() else str(example)
    return f"{day.year:04d}-{day.month:02d}-{subject}"


class DatesExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["today"] = today
        environment.filters["date_error"] = date_error
        environment.filters["due_date"] = due_date
        environment.filters["date_fr"] = date_fr
        environment.filters["campaign_example"] = campaign_example
