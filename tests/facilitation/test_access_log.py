"""Facilitator pages, the training table and the API log the people they show."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_EMAIL, USER_NAME
from tests.audit.helpers import logged_fields
from tests.facilitation.factories import (
    TrainingCourseFactory,
    complete_course,
    regional_facilitator,
)

pytestmark = pytest.mark.django_db

KIND = "facilitation.Facilitator.kind"
COMPLETED_ON = "facilitation.CourseCompletion.completed_on"


def test_facilitator_page_logs_contact(client, prefectural_staff):
    facilitator = regional_facilitator()
    client.force_login(prefectural_staff)
    url = reverse("facilitation:facilitator_detail", args=[facilitator.pk])
    assert client.get(url).status_code == 200
    assert logged_fields(prefectural_staff) == {
        facilitator.user_id: {USER_NAME, USER_EMAIL, KIND, COMPLETED_ON}
    }


def test_roster_logs_names(
    client, prefectural_staff, chief, django_assert_max_num_queries
):
    facilitators = [regional_facilitator(f"regional{n}@example.jp") for n in range(8)]
    client.force_login(prefectural_staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("facilitation:facilitator_roster"))
    assert response.status_code == 200
    logged = logged_fields(prefectural_staff)
    assert {f.user_id for f in facilitators} | {chief.pk} == set(logged)
    assert USER_EMAIL not in logged[facilitators[0].user_id]


def test_course_table_logs_participants(client, prefectural_staff):
    course = TrainingCourseFactory()
    completion = complete_course(regional_facilitator().user, course)
    client.force_login(prefectural_staff)
    url = reverse("facilitation:course_detail", args=[course.pk])
    assert client.get(url).status_code == 200
    fields = logged_fields(
        prefectural_staff, object_ref=f"facilitation.TrainingCourse:{course.pk}"
    )
    assert COMPLETED_ON in fields[completion.user_id]


def test_facilitator_api_logs_list(prefectural_staff):
    facilitator = regional_facilitator()
    api = APIClient()
    api.force_authenticate(prefectural_staff)
    assert api.get(reverse("facilitation-facilitator-list")).status_code == 200
    assert logged_fields(prefectural_staff) == {
        facilitator.user_id: {USER_NAME, USER_EMAIL, KIND}
    }


def test_facilitator_pages_reject_stranger(client, stranger):
    facilitator = regional_facilitator()
    client.force_login(stranger)
    url = reverse("facilitation:facilitator_detail", args=[facilitator.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("facilitation:facilitator_roster")).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_chief_own_row_not_logged(client, chief):
    client.force_login(chief)
    assert client.get(reverse("facilitation:facilitator_roster")).status_code == 200
    assert chief.pk not in logged_fields(chief)
