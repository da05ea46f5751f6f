"""Dated facts about a group: status changes, certifications, reviews, edits.

Each fact keeps the date it took effect, so the registry can report any
past state (was the group registered, was it certified) from the rows alone.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CERTIFICATION_YEARS = {"certified": 5, "special": 3}


class GroupStatusChange(models.Model):
    """A change of a group's status (active, dormant, dissolved) from a date."""

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("civic group"),
    )
    status = models.CharField(_("status"), max_length=20)
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "effective_on", "pk"]
        verbose_name = _("group status change")
        verbose_name_plural = _("group status changes")
        indexes = [models.Index(fields=["group", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.status} from {self.effective_on}"


class CertificationQuerySet(models.QuerySet["Certification"]):
    def covering(self, day: dt.date) -> "CertificationQuerySet":
        """Certifications in force on *day*: started, not expired, not revoked."""
        return self.filter(certified_on__lte=day, expires_on__gte=day).exclude(
            revoked_on__lte=day
        )


class Certification(models.Model):
    """A certified NPO status (認定) or a special certification (特例認定).

    A certification lasts five years and a special one three years. A renewal is a
    new row that starts when the previous one ends.
    """

    class Kind(models.TextChoices):
        CERTIFIED = "certified", _("Certified NPO corporation")
        SPECIAL = "special", _("Special-certified NPO corporation")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="certifications",
        verbose_name=_("civic group"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    certified_on = models.DateField(_("certified on"))
    expires_on = models.DateField(_("expires on"))
    revoked_on = models.DateField(
        _("revoked on"),
        null=True,
        blank=True,
        help_text=_("Fill in only when the certification ended before it expired."),
    )
    renewal_of = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renewal of"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["group", "certified_on"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("certified_on")),
                name="certification_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certified_on}–{self.expires_on}"

    @classmethod
    def expiry_for(cls, kind: str, certified_on: dt.date) -> dt.date:
        """Return the last day of a certification of *kind* that starts on a day."""
        years = CERTIFICATION_YEARS[kind]
        try:
            end = certified_on.replace(year=certified_on.year + years)
        except ValueError:  # 29 February in a year that has none
            end = certified_on.replace(year=certified_on.year + years, day=28)
        return end - dt.timedelta(days=1)

    def covers(self, day: dt.date) -> bool:
        if self.revoked_on is not None and self.revoked_on <= day:
            return False
        return self.certified_on <= day <= self.expires_on


class GroupReview(models.Model):
    """A decision of centre staff on a registration or a change request."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("civic group"),
    )
    change_request = models.ForeignKey(
        "groups.GroupChangeRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("change request"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("group review")
        verbose_name_plural = _("group reviews")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.action}"


class GroupChangeRequest(models.Model):
    """A change to the legal name, legal form or certification after approval.

    These facts need a review; the group keeps its current values until
    centre staff approve the request.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("civic group"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    name_kana = models.CharField(_("name reading"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=30, blank=True)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True
    )
    certification_kind = models.CharField(
        _("certification"),
        max_length=20,
        choices=Certification.Kind.choices,
        blank=True,
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    note = models.TextField(_("note to the reviewer"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group change request")
        verbose_name_plural = _("group change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status__in=["pending", "changes_requested"]),
                name="one_open_change_request_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.get_status_display()}"


class GroupRevision(models.Model):
    """One saved edit of a group's public profile, with the fields it changed."""

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("civic group"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        help_text=_("For each changed field: the value before and after."),
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("group profile revision")
        verbose_name_plural = _("group profile revisions")

    def __str__(self) -> str:
        return f"{self.group_id} @ {self.changed_at:%Y-%m-%d %H:%M}"
