"""Items that support centres lend to campaign participants, and the loans."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .campaigns import Participation


class LoanItem(models.Model):
    """A kind of item lent to participants (貸出物品), such as caps or banners."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), help_text=_("How many of this item the centres can lend.")
    )
    is_active = models.BooleanField(
        _("can be borrowed"),
        default=True,
        help_text=_("Untick to stop new loan requests; existing loans stay."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("loan item")
        verbose_name_plural = _("loan items")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="campaign_loan_item_quantity"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LoanQuerySet(models.QuerySet["Loan"]):
    def holding(self) -> LoanQuerySet:
        """Loans that hold items: requested, approved or lent."""
        return self.filter(status__in=Loan.HOLDING_STATUSES)

    def overdue(self, today: dt.date) -> LoanQuerySet:
        """Lent loans whose last day is before *today*."""
        return self.filter(status=Loan.Status.LENT, ends_on__lt=today)


class Loan(models.Model):
    """A participant's loan (貸出) of some of an item's units for some days."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("loan status", "Requested")
        APPROVED = "approved", pgettext_lazy("loan status", "Approved")
        LENT = "lent", _("Lent")
        RETURNED = "returned", _("Returned")
        REJECTED = "rejected", pgettext_lazy("loan status", "Rejected")
        CANCELLED = "cancelled", pgettext_lazy("loan status", "Cancelled")

    # A request reserves its units from the start, so that approving it
    # can never overbook the item.
    HOLDING_STATUSES = (Status.REQUESTED, Status.APPROVED, Status.LENT)

    item = models.ForeignKey(
        LoanItem,
        on_delete=models.PROTECT,
        related_name="loans",
        verbose_name=_("item"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="loans",
        verbose_name=_("participation"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last handled by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True)
    lent_at = models.DateTimeField(_("lent at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [models.Index(fields=["item", "status", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_loan_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="campaign_loan_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.LENT and self.ends_on < today
