"""White paper pages: the HTML document, its exports with progress, downloads.

Every page is for prefectural staff only: anonymous users are sent to the
login page and other signed-in users get 403. The pages link an export's
files only through download(), which makes the same check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civic_portal.fiscal import fiscal_year_label
from civic_portal.views import signed_in_user
from groups.permissions import is_prefectural_staff
from indicators.models import WhitePaperExport
from indicators.services import white_paper
from indicators.services.summary import shown_years

# The files of an export, by the name in the download address.
DOWNLOADS = {
    "html": ("html_file", "text/html; charset=utf-8"),
    "pdf": ("pdf_file", "application/pdf"),
    "xlsx": (
        "workbook_file",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
# Seconds between the status page's progress requests while an export runs.
POLL_SECONDS = 2

View = Callable[..., HttpResponseBase]


def prefectural_staff_required(view: View) -> View:
    """Send anonymous users to log in and reject users who are not prefectural staff."""

    @login_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        if not is_prefectural_staff(request.user):
            raise PermissionDenied(_("The white paper is for prefectural staff."))
        return view(request, *args, **kwargs)

    return wrapper


def _year_or_404(fiscal_year: int) -> int:
    if fiscal_year not in shown_years():
        raise Http404(_("No indicator figures exist for this fiscal year."))
    return fiscal_year


@prefectural_staff_required
def document(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """Show the white paper of a fiscal year as a print-ready HTML document."""
    paper = white_paper.gather(_year_or_404(fiscal_year))
    exports_url = reverse("indicators:white_paper_exports", args=[fiscal_year])
    html = white_paper.render_html(paper, exports_url=exports_url, standalone=False)
    return HttpResponse(html)


@prefectural_staff_required
@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """List a year's exports with progress and downloads; POST starts a new one."""
    _year_or_404(fiscal_year)
    if request.method == "POST":
        white_paper.request_export(fiscal_year, signed_in_user(request))
        return redirect(reverse("indicators:white_paper_exports", args=[fiscal_year]))
    year_exports = list(
        WhitePaperExport.objects.filter(fiscal_year=fiscal_year).select_related(
            "requested_by"
        )[:10]
    )
    latest = year_exports[0] if year_exports else None
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "latest": latest,
        "earlier": year_exports[1:],
        "poll_seconds": POLL_SECONDS,
        "is_running": latest is not None and not latest.is_finished,
    }
    return render(request, "indicators/white_paper/exports.html", context)


def status_payload(export: WhitePaperExport) -> dict[str, object]:
    """Return the progress of *export* as the status page's script reads it."""
    payload: dict[str, object] = {
        "id": export.pk,
        "status": export.status,
        "status_label": export.get_status_display(),
        "progress": export.progress,
        "step": export.step,
        "step_label": export.get_step_display(),
        "status_text": export.status_text,
        "finished": export.is_finished,
        "error": export.error_message if export.status == export.Status.FAILED else "",
        "downloads": {},
    }
    if export.status == export.Status.DONE:
        payload["downloads"] = {
            kind: reverse("indicators:white_paper_download", args=[export.pk, kind])
            for kind in DOWNLOADS
        }
    return payload


@prefectural_staff_required
def status(request: HttpRequest, export_id: int) -> JsonResponse:
    """Return an export's status and progress as JSON, for the polling script."""
    export = get_object_or_404(WhitePaperExport, pk=export_id)
    response = JsonResponse(status_payload(export))
    response["Cache-Control"] = "no-store"
    return response


@prefectural_staff_required
def download(request: HttpRequest, export_id: int, kind: str) -> FileResponse:
    """Serve one file of a finished export from the default storage.

    Every file is an attachment. The HTML file carries its stylesheet
    inline so that it reads offline, and the portal's Content Security
    Policy would block that stylesheet on a page served by the portal.
    """
    if kind not in DOWNLOADS:
        raise Http404(_("No such file type: use html, pdf or xlsx."))
    export = get_object_or_404(
        WhitePaperExport, pk=export_id, status=WhitePaperExport.Status.DONE
    )
    field_name, content_type = DOWNLOADS[kind]
    file = getattr(export, field_name)
    if not file:
        raise Http404(_("This export has no such file."))
    filename = f"white-paper-{export.fiscal_year}.{kind}"
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
