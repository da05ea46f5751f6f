import datetime as dt
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_portal.accounts import ages

# Version of the privacy notice a user consents to; raise it when the
# notice's purpose of use changes so that users are asked again.
PRIVACY_NOTICE_VERSION = 2
# Version 2 adds the pro bono worker bank, pro bono projects, consultations
# and newsletter subscriptions.


class GuardianConsentMethod(models.TextChoices):
    """The channel by which a parent's or guardian's agreement arrived."""

    SIGN_UP = "sign_up", _("Confirmed by the resident at sign-up")
    PAPER = "paper", _("Paper form")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":  # type: ignore[no-untyped-def]
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":  # type: ignore[no-untyped-def]
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(
        self, email: str, password: str | None = None, **extra
    ) -> "User":  # type: ignore[no-untyped-def]
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


# The domain of the placeholder address that a deleted account gets. It is
# reserved by RFC 2606, so no mail to it can be delivered.
DELETED_EMAIL_DOMAIN = "deleted.invalid"


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; signs in with an e-mail address."""

    class Occupation(models.TextChoices):
        HIGH_SCHOOL_STUDENT = "high_school", _("High-school student")
        UNIVERSITY_STUDENT = "university", _("University student")
        EMPLOYED = "employed", _("Employed")
        OTHER = "other", _("Other")

    class MatchingMailFrequency(models.TextChoices):
        NEVER = "never", _("Never")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail address"), unique=True)
    email_confirmed = models.BooleanField(_("e-mail address confirmed"), default=False)
    full_name = models.CharField(_("name"), max_length=100, blank=True)
    name_kana = models.CharField(_("name reading (kana)"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "groups.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("municipality"),
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    occupation = models.CharField(
        _("occupation"), max_length=20, choices=Occupation.choices, blank=True
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    interest_fields = models.ManyToManyField(
        "groups.ActivityField",
        blank=True,
        related_name="interested_users",
        verbose_name=_("activity fields of interest"),
    )
    interest_municipalities = models.ManyToManyField(
        "groups.Municipality",
        blank=True,
        related_name="interested_users",
        verbose_name=_("municipalities of interest"),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("ja", "日本語"), ("en", "English")],
        default="ja",
    )
    matching_mail_frequency = models.CharField(
        _("matching mail"),
        max_length=10,
        choices=MatchingMailFrequency.choices,
        default=MatchingMailFrequency.NEVER,
    )
    matching_mail_last_sent_at = models.DateTimeField(
        _("matching mail last sent at"), null=True, blank=True
    )
    privacy_consent_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    privacy_notice_version = models.PositiveSmallIntegerField(
        _("privacy notice version"), default=0
    )
    guardian_consent_at = models.DateTimeField(
        _("parent or guardian agreement confirmed at"),
        null=True,
        blank=True,
        help_text=_(
            "When a resident under 18 confirmed at sign-up that a parent or "
            "guardian agrees, or the day centre staff recorded the agreement "
            "as given. Empty when there is none or it was withdrawn."
        ),
    )
    guardian_consent_method = models.CharField(
        _("how the parent or guardian agreement was received"),
        max_length=20,
        choices=GuardianConsentMethod.choices,
        blank=True,
    )
    guardian_consent_recorded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent or guardian agreement recorded by"),
    )
    calendar_token = models.UUIDField(
        _("calendar feed key"), default=uuid.uuid4, unique=True, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name or self.email

    def age_on(self, day: dt.date) -> int | None:
        """Return the user's age in whole years on *day*, if the birth date is known."""
        if self.birth_date is None:
            return None
        return ages.age_on(self.birth_date, day)

    def age_now(self) -> int | None:
        return self.age_on(ages.today_in_japan())

    @property
    def is_high_school_student(self) -> bool:
        return self.occupation == self.Occupation.HIGH_SCHOOL_STUDENT

    @property
    def is_deleted(self) -> bool:
        """Whether the resident deleted this account (privacy.services.delete_account).

        The row stays for the applications and attendance that refer to it,
        inactive and with an address under DELETED_EMAIL_DOMAIN.
        """
        return not self.is_active and self.email.endswith(f"@{DELETED_EMAIL_DOMAIN}")

    @property
    def has_current_privacy_consent(self) -> bool:
        return (
            self.privacy_consent_at is not None
            and self.privacy_notice_version >= PRIVACY_NOTICE_VERSION
        )

    def rotate_calendar_token(self) -> None:
        """Give the calendar feed a new secret URL; the old one stops working."""
        self.calendar_token = uuid.uuid4()
        self.save(update_fields=["calendar_token"])


class SentNotification(models.Model):
    """One mail sent for one event, so a retried task sends it only once."""

    key = models.CharField(_("event key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self) -> str:
        return self.key


class GuardianConsentChange(models.Model):
    """One recording or withdrawal of a parent's or guardian's agreement.

    The rows are the history of User.guardian_consent_at; they are only
    added, never changed.
    """

    class Action(models.TextChoices):
        RECORDED = "recorded", _("Agreement recorded")
        WITHDRAWN = "withdrawn", _("Agreement withdrawn")

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="guardian_consent_changes",
        verbose_name=_("resident"),
    )
    action = models.CharField(_("change"), max_length=20, choices=Action.choices)
    agreed_on = models.DateField(
        _("agreement given on"),
        null=True,
        blank=True,
        help_text=_("The day the parent or guardian agreed; empty for a withdrawal."),
    )
    method = models.CharField(
        _("received by"),
        max_length=20,
        choices=GuardianConsentMethod.choices,
        blank=True,
    )
    reason = models.TextField(_("reason for withdrawing"), blank=True)
    changed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
        help_text=_("The member of centre staff; empty for the resident at sign-up."),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("parent or guardian agreement change")
        verbose_name_plural = _("parent or guardian agreement changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.changed_at:%Y-%m-%d}"
