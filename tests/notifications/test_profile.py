import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import LineLink

pytestmark = pytest.mark.django_db


def profile_page(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    return response.content.decode()


def test_profile_without_channel_has_no_line(client, resident):
    page = profile_page(client, resident)

    assert "Link LINE" not in page
    assert "LINE notifications" not in page


def test_profile_offers_link(client, resident, line):
    page = profile_page(client, resident)

    assert "Link LINE" in page
    assert reverse("notifications:line_link_help") in page
    assert "Unlink LINE" not in page


def test_profile_of_linked_resident(client, linked_resident):
    page = profile_page(client, linked_resident)

    assert "Your LINE account is linked" in page
    assert "Unlink LINE" in page
    assert reverse("notifications:line_unlink") in page
    assert reverse("notifications:line_delivery") in page
    assert re.search(r'value="line_and_mail"[^>]*checked', page)
    for choice in ("E-mail only", "LINE and e-mail", "LINE only"):
        assert choice in page
    assert page.count("csrfmiddlewaretoken") >= 3


def test_profile_shows_switch_to_mail(client, linked_resident):
    LineLink.objects.update(
        delivery=LineLink.Delivery.MAIL, switched_to_mail_at=timezone.now()
    )

    page = profile_page(client, linked_resident)

    assert "notifications now come by e-mail only" in page


def test_profile_queries_bounded(
    client, linked_resident, django_assert_max_num_queries
):
    client.force_login(linked_resident)

    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:profile"))


def test_help_page_shows_add_friend_link(client, resident, line, settings):
    settings.LINE_ADD_FRIEND_URL = "https://lin.ee/example"
    client.force_login(resident)

    response = client.get(reverse("notifications:line_link_help"))

    assert response.status_code == 200
    assert 'href="https://lin.ee/example"' in response.content.decode()


def test_help_page_needs_login(client, line):
    response = client.get(reverse("notifications:line_link_help"))

    assert response.status_code == 302
