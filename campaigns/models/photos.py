"""Activity photos, the campaign's public gallery and exhibition exports."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic_portal.privacy.minors import public_text_by, shareable_outside_q

from .campaigns import Campaign, Participation


def photo_upload_path(instance: Any, filename: str) -> str:
    """Return a random name, so the URL of an unapproved photo cannot be guessed."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"campaigns/photos/{uuid.uuid4().hex}.{extension}"


def export_upload_path(instance: Any, filename: str) -> str:
    return f"campaigns/exports/{uuid.uuid4().hex}/{filename}"


class Gallery(models.Model):
    """The public gallery (ギャラリー) of a campaign's approved photos."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="gallery",
        verbose_name=_("campaign"),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    is_public = models.BooleanField(
        _("shown to the public"),
        default=True,
        help_text=_("Untick to hide the whole gallery; the photos stay approved."),
    )

    class Meta:
        verbose_name = _("gallery")
        verbose_name_plural = _("galleries")

    def __str__(self) -> str:
        return str(self.campaign)


class PhotoQuerySet(models.QuerySet["Photo"]):
    def in_gallery(self) -> PhotoQuerySet:
        """Approved photos of active participations in public galleries.

        A minor's photos are left out while no parent's or guardian's
        agreement is recorded, so withdrawing the agreement takes them out.
        """
        return (
            self.filter(
                status=Photo.Status.APPROVED,
                participation__withdrawn_at__isnull=True,
            )
            .filter(shareable_outside_q("uploaded_by"))
            .exclude(participation__campaign__gallery__is_public=False)
        )


class Photo(models.Model):
    """A photo (写真) of a participant's activity, for the campaign gallery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", pgettext_lazy("photo status", "Approved")
        REJECTED = "rejected", pgettext_lazy("photo status", "Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class People(models.TextChoices):
        CONSENTED = "consented", _("Everyone identifiable in the photo agreed")
        NONE_IDENTIFIABLE = "none", _("No person can be identified in the photo")

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("participation"),
    )
    image = models.ImageField(_("photo"), upload_to=photo_upload_path)
    caption = models.CharField(
        _("caption"),
        max_length=300,
        help_text=_("What the photo shows; also read out to blind visitors."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=100,
        help_text=_("The name shown with the photo, for example your group's name."),
    )
    people = models.CharField(
        _("people in the photo"), max_length=20, choices=People.choices
    )
    statement_at = models.DateTimeField(
        _("statement confirmed at"),
        help_text=_(
            "When the uploader confirmed the statement about the people shown "
            "and agreed to the photo's use in the gallery and exhibitions."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="campaign_photos",
        verbose_name=_("uploaded by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.caption

    @property
    def public_credit(self) -> str:
        """The credit as public pages show it; needs uploaded_by and the group loaded.

        A minor's credit is replaced by the group's name, or by a placeholder
        for a resident's own participation.
        """
        group = self.participation.group
        if group is not None:
            return public_text_by(self.uploaded_by, self.credit, group.name)
        return public_text_by(self.uploaded_by, self.credit)


class PhotoExport(models.Model):
    """A ZIP of a campaign's approved photos and their captions, for an exhibition."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="photo_exports",
        verbose_name=_("campaign"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("photos in the export"), default=0)
    done = models.PositiveIntegerField(_("photos written"), default=0)
    photo_ids = models.JSONField(_("photos"), default=list, editable=False)
    file = models.FileField(_("ZIP file"), upload_to=export_upload_path, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("photo export")
        verbose_name_plural = _("photo exports")

    def __str__(self) -> str:
        return f"{self.campaign} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def percent_done(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return self.done * 100 // self.total
