"""The user admin logs the people whose change page or list row it shows."""

import pytest
from django.urls import reverse

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_BIRTH_DATE, USER_EMAIL, USER_PHONE
from tests.audit.helpers import logged_fields
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True)


def test_user_change_page_logs_fields(client, admin_user):
    person = UserFactory()
    client.force_login(admin_user)
    response = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert response.status_code == 200
    fields = logged_fields(admin_user)[person.pk]
    assert {USER_EMAIL, USER_PHONE, USER_BIRTH_DATE} <= fields
    row = PersonalDataAccess.objects.get()
    assert row.view_name == "admin:accounts_user_change"
    assert row.object_ref == f"accounts.User:{person.pk}"


def test_user_change_post_logs_nothing(client, admin_user):
    person = UserFactory()
    client.force_login(admin_user)
    client.post(reverse("admin:accounts_user_change", args=[person.pk]), {})
    assert not PersonalDataAccess.objects.exists()


def test_own_change_page_logs_nothing(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    assert client.get(url).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_user_changelist_logs_rows(client, admin_user, django_assert_max_num_queries):
    people = [UserFactory() for _ in range(20)]
    client.force_login(admin_user)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    logged = logged_fields(admin_user)
    assert set(logged) == {person.pk for person in people}
    assert logged[people[0].pk] == {
        USER_EMAIL,
        "accounts.User.full_name",
        "accounts.User.municipality",
        "accounts.User.occupation",
        "accounts.User.email_confirmed",
        "accounts.User.date_joined",
    }


def test_user_admin_rejects_non_staff(client):
    person = UserFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()
