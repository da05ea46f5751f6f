"""Inviting staff with an address typed in full-width characters."""

import pytest

from groups.models import GroupInvitation
from tests.groups.test_staff_invitations import invite

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "ｎｅｗ．ｓｔａｆｆ＠ｅｘａｍｐｌｅ．ｊｐ",
        "　New.Staff@Example.jp　",
        "new.staff＠example.jp",
    ],
)
def test_full_width_address_invited(client, group, group_staff, typed):
    client.force_login(group_staff)

    response = invite(client, group, email=typed)

    assert response.status_code == 302
    invitation = GroupInvitation.objects.get(group=group)
    assert invitation.email == "new.staff@example.jp"
