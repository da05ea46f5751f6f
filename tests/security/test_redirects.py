"""No open redirects through `next`.

Views that read `next` (log-in, log-out, language switch, two-factor
steps, staff forms through volunteering.views.staff.redirect_to_next)
must send an off-site target to their default page instead.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ApplicationFactory, GroupMembershipFactory, UserFactory
from tests.security.urlconf import endpoints
from volunteering.models import Application

pytestmark = pytest.mark.django_db

OFFSITE_TARGETS = [
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example/",
    "https:evil.example",
]


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_login_ignores_offsite_next(client, target):
    user = UserFactory(email="next@example.jp")

    response = client.post(
        f"/accounts/login/?next={target}",
        {"username": user.email, "password": "correct horse 42", "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_logout_ignores_offsite_next(client, resident, target):
    client.force_login(resident)

    response = client.post("/accounts/logout/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_language_switch_ignores_offsite_next(client, target):
    response = client.post("/i18n/setlang/", {"language": "ja", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_staff_decision_ignores_offsite_next(client, target):
    application = ApplicationFactory(status=Application.Status.PENDING)
    staff = GroupMembershipFactory(group=application.post.group).user
    client.force_login(staff)
    url = reverse(
        "volunteering:staff_application_decide", args=[application.pk, "decline"]
    )

    response = client.post(url, {"next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "volunteering:post_applications", args=[application.post_id]
    )


def test_staff_decision_follows_onsite_next(client):
    application = ApplicationFactory(status=Application.Status.PENDING)
    staff = GroupMembershipFactory(group=application.post.group).user
    client.force_login(staff)
    url = reverse(
        "volunteering:staff_application_decide", args=[application.pk, "decline"]
    )

    response = client.post(url, {"next": "/volunteer/manage/?page=2"})

    assert response["Location"] == "/volunteer/manage/?page=2"


@pytest.mark.parametrize("target", OFFSITE_TARGETS[:2])
def test_no_page_redirects_offsite(target, resident):
    """GET every page but the admin and the API with an off-site `next`."""
    browser = Client(raise_request_exception=False)
    browser.force_login(resident)
    offsite = []

    for endpoint in endpoints():
        if endpoint.path.startswith(("/admin/", "/api/")):
            continue
        response = browser.get(endpoint.path, {"next": target})
        location = response.get("Location", "")
        if urlsplit(location).netloc not in ("", "testserver"):
            offsite.append((endpoint.name, location))

    assert offsite == []
