"""Roles of group staff: change, remove, leave, hand over; one admin always stays."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from groups.models import GroupMembership
from groups.services import staff
from tests.factories import GroupMembershipFactory

pytestmark = pytest.mark.django_db

Role = GroupMembership.Role
LAST_ADMIN = "A group must keep at least one admin."


@pytest.fixture
def admin_membership(group, group_staff):
    return GroupMembership.objects.get(group=group, user=group_staff)


@pytest.fixture
def editor_membership(group):
    return GroupMembershipFactory(
        group=group, role=Role.EDITOR, user__email="editor@example.jp"
    )


@pytest.fixture
def second_admin(group):
    return GroupMembershipFactory(
        group=group, role=Role.ADMIN, user__email="admin2@example.jp"
    )


def action(client, group, name, **data):
    return client.post(reverse("groups:staff_action", args=[group.pk, name]), data)


def test_staff_page_lists_members(client, group, group_staff, editor_membership):
    client.force_login(editor_membership.user)
    response = client.get(reverse("groups:staff", args=[group.pk]))

    assert response.status_code == 200
    assert response.context["is_admin"] is False
    assert len(response.context["memberships"]) == 2
    assert "Invite staff" not in response.content.decode()


def test_admin_promotes_editor(client, group, group_staff, editor_membership):
    client.force_login(group_staff)
    response = action(
        client, group, "role", membership=editor_membership.pk, role="admin"
    )

    assert response.status_code == 302
    editor_membership.refresh_from_db()
    assert editor_membership.role == Role.ADMIN


def test_admin_removes_editor(client, group, group_staff, editor_membership):
    client.force_login(group_staff)
    action(client, group, "remove", membership=editor_membership.pk)

    assert not GroupMembership.objects.filter(pk=editor_membership.pk).exists()


def test_hand_over_admin(
    client, group, group_staff, admin_membership, editor_membership
):
    client.force_login(group_staff)
    action(client, group, "hand_over", membership=editor_membership.pk)

    admin_membership.refresh_from_db()
    editor_membership.refresh_from_db()
    assert editor_membership.role == Role.ADMIN
    assert admin_membership.role == Role.EDITOR


def test_hand_over_to_self_rejected(group, group_staff, admin_membership):
    with pytest.raises(ValidationError, match="another staff member"):
        staff.hand_over_admin(
            group_id=group.pk, by=group_staff, membership_id=admin_membership.pk
        )


def test_editor_leaves(client, group, group_staff, editor_membership):
    client.force_login(editor_membership.user)
    response = action(client, group, "leave")

    assert response["Location"] == reverse("groups:my_groups")
    assert not GroupMembership.objects.filter(pk=editor_membership.pk).exists()


def test_last_admin_cannot_leave(client, group, group_staff, editor_membership):
    client.force_login(group_staff)
    response = action(client, group, "leave")
    page = client.get(response["Location"])

    assert response["Location"] == reverse("groups:staff", args=[group.pk])
    assert LAST_ADMIN in page.content.decode()
    assert group.memberships.filter(role=Role.ADMIN).count() == 1


def test_last_admin_cannot_step_down(group, group_staff, admin_membership):
    with pytest.raises(ValidationError, match=LAST_ADMIN):
        staff.change_role(
            group_id=group.pk,
            by=group_staff,
            membership_id=admin_membership.pk,
            role=Role.EDITOR,
        )

    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMIN


def test_last_admin_cannot_remove_self(group, group_staff, admin_membership):
    with pytest.raises(ValidationError, match=LAST_ADMIN):
        staff.remove_member(
            group_id=group.pk, by=group_staff, membership_id=admin_membership.pk
        )

    assert GroupMembership.objects.filter(pk=admin_membership.pk).exists()


def test_admin_may_leave_when_another_admin(group, group_staff, second_admin):
    staff.leave(group_id=group.pk, user=group_staff)

    assert list(group.memberships.values_list("role", flat=True)) == [Role.ADMIN]


def test_double_removal_keeps_one_admin(
    group, group_staff, admin_membership, second_admin
):
    """Two admins remove each other from stale pages: the second removal fails."""
    staff.remove_member(
        group_id=group.pk, by=group_staff, membership_id=second_admin.pk
    )

    with pytest.raises((PermissionDenied, ValidationError)):
        staff.remove_member(
            group_id=group.pk, by=second_admin.user, membership_id=admin_membership.pk
        )
    assert group.memberships.filter(role=Role.ADMIN).count() == 1


def test_double_demotion_keeps_one_admin(
    group, group_staff, admin_membership, second_admin
):
    staff.change_role(
        group_id=group.pk,
        by=second_admin.user,
        membership_id=admin_membership.pk,
        role=Role.EDITOR,
    )

    with pytest.raises((PermissionDenied, ValidationError)):
        staff.change_role(
            group_id=group.pk,
            by=group_staff,
            membership_id=second_admin.pk,
            role=Role.EDITOR,
        )
    assert group.memberships.filter(role=Role.ADMIN).count() == 1


def test_both_admins_leave_one_stays(group, group_staff, second_admin):
    staff.leave(group_id=group.pk, user=group_staff)

    with pytest.raises(ValidationError, match=LAST_ADMIN):
        staff.leave(group_id=group.pk, user=second_admin.user)
    assert group.memberships.filter(role=Role.ADMIN).count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("role", {"role": "admin"}),
        ("remove", {}),
        ("hand_over", {}),
    ],
)
def test_editor_cannot_manage_staff(
    client, group, group_staff, admin_membership, editor_membership, name, data
):
    client.force_login(editor_membership.user)
    response = action(client, group, name, membership=admin_membership.pk, **data)

    assert response.status_code == 403
    admin_membership.refresh_from_db()
    editor_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMIN
    assert editor_membership.role == Role.EDITOR


@pytest.mark.parametrize("name", ["role", "remove", "hand_over", "revoke", "leave"])
def test_other_group_staff_gets_404(
    client, group, other_group_staff, admin_membership, name
):
    client.force_login(other_group_staff)
    response = action(
        client, group, name, membership=admin_membership.pk, role="editor"
    )

    assert response.status_code == 404
    assert GroupMembership.objects.filter(pk=admin_membership.pk).exists()


def test_unknown_action_404(client, group, group_staff):
    client.force_login(group_staff)

    assert action(client, group, "delete_group").status_code == 404


def test_removed_member_gone(client, group, group_staff, editor_membership):
    client.force_login(group_staff)
    action(client, group, "remove", membership=editor_membership.pk)
    response = action(client, group, "remove", membership=editor_membership.pk)
    page = client.get(response["Location"])

    assert "no longer staff of the group" in page.content.decode()


def test_bad_membership_id_message(client, group, group_staff):
    client.force_login(group_staff)
    response = action(client, group, "remove", membership="abc")

    assert response.status_code == 302
    assert "not valid" in client.get(response["Location"]).content.decode()
