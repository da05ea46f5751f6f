"""Public pages of the recognitions, by fiscal year."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civic_portal.fiscal import fiscal_year_label
from facilitation.models import RecognitionKind
from facilitation.services import recognitions as recognition_services

# Years outside this range are typing mistakes in the address, not years
# anyone records recognitions for.
FIRST_YEAR = 1990
LAST_YEAR = 2100


def recognition_index(request: HttpRequest) -> HttpResponse:
    context = {
        "years": recognition_services.year_summaries(),
        "totals": recognition_services.historical_totals(),
    }
    return render(request, "facilitation/recognitions/index.html", context)


def recognition_year(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("Fiscal year out of range")
    by_kind = recognition_services.recognitions_of_year(year)
    context = {
        "year": year,
        "year_label": fiscal_year_label(year),
        "awards": by_kind[RecognitionKind.AWARD],
        "model_business_sites": by_kind[RecognitionKind.MODEL_BUSINESS_SITE],
        "totals": recognition_services.historical_totals(),
    }
    return render(request, "facilitation/recognitions/year.html", context)
