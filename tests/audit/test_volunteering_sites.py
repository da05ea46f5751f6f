"""Applicant lists and attendance pages log the applicants that staff see."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_EMAIL, USER_NAME, USER_PHONE
from tests.audit.helpers import logged_fields
from tests.factories import ApplicationFactory, UserFactory, VolunteerPostFactory
from volunteering.models import Application

pytestmark = pytest.mark.django_db

CONTACT = {USER_NAME, USER_EMAIL, USER_PHONE}


@pytest.fixture
def applications(session):
    confirmed = ApplicationFactory(session=session, applicant__phone="083-000-0000")
    pending = ApplicationFactory(session=session, status=Application.Status.PENDING)
    return confirmed, pending


APPLICANT_PAGES = {
    "post": ("volunteering:post_applications", "post_id"),
    "session": ("volunteering:staff_session_applications", "session_id"),
}


@pytest.mark.parametrize("page", APPLICANT_PAGES)
def test_applicant_list_logs_shown_fields(client, group_staff, applications, page):
    confirmed, pending = applications
    url_name, id_attribute = APPLICANT_PAGES[page]
    url = reverse(url_name, args=[getattr(confirmed, id_attribute)])
    client.force_login(group_staff)
    response = client.get(url)
    assert response.status_code == 200
    logged = logged_fields(group_staff)
    assert logged == {
        confirmed.applicant_id: CONTACT,
        pending.applicant_id: {USER_NAME},
    }
    row = PersonalDataAccess.objects.filter(subject_id=confirmed.applicant_id).get()
    assert row.action == PersonalDataAccess.Action.VIEWED
    assert row.view_name.startswith("volunteering:")


def test_applicant_list_without_phone(client, group_staff, session):
    application = ApplicationFactory(session=session, applicant__phone="")
    client.force_login(group_staff)
    client.get(reverse("volunteering:post_applications", args=[session.post_id]))
    assert logged_fields(group_staff) == {
        application.applicant_id: {USER_NAME, USER_EMAIL}
    }


def test_applicant_list_skips_own_application(client, group_staff, session):
    ApplicationFactory(session=session, applicant=group_staff)
    client.force_login(group_staff)
    response = client.get(
        reverse("volunteering:post_applications", args=[session.post_id])
    )
    assert response.status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_applicant_list_outsider_logs_nothing(client, other_group_staff, applications):
    client.force_login(other_group_staff)
    response = client.get(
        reverse("volunteering:post_applications", args=[applications[0].post_id])
    )
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_applicant_list_queries_bounded(
    client, group_staff, session, django_assert_max_num_queries
):
    for _ in range(15):
        ApplicationFactory(session=session)
    client.force_login(group_staff)
    url = reverse("volunteering:post_applications", args=[session.post_id])
    with django_assert_max_num_queries(20):
        client.get(url)
    assert PersonalDataAccess.objects.count() == 15


def test_session_attendance_logs_names(client, group_staff, session):
    named = ApplicationFactory(session=session)
    unnamed = ApplicationFactory(session=session, applicant__full_name="")
    ApplicationFactory(session=session, status=Application.Status.PENDING)
    client.force_login(group_staff)
    url = reverse("volunteering:staff_session_attendance", args=[session.pk])
    assert client.get(url).status_code == 200
    assert logged_fields(group_staff) == {
        named.applicant_id: {USER_NAME},
        unnamed.applicant_id: {USER_EMAIL},
    }


def test_day_attendance_logs_names(client, group_staff, group):
    post = VolunteerPostFactory(group=group, kind="year_round")
    day = timezone.localdate() - dt.timedelta(days=1)
    application = ApplicationFactory(session=None, post=post, activity_date=day)
    client.force_login(group_staff)
    url = reverse("volunteering:staff_day_attendance", args=[post.pk, day])
    assert client.get(url).status_code == 200
    assert logged_fields(group_staff) == {application.applicant_id: {USER_NAME}}


def test_attendance_queries_bounded(
    client, group_staff, session, django_assert_max_num_queries
):
    for _ in range(15):
        ApplicationFactory(session=session)
    client.force_login(group_staff)
    url = reverse("volunteering:staff_session_attendance", args=[session.pk])
    with django_assert_max_num_queries(25):
        client.get(url)
    assert PersonalDataAccess.objects.count() == 15


def test_volunteer_own_history_logs_nothing(client, session):
    application = ApplicationFactory(session=session)
    client.force_login(application.applicant)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_other_resident_gets_404(client, applications):
    client.force_login(UserFactory())
    url = reverse(
        "volunteering:staff_session_attendance", args=[applications[0].session_id]
    )
    assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_hidden_minor_logs_nothing(client, group_staff, session):
    today = timezone.localdate()
    minor = UserFactory(birth_date=today.replace(year=today.year - 15))
    ApplicationFactory(
        session=session, applicant=minor, status=Application.Status.PENDING
    )
    client.force_login(group_staff)
    response = client.get(
        reverse("volunteering:post_applications", args=[session.post_id])
    )
    assert response.status_code == 200
    assert minor.full_name not in response.content.decode()
    assert minor.pk not in logged_fields(group_staff)
