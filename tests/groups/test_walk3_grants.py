"""Publishing a grant notice whose application deadline has passed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.models import GrantNotice
from tests.factories import GrantNoticeFactory, centre_staff
from tests.groups.test_grants_pages import grant_form, in_days

pytestmark = pytest.mark.django_db

DEADLINE_PASSED = "has passed, so the notice cannot be published."


@pytest.fixture
def staff_client(client, resident):
    client.force_login(centre_staff(resident))
    return client


def test_create_and_publish_past_deadline_rejected(staff_client):
    data = {**grant_form(deadline_date="2020-05-31"), "publish": "1"}

    response = staff_client.post(reverse("groups:grant_create"), data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert DEADLINE_PASSED in errors[0]
    assert "2020-05-31 23:59" in errors[0]
    assert not GrantNotice.objects.exists()


def test_past_deadline_saved_as_draft(staff_client):
    response = staff_client.post(
        reverse("groups:grant_create"), grant_form(deadline_date="2020-05-31")
    )

    assert response.status_code == 302
    assert not GrantNotice.objects.get().is_published


def test_publish_past_deadline_rejected(staff_client):
    grant = GrantNoticeFactory(is_published=False, deadline=in_days(-1))

    response = staff_client.post(reverse("groups:grant_publish", args=[grant.pk]))

    grant.refresh_from_db()
    assert response.status_code == 302
    assert not grant.is_published
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert DEADLINE_PASSED in messages[0]


def test_publish_open_deadline_allowed(staff_client):
    grant = GrantNoticeFactory(is_published=False, deadline=in_days(1))

    staff_client.post(reverse("groups:grant_publish", args=[grant.pk]))

    grant.refresh_from_db()
    assert grant.is_published


def test_withdraw_closed_notice_allowed(staff_client):
    grant = GrantNoticeFactory(is_published=True, deadline=in_days(-1))

    staff_client.post(
        reverse("groups:grant_publish", args=[grant.pk]), {"published": "0"}
    )

    grant.refresh_from_db()
    assert not grant.is_published
