"""Japanese fiscal years and era names.

A fiscal year runs from 1 April to 31 March and is named by the calendar
year it starts in. Counting by year uses the date in Japan time, whatever
the server's time zone.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.functional import lazy

JAPAN = ZoneInfo("Asia/Tokyo")

# Era name in Japanese and in English, and the era's first day, newest first.
_ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("令和", "Reiwa", dt.date(2019, 5, 1)),
    ("平成", "Heisei", dt.date(1989, 1, 8)),
    ("昭和", "Showa", dt.date(1926, 12, 25)),
)


def fiscal_year_of(moment: dt.date | dt.datetime) -> int:
    """Return the fiscal year that *moment* falls in, judged in Japan time."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            raise ValueError("fiscal_year_of needs an aware datetime.")
        moment = moment.astimezone(JAPAN).date()
    return moment.year if moment.month >= 4 else moment.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """Return the aware start (inclusive) and end (exclusive) of fiscal *year*."""
    start = dt.datetime(year, 4, 1, tzinfo=JAPAN)
    end = dt.datetime(year + 1, 4, 1, tzinfo=JAPAN)
    return start, end


def fiscal_year_end(year: int) -> dt.datetime:
    """Return the last instant of fiscal *year*: 31 March, 23:59:59.999999 JST.

    For "by the end of the year" filters that compare with <=.
    """
    return fiscal_year_bounds(year)[1] - dt.timedelta(microseconds=1)


def _era_of(year: int) -> tuple[str, str, int]:
    """Return the Japanese and English era names of fiscal *year*, and its number.

    A fiscal year takes the era in force on its first day, 1 April, except
    fiscal 2019, which documents label 令和元年度 although Reiwa began on
    1 May 2019.
    """
    if year == 2019:
        return "令和", "Reiwa", 1
    start = dt.date(year, 4, 1)
    for name, english_name, first_day in _ERAS:
        if start >= first_day:
            return name, english_name, year - first_day.year + 1
    raise ValueError(f"No era is known for fiscal year {year}.")


def era_year(year: int) -> str:
    """Return the era label of fiscal *year*, for example 令和元 or 平成30."""
    name, _english_name, number = _era_of(year)
    return f"{name}{'元' if number == 1 else number}"


def english_era_year(year: int) -> str:
    """Return the English era label of fiscal *year*, for example Reiwa 1."""
    _name, english_name, number = _era_of(year)
    return f"{english_name} {number}"


def fiscal_year_label(year: int) -> str:
    """Return the label of fiscal *year* in the active language.

    English gets FY2021 (Reiwa 3). Japanese, the default language, and any
    other language get 2021（令和3）年度.
    """
    language = translation.get_language() or ""
    if language.startswith("en"):
        return f"FY{year} ({english_era_year(year)})"
    return f"{year}（{era_year(year)}）年度"


# For mail contexts built before the recipient's language is active: the
# label is formatted when the template renders it.
fiscal_year_label_lazy = lazy(fiscal_year_label, str)
