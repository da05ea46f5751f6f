"""Template tags that draw the indicator charts with the table beside them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from civic_portal.fiscal import fiscal_year_label
from indicators.charts import progress_chart, progress_text, series_chart
from indicators.definitions import Indicator
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
