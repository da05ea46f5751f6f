"""Public indicator pages and the staff page that computes and freezes a year.

Anyone may read the summary and an indicator's page. The year page, which
stores, compares and freezes figures, is for prefectural staff only: other
signed-in users get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civic_portal.fiscal import fiscal_year_label
from civic_portal.views import log_rejection, signed_in_user
from groups.permissions import is_prefectural_staff
from indicators.definitions import all_indicators
from indicators.forms import YearActionForm
from indicators.services import snapshots
from indicators.services.summary import (
    indicator_series,
    shown_years,
    year_summary,
)
from indicators.year_choice import chosen_year


def _year_or_404(fiscal_year: int) -> int:
    if fiscal_year not in shown_years():
        raise Http404(_("No indicator figures exist for this fiscal year."))
    return fiscal_year


def summary(request: HttpRequest) -> HttpResponse:
    """Show the six indicators of one fiscal year, the current one by default."""
    years = shown_years()
    fiscal_year = chosen_year(request, years)
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "rows": year_summary(fiscal_year),
        "years": [(year, fiscal_year_label(year)) for year in reversed(years)],
        "is_prefectural_staff": is_prefectural_staff(request.user),
    }
    return render(request, "indicators/summary.html", context)


def detail(request: HttpRequest, key: str) -> HttpResponse:
    """Show an indicator's definition, target rule, limits and yearly series."""
    indicator = all_indicators().get(key)
    if indicator is None:
        raise Http404(_("No such indicator."))
    years = shown_years()
    context = {
        "indicator": indicator,
        "series": [
            (row, fiscal_year_label(row.fiscal_year))
            for row in indicator_series(key, years[-1])
        ],
    }
    return render(request, "indicators/detail.html", context)


@login_required
def year(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """Compare a year's stored figures with a recompute; store or freeze them."""
    if not is_prefectural_staff(request.user):
        raise PermissionDenied(_("This page is for prefectural staff."))
    _year_or_404(fiscal_year)
    label = fiscal_year_label(fiscal_year)
    form = YearActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = signed_in_user(request)
        try:
            if form.cleaned_data["action"] == YearActionForm.FREEZE:
                snapshots.freeze_year(fiscal_year, user)
                messages.success(request, _("%(year)s is frozen.") % {"year": label})
            else:
                written = snapshots.store_snapshots(fiscal_year)
                messages.success(
                    request,
                    _("Stored %(count)d computed values of %(year)s.")
                    % {"count": written, "year": label},
                )
        except ValidationError as error:
            log_rejection(request, error)
            for message in error.messages:
                messages.error(request, message)
        return redirect("indicators:year", fiscal_year)
    comparisons = snapshots.compare_year(fiscal_year)
    frozen = [
        row.snapshot for row in comparisons if row.snapshot and row.snapshot.is_frozen
    ]
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": label,
        "comparisons": comparisons,
        "frozen_snapshot": frozen[0] if frozen else None,
        "has_ended": snapshots.has_ended(fiscal_year),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "indicators/year.html", context, status=status)
