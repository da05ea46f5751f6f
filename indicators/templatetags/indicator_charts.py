"""Template tags that draw the indicator charts, and filters that format figures.

The filters write figures through indicators.formatting, so a table shows
a value exactly as the chart beside it and the white paper do.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import template

from civic_portal.fiscal import fiscal_year_label
from indicators.charts import progress_chart, progress_text, series_chart
from indicators.definitions import Indicator
from indicators.formatting import (
    format_change,
    format_number,
    format_path_value,
    format_value,
)
from indicators.services.summary import IndicatorYear

register = template.Library()


def _series_rows(series: Sequence[Any]) -> list[IndicatorYear]:
    """Accept IndicatorYear rows, or (row, label) pairs as the detail page has."""
    return [item[0] if isinstance(item, tuple) else item for item in series]


@register.inclusion_tag("indicators/_chart.html")
def indicator_chart(
    indicator: Indicator, series: Sequence[Any], with_table: bool = True
) -> dict[str, Any]:
    """Draw *indicator*'s series and, unless *with_table* is False, its table.

    Pass with_table=False only where the page shows the same values in a
    table of its own next to the chart.
    """
    rows = _series_rows(series)
    return {
        "chart": series_chart(indicator, rows, f"chart-{indicator.key}"),
        "indicator": indicator,
        "rows": [(row, fiscal_year_label(row.fiscal_year)) for row in rows],
        "with_table": with_table,
    }


@register.inclusion_tag("indicators/_progress_chart.html")
def indicator_progress_chart(
    rows: Sequence[IndicatorYear], year_label: str
) -> dict[str, Any]:
    """Draw the progress of the indicators in one year, with a table of it."""
    return {
        "svg": progress_chart(rows, "chart-progress", year_label),
        "rows": [(row, progress_text(row)) for row in rows],
        "year_label": year_label,
    }


# The dash that tables show for a missing figure.
MISSING = "—"


@register.filter
def indicator_value(value: Decimal | None, indicator: Indicator) -> str:
    """Write *value* in *indicator*'s unit, as in value|indicator_value:indicator."""
    return MISSING if value is None else format_value(indicator, value)


@register.filter
def indicator_change(change: Decimal | None, indicator: Indicator) -> str:
    """Write a change from the baseline in *indicator*'s unit, with its sign."""
    return MISSING if change is None else format_change(indicator, change)


@register.filter
def indicator_path(expected: Decimal | None, indicator: Indicator) -> str:
    """Write the value that *indicator*'s plan path requires in a year."""
    return MISSING if expected is None else format_path_value(indicator, expected)


@register.filter
def indicator_progress(row: IndicatorYear) -> str:
    """Write the progress of *row* as the progress chart and its table do."""
    return progress_text(row)


@register.filter(name="fiscal_year_label")
def fiscal_year_label_filter(fiscal_year: int) -> str:
    """Write a fiscal year as 2019（令和元）年度."""
    return fiscal_year_label(fiscal_year)


@register.filter
def grouped_number(value: Decimal | int | None) -> str:
    """Write a count or an already rounded figure with thousands separators."""
    return MISSING if value is None else format_number(value)
