"""Inviting group staff by e-mail and accepting the invitation."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupInvitation, GroupMembership
from groups.services import staff
from tests.factories import GroupMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(group):
    return GroupMembershipFactory(
        group=group, role=GroupMembership.Role.EDITOR, user__email="editor@example.jp"
    ).user


def invite(client, group, email="new.staff@example.jp", role="editor"):
    return client.post(
        reverse("groups:staff", args=[group.pk]), {"email": email, "role": role}
    )


def test_admin_invites_by_mail(
    client, group, group_staff, django_capture_on_commit_callbacks
):
    client.force_login(group_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, group)

    assert response.status_code == 302
    invitation = GroupInvitation.objects.get(group=group)
    assert invitation.email == "new.staff@example.jp"
    assert invitation.invited_by == group_staff
    assert len(invitation.token) >= 40
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert mail.outbox[-1].to == ["new.staff@example.jp"]
    accept_path = reverse("groups:invitation", args=[invitation.token])
    assert accept_path in mail.outbox[-1].body


def test_invitation_tokens_differ(group, group_staff):
    first = staff.invite(
        group_id=group.pk, by=group_staff, email="a@example.jp", role="editor"
    )
    second = staff.invite(
        group_id=group.pk, by=group_staff, email="b@example.jp", role="editor"
    )

    assert first.token != second.token


def test_new_invitation_replaces_open_one(group, group_staff):
    first = staff.invite(
        group_id=group.pk, by=group_staff, email="a@example.jp", role="editor"
    )
    staff.invite(group_id=group.pk, by=group_staff, email="A@example.jp", role="admin")

    first.refresh_from_db()
    assert first.revoked_at is not None


def test_invite_existing_staff_rejected(client, group, group_staff, editor):
    client.force_login(group_staff)
    response = invite(client, group, email="EDITOR@example.jp")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "This person is already staff of the group."
    ]
    assert not GroupInvitation.objects.exists()


def test_editor_cannot_invite(client, group, editor):
    client.force_login(editor)
    response = invite(client, group)

    assert response.status_code == 403
    assert not GroupInvitation.objects.exists()


def test_other_group_staff_cannot_invite(client, group, other_group_staff):
    client.force_login(other_group_staff)

    assert invite(client, group).status_code == 404
    assert not GroupInvitation.objects.exists()


def test_accept_with_matching_email(client, group, group_staff):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="New.Staff@example.jp", role="admin"
    )
    invited = UserFactory(email="new.staff@example.jp")
    client.force_login(invited)
    url = reverse("groups:invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:manage", args=[group.pk])
    membership = GroupMembership.objects.get(group=group, user=invited)
    assert membership.role == GroupMembership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accept_needs_login(client, group, group_staff):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="x@example.jp", role="editor"
    )
    response = client.get(reverse("groups:invitation", args=[invitation.token]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_accept_with_other_email_refused(client, group, group_staff, resident):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="invited@example.jp", role="admin"
    )
    client.force_login(resident)
    url = reverse("groups:invitation", args=[invitation.token])
    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 403
    assert "Accept the invitation" not in page.content.decode()
    assert response.status_code == 403
    assert "sent to another e-mail address" in response.content.decode()
    assert not GroupMembership.objects.filter(user=resident).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_twice_refused(client, group, group_staff):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="x@example.jp", role="editor"
    )
    invited = UserFactory(email="x@example.jp")
    staff.accept_invitation(token=invitation.token, user=invited)
    GroupMembership.objects.filter(user=invited).delete()
    client.force_login(invited)
    response = client.post(reverse("groups:invitation", args=[invitation.token]))

    assert response.status_code == 200
    assert "expired or was already used" in response.content.decode()
    assert not GroupMembership.objects.filter(user=invited).exists()


def test_expired_invitation_refused(client, group, group_staff):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="x@example.jp", role="editor"
    )
    GroupInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    invited = UserFactory(email="x@example.jp")
    client.force_login(invited)
    response = client.post(reverse("groups:invitation", args=[invitation.token]))

    assert "expired or was already used" in response.content.decode()
    assert not GroupMembership.objects.filter(user=invited).exists()


def test_revoked_invitation_refused(client, group, group_staff):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="x@example.jp", role="editor"
    )
    client.force_login(group_staff)
    client.post(
        reverse("groups:staff_action", args=[group.pk, "revoke"]),
        {"invitation": invitation.pk},
    )
    invited = UserFactory(email="x@example.jp")
    client.force_login(invited)
    client.post(reverse("groups:invitation", args=[invitation.token]))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not GroupMembership.objects.filter(user=invited).exists()


def test_unknown_token_404(client, resident):
    client.force_login(resident)

    assert client.get(reverse("groups:invitation", args=["nope"])).status_code == 404


def test_invitation_mail_sent_once(
    group, group_staff, django_capture_on_commit_callbacks, settings
):
    from groups.tasks.registration import send_invitation_mail

    # The invited address has no account, so the mail is in the default
    # language.
    settings.LANGUAGE_CODE = "en"

    with django_capture_on_commit_callbacks(execute=True):
        invitation = staff.invite(
            group_id=group.pk, by=group_staff, email="x@example.jp", role="editor"
        )

    assert send_invitation_mail(invitation.pk) == 0
    assert len(mail.outbox) == 1
    assert re.search(r"until .*\(Japan time\)", mail.outbox[0].body)


def test_unconfirmed_address_refused(group, group_staff):
    invitation = staff.invite(
        group_id=group.pk, by=group_staff, email="x@example.jp", role="editor"
    )
    invited = UserFactory(email="x@example.jp", email_confirmed=False)

    with pytest.raises(ValidationError, match="Confirm your e-mail address"):
        staff.accept_invitation(token=invitation.token, user=invited)
    assert not GroupMembership.objects.filter(user=invited).exists()
