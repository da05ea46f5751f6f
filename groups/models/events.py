from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_portal.text import normalize_search_text

from .reference import ActivityField, Municipality


class Event(models.Model):
    """An event that a civic group announces: a talk, a workshop, a festival."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(
        "groups.CivicGroup",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("civic group"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("municipality"),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    fee = models.PositiveIntegerField(
        _("fee (yen)"), default=0, help_text=_("0 means free of charge.")
    )
    fee_note = models.CharField(_("fee details"), max_length=200, blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    activity_fields = models.ManyToManyField(
        ActivityField,
        blank=True,
        related_name="events",
        verbose_name=_("activity fields"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """Return the normalised text that event search compares."""
        return normalize_search_text(f"{self.title} {self.description} {self.place}")


class GrantNotice(models.Model):
    """A grant or subsidy that centre staff announce to groups (助成金情報)."""

    title = models.CharField(_("title"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200)
    amount = models.CharField(
        _("amount"),
        max_length=200,
        help_text=_("As the funder states it, for example: up to 500,000 yen."),
    )
    max_amount = models.PositiveBigIntegerField(
        _("maximum amount (yen)"), null=True, blank=True
    )
    deadline = models.DateTimeField(
        _("application deadline"),
        help_text=_("Compared in Japan time."),
    )
    eligible_fields = models.ManyToManyField(
        ActivityField,
        blank=True,
        related_name="grant_notices",
        verbose_name=_("eligible activity fields"),
    )
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("grant notice")
        verbose_name_plural = _("grant notices")
        indexes = [models.Index(fields=["is_published", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_text = normalize_search_text(
            f"{self.title} {self.funder} {self.description}"
        )
        super().save(*args, **kwargs)
