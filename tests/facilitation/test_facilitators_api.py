import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from facilitation.models import FacilitatorAppointment
from tests.facilitation.factories import (
    FacilitatorFactory,
    municipal_centre,
    regional_facilitator,
)

pytestmark = pytest.mark.django_db

FACILITATORS = reverse("facilitation-facilitator-list")
APPOINTMENTS = reverse("facilitation-appointment-list")


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_anonymous_rejected(api):
    assert api.get(FACILITATORS).status_code in (401, 403)
    assert api.get(APPOINTMENTS).status_code in (401, 403)


@pytest.mark.parametrize("role", ["stranger", "regional", "municipal_staff"])
def test_non_managers_forbidden(api, request, role):
    facilitator = regional_facilitator(email="target@example.jp")
    appointment = facilitator.appointments.get()
    api.force_authenticate(request.getfixturevalue(role))
    data = {
        "facilitator": facilitator.pk,
        "centre": municipal_centre(1).pk,
        "starts_on": "2026-04-01",
    }

    assert api.get(FACILITATORS).status_code == 403
    assert api.get(APPOINTMENTS).status_code == 403
    assert api.post(APPOINTMENTS, data, format="json").status_code == 403
    end_url = reverse("facilitation-appointment-end", args=[appointment.pk])
    assert api.post(end_url, {"ends_on": "2027-03-31"}).status_code == 403
    assert facilitator.appointments.count() == 1


@pytest.mark.parametrize("role", ["chief", "prefectural_staff"])
def test_managers_list_roster(api, request, role):
    regional_facilitator(email="listed@example.jp")
    api.force_authenticate(request.getfixturevalue(role))

    response = api.get(FACILITATORS)

    emails = [row["email"] for row in response.json()["results"]]
    assert response.status_code == 200
    assert "listed@example.jp" in emails


def test_appoint_untrained_rejected(api, chief):
    facilitator = FacilitatorFactory()
    api.force_authenticate(chief)
    data = {
        "facilitator": facilitator.pk,
        "centre": municipal_centre().pk,
        "starts_on": "2026-04-01",
    }

    response = api.post(APPOINTMENTS, data, format="json")

    assert response.status_code == 400
    assert "has not completed a training course" in str(response.json())
    assert not facilitator.appointments.exists()


def test_appoint_trained(api, chief):
    facilitator = regional_facilitator(email="second-centre@example.jp")
    api.force_authenticate(chief)
    data = {
        "facilitator": facilitator.pk,
        "centre": municipal_centre(1).pk,
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
    }

    response = api.post(APPOINTMENTS, data, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["centre"] == municipal_centre(1).pk
    assert facilitator.appointments.count() == 2


def test_appoint_overlap_rejected(api, chief):
    facilitator = regional_facilitator(email="overlap@example.jp")
    api.force_authenticate(chief)
    data = {
        "facilitator": facilitator.pk,
        "centre": municipal_centre().pk,
        "starts_on": "2026-04-01",
    }

    response = api.post(APPOINTMENTS, data, format="json")

    assert response.status_code == 400
    assert "already has an appointment" in str(response.json())


def test_end_appointment(api, chief):
    appointment = regional_facilitator(email="end@example.jp").appointments.get()
    api.force_authenticate(chief)

    response = api.post(
        reverse("facilitation-appointment-end", args=[appointment.pk]),
        {"ends_on": "2027-03-31"},
    )

    assert response.status_code == 200
    assert response.json()["ends_on"] == "2027-03-31"


def test_end_before_start_rejected(api, chief):
    appointment = regional_facilitator(email="early@example.jp").appointments.get()
    api.force_authenticate(chief)

    response = api.post(
        reverse("facilitation-appointment-end", args=[appointment.pk]),
        {"ends_on": "2019-01-01"},
    )

    appointment.refresh_from_db()
    assert response.status_code == 400
    assert "ends_on" in response.json()
    assert appointment.ends_on is None


def test_current_on_filter(api, chief):
    appointment = regional_facilitator(email="past@example.jp").appointments.get()
    FacilitatorAppointment.objects.filter(pk=appointment.pk).update(
        ends_on="2021-03-31"
    )
    api.force_authenticate(chief)

    response = api.get(APPOINTMENTS, {"current_on": "2026-04-01"})

    ids = [row["id"] for row in response.json()["results"]]
    assert appointment.pk not in ids
    assert chief.facilitator.appointments.get().pk in ids


def test_roster_queries_bounded(api, chief, django_assert_max_num_queries):
    for index in range(10):
        regional_facilitator(email=f"q{index}@example.jp")
    api.force_authenticate(chief)

    with django_assert_max_num_queries(7):
        response = api.get(FACILITATORS)

    assert len(response.json()["results"]) == 11


def test_appointment_list_queries_bounded(api, chief, django_assert_max_num_queries):
    for index in range(10):
        regional_facilitator(email=f"a{index}@example.jp")
    api.force_authenticate(chief)

    with django_assert_max_num_queries(4):
        response = api.get(APPOINTMENTS)

    assert len(response.json()["results"]) == 11
