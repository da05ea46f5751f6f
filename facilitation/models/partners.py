"""Organisations that collaborate with civic groups (協働パートナー)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic_portal.text import normalize_search_text


class PartnerQuerySet(models.QuerySet["Partner"]):
    def active(self) -> "PartnerQuerySet":
        return self.filter(is_active=True)


class Partner(models.Model):
    """A company, municipality, school or other body that works with groups."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        OTHER_BUSINESS = "other_business", _("Other business")
        MUNICIPALITY = "municipality", _("Municipality")
        UNIVERSITY = "university", _("University")
        HIGH_SCHOOL = "high_school", _("High school")
        PREFECTURAL_DEPARTMENT = "prefectural_department", _("Prefectural department")
        SUPPORT_INSTITUTION = "support_institution", _("Support institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "groups.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for a partner outside Yamaguchi Prefecture."),
    )
    activity_fields = models.ManyToManyField(
        "groups.ActivityField",
        blank=True,
        related_name="+",
        verbose_name=_("fields of interest"),
    )
    website = models.URLField(_("website"), blank=True)
    offers_volunteer_leave = models.BooleanField(
        _("offers volunteer leave"),
        default=False,
        help_text=_("Companies only: employees may take leave to volunteer."),
    )
    takes_part_in_probono = models.BooleanField(
        _("takes part in pro bono"),
        default=False,
        help_text=_("Companies only: employees work pro bono for groups."),
    )
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["kind", "is_active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="company")
                | (Q(offers_volunteer_leave=False) & Q(takes_part_in_probono=False)),
                name="partner_company_flags_only_for_companies",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_text = normalize_search_text(f"{self.name} {self.note}")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.COMPANY:
            return
        errors = {}
        if self.offers_volunteer_leave:
            errors["offers_volunteer_leave"] = ValidationError(
                _(
                    "Only a company can offer volunteer leave. "
                    "Untick this box or change the kind to company."
                ),
                code="company_only",
            )
        if self.takes_part_in_probono:
            errors["takes_part_in_probono"] = ValidationError(
                _(
                    "Only a company can take part in pro bono. "
                    "Untick this box or change the kind to company."
                ),
                code="company_only",
            )
        if errors:
            raise ValidationError(errors)
