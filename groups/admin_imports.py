"""The admin page that imports civic groups from CSV, with a dry run first.

The uploaded file is kept in Django's storage between the dry run and the
import, so the import reads the same bytes the dry run checked, also when
the two requests reach different web servers.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from groups.forms_reports import ImportUploadForm
from groups.services.imports import ImportFileError, import_groups

logger = logging.getLogger(__name__)

IMPORT_CHANGE_LIST_TEMPLATE = "groups/imports/change_list.html"
SESSION_KEY = "groups_import_upload"
UPLOAD_FOLDER = "group-imports"
# Larger files are refused; the prefecture's list of about 3,000 groups is
# well under 2 MB as CSV.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class GroupImportAdminMixin:
    """Adds an "Import from CSV" page to the civic group admin.

    The admin's change_list_template should be IMPORT_CHANGE_LIST_TEMPLATE,
    which links to the page.
    """

    def get_urls(self) -> list[URLPattern]:
        urls: list[URLPattern] = super().get_urls()  # type: ignore[misc]
        site: admin.AdminSite = self.admin_site  # type: ignore[attr-defined]
        import_url = path(
            "import/",
            site.admin_view(self.import_view),
            name="groups_civicgroup_import",
        )
        return [import_url, *urls]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "title": _("Import civic groups from CSV"),
        }
        if request.method == "POST" and request.POST.get("confirm"):
            return self._import_confirmed(request, context)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("The file is larger than 10 MB."))
            else:
                data = upload.read()
                encoding = form.cleaned_data["encoding"]
                try:
                    report = import_groups(data, encoding=encoding, dry_run=True)
                except ImportFileError as error:
                    form.add_error("file", str(error))
                else:
                    stored = default_storage.save(
                        f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.csv", ContentFile(data)
                    )
                    request.session[SESSION_KEY] = {
                        "path": stored,
                        "encoding": encoding,
                        "name": upload.name,
                    }
                    context["report"] = report
                    context["file_name"] = upload.name
        return TemplateResponse(request, "groups/imports/admin_import.html", context)

    def _import_confirmed(
        self, request: HttpRequest, context: dict[str, Any]
    ) -> HttpResponse:
        upload = request.session.pop(SESSION_KEY, None)
        if not upload or not default_storage.exists(upload["path"]):
            messages.error(
                request, _("Upload the file again and run the dry run first.")
            )
            return redirect(reverse("admin:groups_civicgroup_import"))
        with default_storage.open(upload["path"], "rb") as stored:
            data = stored.read()
        default_storage.delete(upload["path"])
        try:
            report = import_groups(data, encoding=upload["encoding"])
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect(reverse("admin:groups_civicgroup_import"))
        logger.info(
            "Admin user %s imported groups: %s", request.user.pk, report.summary()
        )
        context.update(
            {"report": report, "file_name": upload["name"], "form": ImportUploadForm()}
        )
        return TemplateResponse(request, "groups/imports/admin_import.html", context)
