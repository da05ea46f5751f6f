"""The statistics page of the pro bono bank, for concierges and prefectural staff.

Anyone else gets 403. `?year=` picks the fiscal year, and `?format=csv` or
`?format=xlsx` exports the same figures as a file that opens in Excel.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.exports import EXPORT_FORMATS, Cell, export_response
from civic_portal.fiscal import fiscal_year_label, fiscal_year_of
from civic_portal.security.ratelimit import rate_limited_response
from civic_portal.types import AnyUser
from groups.permissions import is_prefectural_staff
from probono.forms_case_studies import FiscalYearForm
from probono.models import RequestState
from probono.permissions import is_concierge
from probono.services import statistics as stats

logger = logging.getLogger(__name__)


def can_see_statistics(user: AnyUser) -> bool:
    """Tell whether *user* is a concierge or prefectural staff."""
    return is_concierge(user) or is_prefectural_staff(user)


def _export_rows(figures: stats.YearStatistics) -> Iterator[list[Cell]]:
    """Yield one row per figure: table, item, figure name and value."""
    registrants = _("Registrants at fiscal-year end")
    for year, count in figures.registrants.items():
        yield [registrants, fiscal_year_label(year), _("Registrants"), count]

    by_skill = _("Active registrants by skill")
    for row in figures.skills:
        yield [by_skill, str(row.skill), _("Inside Yamaguchi"), row.inside]
        yield [by_skill, str(row.skill), _("Outside Yamaguchi"), row.outside]
    yield [by_skill, _("All workers"), _("Inside Yamaguchi"), figures.active_inside]
    yield [by_skill, _("All workers"), _("Outside Yamaguchi"), figures.active_outside]

    by_state = _("Requests by state")
    for state, count in figures.requests_by_state.items():
        yield [by_state, str(RequestState(state).label), _("Requests"), count]

    median = _("Median days per state")
    for duration in figures.median_days:
        label = str(RequestState(duration.state).label)
        yield [median, label, _("Steps"), duration.steps]
        yield [median, label, _("Median days"), duration.median_days]

    hours = _("Hours given and estimated value")
    for skill_hours in figures.hours:
        skill = str(skill_hours.skill)
        yield [hours, skill, _("Hours"), float(skill_hours.hours)]
        yield [hours, skill, _("Estimated value (yen)"), int(skill_hours.value)]
    yield [hours, _("Total"), _("Hours"), float(figures.total_hours)]
    yield [hours, _("Total"), _("Estimated value (yen)"), int(figures.total_value)]

    cases = _("Case studies published")
    year_label = fiscal_year_label(figures.year)
    yield [cases, year_label, _("Case studies"), figures.case_studies_in_year]
    yield [cases, _("All years"), _("Case studies"), figures.case_studies_total]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not can_see_statistics(request.user):
        raise PermissionDenied
    now = timezone.now()
    years = stats.available_years(now)

    year = fiscal_year_of(now)
    if "year" in request.GET:
        form = FiscalYearForm(request.GET, years=years)
        if form.is_valid():
            year = form.cleaned_data["year"]
    else:
        form = FiscalYearForm(initial={"year": year}, years=years)
    figures = stats.year_statistics(year, years[0], now)

    file_format = request.GET.get("format")
    # An invalid year shows the page with the error, rather than an export
    # of a year other than the requested one.
    if file_format in EXPORT_FORMATS and not form.errors:
        limited = rate_limited_response(request, "export")
        if limited is not None:
            return limited
        logger.info("User %s exported pro bono statistics of %s", request.user.pk, year)
        return export_response(
            file_format,
            filename=f"probono-statistics-{year}",
            header=[_("Table"), _("Item"), _("Figure"), _("Value")],
            rows=_export_rows(figures),
        )

    context = {
        "form": form,
        "figures": figures,
        "year_label": fiscal_year_label(year),
        "states": [
            (RequestState(state).label, count)
            for state, count in figures.requests_by_state.items()
        ],
        "median_days": [
            (RequestState(row.state).label, row) for row in figures.median_days
        ],
        "registrants": [
            (fiscal_year_label(y), count) for y, count in figures.registrants.items()
        ],
    }
    return render(request, "probono/statistics/statistics.html", context)
