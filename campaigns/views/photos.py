"""Photo pages: participants upload and withdraw, staff review and export.

Review and export pages are for staff who manage the campaign (403 for
anyone else). A participant can view and withdraw only their own uploads.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.forms import PhotoForm
from campaigns.models import Campaign, Photo, PhotoExport
from campaigns.permissions import can_manage_campaign
from campaigns.services import photo_exports
from campaigns.services import photos as photo_services
from campaigns.views.participants import own_participation
from campaigns.views.rejection import reject_with_reason
from civic_portal.audit.services import name_fields, record_access
from civic_portal.privacy.minors import MinorsPolicy
from civic_portal.views import attach_errors, message_errors, signed_in_user

logger = logging.getLogger(__name__)

PHOTOS_PER_PAGE = 24
# The register's fields of a photo that the review page shows.
PHOTO_FIELDS = tuple(
    f"campaigns.Photo.{name}" for name in ("image", "caption", "people", "status")
)
PHOTO_CREDIT = "campaigns.Photo.credit"
# The progress page reloads itself this often while an export is built.
PROGRESS_REFRESH_SECONDS = 3


@login_required
def photo_new(request: HttpRequest, pk: int) -> HttpResponse:
    participation = own_participation(request, pk)
    if not participation.is_active:
        raise Http404("Participation withdrawn")
    initial = {"credit": participation.group.name if participation.group else ""}
    form = PhotoForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            photo_services.upload_photo(
                participation,
                signed_in_user(request),
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
                people=form.cleaned_data["people"],
                statement_confirmed=form.cleaned_data["statement_confirmed"],
            )
        except ValidationError as error:
            attach_errors(request, form, error)
        else:
            messages.success(
                request,
                _("The photo was uploaded. It is shown once the centre approves it."),
            )
            return redirect("campaigns:participation_detail", participation.pk)
    context = {
        "participation": participation,
        "campaign": participation.campaign,
        "form": form,
    }
    return render(request, "campaigns/photo_form.html", context)


@login_required
def photo_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then withdraw the user's own photo."""
    photo = get_object_or_404(
        Photo.objects.filter(uploaded_by=request.user.pk)
        .exclude(status=Photo.Status.WITHDRAWN)
        .select_related("participation__campaign"),
        pk=pk,
    )
    if request.method == "POST":
        photo_services.withdraw_photo(photo, signed_in_user(request))
        messages.success(request, _("The photo was withdrawn and deleted."))
        return redirect("campaigns:participation_detail", photo.participation_id)
    return render(request, "campaigns/photo_withdraw.html", {"photo": photo})


def _managed_campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    return campaign


def _record_photos(
    request: HttpRequest, campaign: Campaign, photos: list[Photo], minors: MinorsPolicy
) -> None:
    """Record the uploaders whose photos, credits and names the review page shows.

    A minor whom the viewer may not see gets the public credit in place of
    the credit and a placeholder in place of the name.
    """
    fields_shown: dict[int, set[str]] = {}
    for photo in photos:
        uploader = photo.uploaded_by
        fields = fields_shown.setdefault(uploader.pk, set(PHOTO_FIELDS))
        if minors.can_see(uploader):
            fields.add(PHOTO_CREDIT)
            if photo.participation.group is None:
                fields.update(name_fields(uploader))
    record_access(request, fields_shown, obj=campaign)


@login_required
def photo_review(request: HttpRequest, pk: int) -> HttpResponse:
    """List a campaign's photos by status, awaiting review first."""
    campaign = _managed_campaign(request, pk)
    status = request.GET.get("status", Photo.Status.PENDING)
    if status not in Photo.Status.values or status == Photo.Status.WITHDRAWN:
        status = Photo.Status.PENDING
    photos = (
        Photo.objects.filter(
            participation__campaign=campaign,
            participation__withdrawn_at__isnull=True,
            status=status,
        )
        .select_related("participation__group", "uploaded_by")
        .order_by("created_at", "pk")
    )
    page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
    statuses = [
        choice for choice in Photo.Status.choices if choice[0] != Photo.Status.WITHDRAWN
    ]
    minors = MinorsPolicy(request.user).prefetch(
        photo.uploaded_by for photo in page.object_list
    )
    _record_photos(request, campaign, list(page), minors)
    context = {
        "campaign": campaign,
        "page": page,
        "status": status,
        "statuses": statuses,
        "minors": minors,
    }
    return render(request, "campaigns/staff/photos.html", context)


def _staff_photo(request: HttpRequest, pk: int) -> Photo:
    photo = get_object_or_404(
        Photo.objects.select_related("participation__campaign"), pk=pk
    )
    if not can_manage_campaign(request.user, photo.participation.campaign):
        raise PermissionDenied
    return photo


@login_required
@require_POST
def photo_approve(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _staff_photo(request, pk)
    try:
        photo_services.approve_photo(photo, signed_in_user(request))
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The photo is in the gallery now."))
    return redirect("campaigns:photo_review", photo.participation.campaign_id)


@login_required
def photo_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason, then keep the photo out of the gallery."""
    photo = _staff_photo(request, pk)
    user = signed_in_user(request)
    return reject_with_reason(
        request,
        reject=lambda reason: photo_services.reject_photo(photo, user, reason=reason),
        done_message=_("The photo was rejected, and the uploader was notified."),
        done_url=reverse(
            "campaigns:photo_review", args=[photo.participation.campaign_id]
        ),
        template="campaigns/staff/photo_reject.html",
        context={"photo": photo},
    )


@login_required
def export_list(request: HttpRequest, pk: int) -> HttpResponse:
    """List a campaign's exhibition exports; a POST starts a new one."""
    campaign = _managed_campaign(request, pk)
    if request.method == "POST":
        export = photo_exports.start_photo_export(campaign, signed_in_user(request))
        return redirect("campaigns:export_detail", export.pk)
    exports = PhotoExport.objects.filter(campaign=campaign)[:20]
    return render(
        request,
        "campaigns/staff/exports.html",
        {"campaign": campaign, "exports": exports},
    )


def _staff_export(request: HttpRequest, pk: int) -> PhotoExport:
    export = get_object_or_404(PhotoExport.objects.select_related("campaign"), pk=pk)
    if not can_manage_campaign(request.user, export.campaign):
        raise PermissionDenied
    return export


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an export's progress; the page reloads itself until it is finished."""
    export = _staff_export(request, pk)
    running = export.status in (PhotoExport.Status.QUEUED, PhotoExport.Status.RUNNING)
    context = {
        "export": export,
        "campaign": export.campaign,
        "running": running,
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
        "stale": export.status == PhotoExport.Status.DONE
        and photo_exports.is_stale(export),
    }
    return render(request, "campaigns/staff/export_detail.html", context)


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = _staff_export(request, pk)
    if export.status != PhotoExport.Status.DONE or not export.file:
        raise Http404("The export is not ready")
    if photo_exports.is_stale(export):
        messages.error(
            request,
            _(
                "A photo in this export has been withdrawn or taken out of the "
                "gallery since it was built. Build a new export."
            ),
        )
        return redirect("campaigns:export_detail", export.pk)
    logger.info("User %s downloaded photo export %s", request.user.pk, export.pk)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"campaign-{export.campaign_id}-photos.zip",
        content_type="application/zip",
    )
