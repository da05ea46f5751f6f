import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civic_portal.types import AnyUser


class LocalizedNameMixin:
    """A `localized_name` that picks `name_en` when English is active."""

    name: str
    name_en: str

    @property
    def localized_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.localized_name


class Municipality(LocalizedNameMixin, models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        TOWN = "town", _("Town")

    code = models.CharField(
        _("local-government code"),
        max_length=5,
        unique=True,
        help_text=_("Five digits, without the check digit."),
    )
    code_with_check_digit = models.CharField(
        _("local-government code with check digit"), max_length=6, unique=True
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    kana = models.CharField(_("reading"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class ActivityField(LocalizedNameMixin, models.Model):
    """One of the 20 fields of activity listed in the NPO Act."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("activity field")
        verbose_name_plural = _("activity fields")


class SupportCentreQuerySet(models.QuerySet["SupportCentre"]):
    def open_on(self, day: dt.date) -> "SupportCentreQuerySet":
        """Centres opened on or before *day* and not closed by then."""
        return self.filter(opened_on__lte=day).exclude(closed_on__lte=day)

    def staffed_by(self, user: AnyUser) -> "SupportCentreQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(staff_memberships__user=user)


class SupportCentre(LocalizedNameMixin, models.Model):
    class Scope(models.TextChoices):
        PREFECTURE = "prefecture", _("Prefectural centre")
        MUNICIPAL = "municipal", _("Municipal centre")

    class Operation(models.TextChoices):
        PUBLIC_PUBLIC = "public_public", _("Public facility, run by the municipality")
        PUBLIC_PRIVATE = "public_private", _("Public facility, run by a private body")
        PRIVATE_PRIVATE = "private_private", _("Private facility and operator")
        DESIGNATED_MANAGER = (
            "designated_manager",
            _("Run by a designated manager chosen by public call"),
        )

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="support_centres",
        verbose_name=_("municipality"),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    operation = models.CharField(
        _("operating model"), max_length=30, choices=Operation.choices
    )
    opened_on = models.DateField(
        _("opened on"),
        help_text=_("The first day of the opening month."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.TextField(
        _("opening hours"),
        blank=True,
        help_text=_("For example: weekdays 9:00 to 21:00, weekends 9:00 to 17:00."),
    )
    closed_days = models.TextField(
        _("closed days"),
        blank=True,
        help_text=_(
            "For example: Mondays, national holidays, 29 December to 3 January."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SupportCentreStaff",
        related_name="support_centres",
        verbose_name=_("centre staff"),
        blank=True,
    )

    objects = SupportCentreQuerySet.as_manager()

    class Meta:
        ordering = ["scope", "municipality__code", "name"]
        verbose_name = _("support centre")
        verbose_name_plural = _("support centres")

    def is_open_on(self, day: dt.date) -> bool:
        """Tell whether the centre was open (opened and not closed) on *day*."""
        return self.opened_on <= day and (
            self.closed_on is None or day < self.closed_on
        )

    def is_staff_member(self, user: AnyUser) -> bool:
        if not user.is_authenticated:
            return False
        return self.staff_memberships.filter(user_id=user.pk).exists()


class SupportCentreStaff(models.Model):
    """A user who works at a support centre: reviews groups, answers questions."""

    centre = models.ForeignKey(
        SupportCentre,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("support centre"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="centre_memberships",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("centre staff membership")
        verbose_name_plural = _("centre staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "user"], name="unique_centre_staff"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre}"
