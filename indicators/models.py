"""Stored indicator values: recorded ones from before the portal, and snapshots.

A recorded value was entered from another source (the prefecture's own
records, the plan's baselines). A snapshot is a value the portal computed
from its data. Pages show the two side by side and never add one to the
other.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.definitions import INDICATOR_KEYS

INDICATOR_CHOICES = [(key, key) for key in INDICATOR_KEYS]


class RecordedValue(models.Model):
    """A value of an indicator for a fiscal year taken from outside the portal."""

    indicator = models.CharField(
        _("indicator"), max_length=40, choices=INDICATOR_CHOICES
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.TextField(
        _("source"), help_text=_("Where the value comes from, for readers.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "fiscal_year"]
        verbose_name = _("recorded indicator value")
        verbose_name_plural = _("recorded indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="one_recorded_value_per_indicator_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fiscal_year}: {self.value}"


class IndicatorSnapshot(models.Model):
    """A computed value of an indicator for a fiscal year, frozen or not.

    The nightly task rewrites snapshots that are not frozen. Once
    `frozen_at` is set, the value is the year's figure of record and no
    service writes to it again.
    """

    indicator = models.CharField(
        _("indicator"), max_length=40, choices=INDICATOR_CHOICES
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        ordering = ["fiscal_year", "indicator"]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="one_snapshot_per_indicator_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} FY{self.fiscal_year}: {self.value}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None
