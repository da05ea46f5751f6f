import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civic_portal.celery import app
from probono.models import RequestState, SupportRequest
from probono.permissions import CONCIERGE_GROUP
from probono.tasks import send_overdue_reminders
from tests.factories import SupportRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reminders_scheduled_by_beat():
    entry = app.conf.beat_schedule["send-overdue-request-reminders"]

    assert entry["task"] == "probono.tasks.requests.send_overdue_reminders"
    assert entry["task"] in app.tasks


def test_unassigned_request_reminds_all_concierges():
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    request = SupportRequestFactory()
    SupportRequest.objects.filter(pk=request.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=4)
    )

    assert send_overdue_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_reminder_again_after_reentering_state():
    concierge = UserFactory()
    concierge.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    request = SupportRequestFactory(concierge=concierge)
    four_days_ago = timezone.now() - dt.timedelta(days=4)
    SupportRequest.objects.filter(pk=request.pk).update(state_changed_at=four_days_ago)
    send_overdue_reminders()

    SupportRequest.objects.filter(pk=request.pk).update(
        state_changed_at=four_days_ago + dt.timedelta(hours=1)
    )

    assert send_overdue_reminders() == 1


def test_final_states_never_overdue():
    request = SupportRequestFactory(state=RequestState.CLOSED)
    SupportRequest.objects.filter(pk=request.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=400)
    )

    assert send_overdue_reminders() == 0


def test_pages_render_in_japanese(japanese_client, group, group_staff):
    concierge = UserFactory()
    concierge.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    request = SupportRequestFactory(group=group)
    japanese_client.force_login(concierge)

    board = japanese_client.get(reverse("probono:board"))
    detail = japanese_client.get(reverse("probono:request_detail", args=[request.pk]))

    assert board.status_code == 200
    assert detail.status_code == 200
    assert "ヒアリング" in detail.content.decode()
