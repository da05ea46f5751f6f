"""Tests for applying to a session or to a day of a year-round post."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application, VolunteerPost

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/accounts/login/"


@pytest.fixture(autouse=True)
def english_and_login_url(client, settings):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.LOGIN_URL = LOGIN_PATH


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


def apply_session(client, session, **data):
    fields = {f"session-{session.pk}-{key}": value for key, value in data.items()}
    return client.post(reverse("volunteering:apply_session", args=[session.pk]), fields)


def apply_day(client, post, **data):
    fields = {f"day-{key}": value for key, value in data.items()}
    return client.post(reverse("volunteering:apply_post", args=[post.pk]), fields)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response) -> list[str]:
    if response.context["unplaced_errors"]:
        return list(response.context["unplaced_errors"])
    for _session, form in response.context["session_forms"]:
        if form.is_bound:
            return form.non_field_errors()
    return response.context["day_form"].non_field_errors()


def test_auto_accept_confirms(resident_client, resident, post, session):
    post.auto_accept = True
    post.save()
    response = apply_session(resident_client, session, message="よろしく")
    assert response.status_code == 302
    assert response.url == reverse("volunteering:my_applications") + "#main"
    assert messages_of(response) == [
        "Your application is confirmed. See you at the activity."
    ]
    application = Application.objects.get(applicant=resident)
    assert application.status == Application.Status.CONFIRMED
    assert application.message == "よろしく"
    session.refresh_from_db()
    assert session.places_taken == 1


def test_without_auto_accept_awaits_confirmation(resident_client, resident, session):
    response = apply_session(resident_client, session)
    assert response.status_code == 302
    assert messages_of(response) == [
        "Your application was sent and is awaiting confirmation by the group. "
        "We will e-mail you when they decide."
    ]
    assert Application.objects.get(applicant=resident).status == "pending"


def test_full_session_waitlists(resident_client, resident, post):
    full = VolunteerSessionFactory(post=post, capacity=1, places_taken=1)
    response = apply_session(resident_client, full)
    assert response.status_code == 302
    assert messages_of(response) == [
        "The activity is full, so you are on the waitlist. We will e-mail you if "
        "a place becomes free."
    ]
    assert Application.objects.get(applicant=resident).status == "waitlisted"


def test_team_application_stores_size_and_name(resident_client, resident, post):
    post.accepts_teams = True
    post.save()
    session = VolunteerSessionFactory(post=post, capacity=10)
    response = apply_session(
        resident_client, session, party_size="4", team_name="山口商事"
    )
    assert response.status_code == 302
    application = Application.objects.get(applicant=resident)
    assert application.party_size == 4
    assert application.team_name == "山口商事"


def test_individual_post_ignores_party_size(resident_client, resident, session):
    response = apply_session(resident_client, session, party_size="5")
    assert response.status_code == 302
    assert Application.objects.get(applicant=resident).party_size == 1


def test_anonymous_session_apply_goes_to_login(client, session):
    response = apply_session(client, session)
    post_url = reverse("volunteering:post_detail", args=[session.post_id])
    assert response.status_code == 302
    assert response.url == f"{LOGIN_PATH}?next={post_url}"
    assert not Application.objects.exists()


def test_anonymous_day_apply_goes_to_login(client):
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)
    response = apply_day(client, post, activity_date="2030-01-05")
    post_url = reverse("volunteering:post_detail", args=[post.pk])
    assert response.url == f"{LOGIN_PATH}?next={post_url}"


def test_get_is_not_allowed(resident_client, session):
    url = reverse("volunteering:apply_session", args=[session.pk])
    assert resident_client.get(url).status_code == 405


def test_applying_twice_is_rejected(resident_client, resident, session):
    apply_session(resident_client, session)
    response = apply_session(resident_client, session, message="二回目")
    assert response.status_code == 400
    html = response.content.decode()
    assert form_errors(response) == ["You have already applied to this session."]
    assert "You have already applied to this session." in html
    assert Application.objects.filter(applicant=resident).count() == 1


def test_after_deadline_is_rejected(resident_client, post, session):
    post.application_deadline = timezone.now() - dt.timedelta(hours=1)
    post.save()
    response = apply_session(resident_client, session)
    assert response.status_code == 400
    assert form_errors(response) == ["The application deadline has passed."]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "status", [VolunteerPost.Status.DRAFT, VolunteerPost.Status.CLOSED]
)
def test_unpublished_post_is_404(resident_client, post, session, status):
    post.status = status
    post.save()
    assert apply_session(resident_client, session).status_code == 404
    assert not Application.objects.exists()


def test_staff_preview_of_draft_is_rejected(client, group_staff, post, session):
    post.status = VolunteerPost.Status.DRAFT
    post.save()
    client.force_login(group_staff)
    response = apply_session(client, session)
    assert response.status_code == 400
    assert form_errors(response) == ["This post is not open for applications."]


@pytest.mark.parametrize(
    ("review_status", "group_status"),
    [("pending", "active"), ("approved", "dissolved")],
)
def test_staff_preview_of_hidden_group_rejected(
    client, group, group_staff, post, session, review_status, group_status
):
    group.review_status = review_status
    group.status = group_status
    group.save()
    client.force_login(group_staff)
    response = apply_session(client, session)
    assert response.status_code == 400
    assert form_errors(response) == ["This post is not open for applications."]
    assert not Application.objects.exists()


def test_team_larger_than_free_places(resident_client, post):
    post.accepts_teams = True
    post.save()
    session = VolunteerSessionFactory(post=post, capacity=5, places_taken=3)
    response = apply_session(
        resident_client, session, party_size="3", team_name="山口商事"
    )
    assert response.status_code == 400
    assert form_errors(response) == [
        "Only 2 places are left. Apply for 2 people or fewer, or for another session."
    ]
    html = response.content.decode()
    assert 'value="3"' in html
    assert 'value="山口商事"' in html


def test_under_minimum_age_is_rejected(client, post, session):
    post.minimum_age = 18
    post.save()
    child = UserFactory(birth_date=dt.date.today() - dt.timedelta(days=365 * 12))
    client.force_login(child)
    response = apply_session(client, session)
    assert response.status_code == 400
    assert form_errors(response) == [
        "Applicants must be at least 18 years old on the day of the activity."
    ]


def test_past_session_is_rejected(resident_client, post):
    past = timezone.now() - dt.timedelta(days=1)
    session = VolunteerSessionFactory(post=post, starts_at=past)
    response = apply_session(resident_client, session)
    assert response.status_code == 400
    html = response.content.decode()
    assert form_errors(response) == ["This session has already started or ended."]
    assert "This session has already started or ended." in html
    assert not Application.objects.exists()


def test_high_school_student_on_adult_post(client, post, session):
    student = UserFactory(occupation=User.Occupation.HIGH_SCHOOL_STUDENT)
    client.force_login(student)
    response = apply_session(client, session)
    assert response.status_code == 400
    assert form_errors(response) == [
        "This post does not take applications from high-school students."
    ]


def test_high_school_student_on_welcoming_post(client, post, session):
    post.welcomes_high_school = True
    post.save()
    student = UserFactory(occupation=User.Occupation.HIGH_SCHOOL_STUDENT)
    client.force_login(student)
    assert apply_session(client, session).status_code == 302


def test_invalid_party_size_keeps_input(resident_client, post, session):
    post.accepts_teams = True
    post.save()
    response = apply_session(
        resident_client, session, party_size="abc", message="メッセージ"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a whole number." in html
    assert "メッセージ" in html


def test_unknown_session_is_404(resident_client):
    response = resident_client.post(
        reverse("volunteering:apply_session", args=[999999])
    )
    assert response.status_code == 404


def test_year_round_day_apply(resident_client, resident):
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND, auto_accept=True)
    day = timezone.localtime(timezone.now(), JAPAN).date() + dt.timedelta(days=3)
    response = apply_day(resident_client, post, activity_date=day.isoformat())
    assert response.status_code == 302
    application = Application.objects.get(applicant=resident)
    assert application.activity_date == day
    assert application.status == "confirmed"


def test_year_round_past_day_rejected(resident_client):
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)
    response = apply_day(resident_client, post, activity_date="2020-01-01")
    assert response.status_code == 400
    assert form_errors(response) == ["The activity date must be today or later."]
    assert 'value="2020-01-01"' in response.content.decode()


def test_year_round_invalid_day(resident_client):
    post = VolunteerPostFactory(kind=VolunteerPost.Kind.YEAR_ROUND)
    response = apply_day(resident_client, post, activity_date="abc")
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_day_apply_to_session_post_is_404(resident_client, post):
    response = apply_day(resident_client, post, activity_date="2030-01-01")
    assert response.status_code == 404


def test_other_users_application_unaffected(resident_client, other_resident, session):
    ApplicationFactory(session=session, applicant=other_resident)
    assert apply_session(resident_client, session).status_code == 302
    assert Application.objects.filter(session=session).count() == 2
