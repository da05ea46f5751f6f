import pytest
from django.urls import reverse

from civic_portal.privacy.services import delete_account
from tests.factories import CivicGroupFactory, GroupMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return UserFactory(full_name="山田 花子", email="hanako@example.jp")


def group_with_contact(user, **extra):
    group = CivicGroupFactory(
        representative=user.full_name,
        contact_name=user.full_name,
        contact_email=user.email,
        contact_phone="083-000-0000",
        public_email=user.email,
        **extra,
    )
    GroupMembershipFactory(group=group, user=user)
    return group


def test_deletion_blanks_group_contact_of_the_person(contact):
    group = group_with_contact(contact)
    other = CivicGroupFactory(contact_email="other@example.jp", contact_name="他の人")

    delete_account(contact)

    group.refresh_from_db()
    assert group.representative == group.contact_name == group.contact_email == ""
    assert group.contact_phone == group.public_email == ""
    other.refresh_from_db()
    assert (other.contact_name, other.contact_email) == ("他の人", "other@example.jp")


def test_deletion_keeps_unstaffed_group_contact(contact):
    group = CivicGroupFactory(contact_email=contact.email, contact_name="窓口")

    delete_account(contact)

    group.refresh_from_db()
    assert group.contact_email == "hanako@example.jp"


def test_delete_page_names_groups_left_without_staff(client, contact):
    alone = group_with_contact(contact, name="ひとりの会")
    shared = group_with_contact(contact, name="ふたりの会")
    GroupMembershipFactory(group=shared)
    client.force_login(contact)

    body = client.get(reverse("privacy:delete_account")).content.decode()

    assert alone.name in body
    assert shared.name not in body
