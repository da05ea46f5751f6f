"""Who may read a post's page once it is closed, and what they see."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application, VolunteerPost

pytestmark = pytest.mark.django_db

CLOSED_NOTICE = "This post is closed and takes no more applications."


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def post_url(post):
    return reverse("volunteering:post_detail", args=[post.pk])


def applied_post(post_status=VolunteerPost.Status.CLOSED, **application_fields):
    """Return an application to a session of a post with *post_status*."""
    session = VolunteerSessionFactory(post__status=post_status)
    return ApplicationFactory(session=session, **application_fields)


def readable(user, post):
    return VolunteerPost.objects.readable_by(user).filter(pk=post.pk).exists()


def test_readable_by_published_for_everyone():
    post = VolunteerPostFactory()

    assert readable(AnonymousUser(), post)
    assert readable(UserFactory(), post)


def test_readable_by_closed_for_applicant():
    application = applied_post()

    assert readable(application.applicant, application.post)


def test_readable_by_closed_after_cancelling():
    application = applied_post(status=Application.Status.CANCELLED_BY_VOLUNTEER)

    assert readable(application.applicant, application.post)


def test_readable_by_closed_hidden_from_others():
    application = applied_post()

    assert not readable(AnonymousUser(), application.post)
    assert not readable(UserFactory(), application.post)


def test_readable_by_draft_hidden_from_applicant():
    application = applied_post(post_status=VolunteerPost.Status.DRAFT)

    assert not readable(application.applicant, application.post)


def test_readable_by_staff_read_drafts():
    post = VolunteerPostFactory(status=VolunteerPost.Status.DRAFT)
    staff = GroupMembershipFactory(group=post.group).user

    assert readable(staff, post)


def test_readable_by_one_row_per_post():
    application = applied_post(post_status=VolunteerPost.Status.PUBLISHED)
    second_session = VolunteerSessionFactory(post=application.post)
    ApplicationFactory(session=second_session, applicant=application.applicant)
    GroupMembershipFactory(group=application.post.group, user=application.applicant)

    posts = VolunteerPost.objects.readable_by(application.applicant)

    assert list(posts.filter(pk=application.post.pk)) == [application.post]


def test_closed_page_for_applicant(client):
    application = applied_post()
    client.force_login(application.applicant)

    response = client.get(post_url(application.post))
    html = response.content.decode()

    assert response.status_code == 200
    assert CLOSED_NOTICE in html
    assert "Preview:" not in html
    assert 'method="post" action="/volunteering/' not in html
    assert "Log in to apply" not in html


def test_closed_page_404_for_others(client):
    application = applied_post()

    assert client.get(post_url(application.post)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(post_url(application.post)).status_code == 404


def test_closed_page_for_staff_not_preview(client):
    post = VolunteerPostFactory(status=VolunteerPost.Status.CLOSED)
    client.force_login(GroupMembershipFactory(group=post.group).user)

    html = client.get(post_url(post)).content.decode()

    assert CLOSED_NOTICE in html
    assert "Preview:" not in html


def test_draft_page_404_for_applicant(client):
    application = applied_post(post_status=VolunteerPost.Status.DRAFT)
    client.force_login(application.applicant)

    assert client.get(post_url(application.post)).status_code == 404


def test_past_post_page_public(client):
    session = VolunteerSessionFactory(
        starts_at=timezone.now() - dt.timedelta(days=30),
    )

    response = client.get(post_url(session.post))

    assert response.status_code == 200
    assert CLOSED_NOTICE not in response.content.decode()


def test_apply_to_closed_post_rejected(client):
    application = applied_post(status=Application.Status.CANCELLED_BY_VOLUNTEER)
    client.force_login(application.applicant)

    response = client.post(
        reverse("volunteering:apply_session", args=[application.session.pk]),
        {f"session-{application.session.pk}-party_size": "1"},
    )

    assert response.status_code == 400
    assert Application.objects.filter(applicant=application.applicant).count() == 1
