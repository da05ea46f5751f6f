import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from probono.models import ProbonoWorker
from probono.permissions import CONCIERGE_GROUP
from tests.factories import ProbonoWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db

ME_URL = reverse("probono-worker-me")
LIST_URL = reverse("probono-worker-list")


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def worker():
    return ProbonoWorkerFactory(user=UserFactory(preferred_language="en"))


@pytest.fixture
def concierge():
    user = UserFactory(preferred_language="en")
    user.groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    return user


def test_me_returns_own_registration(api, worker):
    api.force_authenticate(worker.user)

    response = api.get(ME_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == worker.pk
    assert body["profession"] == worker.profession
    assert body["skills"] == [{"skill": "it_web", "level": 2, "years": 5}]
    assert "email" not in body


def test_me_patch_changes_fields(api, worker):
    api.force_authenticate(worker.user)

    response = api.patch(
        ME_URL,
        {
            "profession": "編集者",
            "hours_per_month": "２０",
            "skills": [{"skill": "writing", "level": 3, "years": 8}],
            "activity_fields": [7],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    worker.refresh_from_db()
    assert worker.profession == "編集者"
    assert worker.hours_per_month == 20
    assert list(worker.worker_skills.values_list("skill__key", "level", "years")) == [
        ("writing", 3, 8)
    ]
    assert list(worker.activity_fields.values_list("number", flat=True)) == [7]


def test_me_patch_keeps_skills_when_omitted(api, worker):
    api.force_authenticate(worker.user)

    response = api.patch(ME_URL, {"profession": "写真家"}, format="json")

    assert response.status_code == 200
    assert worker.worker_skills.get().skill.key == "it_web"


def test_me_patch_rejects_on_site_outside_resident(api, worker):
    api.force_authenticate(worker.user)

    response = api.patch(
        ME_URL,
        {
            "lives_in_prefecture": False,
            "home_region": "広島県",
            "work_mode": "on_site",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "work_mode" in response.json()
    worker.refresh_from_db()
    assert worker.lives_in_prefecture


def test_me_patch_rejects_empty_skills(api, worker):
    api.force_authenticate(worker.user)

    response = api.patch(ME_URL, {"skills": []}, format="json")

    assert response.status_code == 400
    assert worker.worker_skills.count() == 1


def test_me_patch_cannot_change_status(api, worker):
    api.force_authenticate(worker.user)

    api.patch(ME_URL, {"status": "deleted"}, format="json")

    worker.refresh_from_db()
    assert worker.status == ProbonoWorker.Status.ACTIVE


def test_me_without_registration_is_404(api):
    api.force_authenticate(UserFactory(preferred_language="en"))

    response = api.get(ME_URL)

    assert response.status_code == 404
    assert "not registered" in response.json()["detail"]


def test_me_needs_login(api):
    assert api.get(ME_URL).status_code in (401, 403)


def test_list_rejects_non_concierge(api, worker):
    api.force_authenticate(worker.user)

    assert api.get(LIST_URL).status_code == 403
    detail_url = reverse("probono-worker-detail", args=[worker.pk])
    assert api.get(detail_url).status_code == 403


def test_list_rejects_anonymous(api, worker):
    assert api.get(LIST_URL).status_code in (401, 403)


def test_concierge_lists_workers_with_contact(api, concierge, worker):
    api.force_authenticate(concierge)

    response = api.get(LIST_URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["email"] for row in rows] == [worker.user.email]


def test_concierge_cannot_patch_worker(api, concierge, worker):
    api.force_authenticate(concierge)
    detail_url = reverse("probono-worker-detail", args=[worker.pk])

    response = api.patch(detail_url, {"profession": "x"}, format="json")

    assert response.status_code == 405
    worker.refresh_from_db()
    assert worker.profession != "x"


def test_concierge_list_filters(api, concierge):
    ProbonoWorkerFactory()
    remote = ProbonoWorkerFactory(
        lives_in_prefecture=False,
        municipality=None,
        home_region="東京都",
        work_mode="remote",
        skill_keys=["accounting"],
    )
    api.force_authenticate(concierge)

    outside = api.get(LIST_URL, {"lives_in_prefecture": "false"}).json()["results"]
    remote_rows = api.get(LIST_URL, {"work_mode": "remote"}).json()["results"]

    assert [row["id"] for row in outside] == [remote.pk]
    assert [row["id"] for row in remote_rows] == [remote.pk]


def test_concierge_list_queries_bounded(api, concierge, django_assert_max_num_queries):
    for _ in range(15):
        ProbonoWorkerFactory(skill_keys=["it_web", "writing"])
    api.force_authenticate(concierge)

    with django_assert_max_num_queries(10):
        response = api.get(LIST_URL)

    assert response.json()["count"] == 15
