import pytest
from django.urls import reverse

from civic_portal.accounts.models import SentNotification, User
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("admin@example.jp", "admin-pass-2026")
    client.force_login(admin)
    return client


def test_user_changelist_search(admin_client, resident, other_resident):
    url = reverse("admin:accounts_user_changelist")

    response = admin_client.get(url, {"q": "resident@"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [resident]


def test_user_changelist_filters(admin_client, resident):
    UserFactory(email="student@example.jp", occupation="high_school")
    url = reverse("admin:accounts_user_changelist")

    response = admin_client.get(
        url, {"occupation__exact": "high_school", "email_confirmed__exact": "1"}
    )

    emails = [user.email for user in response.context["cl"].result_list]
    assert emails == ["student@example.jp"]


def test_user_changelist_queries_bounded(admin_client, django_assert_max_num_queries):
    for _ in range(20):
        UserFactory()
    url = reverse("admin:accounts_user_changelist")

    with django_assert_max_num_queries(15):
        response = admin_client.get(url)

    assert response.status_code == 200


def test_user_change_page_renders(admin_client, resident):
    url = reverse("admin:accounts_user_change", args=[resident.pk])

    response = admin_client.get(url)

    assert response.status_code == 200


def test_admin_adds_user_lower_case(admin_client):
    url = reverse("admin:accounts_user_add")

    response = admin_client.post(
        url,
        {
            "email": "Taro@Example.jp",
            "usable_password": "true",
            "password1": "kawara-no-hana-2026",
            "password2": "kawara-no-hana-2026",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="taro@example.jp").exists()


def test_admin_refuses_duplicate_email(admin_client, resident):
    url = reverse("admin:accounts_user_add")

    response = admin_client.post(
        url,
        {
            "email": "RESIDENT@example.jp",
            "usable_password": "true",
            "password1": "kawara-no-hana-2026",
            "password2": "kawara-no-hana-2026",
        },
    )

    assert response.context["adminform"].form.errors["email"] == [
        "An account with this e-mail address already exists."
    ]


def test_sent_notification_admin_read_only(admin_client, resident):
    notification = SentNotification.objects.create(key="test:1", recipient=resident)

    listing = admin_client.get(reverse("admin:accounts_sentnotification_changelist"))
    add = admin_client.get(reverse("admin:accounts_sentnotification_add"))
    change = admin_client.post(
        reverse("admin:accounts_sentnotification_change", args=[notification.pk]),
        {"key": "changed"},
    )

    notification.refresh_from_db()
    assert listing.status_code == 200
    assert add.status_code == 403
    assert change.status_code == 403
    assert notification.key == "test:1"


def test_user_admin_refuses_non_staff(client, resident):
    client.force_login(resident)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
