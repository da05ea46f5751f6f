"""The rows behind one indicator's number in one fiscal year, for staff.

Prefectural staff only: anonymous users are sent to log in and other
signed-in users get 403. The page lists the rows 50 at a time, and
`?format=csv` or `?format=xlsx` exports all of them. Each view and export
is logged with the user's id, because the rows include registrants and
applications.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civic_portal.exports import EXPORT_FORMATS, export_response
from civic_portal.fiscal import fiscal_year_label
from civic_portal.security.ratelimit import rate_limited_response
from groups.permissions import is_prefectural_staff
from indicators.definitions import all_indicators
from indicators.services.compute import compute
from indicators.services.rows import ROW_SOURCES, export_rows, row_cells, rows_total
from indicators.services.snapshots import snapshots_of
from indicators.services.summary import shown_years

logger = logging.getLogger(__name__)

ROWS_PER_PAGE = 50


@login_required
def indicator_rows(request: HttpRequest, key: str, fiscal_year: int) -> HttpResponse:
    """List or export the rows that indicator *key* counts in *fiscal_year*."""
    if not is_prefectural_staff(request.user):
        raise PermissionDenied(_("This page is for prefectural staff."))
    indicator = all_indicators().get(key)
    if indicator is None:
        raise Http404(_("No such indicator."))
    if fiscal_year not in shown_years() or not indicator.is_computed_in(fiscal_year):
        raise Http404(
            _("The portal computes no value of this indicator for this year.")
        )
    source = ROW_SOURCES[key]
    label = fiscal_year_label(fiscal_year)

    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        limited = rate_limited_response(request, "export")
        if limited is not None:
            return limited
        logger.info(
            "User %s exported the rows of %s in fiscal %s as %s",
            request.user.pk,
            key,
            fiscal_year,
            file_format,
        )
        # NOTE: civic_portal.exports builds the whole file in memory before
        # it responds. The rows are fetched in chunks, so memory grows with
        # the file's size but not with the model instances of the year.
        return export_response(
            file_format,
            filename=f"indicator-{key}-{fiscal_year}-rows",
            header=[str(column.label) for column in source.columns],
            rows=export_rows(source, fiscal_year),
        )

    page = Paginator(source.rows(fiscal_year), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    snapshot = snapshots_of(fiscal_year).get(key)
    context = {
        "indicator": indicator,
        "fiscal_year": fiscal_year,
        "fiscal_year_label": label,
        "source": source,
        "headers": [column.label for column in source.columns],
        "page": page,
        "cells": [row_cells(source, row) for row in page.object_list],
        "computed_value": compute(key, fiscal_year),
        "frozen": snapshot if snapshot is not None and snapshot.is_frozen else None,
        "total": rows_total(key, fiscal_year),
    }
    logger.info(
        "User %s listed the rows of %s in fiscal %s, page %s",
        request.user.pk,
        key,
        fiscal_year,
        page.number,
    )
    return render(request, "indicators/dashboard/rows.html", context)
