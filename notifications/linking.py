"""LINE account linking, following the Messaging API's account link flow.

1. A LINE user follows the official account. The webhook queues
   send_link_invitation, which issues a link token and pushes the user a
   link to the portal's confirmation page.
2. The signed-in resident confirms there. The portal stores a one-time
   nonce and sends the browser to LINE's accountLink dialog with the link
   token and the nonce.
3. LINE sends an accountLink event with the nonce. A valid, unused and
   unexpired nonce for the same LINE user completes the link, and a push
   tells the resident so.
"""

import datetime as dt
import logging
import secrets
import urllib.parse

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from civic_portal.accounts.models import User
from notifications import line_api
from notifications.models import (
    LineLink,
    LineLinkNonce,
    LineLinkToken,
    LineWebhookEvent,
    hash_secret,
)

logger = logging.getLogger(__name__)

# A link token "is valid for 10 minutes and can only be used once" (LINE
# Messaging API, IssueLinkTokenResponse). A nonce lives as long, counted
# from the resident's confirmation.
LINK_TOKEN_LIFETIME = dt.timedelta(minutes=10)
NONCE_LIFETIME = dt.timedelta(minutes=10)
# NOTE: an estimate. LINE redelivers a failed webhook event only for a
# limited time, and 30 days is taken to be well beyond it.
WEBHOOK_EVENT_RETENTION = dt.timedelta(days=30)


def link_confirm_url(link_token: str) -> str:
    query = urllib.parse.urlencode({"linkToken": link_token})
    return f"{settings.SITE_URL}{reverse('notifications:line_link')}?{query}"


def invitation_text(link_token: str) -> str:
    """Return the invitation pushed after a follow, in Japanese and English.

    The portal does not know the LINE user's language before the link, so
    the message carries both.
    """
    lines: list[str] = []
    for language in ("ja", "en"):
        with translation.override(language):
            line = gettext(
                "To get the portal's notifications on LINE, sign in and "
                "link your account:"
            )
        if line not in lines:
            lines.append(line)
    return "\n".join([*lines, link_confirm_url(link_token)])


def record_link_token(line_user_id: str, link_token: str) -> LineLinkToken:
    now = timezone.now()
    return LineLinkToken.objects.create(
        line_user_id=line_user_id,
        token_hash=hash_secret(link_token),
        issued_at=now,
        expires_at=now + LINK_TOKEN_LIFETIME,
    )


def send_invitation(line_user_id: str) -> None:
    """Issue a link token for *line_user_id* and push the confirmation link.

    Raises line_api.LineApiError when the API fails; a retry issues a new
    token, and a token whose push failed expires unused.
    """
    if LineLink.objects.filter(line_user_id=line_user_id).exists():
        logger.info("LINE user is already linked; invitation skipped")
        return
    link_token = line_api.issue_link_token(line_user_id)
    token = record_link_token(line_user_id, link_token)
    line_api.push_text(line_user_id, invitation_text(link_token))
    logger.info("LINE link invitation sent with link token %s", token.pk)


def valid_link_token(link_token: str) -> LineLinkToken | None:
    """Return the stored, unused and unexpired token for *link_token*."""
    if not link_token or len(link_token) > 200:
        return None
    return LineLinkToken.objects.filter(
        token_hash=hash_secret(link_token),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()


def start_account_link(user: User, link_token: str) -> str | None:
    """Create the nonce for *user* and return LINE's accountLink URL.

    Returns None when the link token is unknown, expired or already used.
    The token is marked used here, so the confirmation link works once.
    """
    now = timezone.now()
    with transaction.atomic():
        token = valid_link_token(link_token)
        if token is None:
            return None
        claimed = LineLinkToken.objects.filter(
            pk=token.pk, used_at__isnull=True
        ).update(used_at=now)
        if not claimed:
            return None
        nonce = secrets.token_urlsafe(24)
        LineLinkNonce.objects.create(
            user=user,
            line_user_id=token.line_user_id,
            nonce_hash=hash_secret(nonce),
            created_at=now,
            expires_at=now + NONCE_LIFETIME,
        )
    logger.info("User %s confirmed LINE link token %s", user.pk, token.pk)
    query = urllib.parse.urlencode({"linkToken": link_token, "nonce": nonce})
    return f"{settings.LINE_ACCOUNT_LINK_URL}?{query}"


def complete_account_link(line_user_id: str, nonce: str) -> LineLink | None:
    """Link the nonce's resident to *line_user_id*; None when the nonce is invalid.

    The nonce must be unused, unexpired and issued for this LINE user. A
    LINE account linked before to another resident moves to this one, and
    a resident's earlier LINE account is replaced.
    """
    now = timezone.now()
    with transaction.atomic():
        record = LineLinkNonce.objects.filter(nonce_hash=hash_secret(nonce)).first()
        if record is None:
            logger.warning("LINE account link with an unknown nonce rejected")
            return None
        if record.line_user_id != line_user_id:
            logger.warning(
                "LINE account link with nonce %s from another LINE user rejected",
                record.pk,
            )
            return None
        claimed = LineLinkNonce.objects.filter(
            pk=record.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            logger.warning(
                "LINE account link with used or expired nonce %s rejected", record.pk
            )
            return None
        LineLink.objects.filter(line_user_id=line_user_id).exclude(
            user_id=record.user_id
        ).delete()
        link, _created = LineLink.objects.update_or_create(
            user_id=record.user_id,
            defaults={
                "line_user_id": line_user_id,
                "delivery": LineLink.Delivery.LINE_AND_MAIL,
                "linked_at": now,
                "consecutive_failures": 0,
                "switched_to_mail_at": None,
            },
        )
    from notifications.tasks import send_link_confirmation

    link_id = link.pk
    transaction.on_commit(lambda: send_link_confirmation.delay(link_id), robust=True)
    logger.info("User %s linked LINE (link %s)", record.user_id, link.pk)
    return link


def confirmation_text(link: LineLink) -> str:
    """Return the message that tells a resident their link is complete."""
    with translation.override(link.user.preferred_language):
        intro = gettext(
            "Your LINE account is now linked to the portal. Choose how "
            "notifications reach you, or unlink, on your profile:"
        )
    return f"{intro}\n{settings.SITE_URL}{reverse('accounts:profile')}"


def send_confirmation(link_id: int) -> None:
    """Push the link confirmation, unless the link is gone by now.

    Raises line_api.LineApiError when the API fails.
    """
    link = LineLink.objects.select_related("user").filter(pk=link_id).first()
    if link is None:
        logger.info("LINE link %s was removed; confirmation skipped", link_id)
        return
    line_api.push_text(link.line_user_id, confirmation_text(link))
    logger.info("LINE link %s confirmation sent", link_id)


def fail_account_link(nonce: str) -> None:
    """Use up the nonce of an accountLink event whose result is "failed"."""
    updated = LineLinkNonce.objects.filter(
        nonce_hash=hash_secret(nonce), used_at__isnull=True
    ).update(used_at=timezone.now())
    logger.info("LINE account link failed on LINE's side (%d nonce used up)", updated)


def unlink(user: User) -> bool:
    """Remove the resident's LINE link; return True when there was one."""
    deleted, _counts = LineLink.objects.filter(user=user).delete()
    if deleted:
        logger.info("User %s unlinked LINE", user.pk)
    return bool(deleted)


def forget_line_user(line_user_id: str) -> None:
    """Stop every push to a LINE user who unfollowed (blocked) the account.

    Deletes the link and uses up the user's open link tokens and nonces, so
    a link started before the unfollow cannot complete.
    """
    now = timezone.now()
    with transaction.atomic():
        links = list(LineLink.objects.filter(line_user_id=line_user_id))
        LineLink.objects.filter(line_user_id=line_user_id).delete()
        LineLinkToken.objects.filter(
            line_user_id=line_user_id, used_at__isnull=True
        ).update(used_at=now)
        LineLinkNonce.objects.filter(
            line_user_id=line_user_id, used_at__isnull=True
        ).update(used_at=now)
    for link in links:
        logger.info(
            "LINE link %s of user %s removed on unfollow", link.pk, link.user_id
        )


def purge_used_records(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete link tokens and nonces past expiry, and old webhook event ids.

    Returns how many rows of each kind were deleted. Webhook event ids are
    kept WEBHOOK_EVENT_RETENTION, so a redelivered event is still skipped.
    """
    now = now or timezone.now()
    tokens, _ = LineLinkToken.objects.filter(expires_at__lt=now).delete()
    nonces, _ = LineLinkNonce.objects.filter(expires_at__lt=now).delete()
    events, _ = LineWebhookEvent.objects.filter(
        received_at__lt=now - WEBHOOK_EVENT_RETENTION
    ).delete()
    return {"link_tokens": tokens, "nonces": nonces, "webhook_events": events}
