"""A read-only admin of the access log, with the incident report page.

No one can add, change or delete a row here, superusers included. Viewing
needs the model's view permission, which superusers have.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from civic_portal.audit.forms import IncidentReportForm, register_field_choices
from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.selectors import REPORT_HEADER, affected_people, report_rows
from civic_portal.audit.services import USER_EMAIL, Action, record_access
from civic_portal.exports import export_response

logger = logging.getLogger(__name__)


class FieldListFilter(admin.SimpleListFilter):
    title = _("field")
    parameter_name = "field"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(name, name) for name, _label in register_field_choices() if name]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.with_field(self.value())  # type: ignore[attr-defined]
        return queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    change_list_template = "audit/admin/change_list.html"
    list_display = (
        "accessed_at",
        "actor_id",
        "actor_roles",
        "subject_id",
        "action",
        "fields",
        "view_name",
        "object_ref",
    )
    # Actors are staff, far fewer than subjects, so actor_id is a list
    # filter of distinct values. subject_id is searched instead.
    list_filter = ("action", "accessed_at", "actor_id", FieldListFilter, "view_name")
    # "=" makes these exact matches on the ids; "15" does not find 150.
    search_fields = ("=actor_id", "=subject_id")
    search_help_text = _("Search by the exact user ID of the actor or the subject.")
    date_hierarchy = "accessed_at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        report_url = path(
            "incident-report/",
            self.admin_site.admin_view(self.incident_report_view),
            name="audit_personaldataaccess_incident_report",
        )
        return [report_url, *super().get_urls()]

    def incident_report_view(self, request: HttpRequest) -> HttpResponse:
        """Show, or download as CSV, the people affected in a time window."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = IncidentReportForm(request.GET or None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Incident report"),
            "form": form,
            "people": None,
        }
        if form.is_valid():
            data = form.cleaned_data
            people = affected_people(
                data["since"],
                data["until"],
                actor_id=data["actor"],
                field_name=data["field"] or None,
            )
            logger.info(
                "User %s ran the incident report: %d affected people",
                request.user.pk,
                len(people),
            )
            emailed_subjects = [
                person.subject_id for person in people if person.current_email
            ]
            if request.GET.get("download") == "csv":
                record_access(
                    request, emailed_subjects, [USER_EMAIL], action=Action.EXPORTED
                )
                return export_response(
                    "csv",
                    filename="personal-data-access-report",
                    header=REPORT_HEADER,
                    rows=report_rows(people),
                )
            record_access(request, emailed_subjects, [USER_EMAIL])
            context["people"] = people
        return TemplateResponse(request, "audit/admin/incident_report.html", context)
