import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import (
    LineLink,
    LineLinkNonce,
    LineLinkToken,
    LineMessage,
    LineWebhookEvent,
)
from tests.notifications.fake_line import make_user_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(resident):
    now = timezone.now()
    line_user_id = make_user_id()
    return {
        "linelink": LineLink.objects.create(user=resident, line_user_id=line_user_id),
        "linelinktoken": LineLinkToken.objects.create(
            line_user_id=line_user_id, token_hash="a" * 64, expires_at=now
        ),
        "linelinknonce": LineLinkNonce.objects.create(
            user=resident,
            line_user_id=line_user_id,
            nonce_hash="b" * 64,
            expires_at=now + dt.timedelta(minutes=10),
        ),
        "linemessage": LineMessage.objects.create(
            key="test.event:1",
            user=resident,
            line_user_id=line_user_id,
            text="Subject\nhttps://portal.example.jp/",
            mail_subject="Subject",
            mail_body="Body",
            mail_to=resident.email,
        ),
        "linewebhookevent": LineWebhookEvent.objects.create(
            webhook_event_id="01ABC", event_type="follow"
        ),
    }


@pytest.mark.parametrize(
    "model",
    ["linelink", "linelinktoken", "linelinknonce", "linemessage", "linewebhookevent"],
)
def test_admin_pages_render(admin_client, records, model):
    record = records[model]

    listing = admin_client.get(reverse(f"admin:notifications_{model}_changelist"))
    detail = admin_client.get(
        reverse(f"admin:notifications_{model}_change", args=[record.pk])
    )

    assert listing.status_code == 200
    assert detail.status_code == 200


@pytest.mark.parametrize(
    "model", ["linelinktoken", "linelinknonce", "linemessage", "linewebhookevent"]
)
def test_flow_records_read_only(admin_client, records, model):
    response = admin_client.get(reverse(f"admin:notifications_{model}_add"))

    assert response.status_code == 403


def test_admin_hides_token_hashes(admin_client, records):
    token = records["linelinktoken"]
    nonce = records["linelinknonce"]

    token_page = admin_client.get(
        reverse("admin:notifications_linelinktoken_change", args=[token.pk])
    )
    nonce_page = admin_client.get(
        reverse("admin:notifications_linelinknonce_change", args=[nonce.pk])
    )

    assert "a" * 64 not in token_page.content.decode()
    assert "b" * 64 not in nonce_page.content.decode()


def test_admin_changes_delivery(admin_client, records):
    link = records["linelink"]

    admin_client.post(
        reverse("admin:notifications_linelink_change", args=[link.pk]),
        {"user": link.user_id, "delivery": "mail", "consecutive_failures": 0},
    )

    link.refresh_from_db()
    assert link.delivery == LineLink.Delivery.MAIL


def test_admin_refuses_non_staff(client, resident):
    client.force_login(resident)

    response = client.get(reverse("admin:notifications_linelink_changelist"))

    assert response.status_code == 302
