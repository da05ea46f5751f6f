"""Tests for the resident's list of applications and cancelling."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/accounts/login/"
MY_APPLICATIONS = "/volunteer/my/applications/"


@pytest.fixture(autouse=True)
def english_and_login_url(client, settings):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.LOGIN_URL = LOGIN_PATH


def cancel(client, application):
    return client.post(
        reverse("volunteering:cancel_application", args=[application.pk])
    )


def test_lists_own_applications_newest_first(client, resident, other_resident):
    older = ApplicationFactory(applicant=resident, session__post__title="古い応募")
    newer = ApplicationFactory(
        applicant=resident,
        session__post__title="新しい応募",
        status=Application.Status.WAITLISTED,
    )
    ApplicationFactory(applicant=other_resident, session__post__title="他人の応募")
    client.force_login(resident)
    response = client.get(MY_APPLICATIONS)
    html = response.content.decode()
    assert response.status_code == 200
    assert [row[0] for row in response.context["rows"]] == [newer, older]
    assert "他人の応募" not in html
    assert "On the waitlist" in html
    assert "Confirmed" in html
    assert newer.post.group.name in html


def test_anonymous_goes_to_login(client):
    response = client.get(MY_APPLICATIONS)
    assert response.url == f"{LOGIN_PATH}?next={MY_APPLICATIONS}"


def test_cancel_button_until_start(client, resident):
    future = ApplicationFactory(applicant=resident)
    past_session = VolunteerSessionFactory(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    started = ApplicationFactory(applicant=resident, session=past_session)
    client.force_login(resident)
    response = client.get(MY_APPLICATIONS)
    html = response.content.decode()
    assert dict(response.context["rows"]) == {future: True, started: False}
    assert reverse("volunteering:cancel_application", args=[future.pk]) in html
    assert reverse("volunteering:cancel_application", args=[started.pk]) not in html


def test_cancel_frees_place(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)
    response = cancel(client, application)
    assert response.status_code == 302
    assert response.url == MY_APPLICATIONS
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"Your application to “{application.post.title}” is cancelled."]
    application.refresh_from_db()
    application.session.refresh_from_db()
    assert application.status == Application.Status.CANCELLED_BY_VOLUNTEER
    assert application.session.places_taken == 0


def test_cancel_after_start_is_rejected(client, resident):
    session = VolunteerSessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    application = ApplicationFactory(applicant=resident, session=session)
    client.force_login(resident)
    response = cancel(client, application)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The activity has started; contact the group to cancel."]
    application.refresh_from_db()
    assert application.status == Application.Status.CONFIRMED


def test_cancel_twice_is_rejected(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)
    client.get(cancel(client, application).url)
    response = cancel(client, application)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["This application is no longer active."]


def test_error_message_is_alert(client, resident):
    session = VolunteerSessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    application = ApplicationFactory(applicant=resident, session=session)
    client.force_login(resident)

    html = client.post(
        reverse("volunteering:cancel_application", args=[application.pk]),
        follow=True,
    ).content.decode()

    assert (
        '<p class="message message-error" role="alert"><strong>Error:</strong> '
        "The activity has started; contact the group to cancel.</p>"
    ) in html
    assert 'role="status"' not in html


def test_success_message_is_status(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)

    html = client.post(
        reverse("volunteering:cancel_application", args=[application.pk]),
        follow=True,
    ).content.decode()

    assert '<p class="message message-success" role="status">' in html
    assert 'role="alert"' not in html


def test_cancel_year_round_application(client, resident):
    post = VolunteerPostFactory(kind="year_round")
    day = timezone.localdate() + dt.timedelta(days=3)
    application = Application.objects.create(
        post=post, activity_date=day, applicant=resident, status="pending"
    )
    client.force_login(resident)
    cancel(client, application)
    application.refresh_from_db()
    assert application.status == Application.Status.CANCELLED_BY_VOLUNTEER


def test_other_resident_cannot_cancel(client, resident, other_resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(other_resident)
    assert cancel(client, application).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.CONFIRMED


def test_other_resident_does_not_see_it(client, resident, other_resident):
    ApplicationFactory(applicant=resident, session__post__title="私の応募")
    client.force_login(other_resident)
    response = client.get(MY_APPLICATIONS)
    assert "私の応募" not in response.content.decode()
    assert response.context["rows"] == []


def test_cancel_needs_post(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)
    url = reverse("volunteering:cancel_application", args=[application.pk])
    assert client.get(url).status_code == 405


def test_queries_bounded(client, resident, django_assert_max_num_queries):
    for _number in range(15):
        ApplicationFactory(applicant=resident)
    client.force_login(resident)
    with django_assert_max_num_queries(5):
        response = client.get(MY_APPLICATIONS)
    assert len(response.context["rows"]) == 15
