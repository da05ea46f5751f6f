"""Pages for the annual group report: filing by group staff, follow-up by centres.

Group staff reach only their own groups' reports (404 for any other group).
Centre staff see the reports of the groups under their centre; other users
get 403 on the overview.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_portal.fiscal import fiscal_year_label
from civic_portal.views import attach_errors, message_errors, signed_in_user
from groups.forms_reports import AnnualReportForm, ReportYearForm
from groups.models import (
    AGE_BANDS,
    INCOME_SOURCES,
    AnnualGroupReport,
    CivicGroup,
    DigitalTool,
)
from groups.permissions import groups_under_centre_staff, is_centre_staff
from groups.services import reports as report_services

OVERVIEW_PAGE_SIZE = 50


def _managed_group(request: HttpRequest, group_pk: int) -> CivicGroup:
    return get_object_or_404(
        CivicGroup.objects.managed_by(request.user).distinct(), pk=group_pk
    )


def _report_context(report: AnnualGroupReport) -> dict[str, object]:
    members = report.members_by_band()
    participants = report.participants_by_band()
    tool_labels = dict(DigitalTool.choices)
    return {
        "group": report.group,
        "report": report,
        "year_label": fiscal_year_label(report.fiscal_year),
        "age_rows": [
            (label, members[band], participants[band]) for band, label in AGE_BANDS
        ],
        "income_rows": [
            (label, getattr(report, f"income_{source}"))
            for source, label in INCOME_SOURCES
        ],
        "digital_tools": [tool_labels.get(tool, tool) for tool in report.digital_tools],
        "skills": list(report.probono_skills.all()),
    }


def _require_centre_staff(request: HttpRequest) -> None:
    if not is_centre_staff(request.user):
        raise PermissionDenied(_("This page is for support centre staff."))


@login_required
def group_reports(request: HttpRequest, group_pk: int) -> HttpResponse:
    """List a group's annual reports, with a link to file this year's."""
    group = _managed_group(request, group_pk)
    reports = list(group.annual_reports.order_by("-fiscal_year"))
    year = report_services.current_fiscal_year()
    context = {
        "group": group,
        "reports": reports,
        "current_year": year,
        "current_year_label": fiscal_year_label(year),
        "filed_this_year": any(r.fiscal_year == year for r in reports),
    }
    return render(request, "groups/reports/group_reports.html", context)


@login_required
def report_create(request: HttpRequest, group_pk: int) -> HttpResponse:
    """File the group's report for the current fiscal year."""
    group = _managed_group(request, group_pk)
    year = report_services.current_fiscal_year()
    existing = AnnualGroupReport.objects.filter(group=group, fiscal_year=year).first()
    if existing is not None and request.method != "POST":
        messages.info(
            request,
            _("The report for %(year)s has already been filed; you can change it here.")
            % {"year": fiscal_year_label(year)},
        )
        return redirect("groups:report_detail", group.pk, existing.pk)
    form = AnnualReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_services.report_file(
                group=group,
                submitted_by=signed_in_user(request),
                fields=form.report_fields(),
                skills=form.cleaned_data["probono_skills"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The annual report was filed. Thank you."))
            return redirect("groups:report_detail", group.pk, report.pk)
    context = {
        "group": group,
        "form": form,
        "report": None,
        "year_label": fiscal_year_label(year),
    }
    return render(request, "groups/reports/report_form.html", context)


@login_required
def report_detail(request: HttpRequest, group_pk: int, pk: int) -> HttpResponse:
    """Show a filed report, as a form while its fiscal year lasts."""
    group = _managed_group(request, group_pk)
    report = get_object_or_404(group.annual_reports, pk=pk)
    context = _report_context(report)
    if not report_services.is_editable(report):
        return render(request, "groups/reports/report_detail.html", context)
    form = AnnualReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report_services.report_update(
                report=report,
                fields=form.report_fields(),
                skills=form.cleaned_data["probono_skills"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(request, _("The annual report was saved."))
            return redirect("groups:report_detail", group.pk, report.pk)
    context["form"] = form
    return render(request, "groups/reports/report_form.html", context)


def _overview_year(form: ReportYearForm) -> int:
    if form.is_valid() and form.cleaned_data["year"]:
        return int(form.cleaned_data["year"])
    return report_services.current_fiscal_year()


@login_required
def report_overview(request: HttpRequest) -> HttpResponse:
    """Show centre staff which of their groups have filed for a fiscal year."""
    _require_centre_staff(request)
    form = ReportYearForm(
        request.GET or None,
        initial={"year": report_services.current_fiscal_year()},
    )
    year = _overview_year(form)
    filed_choice = form.cleaned_data.get("filed") if form.is_valid() else ""
    filed = {"yes": True, "no": False}.get(filed_choice or "")
    groups = groups_under_centre_staff(request.user)
    counts = report_services.filing_overview(groups, year).aggregate(
        total=Count("pk"), filed=Count("pk", filter=Q(has_filed=True))
    )
    rows = report_services.filing_overview(groups, year, filed=filed)
    page = Paginator(rows, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "year": year,
        "year_label": fiscal_year_label(year),
        "page": page,
        "total": counts["total"],
        "filed_count": counts["filed"],
        "not_filed_count": counts["total"] - counts["filed"],
        "reminders_allowed": year == report_services.current_fiscal_year(),
    }
    return render(request, "groups/reports/overview.html", context)


@login_required
@require_POST
def report_remind(request: HttpRequest) -> HttpResponse:
    """Queue reminder mails to the groups that have not filed this year."""
    _require_centre_staff(request)
    year = report_services.current_fiscal_year()
    try:
        requested = int(request.POST.get("year", ""))
    except ValueError:
        requested = 0
    if requested != year:
        message_errors(
            request,
            ValidationError(
                _("Reminders can be sent only for the current fiscal year, %(year)s.")
                % {"year": fiscal_year_label(year)}
            ),
        )
        return redirect("groups:report_overview")
    queued = report_services.request_reminders(
        groups_under_centre_staff(request.user), year
    )
    messages.success(
        request,
        _(
            "Reminders are being sent to the admins of %(count)s groups. A group "
            "gets at most one reminder a day."
        )
        % {"count": queued},
    )
    overview_url = reverse("groups:report_overview")
    return redirect(f"{overview_url}?year={year}&filed=no")


@login_required
def staff_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show centre staff a report of a group under their centre (404 otherwise)."""
    _require_centre_staff(request)
    report = get_object_or_404(
        AnnualGroupReport.objects.select_related("group", "submitted_by").filter(
            group__in=groups_under_centre_staff(request.user)
        ),
        pk=pk,
    )
    context = {**_report_context(report), "for_centre_staff": True}
    return render(request, "groups/reports/report_detail.html", context)
