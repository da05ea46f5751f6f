import pytest
from django.urls import reverse
from django.utils import timezone

from probono.models import CaseStudy, CaseStudyConsent, Skill
from probono.services import case_studies as services
from probono.services.workers import delete_worker
from tests.factories import GroupMembershipFactory, SupportRequestFactory
from tests.probono.factories_case_studies import (
    CaseStudyFactory,
    closed_request,
    concierge_user,
    team_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def concierge():
    return concierge_user()


@pytest.fixture
def support_request(group):
    return closed_request(group=group)


@pytest.fixture
def staff(group):
    return GroupMembershipFactory(group=group, user__email="staff@example.jp").user


@pytest.fixture
def worker(support_request):
    return team_member(support_request)


@pytest.fixture
def case_study(support_request):
    return CaseStudyFactory(request=support_request, title="A new website")


def publish(case_study, **fields):
    CaseStudy.objects.filter(pk=case_study.pk).update(
        published_at=fields.get("at", timezone.now())
    )
    case_study.refresh_from_db()
    return case_study


def form_data(**changes):
    data = {
        "title": "A website that works on phones",
        "challenge": "The group's site was old.",
        "work_done": "The team built a new site.",
        "result": "More people ask to join.",
        "skills": [Skill.objects.get(key="it_web").pk],
    }
    data.update(changes)
    return data


# Public pages


def test_list_shows_published_only(client, case_study):
    published = publish(CaseStudyFactory(title="Published case"))

    response = client.get(reverse("probono:case_study_list"))

    assert list(response.context["page"].object_list) == [published]
    assert "Published case" in response.content.decode()
    assert case_study.title not in response.content.decode()


def test_list_newest_first(client):
    older = publish(CaseStudyFactory(), at=timezone.now() - timezone.timedelta(days=9))
    newer = publish(CaseStudyFactory())

    response = client.get(reverse("probono:case_study_list"))

    assert list(response.context["page"].object_list) == [newer, older]


def test_list_filters_by_skill(client):
    web = publish(CaseStudyFactory(skill_keys=["it_web"]))
    publish(CaseStudyFactory(skill_keys=["accounting"]))

    response = client.get(reverse("probono:case_study_list"), {"skill": "it_web"})

    assert list(response.context["page"].object_list) == [web]
    assert response.context["selected_skill"].key == "it_web"


def test_list_unknown_skill_shows_all(client):
    published = publish(CaseStudyFactory())

    response = client.get(reverse("probono:case_study_list"), {"skill": "nonsense"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [published]


def test_list_empty_state(client):
    response = client.get(reverse("probono:case_study_list"))

    assert "No case study is published yet." in response.content.decode()


def test_list_empty_for_skill(client):
    publish(CaseStudyFactory(skill_keys=["it_web"]))

    response = client.get(reverse("probono:case_study_list"), {"skill": "writing"})

    assert "No case study that used Writing is published yet." in (
        response.content.decode()
    )


def test_list_paginated(client):
    for _index in range(15):
        publish(CaseStudyFactory())

    first = client.get(reverse("probono:case_study_list"))
    second = client.get(reverse("probono:case_study_list"), {"page": 2})

    assert len(first.context["page"].object_list) == 12
    assert len(second.context["page"].object_list) == 3


def test_list_query_count(client, django_assert_max_num_queries):
    for _index in range(12):
        publish(CaseStudyFactory(skill_keys=["it_web", "accounting"]))

    with django_assert_max_num_queries(6):
        response = client.get(reverse("probono:case_study_list"))

    assert len(response.context["page"].object_list) == 12


def test_detail_public_without_worker_names(client, case_study, worker):
    publish(case_study)

    response = client.get(reverse("probono:case_study_detail", args=[case_study.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert case_study.request.group.name in content
    assert reverse("groups:detail", args=[case_study.request.group.pk]) in content
    assert case_study.challenge in content
    assert worker.user.full_name not in content
    assert worker.user.email not in content
    assert case_study.request.contact_email not in content


def test_detail_of_draft_not_found(client, case_study, concierge):
    client.force_login(concierge)

    response = client.get(reverse("probono:case_study_detail", args=[case_study.pk]))

    assert response.status_code == 404


def test_detail_in_japanese(japanese_client, case_study):
    publish(case_study)

    response = japanese_client.get(
        reverse("probono:case_study_detail", args=[case_study.pk])
    )

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
    assert "年度" in response.content.decode()


def test_list_in_japanese(japanese_client):
    response = japanese_client.get(reverse("probono:case_study_list"))

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()


# Concierge pages


def test_new_form_prefilled(client, concierge, support_request):
    client.force_login(concierge)

    response = client.get(reverse("probono:case_study_new", args=[support_request.pk]))

    form = response.context["form"]
    assert form.initial["title"] == support_request.title
    assert form.initial["challenge"] == support_request.description


def test_concierge_drafts_case_study(client, concierge, support_request):
    client.force_login(concierge)

    response = client.post(
        reverse("probono:case_study_new", args=[support_request.pk]), form_data()
    )

    case_study = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("probono:case_study_manage", args=[case_study.pk])
    assert case_study.title == "A website that works on phones"
    assert case_study.published_at is None


def test_draft_needs_skill_and_keeps_input(client, concierge, support_request):
    client.force_login(concierge)

    response = client.post(
        reverse("probono:case_study_new", args=[support_request.pk]),
        form_data(skills=[]),
    )

    assert response.status_code == 200
    assert "skills" in response.context["form"].errors
    assert "The team built a new site." in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_draft_of_open_request_rejected(client, concierge):
    open_request = SupportRequestFactory(state="in_progress")
    client.force_login(concierge)

    response = client.post(
        reverse("probono:case_study_new", args=[open_request.pk]), form_data()
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A case study can be written only for a closed request."
    ]
    assert "A website that works on phones" in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_new_redirects_to_existing(client, concierge, case_study):
    client.force_login(concierge)

    response = client.get(
        reverse("probono:case_study_new", args=[case_study.request.pk])
    )

    assert response.url == reverse("probono:case_study_manage", args=[case_study.pk])


def test_edit_saves_and_removes_consents(client, concierge, case_study, staff):
    services.give_consent(case_study, staff)
    client.force_login(concierge)

    response = client.post(
        reverse("probono:case_study_edit", args=[case_study.pk]), form_data()
    )

    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.title == "A website that works on phones"
    assert not CaseStudyConsent.objects.exists()


def test_edit_bad_input_keeps_text(client, concierge, case_study):
    client.force_login(concierge)

    response = client.post(
        reverse("probono:case_study_edit", args=[case_study.pk]),
        form_data(title=""),
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "More people ask to join." in response.content.decode()
    case_study.refresh_from_db()
    assert case_study.title == "A new website"


def test_edit_naming_worker_keeps_text(client, concierge, case_study, worker):
    client.force_login(concierge)
    text = f"{worker.user.full_name} built the site."

    response = client.post(
        reverse("probono:case_study_edit", args=[case_study.pk]),
        form_data(work_done=text),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["work_done"] == [
        "The public text must not name workers. Remove the worker's name "
        "from this field."
    ]
    assert response.context["form"]["work_done"].value() == text
    case_study.refresh_from_db()
    assert case_study.title == "A new website"


def test_manage_shows_consent_panel(client, concierge, case_study, staff, worker):
    services.give_consent(case_study, staff)
    client.force_login(concierge)

    response = client.get(reverse("probono:case_study_manage", args=[case_study.pk]))

    content = response.content.decode()
    assert response.context["missing"] == [worker.user.full_name]
    assert "Consent is still missing from" in content
    assert "Given at" in content
    assert "Publish the case study" not in content


def test_manage_shows_worker_who_left(client, concierge, case_study, staff, worker):
    services.give_consent(case_study, staff)
    delete_worker(worker)
    client.force_login(concierge)

    response = client.get(reverse("probono:case_study_manage", args=[case_study.pk]))

    content = response.content.decode()
    assert response.context["missing"] == ["Deleted worker"]
    assert "Left the bank without consenting" in content
    assert "Publish the case study" not in content


def test_manage_offers_publish_when_complete(client, concierge, case_study, staff):
    services.give_consent(case_study, staff)
    client.force_login(concierge)

    response = client.get(reverse("probono:case_study_manage", args=[case_study.pk]))

    assert response.context["missing"] == []
    assert "Publish the case study" in response.content.decode()


def test_publish_page_refused_without_consent(client, concierge, case_study, worker):
    client.force_login(concierge)

    response = client.post(
        reverse("probono:case_study_publish", args=[case_study.pk]), follow=True
    )

    case_study.refresh_from_db()
    assert case_study.published_at is None
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert worker.user.full_name in messages[0]
    assert case_study.request.group.name in messages[0]


def test_publish_page_with_consents(client, concierge, case_study, staff, worker):
    services.give_consent(case_study, staff)
    services.give_consent(case_study, worker.user, worker)
    client.force_login(concierge)

    client.post(reverse("probono:case_study_publish", args=[case_study.pk]))

    case_study.refresh_from_db()
    assert case_study.published_at is not None


def test_manage_in_japanese(japanese_client, case_study):
    concierge = concierge_user("japanese-concierge@example.jp")
    concierge.preferred_language = "ja"
    concierge.save()
    japanese_client.force_login(concierge)

    response = japanese_client.get(
        reverse("probono:case_study_manage", args=[case_study.pk])
    )

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("case_study_manage", "get"),
        ("case_study_edit", "get"),
        ("case_study_publish", "post"),
    ],
)
def test_concierge_pages_need_login(client, case_study, name, method):
    response = getattr(client, method)(reverse(f"probono:{name}", args=[case_study.pk]))

    assert response.status_code == 302
    assert "/accounts/" in response.url


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("case_study_manage", "get"),
        ("case_study_edit", "get"),
        ("case_study_edit", "post"),
        ("case_study_publish", "post"),
    ],
)
def test_concierge_pages_forbidden_to_staff(client, case_study, staff, name, method):
    client.force_login(staff)

    response = getattr(client, method)(reverse(f"probono:{name}", args=[case_study.pk]))

    assert response.status_code == 403


def test_new_forbidden_to_staff(client, support_request, staff):
    client.force_login(staff)

    response = client.post(
        reverse("probono:case_study_new", args=[support_request.pk]), form_data()
    )

    assert response.status_code == 403
    assert not CaseStudy.objects.exists()


# Consent pages


def test_consent_page_for_staff(client, case_study, staff):
    client.force_login(staff)

    response = client.get(reverse("probono:case_study_consent", args=[case_study.pk]))

    assert response.status_code == 200
    assert [party.is_group for party in response.context["parties"]] == [True]
    assert case_study.work_done in response.content.decode()


def test_consent_page_for_worker(client, case_study, worker):
    client.force_login(worker.user)

    response = client.get(reverse("probono:case_study_consent", args=[case_study.pk]))

    assert [party.worker for party in response.context["parties"]] == [worker]


def test_consent_page_hides_other_workers(client, case_study, worker):
    teammate = team_member(case_study.request)
    client.force_login(worker.user)

    response = client.get(reverse("probono:case_study_consent", args=[case_study.pk]))

    content = response.content.decode()
    assert teammate.user.full_name not in content
    assert teammate.user.email not in content


def test_staff_gives_consent_after_confirming(client, case_study, staff):
    client.force_login(staff)
    url = reverse(
        "probono:case_study_consent_action", args=[case_study.pk, "group", "give"]
    )

    unconfirmed = client.post(url, {})
    confirmed = client.post(url, {"confirm": "on"})

    assert unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors["confirm"] == ["Tick the box to confirm."]
    assert confirmed.status_code == 302
    consent = CaseStudyConsent.objects.get()
    assert consent.worker is None
    assert consent.given_by == staff


def test_worker_gives_own_consent(client, case_study, worker):
    client.force_login(worker.user)

    client.post(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "worker", "give"]
        ),
        {"confirm": "on"},
    )

    assert CaseStudyConsent.objects.get().worker == worker


def test_withdraw_confirm_page_then_takes_down(
    client, concierge, case_study, staff, worker
):
    services.give_consent(case_study, staff)
    services.give_consent(case_study, worker.user, worker)
    services.publish(case_study, concierge)
    client.force_login(worker.user)
    url = reverse(
        "probono:case_study_consent_action", args=[case_study.pk, "worker", "withdraw"]
    )

    page = client.get(url)
    client.post(url)

    assert "takes it off the portal at once" in page.content.decode()
    case_study.refresh_from_db()
    assert case_study.published_at is None
    public = client.get(reverse("probono:case_study_detail", args=[case_study.pk]))
    assert public.status_code == 404


def test_withdraw_without_consent_shows_message(client, case_study, staff):
    client.force_login(staff)

    response = client.post(
        reverse(
            "probono:case_study_consent_action",
            args=[case_study.pk, "group", "withdraw"],
        ),
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["There is no consent to withdraw."]


def test_consent_pages_need_login(client, case_study):
    response = client.get(reverse("probono:case_study_consent", args=[case_study.pk]))

    assert response.status_code == 302
    assert "/accounts/" in response.url


def test_stranger_gets_404_on_consent(client, case_study, other_group_staff):
    client.force_login(other_group_staff)

    page = client.get(reverse("probono:case_study_consent", args=[case_study.pk]))
    action = client.post(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "group", "give"]
        ),
        {"confirm": "on"},
    )

    assert page.status_code == 404
    assert action.status_code == 404
    assert not CaseStudyConsent.objects.exists()


def test_worker_cannot_consent_for_group_page(client, case_study, worker):
    client.force_login(worker.user)

    response = client.post(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "group", "give"]
        ),
        {"confirm": "on"},
    )

    assert response.status_code == 404
    assert not CaseStudyConsent.objects.exists()


def test_staff_cannot_consent_as_worker(client, case_study, staff, worker):
    client.force_login(staff)

    response = client.post(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "worker", "give"]
        ),
        {"confirm": "on"},
    )

    assert response.status_code == 404
    assert not CaseStudyConsent.objects.exists()


def test_worker_of_other_project_gets_404(client, case_study):
    outsider = team_member(closed_request())
    client.force_login(outsider.user)

    response = client.post(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "worker", "give"]
        ),
        {"confirm": "on"},
    )

    assert response.status_code == 404
    assert not CaseStudyConsent.objects.exists()


def test_unknown_party_not_found(client, case_study, staff):
    client.force_login(staff)

    response = client.get(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "company", "give"]
        )
    )

    assert response.status_code == 404


def test_consent_page_in_japanese(japanese_client, case_study, staff):
    japanese_client.force_login(staff)

    response = japanese_client.get(
        reverse("probono:case_study_consent", args=[case_study.pk])
    )

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()


# The section on the request page


def test_request_page_links_concierge_to_draft(client, concierge, support_request):
    client.force_login(concierge)

    response = client.get(reverse("probono:request_detail", args=[support_request.pk]))

    assert reverse("probono:case_study_new", args=[support_request.pk]) in (
        response.content.decode()
    )


def test_request_page_links_staff_to_consent(client, case_study, staff):
    client.force_login(staff)

    response = client.get(
        reverse("probono:request_detail", args=[case_study.request.pk])
    )

    assert reverse("probono:case_study_consent", args=[case_study.pk]) in (
        response.content.decode()
    )


def test_form_page_in_japanese(japanese_client, support_request):
    concierge = concierge_user("form-concierge@example.jp")
    concierge.preferred_language = "ja"
    concierge.save()
    japanese_client.force_login(concierge)

    response = japanese_client.get(
        reverse("probono:case_study_new", args=[support_request.pk])
    )

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()


def test_confirm_page_in_japanese(japanese_client, case_study, staff):
    japanese_client.force_login(staff)

    response = japanese_client.get(
        reverse(
            "probono:case_study_consent_action", args=[case_study.pk, "group", "give"]
        )
    )

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
