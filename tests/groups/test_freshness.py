import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civic_portal.celery import app as celery_app
from groups.models import CivicGroup, GroupMembership, Municipality, SupportCentre
from groups.tasks.directory import (
    request_information_confirmations,
    send_confirmation_request,
)
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    UserFactory,
    centre_staff,
)

pytestmark = pytest.mark.django_db

UNCONFIRMED_URL = reverse("groups:centre_unconfirmed")
LONG_AGO = dt.timedelta(days=600)


def confirm_url(group: CivicGroup) -> str:
    return reverse("groups:confirm_information", args=[group.pk])


# Yearly confirmation request


def test_task_in_beat_schedule():
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "groups.tasks.directory.request_information_confirmations" in tasks


def test_request_mails_admins_of_public_groups(settings):
    group = CivicGroupFactory(name="里山の会")
    admin = GroupMembershipFactory(group=group, user__email="admin@example.jp").user
    GroupMembershipFactory(
        group=group,
        user__email="editor@example.jp",
        role=GroupMembership.Role.EDITOR,
    )
    pending = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    GroupMembershipFactory(group=pending, user__email="pending@example.jp")

    queued = request_information_confirmations()

    assert queued == 1
    assert [message.to for message in mail.outbox] == [[admin.email]]
    message = mail.outbox[0]
    assert "里山の会" in message.subject
    assert settings.SITE_URL + reverse("groups:detail", args=[group.pk]) in message.body


def test_request_sent_once_a_year():
    group = CivicGroupFactory()
    GroupMembershipFactory(group=group)
    GroupMembershipFactory(group=group)

    request_information_confirmations()
    request_information_confirmations()

    assert len(mail.outbox) == 2  # one for each admin, not repeated


def test_request_sent_again_next_year():
    group = CivicGroupFactory()
    GroupMembershipFactory(group=group)

    send_confirmation_request(group.pk, 2026)
    send_confirmation_request(group.pk, 2026)
    send_confirmation_request(group.pk, 2027)

    assert len(mail.outbox) == 2


def test_request_lists_missing_items():
    group = CivicGroupFactory(representative="", description="")
    GroupMembershipFactory(group=group, user__preferred_language="en")

    send_confirmation_request(group.pk, 2026)

    assert "- Representative" in mail.outbox[0].body
    assert "- Description" in mail.outbox[0].body


def test_request_skips_inactive_admin_and_missing_group():
    group = CivicGroupFactory()
    GroupMembershipFactory(group=group, user__is_active=False)

    assert send_confirmation_request(group.pk, 2026) == 0
    assert send_confirmation_request(999999, 2026) == 0
    assert mail.outbox == []


def test_request_in_admin_language():
    group = CivicGroupFactory(name="里山の会")
    GroupMembershipFactory(group=group, user__preferred_language="ja")

    send_confirmation_request(group.pk, 2026)

    assert "やまぐち県民活動ポータル" in mail.outbox[0].body


# Confirm action


def test_confirm_sets_date(client):
    group = CivicGroupFactory(info_confirmed_at=None)
    client.force_login(GroupMembershipFactory(group=group).user)
    before = timezone.now()

    response = client.post(confirm_url(group))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:detail", args=[group.pk])
    group.refresh_from_db()
    assert group.info_confirmed_at >= before


def test_confirm_by_editor(client):
    group = CivicGroupFactory()
    editor = GroupMembershipFactory(group=group, role=GroupMembership.Role.EDITOR)
    client.force_login(editor.user)

    client.post(confirm_url(group))

    group.refresh_from_db()
    assert group.info_confirmed_at is not None


def test_confirm_clears_unconfirmed_mark(client):
    group = CivicGroupFactory(approved_at=timezone.now() - LONG_AGO)
    assert group.is_unconfirmed(timezone.now())
    client.force_login(GroupMembershipFactory(group=group).user)

    client.post(confirm_url(group))

    group.refresh_from_db()
    assert not group.is_unconfirmed(timezone.now())


def test_confirm_rejects_anonymous(client):
    group = CivicGroupFactory()

    response = client.post(confirm_url(group))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_confirm_rejects_resident(client):
    group = CivicGroupFactory(info_confirmed_at=None)
    client.force_login(UserFactory())

    assert client.post(confirm_url(group)).status_code == 403
    group.refresh_from_db()
    assert group.info_confirmed_at is None


def test_confirm_rejects_staff_of_other_group(client):
    group = CivicGroupFactory(info_confirmed_at=None)
    client.force_login(GroupMembershipFactory().user)

    assert client.post(confirm_url(group)).status_code == 403
    group.refresh_from_db()
    assert group.info_confirmed_at is None


def test_confirm_rejects_centre_staff(client):
    group = CivicGroupFactory(info_confirmed_at=None)
    client.force_login(centre_staff(UserFactory()))

    assert client.post(confirm_url(group)).status_code == 403


def test_confirm_needs_post(client):
    group = CivicGroupFactory()
    client.force_login(GroupMembershipFactory(group=group).user)

    assert client.get(confirm_url(group)).status_code == 405


def test_confirm_404_for_group_not_public(client):
    group = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    client.force_login(GroupMembershipFactory(group=group).user)

    assert client.post(confirm_url(group)).status_code == 404


# Unconfirmed list for centre staff


def test_unconfirmed_list_for_prefectural_staff(client):
    now = timezone.now()
    stale = CivicGroupFactory(name="古い会", approved_at=now - LONG_AGO)
    CivicGroupFactory(
        name="確認済み",
        approved_at=now - LONG_AGO,
        info_confirmed_at=now - dt.timedelta(days=30),
    )
    CivicGroupFactory(
        name="確認が古い",
        approved_at=now - LONG_AGO * 2,
        info_confirmed_at=now - LONG_AGO,
        contact_email="stale-contact@example.jp",
    )
    CivicGroupFactory(name="新しい会")
    client.force_login(centre_staff(UserFactory()))

    response = client.get(UNCONFIRMED_URL)

    assert response.status_code == 200
    names = {group.name for group in response.context["page"].object_list}
    assert names == {"確認が古い", "古い会"}
    assert stale.name in response.content.decode()
    assert "stale-contact@example.jp" in response.content.decode()


def test_unconfirmed_list_oldest_first(client):
    now = timezone.now()
    CivicGroupFactory(name="二年前", approved_at=now - dt.timedelta(days=730))
    CivicGroupFactory(
        name="三年前",
        approved_at=now - dt.timedelta(days=2000),
        info_confirmed_at=now - dt.timedelta(days=1095),
    )
    client.force_login(centre_staff(UserFactory()))

    response = client.get(UNCONFIRMED_URL)

    names = [group.name for group in response.context["page"].object_list]
    assert names == ["三年前", "二年前"]


def test_unconfirmed_list_of_municipal_centre(client):
    centre = SupportCentre.objects.filter(scope="municipal").order_by("pk").first()
    other = Municipality.objects.exclude(pk=centre.municipality_id).first()
    long_ago = timezone.now() - LONG_AGO
    CivicGroupFactory(
        name="管内", municipality=centre.municipality, approved_at=long_ago
    )
    CivicGroupFactory(name="管外", municipality=other, approved_at=long_ago)
    client.force_login(centre_staff(UserFactory(), scope="municipal"))

    response = client.get(UNCONFIRMED_URL)

    assert [g.name for g in response.context["page"].object_list] == ["管内"]


@pytest.mark.parametrize("viewer", ["resident", "group_staff"])
def test_unconfirmed_list_forbidden(client, viewer):
    CivicGroupFactory(approved_at=timezone.now() - LONG_AGO)
    user = UserFactory() if viewer == "resident" else GroupMembershipFactory().user
    client.force_login(user)

    assert client.get(UNCONFIRMED_URL).status_code == 403


def test_unconfirmed_list_needs_login(client):
    response = client.get(UNCONFIRMED_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("count", [1, 30])
def test_unconfirmed_list_queries_bounded(client, django_assert_max_num_queries, count):
    for _ in range(count):
        CivicGroupFactory(approved_at=timezone.now() - LONG_AGO)
    client.force_login(centre_staff(UserFactory()))

    with django_assert_max_num_queries(8):
        response = client.get(UNCONFIRMED_URL)

    assert response.context["page"].paginator.count == count
