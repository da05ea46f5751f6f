"""Access logging for Django admin pages that show people's personal data."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpRequest, HttpResponse

from civic_portal.audit.services import record_access
from civic_portal.privacy.register import declared_fields


class AccessLogAdminMixin:
    """Record who opens a person's change page or lists people in the admin.

    For a model whose rows are users (the default audit_subject_id() returns
    the row's pk), the change page logs the register fields in its
    fieldsets, and the change list logs the register fields in
    list_display for each row on the page.
    """

    def audit_subject_id(self, obj: Any) -> int | None:
        return obj.pk

    def _register_fields(self, names: Any) -> list[str]:
        label = self.model._meta.label  # type: ignore[attr-defined]
        declared = declared_fields().get(label, set())
        return [f"{label}.{name}" for name in names if name in declared]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )
        original = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and original:
            fieldsets = self.get_fieldsets(request, original)  # type: ignore[attr-defined]
            fields = self._register_fields(flatten_fieldsets(fieldsets))
            subject_id = self.audit_subject_id(original)
            if subject_id is not None:
                record_access(request, [subject_id], fields, obj=original)
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            names = self.get_list_display(request)  # type: ignore[attr-defined]
            fields = self._register_fields(names)
            subjects = [self.audit_subject_id(row) for row in changelist.result_list]
            record_access(request, subjects, fields)
        return response
