"""Reads about accounts for the account pages."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from civic_portal.accounts.models import SentNotification, User
from groups.models import CivicGroup

CONFIRMATION_MAIL_KEY_PREFIX = "accounts.confirm_email"
RESET_MAIL_KEY_PREFIX = "accounts.password_reset"


def confirmation_mail_key_prefix(user: User) -> str:
    return f"{CONFIRMATION_MAIL_KEY_PREFIX}:{user.pk}:"


def user_last_confirmation_mail_at(*, user: User) -> dt.datetime | None:
    """Return when the latest confirmation mail went to *user*, if any."""
    latest = (
        SentNotification.objects.filter(
            recipient=user, key__startswith=confirmation_mail_key_prefix(user)
        )
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return latest


def user_confirmation_mail_recently_sent(*, user: User, within: dt.timedelta) -> bool:
    latest = user_last_confirmation_mail_at(user=user)
    return latest is not None and timezone.now() - latest < within


def password_reset_mail_key_prefix(user: User) -> str:
    return f"{RESET_MAIL_KEY_PREFIX}:{user.pk}:"


def user_password_reset_mail_recently_sent(*, user: User, within: dt.timedelta) -> bool:
    """Return whether a password-reset mail went to *user* within *within*."""
    return SentNotification.objects.filter(
        recipient=user,
        key__startswith=password_reset_mail_key_prefix(user),
        sent_at__gt=timezone.now() - within,
    ).exists()


def user_unconfirmed_by_email(*, email: str) -> User | None:
    return User.objects.filter(
        email__iexact=email, email_confirmed=False, is_active=True
    ).first()


def user_staff_groups(*, user: User) -> QuerySet[CivicGroup]:
    """Groups that *user* manages as staff, by name."""
    return CivicGroup.objects.managed_by(user).order_by("name_kana", "name")
