"""The staff dashboard: every indicator's series, progress and municipality split.

Prefectural staff only: anonymous users are sent to log in and other
signed-in users get 403. `?year=` chooses the fiscal year of the progress
and of the breakdown by municipality, the fiscal year in progress by
default.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civic_portal.fiscal import fiscal_year_label
from groups.permissions import is_prefectural_staff
from indicators.charts import SeriesChart, progress_text, series_chart
from indicators.definitions import Indicator, all_indicators
from indicators.services.rows import BREAKDOWN_KEYS, municipality_breakdown
from indicators.services.summary import (
    IndicatorYear,
    series_by_indicator,
    shown_years,
)
from indicators.year_choice import chosen_year

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndicatorPanel:
    """One indicator on the dashboard: its series, chart and chosen year."""

    indicator: Indicator
    series: list[tuple[IndicatorYear, str]]
    chart: SeriesChart
    chosen: IndicatorYear
    progress_text: str


def _panel(
    indicator: Indicator, series: list[IndicatorYear], fiscal_year: int
) -> IndicatorPanel:
    chosen = next(row for row in series if row.fiscal_year == fiscal_year)
    return IndicatorPanel(
        indicator=indicator,
        series=[(row, fiscal_year_label(row.fiscal_year)) for row in series],
        chart=series_chart(indicator, series, f"chart-{indicator.key}"),
        chosen=chosen,
        progress_text=progress_text(chosen),
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the six indicators' series and the chosen year's breakdown."""
    if not is_prefectural_staff(request.user):
        raise PermissionDenied(_("This page is for prefectural staff."))
    years = shown_years()
    fiscal_year = chosen_year(request, years)
    indicators = all_indicators()
    series = series_by_indicator(list(indicators), years[-1])
    panels = [
        _panel(indicator, series[key], fiscal_year)
        for key, indicator in indicators.items()
    ]
    breakdown = municipality_breakdown(fiscal_year)
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "years": [(year, fiscal_year_label(year)) for year in reversed(years)],
        "panels": panels,
        "breakdown": breakdown,
        "breakdown_indicators": [indicators[key] for key in BREAKDOWN_KEYS],
        "breakdown_totals": [breakdown.totals[key] for key in BREAKDOWN_KEYS],
        "breakdown_rows": [
            (row, [(key, row.values[key]) for key in BREAKDOWN_KEYS])
            for row in breakdown.rows
        ],
    }
    logger.info(
        "User %s opened the indicators dashboard of %s", request.user.pk, fiscal_year
    )
    return render(request, "indicators/dashboard/dashboard.html", context)
