"""Health-points programmes run by partners, residents' enrolments, export logs.

An enrolment is a resident's consent to share confirmed volunteer
participation with one programme's partner. It covers activities from the
day of consent until it is withdrawn. Withdrawing keeps the row as a
record of the consent, and a new enrolment starts a new consent window.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def validate_regex(value: str) -> None:
    """Raise ValidationError when *value* is not a valid regular expression."""
    try:
        re.compile(value)
    except re.error as error:
        raise ValidationError(
            _("Invalid regular expression: %(error)s"),
            code="invalid_regex",
            params={"error": error},
        ) from error


class PointsProgramme(models.Model):
    """A partner's health-points programme that counts volunteer participation."""

    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        "facilitation.Partner",
        on_delete=models.PROTECT,
        related_name="points_programmes",
        verbose_name=_("partner organisation"),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown to residents before they enrol."),
    )
    membership_id_pattern = models.CharField(
        _("membership id format"),
        max_length=200,
        default=r"[0-9]{8}",
        validators=[validate_regex],
        help_text=_(
            "A Python regular expression that the whole membership id must "
            "match, for example [0-9]{8} for eight digits. Residents' input "
            "is normalised first: full-width characters become half-width."
        ),
    )
    membership_id_example = models.CharField(
        _("example membership id"),
        max_length=50,
        blank=True,
        help_text=_("Shown to residents next to the membership id field."),
    )
    partner_accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_points_programmes",
        verbose_name=_("partner accounts"),
        help_text=_(
            "Accounts of the partner's staff. They download this programme's "
            "export and use its API, and see no other programme."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Residents can enrol only in an active programme."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("health-points programme")
        verbose_name_plural = _("health-points programmes")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def membership_id_matches(self, membership_id: str) -> bool:
        return re.fullmatch(self.membership_id_pattern, membership_id) is not None


class ProgrammeEnrolment(models.Model):
    """A resident's membership id in a programme and their consent to share."""

    programme = models.ForeignKey(
        PointsProgramme,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("programme"),
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="points_enrolments",
        verbose_name=_("resident"),
    )
    membership_id = models.CharField(_("membership id"), max_length=50)
    consented_at = models.DateTimeField(_("consent given at"))
    withdrawn_at = models.DateTimeField(
        _("consent withdrawn at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("programme enrolment")
        verbose_name_plural = _("programme enrolments")
        ordering = ["-consented_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "resident"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_consenting_enrolment_per_programme",
            ),
            # Two residents sharing one membership id would credit one
            # member's points with another's activities.
            models.UniqueConstraint(
                fields=["programme", "membership_id"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_consenting_enrolment_per_membership_id",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "resident", "withdrawn_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.resident_id}"

    @property
    def is_consenting(self) -> bool:
        return self.withdrawn_at is None


class ExportLog(models.Model):
    """One export of a programme's participation rows, without their contents."""

    class Channel(models.TextChoices):
        CSV = "csv", _("CSV download")
        API = "api", _("API request")

    programme = models.ForeignKey(
        PointsProgramme,
        on_delete=models.PROTECT,
        related_name="export_logs",
        verbose_name=_("programme"),
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    since = models.DateField(_("activities from"), null=True, blank=True)
    until = models.DateField(_("activities until"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        day = f"{self.created_at:%Y-%m-%d}"
        return f"{self.programme} {self.get_channel_display()} {day}"
