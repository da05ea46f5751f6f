from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civic_portal.text import normalize_search_text
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

    class Meta:
        ordering = ["scope", "municipality__code", "name"]
        verbose_name = _("support centre")
        verbose_name_plural = _("support centres")


class CivicGroupQuerySet(models.QuerySet["CivicGroup"]):
    def public(self) -> "CivicGroupQuerySet":
        """Groups shown to the public: approved and not dissolved."""
        return self.filter(
            review_status=CivicGroup.ReviewStatus.APPROVED,
        ).exclude(status=CivicGroup.Status.DISSOLVED)

    def managed_by(self, user: AnyUser) -> "CivicGroupQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class CivicGroup(models.Model):
    """A civic group (県民活動団体) in the prefecture's registry."""

    class LegalForm(models.TextChoices):
        NPO = "npo", _("NPO corporation")
        CERTIFIED_NPO = "certified_npo", _("Certified NPO corporation")
        SPECIAL_CERTIFIED_NPO = (
            "special_certified_npo",
            _("Special-certified NPO corporation"),
        )
        VOLUNTARY = "voluntary", _("Voluntary or citizen group")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood or community association")
        WORKERS_COOPERATIVE = "workers_cooperative", _("Workers' cooperative")
        OTHER = "other", _("Other non-profit")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name reading"), max_length=200, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="civic_groups",
        verbose_name=_("municipality"),
    )
    activity_fields = models.ManyToManyField(
        ActivityField,
        related_name="civic_groups",
        verbose_name=_("activity fields"),
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GroupMembership",
        related_name="civic_groups",
        verbose_name=_("staff"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CivicGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name_kana", "name"]
        verbose_name = _("civic group")
        verbose_name_plural = _("civic groups")
        indexes = [models.Index(fields=["review_status", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_text = normalize_search_text(f"{self.name} {self.name_kana}")
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return (
            self.review_status == self.ReviewStatus.APPROVED
            and self.status != self.Status.DISSOLVED
        )

    def is_staff_member(self, user: AnyUser) -> bool:
        if not user.is_authenticated:
            return False
        return self.memberships.filter(user_id=user.pk).exists()


class GroupMembership(models.Model):
    """A user who manages a group's profile, posts and applicants."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")

    group = models.ForeignKey(
        CivicGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("civic group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.EDITOR
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group staff membership")
        verbose_name_plural = _("group staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="unique_group_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.group} ({self.get_role_display()})"
