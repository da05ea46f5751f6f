import datetime as dt

import pytest
from django.utils import timezone

from civic_portal.celery import app
from notifications.models import LineLinkNonce, LineLinkToken, LineWebhookEvent
from notifications.tasks import purge_line_linking_records
from tests.notifications.fake_line import make_user_id

pytestmark = pytest.mark.django_db


def test_purge_keeps_live_records(resident):
    now = timezone.now()
    line_user_id = make_user_id()
    expiries = {
        "old": now - dt.timedelta(seconds=1),
        "live": now + dt.timedelta(minutes=1),
    }
    for name, expires_at in expiries.items():
        LineLinkToken.objects.create(
            line_user_id=line_user_id, token_hash=f"token-{name}", expires_at=expires_at
        )
        LineLinkNonce.objects.create(
            user=resident,
            line_user_id=line_user_id,
            nonce_hash=f"nonce-{name}",
            expires_at=expires_at,
        )
    old_event = LineWebhookEvent.objects.create(
        webhook_event_id="OLD", event_type="follow"
    )
    LineWebhookEvent.objects.filter(pk=old_event.pk).update(
        received_at=now - dt.timedelta(days=31)
    )
    LineWebhookEvent.objects.create(webhook_event_id="NEW", event_type="follow")

    deleted = purge_line_linking_records.delay().get()

    assert deleted == {"link_tokens": 1, "nonces": 1, "webhook_events": 1}
    assert list(LineLinkToken.objects.values_list("token_hash", flat=True)) == [
        "token-live"
    ]
    assert list(LineLinkNonce.objects.values_list("nonce_hash", flat=True)) == [
        "nonce-live"
    ]
    assert list(
        LineWebhookEvent.objects.values_list("webhook_event_id", flat=True)
    ) == ["NEW"]


def test_purge_in_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert "notifications.tasks.purge_line_linking_records" in tasks
