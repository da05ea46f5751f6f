"""Concierge pages and API log the pro bono workers they show."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_EMAIL, USER_NAME, USER_PHONE
from probono.models import ProbonoWorker
from tests.audit.helpers import logged_fields
from tests.factories import ProbonoWorkerFactory, UserFactory
from tests.probono.factories_projects import make_project
from tests.probono.factories_proposals import make_concierge

pytestmark = pytest.mark.django_db

PROFESSION = "probono.ProbonoWorker.profession"
EMPLOYER = "probono.ProbonoWorker.employer"


@pytest.fixture
def concierge():
    return make_concierge()


def test_worker_detail_logs_contact(client, concierge):
    worker = ProbonoWorkerFactory()
    client.force_login(concierge)
    response = client.get(reverse("probono:worker_detail", args=[worker.pk]))
    assert response.status_code == 200
    fields = logged_fields(concierge)[worker.user_id]
    assert {USER_NAME, USER_EMAIL, PROFESSION, EMPLOYER} <= fields
    row = PersonalDataAccess.objects.get()
    assert row.view_name == "probono:worker_detail"
    assert row.object_ref == f"probono.ProbonoWorker:{worker.pk}"
    assert "concierge" in row.actor_roles


def test_worker_list_logs_page(client, concierge, django_assert_max_num_queries):
    workers = [ProbonoWorkerFactory() for _ in range(12)]
    client.force_login(concierge)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("probono:worker_list"))
    assert response.status_code == 200
    logged = logged_fields(concierge)
    assert set(logged) == {worker.user_id for worker in workers}
    assert USER_EMAIL not in logged[workers[0].user_id]
    assert PROFESSION in logged[workers[0].user_id]


def test_worker_pages_reject_residents(client):
    worker = ProbonoWorkerFactory()
    client.force_login(UserFactory())
    detail = client.get(reverse("probono:worker_detail", args=[worker.pk]))
    listing = client.get(reverse("probono:worker_list"))
    assert detail.status_code == 403
    assert listing.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_worker_own_page_logs_nothing(client):
    worker = ProbonoWorkerFactory()
    client.force_login(worker.user)
    assert client.get(reverse("probono:my_worker")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_worker_api_list_logs_workers(concierge, django_assert_max_num_queries):
    workers = [ProbonoWorkerFactory() for _ in range(12)]
    api = APIClient()
    api.force_authenticate(concierge)
    with django_assert_max_num_queries(15):
        response = api.get(reverse("probono-worker-list"))
    assert response.status_code == 200
    logged = logged_fields(concierge)
    assert set(logged) == {worker.user_id for worker in workers}
    assert {USER_NAME, USER_EMAIL, EMPLOYER} <= logged[workers[0].user_id]


def test_worker_api_detail_logs_worker(concierge):
    worker = ProbonoWorkerFactory()
    api = APIClient()
    api.force_authenticate(concierge)
    response = api.get(reverse("probono-worker-detail", args=[worker.pk]))
    assert response.status_code == 200
    assert set(logged_fields(concierge)) == {worker.user_id}
    row = PersonalDataAccess.objects.get()
    assert row.view_name == "probono-worker-detail"


def test_worker_api_me_logs_nothing():
    worker = ProbonoWorkerFactory()
    api = APIClient()
    api.force_authenticate(worker.user)
    assert api.get(reverse("probono-worker-me")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_worker_api_rejects_residents():
    ProbonoWorkerFactory()
    api = APIClient()
    api.force_authenticate(UserFactory())
    assert api.get(reverse("probono-worker-list")).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def _workspace(client, project, viewer):
    client.force_login(viewer)
    url = reverse("probono:project_workspace", args=[project.request.pk])
    return client.get(url)


def test_workspace_logs_consented_contacts_for_staff(client):
    project = make_project()
    consented = project.member
    ProbonoWorker.objects.filter(pk=consented.pk).update(
        contact_consent_at=timezone.now()
    )
    ProbonoWorker.objects.filter(pk=project.second_member.pk).update(
        contact_consent_at=None
    )
    assert _workspace(client, project, project.staff).status_code == 200
    logged = logged_fields(project.staff)
    assert logged[consented.user_id] == {USER_NAME, PROFESSION, USER_EMAIL, USER_PHONE}
    assert logged[project.second_member.user_id] == {USER_NAME, PROFESSION}
    assert logged[project.concierge.pk] == {USER_NAME, USER_EMAIL}
    assert project.pending_worker.user_id not in logged


def test_workspace_member_logs_names_only(client):
    project = make_project()
    viewer = project.member.user
    assert _workspace(client, project, viewer).status_code == 200
    logged = logged_fields(viewer)
    assert viewer.pk not in logged
    assert logged[project.second_member.user_id] == {USER_NAME}


def test_workspace_stranger_logs_nothing(client):
    project = make_project()
    assert _workspace(client, project, project.stranger).status_code in (403, 404)
    assert not PersonalDataAccess.objects.exists()
