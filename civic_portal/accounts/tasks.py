"""Celery tasks that send account mails in the user's language.

Tasks take ids and reload the user. Each mail has a key, so a retried task
sends it once. Network errors are retried with exponential backoff.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from civic_portal.accounts.models import User
from civic_portal.accounts.selectors import (
    confirmation_mail_key_prefix,
    password_reset_mail_key_prefix,
)
from civic_portal.accounts.tokens import (
    confirmation_max_age_seconds,
    make_confirmation_token,
)
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "mail/accounts"


def _absolute_url(path: str) -> str:
    return settings.SITE_URL + path


@shared_task(**RETRY_OPTIONS)
def send_confirmation_mail(user_id: int, request_id: str) -> bool:
    """Send the link that confirms *user_id*'s address and return whether it went."""
    logger.info("Confirmation mail for user %s started", user_id)
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email_confirmed:
        logger.info("Confirmation mail for user %s skipped: not needed", user_id)
        return False

    token = make_confirmation_token(user)
    context = {
        "user": user,
        "confirm_url": _absolute_url(reverse("accounts:confirm_email", args=[token])),
        "resend_url": _absolute_url(reverse("accounts:resend_confirmation")),
        "valid_hours": confirmation_max_age_seconds() // 3600,
    }
    sent = send_mail_once(
        key=f"{confirmation_mail_key_prefix(user)}{request_id}",
        recipient=user,
        template_prefix=f"{TEMPLATE_DIR}/confirm_email",
        context=context,
    )
    logger.info("Confirmation mail for user %s finished (sent=%s)", user_id, sent)
    return sent


@shared_task(**RETRY_OPTIONS)
def send_password_reset_mail(user_id: int, request_id: str) -> bool:
    """Send a password-reset link, made here, once per reset request.

    The mail key uses *request_id* rather than the token, because the key
    is logged and stored, and a token there would let a reader reset the
    password.
    """
    logger.info("Password reset mail for user %s started", user_id)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.warning("Password reset mail skipped: user %s not found", user_id)
        return False

    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uidb64, token])
    context = {
        "user": user,
        "reset_url": _absolute_url(path),
        "request_url": _absolute_url(reverse("accounts:password_reset")),
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    sent = send_mail_once(
        key=f"{password_reset_mail_key_prefix(user)}{request_id}",
        recipient=user,
        template_prefix=f"{TEMPLATE_DIR}/password_reset",
        context=context,
    )
    logger.info("Password reset mail for user %s finished (sent=%s)", user_id, sent)
    return sent
