import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from civic_portal.text import normalize_search_text
from civic_portal.types import AnyUser
from groups.validators import validate_corporate_number

from .lifecycle import Certification, GroupStatusChange
from .reference import ActivityField, Municipality

# A group that has not confirmed its information for this long is flagged.
UNCONFIRMED_AFTER = dt.timedelta(days=548)  # 18 months


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

    def registered_on(self, day: dt.date) -> "CivicGroupQuerySet":
        """Groups approved, registered by *day* and not dissolved on it.

        The status on a date is the latest GroupStatusChange in effect (by
        effective date, then by id), so the result is right for past dates.
        A group with no status change by then counts as registered, because
        rows made outside the review service (the admin, bulk loads) have no
        history. The dissolution test is a NOT EXISTS so that PostgreSQL
        plans it as an anti-join over the status table.
        """
        later_change = GroupStatusChange.objects.filter(
            group=OuterRef("group"), effective_on__lte=day
        ).filter(
            Q(effective_on__gt=OuterRef("effective_on"))
            | Q(effective_on=OuterRef("effective_on"), pk__gt=OuterRef("pk"))
        )
        dissolved_last = GroupStatusChange.objects.filter(
            group=OuterRef("pk"),
            status=CivicGroup.Status.DISSOLVED,
            effective_on__lte=day,
        ).filter(~Exists(later_change))
        return self.filter(
            review_status=CivicGroup.ReviewStatus.APPROVED, registered_on__lte=day
        ).filter(~Exists(dissolved_last))

    def certified_on(self, day: dt.date) -> "CivicGroupQuerySet":
        """Groups with a certification (full or special) that covers *day*."""
        covering = Certification.objects.filter(group=OuterRef("pk")).covering(day)
        return self.filter(Exists(covering))

    def unconfirmed(self, now: dt.datetime) -> "CivicGroupQuerySet":
        """Approved groups whose information was last confirmed too long ago."""
        cutoff = now - UNCONFIRMED_AFTER
        return self.filter(review_status=CivicGroup.ReviewStatus.APPROVED).filter(
            Q(info_confirmed_at__lt=cutoff)
            | Q(info_confirmed_at__isnull=True, approved_at__lt=cutoff)
        )


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

    CORPORATE_FORMS = (
        LegalForm.NPO,
        LegalForm.CERTIFIED_NPO,
        LegalForm.SPECIAL_CERTIFIED_NPO,
        LegalForm.WORKERS_COOPERATIVE,
    )

    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name reading"), max_length=200, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices
    )
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_("The 13-digit number of a corporation (法人番号)."),
    )
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    public_email = models.EmailField(_("public e-mail address"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=20, blank=True)
    contact_name = models.CharField(
        _("contact person"),
        max_length=100,
        blank=True,
        help_text=_("Seen only by the group's staff and support centre staff."),
    )
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    member_count = models.PositiveIntegerField(
        _("number of members"), null=True, blank=True
    )
    social_links = models.JSONField(_("social media links"), default=list, blank=True)
    declared_conditions_at = models.DateTimeField(
        _("conditions declared at"),
        null=True,
        blank=True,
        help_text=_("When the group declared that it meets the four conditions."),
    )
    wants_probono = models.BooleanField(_("wants pro bono help"), default=False)
    registered_on = models.DateField(
        _("registered on"),
        null=True,
        blank=True,
        help_text=_("The day the registration was approved."),
    )
    info_confirmed_at = models.DateTimeField(
        _("information last confirmed at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
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
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number="") & ~Q(review_status="rejected"),
                name="unique_corporate_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return normalize_search_text(f"{self.name} {self.name_kana} {self.description}")

    @property
    def is_public(self) -> bool:
        return (
            self.review_status == self.ReviewStatus.APPROVED
            and self.status != self.Status.DISSOLVED
        )

    @property
    def is_corporation(self) -> bool:
        return self.legal_form in self.CORPORATE_FORMS

    def is_staff_member(self, user: AnyUser) -> bool:
        if not user.is_authenticated:
            return False
        return self.memberships.filter(user_id=user.pk).exists()

    def is_admin(self, user: AnyUser) -> bool:
        if not user.is_authenticated:
            return False
        return self.memberships.filter(
            user_id=user.pk, role=GroupMembership.Role.ADMIN
        ).exists()

    def is_unconfirmed(self, now: dt.datetime) -> bool:
        """Tell whether the information was last confirmed too long ago."""
        confirmed = self.info_confirmed_at or self.approved_at
        return confirmed is not None and confirmed < now - UNCONFIRMED_AFTER


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


class GroupInvitation(models.Model):
    """An invitation by e-mail to become staff of a group."""

    group = models.ForeignKey(
        CivicGroup,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("civic group"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=GroupMembership.Role.choices,
        default=GroupMembership.Role.EDITOR,
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group staff invitation")
        verbose_name_plural = _("group staff invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"

    def is_usable(self, now: dt.datetime) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and now < self.expires_at
        )
