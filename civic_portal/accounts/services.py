"""Writes on accounts: sign-up, e-mail confirmation and profile changes."""

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_portal.accounts import ages, selectors
from civic_portal.accounts.models import (
    PRIVACY_NOTICE_VERSION,
    GuardianConsentChange,
    GuardianConsentMethod,
    User,
)
from groups.models import Municipality

logger = logging.getLogger(__name__)

# A second confirmation or password-reset mail is sent at most this often,
# so the forms cannot be used to flood someone's inbox.
# NOTE: the interval counts from the last mail sent, so requests made while
# a worker has not yet sent the first mail are each queued.
RESEND_INTERVAL = dt.timedelta(minutes=5)


def user_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    name_kana: str,
    municipality: Municipality | None,
    birth_date: dt.date,
    occupation: str,
    preferred_language: str,
    guardian_consent: bool = False,
) -> User:
    """Create an unconfirmed account and queue its confirmation mail.

    The caller has checked that the person accepted the current privacy
    notice; the time and notice version are recorded here. A person under
    18 must have *guardian_consent*, and its time is recorded too. Raises
    ValidationError when the person is too young or lacks that consent, and
    when the address is already taken, which can happen when two sign-ups
    for one address race past the form's check.
    """
    today = ages.today_in_japan()
    ages.validate_signup_age(birth_date, guardian_consent=guardian_consent, day=today)
    is_minor = ages.needs_guardian_consent(birth_date, today)
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                name_kana=name_kana,
                municipality=municipality,
                birth_date=birth_date,
                occupation=occupation,
                preferred_language=preferred_language,
                email_confirmed=False,
                privacy_consent_at=now,
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
                guardian_consent_at=now if is_minor else None,
                guardian_consent_method=(
                    GuardianConsentMethod.SIGN_UP if is_minor else ""
                ),
            )
            if is_minor:
                GuardianConsentChange.objects.create(
                    user=user,
                    action=GuardianConsentChange.Action.RECORDED,
                    agreed_on=today,
                    method=GuardianConsentMethod.SIGN_UP,
                )
            user_queue_confirmation_mail(user=user)
    except IntegrityError as error:
        # The database message names the address, so it is not logged.
        logger.info("Sign-up rejected: the address was registered concurrently")
        raise ValidationError(
            _("An account with this e-mail address already exists."),
            code="duplicate_email",
        ) from error
    logger.info("User %s signed up", user.pk)
    return user


def user_queue_confirmation_mail(*, user: User) -> None:
    """Queue a confirmation mail for *user* once the transaction commits.

    Each request gets its own mail key, so retries of one task send one
    mail while a later request for a new link sends a new one.
    """
    from civic_portal.accounts.tasks import send_confirmation_mail

    request_id = uuid.uuid4().hex
    transaction.on_commit(lambda: send_confirmation_mail.delay(user.pk, request_id))


def user_resend_confirmation(*, email: str) -> bool:
    """Send a new confirmation link if *email* belongs to an unconfirmed account.

    Returns True when a mail was queued. The caller shows the same message
    either way, so the form does not reveal which addresses have accounts.
    """
    user = selectors.user_unconfirmed_by_email(email=email)
    if user is None:
        return False
    if selectors.user_confirmation_mail_recently_sent(
        user=user, within=RESEND_INTERVAL
    ):
        logger.info("Confirmation mail for user %s not resent: too soon", user.pk)
        return False
    with transaction.atomic():
        user_queue_confirmation_mail(user=user)
    return True


def user_queue_password_reset_mail(*, user: User) -> bool:
    """Queue a password-reset mail for *user*, at most one per RESEND_INTERVAL.

    Returns True when a mail was queued. The reset page shows the same
    message either way, so repeating the form cannot flood an inbox.
    """
    from civic_portal.accounts.tasks import send_password_reset_mail

    if selectors.user_password_reset_mail_recently_sent(
        user=user, within=RESEND_INTERVAL
    ):
        logger.info("Password reset mail for user %s not sent: too soon", user.pk)
        return False
    # Each request gets its own mail key, and the task makes the token, so
    # the working link never passes through the broker or the logs.
    user_id = user.pk
    request_id = uuid.uuid4().hex
    transaction.on_commit(lambda: send_password_reset_mail.delay(user_id, request_id))
    return True


def user_confirm_email(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(email_confirmed=True)
    user.email_confirmed = True
    logger.info("User %s confirmed the e-mail address", user.pk)


def user_record_privacy_consent(*, user: User) -> None:
    """Record that *user* agreed to the current privacy notice, now."""
    user.privacy_consent_at = timezone.now()
    user.privacy_notice_version = PRIVACY_NOTICE_VERSION
    user.save(update_fields=["privacy_consent_at", "privacy_notice_version"])
    logger.info(
        "User %s agreed to privacy notice version %s",
        user.pk,
        PRIVACY_NOTICE_VERSION,
    )
