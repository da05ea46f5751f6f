import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from facilitation.models import (
    CourseCompletion,
    Facilitator,
    FacilitatorAppointment,
    TrainingAttendance,
    TrainingCourse,
)
from facilitation.permissions import FACILITATOR_GROUP
from tests.facilitation.factories import (
    FacilitatorFactory,
    TrainingCourseFactory,
    TrainingSessionFactory,
    municipal_centre,
    prefectural_centre,
    regional_facilitator,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROSTER = reverse("facilitation:facilitator_roster")
COURSES = reverse("facilitation:course_list")


def manager_get_urls(facilitator, course):
    return [
        ROSTER,
        reverse("facilitation:facilitator_detail", args=[facilitator.pk]),
        COURSES,
        reverse("facilitation:course_detail", args=[course.pk]),
    ]


def manager_post_urls(facilitator, course):
    appointment = facilitator.appointments.first()
    return [
        ROSTER,
        reverse("facilitation:facilitator_detail", args=[facilitator.pk]),
        reverse("facilitation:facilitator_deactivate", args=[facilitator.pk]),
        reverse("facilitation:appointment_end", args=[appointment.pk]),
        COURSES,
        reverse("facilitation:course_add_session", args=[course.pk]),
        reverse("facilitation:course_enrol", args=[course.pk]),
        reverse("facilitation:course_attendance", args=[course.pk]),
        reverse("facilitation:course_completion", args=[course.pk]),
    ]


def test_anonymous_redirected_to_login(client):
    facilitator = regional_facilitator()
    course = TrainingCourseFactory()

    for url in manager_get_urls(facilitator, course):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


@pytest.mark.parametrize("role", ["stranger", "regional", "municipal_staff"])
def test_non_managers_forbidden(client, request, role):
    facilitator = regional_facilitator(email="other-regional@example.jp")
    course = TrainingCourseFactory()
    client.force_login(request.getfixturevalue(role))

    for url in manager_get_urls(facilitator, course):
        assert client.get(url).status_code == 403, url
    for url in manager_post_urls(facilitator, course):
        assert client.post(url, {}).status_code == 403, url
    assert facilitator.appointments.get().ends_on is None


@pytest.mark.parametrize("role", ["chief", "prefectural_staff"])
def test_managers_see_roster(client, request, role):
    facilitator = regional_facilitator(email="roster-regional@example.jp")
    client.force_login(request.getfixturevalue(role))

    response = client.get(ROSTER)

    assert response.status_code == 200
    assert facilitator in list(response.context["facilitators"])
    assert str(municipal_centre()) in response.content.decode()


def test_register_facilitator(client, chief):
    person = UserFactory(email="new@example.jp")
    client.force_login(chief)

    response = client.post(ROSTER, {"user": "ＮＥＷ@example.jp", "kind": "regional"})

    facilitator = Facilitator.objects.get(user=person)
    assert response.status_code == 302
    assert facilitator.kind == "regional"
    assert person.groups.filter(name=FACILITATOR_GROUP).exists()


def test_register_unknown_address_rerenders(client, chief):
    client.force_login(chief)

    response = client.post(ROSTER, {"user": "nobody@example.jp", "kind": "regional"})

    assert response.status_code == 200
    assert "No portal account uses the e-mail address nobody@example.jp" in (
        response.content.decode()
    )
    assert response.context["form"]["user"].value() == "nobody@example.jp"


def test_register_second_chief_rerenders(client, chief):
    UserFactory(email="second@example.jp")
    client.force_login(chief)

    response = client.post(ROSTER, {"user": "second@example.jp", "kind": "chief"})

    assert response.status_code == 200
    assert "already an active chief facilitator" in response.content.decode()
    assert Facilitator.objects.filter(kind="chief").count() == 1


def test_appoint_untrained_regional_rejected(client, chief):
    facilitator = FacilitatorFactory(user__email="untrained@example.jp")
    client.force_login(chief)
    data = {"centre": municipal_centre().pk, "starts_on": "2026-04-01", "ends_on": ""}

    response = client.post(
        reverse("facilitation:facilitator_detail", args=[facilitator.pk]), data
    )

    assert response.status_code == 200
    assert "has not completed a training course" in response.content.decode()
    assert response.context["form"]["starts_on"].value() == "2026-04-01"
    assert not facilitator.appointments.exists()


def test_appoint_trained_regional(client, prefectural_staff):
    facilitator = regional_facilitator(email="trained@example.jp")
    client.force_login(prefectural_staff)
    data = {
        "centre": municipal_centre(1).pk,
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
    }

    response = client.post(
        reverse("facilitation:facilitator_detail", args=[facilitator.pk]), data
    )

    assert response.status_code == 302
    assert facilitator.appointments.filter(
        centre=municipal_centre(1), ends_on=dt.date(2027, 3, 31)
    ).exists()


def test_appoint_chief_to_municipal_rejected(client, chief):
    client.force_login(chief)
    data = {"centre": municipal_centre().pk, "starts_on": "2026-04-01"}

    response = client.post(
        reverse("facilitation:facilitator_detail", args=[chief.facilitator.pk]), data
    )

    assert response.status_code == 200
    assert "only to the prefectural centre" in response.content.decode()


def test_overlapping_appointment_rerenders(client, chief):
    facilitator = regional_facilitator(email="busy@example.jp")
    client.force_login(chief)
    data = {"centre": municipal_centre().pk, "starts_on": "2026-04-01"}

    response = client.post(
        reverse("facilitation:facilitator_detail", args=[facilitator.pk]), data
    )

    assert response.status_code == 200
    assert "already has an appointment" in response.content.decode()
    assert facilitator.appointments.count() == 1


def test_end_appointment(client, chief):
    facilitator = regional_facilitator(email="ending@example.jp")
    appointment = facilitator.appointments.get()
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:appointment_end", args=[appointment.pk]),
        {"ends_on": "2027-03-31"},
    )

    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.ends_on == dt.date(2027, 3, 31)


def test_end_before_start_shows_message(client, chief):
    facilitator = regional_facilitator(email="early@example.jp")
    appointment = facilitator.appointments.get()
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:appointment_end", args=[appointment.pk]),
        {"ends_on": "2019-01-01"},
        follow=True,
    )

    appointment.refresh_from_db()
    assert "The end date must be after the start date." in response.content.decode()
    assert appointment.ends_on is None


@pytest.mark.parametrize("typed", ["2027-02-30", "31/03/2027", ""])
def test_end_invalid_date_kept(client, chief, typed):
    facilitator = regional_facilitator(email="typo@example.jp")
    appointment = facilitator.appointments.get()
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:appointment_end", args=[appointment.pk]),
        {"ends_on": typed},
    )

    content = response.content.decode()
    appointment.refresh_from_db()
    assert response.status_code == 200
    assert "Enter a valid last day, for example 2027-03-31." in content
    assert f'value="{typed}" required aria-invalid="true"' in content
    assert appointment.ends_on is None


def test_end_before_start_keeps_date(client, chief):
    facilitator = regional_facilitator(email="early2@example.jp")
    appointment = facilitator.appointments.get()
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:appointment_end", args=[appointment.pk]),
        {"ends_on": "2019-01-01"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "The end date must be after the start date." in content
    assert 'value="2019-01-01" required aria-invalid="true"' in content


def test_deactivate_invalid_date_kept(client, chief):
    facilitator = regional_facilitator(email="staying@example.jp")
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:facilitator_deactivate", args=[facilitator.pk]),
        {"on": "2026-09-31"},
    )

    content = response.content.decode()
    facilitator.refresh_from_db()
    assert response.status_code == 200
    assert "Enter a valid last day, for example 2027-03-31." in content
    assert 'value="2026-09-31"' in content
    assert facilitator.is_active


def test_deactivate_facilitator(client, chief):
    facilitator = regional_facilitator(email="leaving@example.jp")
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:facilitator_deactivate", args=[facilitator.pk]),
        {"on": "2026-09-30"},
    )

    facilitator.refresh_from_db()
    assert response.status_code == 302
    assert not facilitator.is_active
    assert facilitator.appointments.get().ends_on == dt.date(2026, 9, 30)
    assert not facilitator.user.groups.filter(name=FACILITATOR_GROUP).exists()


def test_roster_queries_bounded(client, chief, django_assert_max_num_queries):
    for index in range(12):
        regional_facilitator(
            email=f"r{index}@example.jp", centre=municipal_centre(index % 3)
        )
    client.force_login(chief)

    with django_assert_max_num_queries(9):
        response = client.get(ROSTER)

    assert len(response.context["facilitators"]) == 13


def test_create_course(client, chief):
    client.force_login(chief)

    response = client.post(
        COURSES, {"title": "地域ファシリテーター養成講座", "fiscal_year": "2026"}
    )

    course = TrainingCourse.objects.get(title="地域ファシリテーター養成講座")
    assert response.status_code == 302
    assert course.fiscal_year == 2026


def test_course_bad_year_rerenders(client, chief):
    client.force_login(chief)

    response = client.post(COURSES, {"title": "講座", "fiscal_year": "226"})

    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "講座"
    assert "fiscal_year" in response.context["form"].errors
    assert not TrainingCourse.objects.exists()


def test_course_list_queries_bounded(client, chief, django_assert_max_num_queries):
    for _ in range(10):
        TrainingSessionFactory()
    client.force_login(chief)

    with django_assert_max_num_queries(6):
        response = client.get(COURSES)

    assert len(response.context["courses"]) == 10


def test_training_flow(client, chief):
    course = TrainingCourseFactory()
    person = UserFactory(email="trainee@example.jp")
    client.force_login(chief)
    add_session = reverse("facilitation:course_add_session", args=[course.pk])
    attendance = reverse("facilitation:course_attendance", args=[course.pk])
    completion = reverse("facilitation:course_completion", args=[course.pk])

    client.post(add_session, {"held_on": "2026-06-01", "title": "第1回"})
    client.post(
        reverse("facilitation:course_enrol", args=[course.pk]),
        {"person": "trainee@example.jp"},
    )
    client.post(add_session, {"held_on": "2026-06-08", "title": "第2回"})
    first, second = course.sessions.order_by("held_on")

    assert TrainingAttendance.objects.filter(person=person).count() == 2

    client.post(attendance, {"attended": [f"{first.pk}:{person.pk}"]})
    refused = client.post(
        completion, {"person": person.pk, "completed_on": "2026-06-30"}, follow=True
    )

    assert "missed 1 session(s)" in refused.content.decode()
    assert not CourseCompletion.objects.exists()

    client.post(
        attendance,
        {"attended": [f"{first.pk}:{person.pk}", f"{second.pk}:{person.pk}"]},
    )
    client.post(completion, {"person": person.pk, "completed_on": "2026-06-30"})

    assert CourseCompletion.objects.get(user=person).recorded_by == chief


def test_attendance_ignores_unenrolled_people(client, chief):
    session = TrainingSessionFactory()
    outsider = UserFactory(email="outsider-trainee@example.jp")
    client.force_login(chief)

    client.post(
        reverse("facilitation:course_attendance", args=[session.course.pk]),
        {"attended": [f"{session.pk}:{outsider.pk}", "bad", "1:x"]},
    )

    assert not TrainingAttendance.objects.filter(person=outsider).exists()


def test_attendance_table_queries_bounded(client, chief, django_assert_max_num_queries):
    course = TrainingCourseFactory()
    sessions = [TrainingSessionFactory(course=course) for _ in range(4)]
    for index in range(10):
        person = UserFactory(email=f"trainee{index}@example.jp")
        for session in sessions:
            TrainingAttendance.objects.create(session=session, person=person)
    client.force_login(chief)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("facilitation:course_detail", args=[course.pk]))

    assert len(response.context["rows"]) == 10
    assert response.content.decode().count('name="attended"') == 40


def test_enrol_twice_rerenders(client, chief):
    session = TrainingSessionFactory()
    person = UserFactory(email="twice@example.jp")
    TrainingAttendance.objects.create(session=session, person=person)
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:course_enrol", args=[session.course.pk]),
        {"person": "twice@example.jp"},
    )

    assert response.status_code == 200
    assert "already enrolled" in response.content.decode()


def test_chief_group_membership_required(client, chief):
    chief.groups.remove(Group.objects.get(name=FACILITATOR_GROUP))
    client.force_login(chief)

    assert client.get(ROSTER).status_code == 403


def test_prefectural_centre_listed_for_chief(client, chief):
    client.force_login(chief)

    response = client.get(
        reverse("facilitation:facilitator_detail", args=[chief.facilitator.pk])
    )

    assert response.status_code == 200
    assert str(prefectural_centre()) in response.content.decode()
    assert FacilitatorAppointment.objects.filter(facilitator__user=chief).count() == 1
