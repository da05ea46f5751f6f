"""Pages for partner accounts and prefectural staff: exports and the API token.

A partner account sees only the programmes it is listed on; any other
programme returns 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from civic_portal.audit.services import Action, record_access
from civic_portal.exports import export_response
from civic_portal.views import signed_in_user
from partner_links import selectors
from partner_links.forms import DateRangeForm
from partner_links.models import ExportLog, PointsProgramme
from partner_links.services import programmes as programme_services


@login_required
@require_http_methods(["GET", "POST"])
def partner_home(request: HttpRequest) -> HttpResponse:
    """List the user's exportable programmes, and a partner account's API token.

    A POST replaces the account's token, and the old one stops working at once.
    The new key is shown in the response only.
    """
    user = signed_in_user(request)
    programmes = list(selectors.exportable_programmes(user))
    if not programmes:
        raise PermissionDenied("Not a partner account or prefectural staff.")
    is_partner = selectors.is_partner_account(user)
    new_token: str | None = None
    if request.method == "POST":
        if not is_partner:
            raise PermissionDenied("Only partner accounts have API tokens.")
        new_token = programme_services.replace_api_token(user=user)
    token = Token.objects.filter(user=user).first() if is_partner else None
    return render(
        request,
        "partner_links/partner/home.html",
        {
            "programmes": programmes,
            "is_partner": is_partner,
            "token": token,
            "new_token": new_token,
        },
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the export form of one programme, or download its CSV.

    The CSV is UTF-8 with a byte order mark and formula-neutralised cells,
    with the columns of selectors.EXPORT_COLUMNS.
    """
    user = signed_in_user(request)
    programme = get_object_or_404(
        PointsProgramme.objects.select_related("partner"), pk=pk
    )
    if not selectors.can_export(user, programme):
        raise PermissionDenied("No access to this programme's export.")
    form = DateRangeForm(request.GET if "since" in request.GET else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            since = form.cleaned_data["since"]
            until = form.cleaned_data["until"]
            attendances = list(
                selectors.shareable_participation(programme, since=since, until=until)
            )
            rows = [row.as_cells() for row in selectors.participation_rows(attendances)]
            record_access(
                request,
                [attendance.application.applicant_id for attendance in attendances],
                selectors.EXPORT_REGISTER_FIELDS,
                action=Action.EXPORTED,
                obj=programme,
            )
            programme_services.record_export(
                programme=programme,
                exported_by=user,
                channel=ExportLog.Channel.CSV,
                since=since,
                until=until,
                row_count=len(rows),
            )
            return export_response(
                "csv",
                filename=(
                    f"health-points-{programme.pk}-{compact_date(since)}"
                    f"-{compact_date(until)}"
                ),
                header=selectors.EXPORT_COLUMNS,
                rows=rows,
            )
        status = 400
    return render(
        request,
        "partner_links/partner/export.html",
        {"programme": programme, "form": form},
        status=status,
    )


def compact_date(day: dt.date) -> str:
    """Format *day* as YYYYMMDD with a four-digit year, also before year 1000.

    strftime("%Y") on glibc does not pad the year, so 0001-01-01 became 10101.
    """
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
