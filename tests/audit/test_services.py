import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import resolve

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_CONTACT, USER_NAME, Action, record_access
from groups.models import SupportCentre, SupportCentreStaff
from tests.factories import GroupMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_access_writes_one_row_per_subject():
    actor = UserFactory(is_staff=True)
    actor.groups.add(Group.objects.get_or_create(name="concierge")[0])
    subjects = [UserFactory(), UserFactory()]
    record_access(actor, subjects, USER_CONTACT, source="test:page", obj="post:1")
    rows = PersonalDataAccess.objects.order_by("subject_id")
    assert [row.subject_id for row in rows] == [user.pk for user in subjects]
    row = rows[0]
    assert row.actor_id == actor.pk
    assert row.actor_roles == "staff,concierge"
    assert row.action == Action.VIEWED
    assert row.field_names == sorted(USER_CONTACT)
    assert row.view_name == "test:page"
    assert row.object_ref == "post:1"


def test_actor_roles_name_group_and_centre_staff():
    membership = GroupMembershipFactory()
    SupportCentreStaff.objects.create(
        user=membership.user, centre=SupportCentre.objects.first()
    )

    record_access(membership.user, [UserFactory()], [USER_NAME], source="test:page")

    row = PersonalDataAccess.objects.get()
    assert row.actor_roles == "group_staff,centre_staff"


def test_record_access_uses_one_insert(django_assert_num_queries):
    actor = UserFactory()
    subjects = [UserFactory().pk for _ in range(20)]
    # One query reads the actor's role groups, one inserts the rows.
    with django_assert_num_queries(2):
        record_access(actor, subjects, [USER_NAME], source="test:page")
    assert PersonalDataAccess.objects.count() == 20


def test_record_access_leaves_out_the_actor():
    actor = UserFactory()
    other = UserFactory()
    record_access(actor, [actor, other], [USER_NAME], source="test:page")
    assert list(PersonalDataAccess.objects.values_list("subject_id", flat=True)) == [
        other.pk
    ]


def test_record_access_own_data_only_writes_nothing(django_assert_num_queries):
    actor = UserFactory()
    with django_assert_num_queries(0):
        rows = record_access(actor, [actor], USER_CONTACT, source="test:page")
    assert rows == []


def test_record_access_per_subject_fields():
    actor = UserFactory()
    confirmed, pending = UserFactory(), UserFactory()
    record_access(
        actor,
        {confirmed.pk: USER_CONTACT, pending.pk: [USER_NAME]},
        source="test:page",
    )
    fields = dict(PersonalDataAccess.objects.values_list("subject_id", "fields"))
    assert fields[confirmed.pk] == ",".join(sorted(USER_CONTACT))
    assert fields[pending.pk] == USER_NAME


def test_record_access_rejects_undeclared_field():
    actor = UserFactory()
    with pytest.raises(ValueError, match=r"accounts\.User\.shoe_size"):
        record_access(
            actor, [UserFactory()], ["accounts.User.shoe_size"], source="test:page"
        )
    assert not PersonalDataAccess.objects.exists()


def test_record_access_reads_view_name_from_request():
    actor = UserFactory()
    request = RequestFactory().get("/accounts/profile/")
    request.user = actor
    request.resolver_match = resolve("/")
    record_access(request, [UserFactory()], [USER_NAME])
    assert (
        PersonalDataAccess.objects.get().view_name == request.resolver_match.view_name
    )


def test_with_field_matches_whole_names():
    actor = UserFactory()
    subject = UserFactory()
    record_access(actor, [subject], ["accounts.User.phone"], source="test:page")
    record_access(
        actor,
        [subject],
        ["accounts.User.email", "accounts.User.full_name"],
        source="test:page",
    )
    rows = PersonalDataAccess.objects
    assert rows.with_field("accounts.User.phone").count() == 1
    assert rows.with_field("accounts.User.email").count() == 1
    assert rows.with_field("accounts.User.full_name").count() == 1
    assert rows.with_field("accounts.User.full").count() == 0
