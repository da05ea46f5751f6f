"""Tests for the one-step apply link sent in matching mails."""

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse

from tests.factories import ApplicationFactory
from volunteering.apply_links import make_apply_token
from volunteering.models import Application, VolunteerPost

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/accounts/login/"


@pytest.fixture(autouse=True)
def english_and_login_url(client, settings):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.LOGIN_URL = LOGIN_PATH


@pytest.fixture
def link_url(resident, session):
    token = make_apply_token(user_id=resident.pk, session_id=session.pk)
    return reverse("volunteering:apply_link", args=[token])


def test_get_shows_confirmation_only(client, resident, session, link_url):
    client.force_login(resident)
    response = client.get(link_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirm your application" in html
    assert session.post.title in html
    assert session.post.group.name in html
    assert "5 places left" in html
    assert 'method="post"' in html
    assert not Application.objects.exists()


def test_post_applies(client, resident, session, link_url):
    client.force_login(resident)
    response = client.post(link_url)
    assert response.status_code == 302
    assert response.url == reverse("volunteering:my_applications")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        "Your application was sent and is awaiting confirmation by the group. "
        "We will e-mail you when they decide."
    ]
    application = Application.objects.get()
    assert application.applicant == resident
    assert application.session == session


def test_anonymous_logs_in_first(client, link_url):
    response = client.get(link_url)
    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN_PATH}?next=")
    assert "/volunteer/apply/" in response.url


def test_expired_link(client, resident, link_url, settings):
    settings.APPLY_LINK_MAX_AGE_SECONDS = -1
    client.force_login(resident)
    response = client.get(link_url)
    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()


def test_altered_link(client, resident, session):
    client.force_login(resident)
    token = make_apply_token(user_id=resident.pk, session_id=session.pk)
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse("volunteering:apply_link", args=[altered]))
    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()


def test_link_signed_with_other_salt(client, resident, session):
    client.force_login(resident)
    token = signing.dumps({"u": resident.pk, "s": session.pk}, salt="other")
    response = client.post(reverse("volunteering:apply_link", args=[token]))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_used_link(client, resident, session, link_url):
    ApplicationFactory(session=session, applicant=resident)
    client.force_login(resident)
    response = client.get(link_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This link has been used" in html
    assert "Confirmed" in html
    response = client.post(link_url)
    assert response.status_code == 200
    assert Application.objects.count() == 1


def test_other_users_link(client, other_resident, link_url):
    client.force_login(other_resident)
    response = client.get(link_url)
    assert response.status_code == 403
    assert "This link was sent to another account." in response.content.decode()
    response = client.post(link_url)
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_unpublished_post(client, resident, session, link_url):
    session.post.status = VolunteerPost.Status.CLOSED
    session.post.save()
    client.force_login(resident)
    response = client.get(link_url)
    assert response.status_code == 404
    assert "no longer published" in response.content.decode()


def test_dissolved_group_rejected(client, resident, group, session, link_url):
    group.status = "dissolved"
    group.save()
    client.force_login(resident)

    response = client.post(link_url)

    assert response.status_code == 404
    assert "no longer published" in response.content.decode()
    assert not Application.objects.exists()


def test_rejection_shows_message(client, resident, post, session, link_url):
    post.minimum_age = 99
    post.save()
    client.force_login(resident)
    response = client.post(link_url)
    assert response.status_code == 400
    assert (
        "Applicants must be at least 99 years old on the day of the activity."
        in response.content.decode()
    )
    assert not Application.objects.exists()
