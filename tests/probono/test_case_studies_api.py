import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from probono.models import CaseStudy, CaseStudyConsent
from probono.services import case_studies as services
from tests.factories import GroupMembershipFactory
from tests.probono.factories_case_studies import (
    CaseStudyFactory,
    closed_request,
    concierge_user,
    team_member,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/probono/case-studies/"


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def concierge():
    return concierge_user()


@pytest.fixture
def support_request(group):
    return closed_request(group=group)


@pytest.fixture
def staff(group):
    return GroupMembershipFactory(
        group=group, user__email="staff@example.jp", user__preferred_language="en"
    ).user


@pytest.fixture
def worker(support_request):
    return team_member(support_request)


@pytest.fixture
def case_study(support_request):
    return CaseStudyFactory(request=support_request)


def publish(case_study):
    CaseStudy.objects.filter(pk=case_study.pk).update(published_at=timezone.now())
    case_study.refresh_from_db()
    return case_study


def url(case_study, action=""):
    return f"{LIST_URL}{case_study.pk}/{action}"


def test_public_list_published_only(api, case_study):
    published = publish(CaseStudyFactory())

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [published.pk]


def test_public_detail_without_workers(api, case_study, worker):
    publish(case_study)

    body = api.get(url(case_study)).json()

    assert body["group"]["name"] == case_study.request.group.name
    assert body["skills"] == ["it_web"]
    assert "worker" not in str(body).lower()
    assert worker.user.email not in str(body)


def test_public_draft_not_found(api, case_study):
    assert api.get(url(case_study)).status_code == 404


def test_concierge_sees_drafts(api, concierge, case_study):
    api.force_authenticate(concierge)

    response = api.get(LIST_URL)

    assert [row["id"] for row in response.json()["results"]] == [case_study.pk]
    assert response.json()["results"][0]["published_at"] is None


def test_staff_does_not_list_drafts(api, staff, case_study):
    api.force_authenticate(staff)

    assert api.get(LIST_URL).json()["results"] == []


def test_list_filters_by_skill(api):
    web = publish(CaseStudyFactory(skill_keys=["it_web"]))
    publish(CaseStudyFactory(skill_keys=["accounting"]))

    response = api.get(LIST_URL, {"skill": "it_web"})

    assert [row["id"] for row in response.json()["results"]] == [web.pk]


def test_list_query_count(api, django_assert_max_num_queries):
    for _index in range(10):
        publish(CaseStudyFactory(skill_keys=["it_web", "writing"]))

    with django_assert_max_num_queries(5):
        response = api.get(LIST_URL)

    assert len(response.json()["results"]) == 10


def test_staff_consents_for_group(api, staff, case_study):
    api.force_authenticate(staff)

    response = api.post(url(case_study, "consent/"), {"party": "group"})

    assert response.status_code == 200
    assert response.json()[0]["party"] == "group"
    assert response.json()[0]["is_live"] is True
    assert CaseStudyConsent.objects.get().given_by == staff


def test_worker_consents_and_withdraws(api, worker, case_study):
    api.force_authenticate(worker.user)

    given = api.post(url(case_study, "consent/"), {"party": "worker"})
    withdrawn = api.post(url(case_study, "withdraw-consent/"), {"party": "worker"})

    assert given.status_code == 200
    assert withdrawn.status_code == 200
    assert withdrawn.json()[0]["withdrawn_at"] is not None


def test_consent_twice_is_bad_request(api, staff, case_study):
    api.force_authenticate(staff)
    api.post(url(case_study, "consent/"), {"party": "group"})

    response = api.post(url(case_study, "consent/"), {"party": "group"})

    assert response.status_code == 400
    assert response.json() == {"detail": "This consent was already given."}


def test_unknown_party_is_bad_request(api, staff, case_study):
    api.force_authenticate(staff)

    response = api.post(url(case_study, "consent/"), {"party": "company"})

    assert response.status_code == 400
    assert "party" in response.json()


def test_stranger_cannot_consent(api, other_group_staff, case_study):
    api.force_authenticate(other_group_staff)

    response = api.post(url(case_study, "consent/"), {"party": "group"})

    assert response.status_code == 404
    assert not CaseStudyConsent.objects.exists()


def test_worker_cannot_consent_for_group(api, worker, case_study):
    api.force_authenticate(worker.user)

    response = api.post(url(case_study, "consent/"), {"party": "group"})

    assert response.status_code == 403
    assert not CaseStudyConsent.objects.exists()


def test_staff_cannot_consent_as_worker(api, staff, worker, case_study):
    api.force_authenticate(staff)

    response = api.post(url(case_study, "consent/"), {"party": "worker"})

    assert response.status_code == 403
    assert not CaseStudyConsent.objects.exists()


def test_worker_of_other_project_rejected(api, case_study):
    outsider = team_member(closed_request())
    api.force_authenticate(outsider.user)

    response = api.post(url(case_study, "consent/"), {"party": "worker"})

    assert response.status_code == 404
    assert not CaseStudyConsent.objects.exists()


def test_anonymous_cannot_consent(api, case_study):
    response = api.post(url(case_study, "consent/"), {"party": "group"})

    assert response.status_code in (401, 403)


def test_publish_refused_without_consent(api, concierge, case_study, worker):
    api.force_authenticate(concierge)

    response = api.post(url(case_study, "publish/"))

    assert response.status_code == 400
    assert worker.user.full_name in response.json()["detail"]


def test_publish_with_consents(api, concierge, case_study, staff, worker):
    services.give_consent(case_study, staff)
    services.give_consent(case_study, worker.user, worker)
    api.force_authenticate(concierge)

    response = api.post(url(case_study, "publish/"))

    assert response.status_code == 200
    assert response.json()["published_at"] is not None


def test_publish_forbidden_to_staff(api, staff, case_study):
    services.give_consent(case_study, staff)
    api.force_authenticate(staff)

    response = api.post(url(case_study, "publish/"))

    assert response.status_code == 403
    case_study.refresh_from_db()
    assert case_study.published_at is None


def test_consent_status_for_concierge(api, concierge, case_study, staff, worker):
    services.give_consent(case_study, staff)
    api.force_authenticate(concierge)

    rows = api.get(url(case_study, "consents/")).json()

    assert [(row["party"], row["is_live"]) for row in rows] == [
        ("group", True),
        ("worker", False),
    ]
    assert rows[1]["worker"] == worker.pk


def test_consent_status_forbidden_to_staff(api, staff, case_study):
    api.force_authenticate(staff)

    assert api.get(url(case_study, "consents/")).status_code == 403


def test_withdrawal_takes_down_through_api(api, concierge, case_study, staff, worker):
    services.give_consent(case_study, staff)
    services.give_consent(case_study, worker.user, worker)
    services.publish(case_study, concierge)
    api.force_authenticate(staff)

    api.post(url(case_study, "withdraw-consent/"), {"party": "group"})

    api.force_authenticate(None)
    assert api.get(url(case_study)).status_code == 404
