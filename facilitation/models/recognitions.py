"""Recognitions: the civic-activity award and model business sites (表彰)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civic_portal.fiscal import fiscal_year_of

from .partners import Partner

# The fiscal years a recognition can be recorded for. Years outside them
# are typing mistakes, not years anyone records recognitions for.
FIRST_FISCAL_YEAR = 1990
LAST_FISCAL_YEAR = 2100


class RecognitionKind(models.TextChoices):
    AWARD = "award", _("Civic-activity award")
    MODEL_BUSINESS_SITE = "model_business_site", _("Model business site")


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def in_fiscal_year(self, year: int) -> "RecognitionQuerySet":
        return self.filter(fiscal_year=year)

    def with_recipient(self) -> "RecognitionQuerySet":
        return self.select_related("group", "partner")

    def in_force(self) -> "RecognitionQuerySet":
        """Recognitions that were not withdrawn, the only ones on public pages."""
        return self.filter(withdrawn_on__isnull=True)


class Recognition(models.Model):
    """One award (地域貢献賞) or model business site (モデル事業所) designation.

    The recipient is either a civic group or a partner, never both. A
    withdrawn recognition (withdrawn_on set) stays on record for staff but
    leaves the public pages and the API.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=RecognitionKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        validators=[
            MinValueValidator(FIRST_FISCAL_YEAR),
            MaxValueValidator(LAST_FISCAL_YEAR),
        ],
        help_text=_("The fiscal year (April to March) of the designation, e.g. 2026."),
    )
    title = models.CharField(_("title"), max_length=200)
    citation = models.TextField(_("citation"), blank=True)
    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("civic group"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("partner"),
    )
    designated_on = models.DateField(_("designated on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "kind", "designated_on", "pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        indexes = [models.Index(fields=["fiscal_year", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(partner__isnull=True))
                | (Q(group__isnull=True) & Q(partner__isnull=False)),
                name="recognition_exactly_one_recipient",
                violation_error_message=_(
                    "Choose either a civic group or a partner as the recipient, "
                    "not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=F("designated_on")),
                name="recognition_withdrawn_after_designation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.get_kind_display()}: {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        recipient = self.group or self.partner
        return "" if recipient is None else str(recipient)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def clean(self) -> None:
        # full_clean reports a missing or second recipient through the check
        # constraint recognition_exactly_one_recipient, so clean() does not.
        super().clean()
        if (
            self.designated_on is not None
            and self.fiscal_year is not None
            and fiscal_year_of(self.designated_on) != self.fiscal_year
        ):
            message = ValidationError(
                _(
                    "The designation date %(date)s is not in fiscal year "
                    "%(year)d. Fiscal years run from 1 April to 31 March."
                ),
                code="designated_outside_year",
                params={"date": self.designated_on, "year": self.fiscal_year},
            )
            raise ValidationError({"designated_on": message})


class HistoricalRecognitionTotal(models.Model):
    """A count of recognitions given before the portal, with its source.

    Pages show these totals beside the portal's own records and never add
    them together.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=RecognitionKind.choices)
    first_fiscal_year = models.PositiveSmallIntegerField(_("first fiscal year"))
    last_fiscal_year = models.PositiveSmallIntegerField(_("last fiscal year"))
    count = models.PositiveIntegerField(_("count"))
    source = models.TextField(
        _("source"), help_text=_("Where the total comes from, as it was published.")
    )

    class Meta:
        ordering = ["kind", "first_fiscal_year"]
        verbose_name = _("historical recognition total")
        verbose_name_plural = _("historical recognition totals")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_fiscal_year__gte=F("first_fiscal_year")),
                name="historical_total_years_in_order",
            ),
            models.UniqueConstraint(
                fields=["kind", "first_fiscal_year", "last_fiscal_year"],
                name="unique_historical_recognition_total",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.first_fiscal_year}-"
            f"{self.last_fiscal_year}: {self.count}"
        )
