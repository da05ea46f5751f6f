"""The case, meeting and example API: the same permissions as the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from facilitation.models import CaseStage, CollaborationCase, Principle
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services
from facilitation.services import meetings as meeting_services
from tests.facilitation.factories import (
    PartnerFactory,
    chief_facilitator,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    UserFactory,
    centre_staff,
)

pytestmark = pytest.mark.django_db

CASES = "/api/facilitation/cases/"
MEETINGS = "/api/facilitation/meetings/"
ITEMS = "/api/facilitation/action-items/"
EXAMPLES = "/api/facilitation/examples/"


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def regional():
    return regional_facilitator("regional@example.jp", centre=municipal_centre(0))


@pytest.fixture
def other_regional():
    return regional_facilitator("other@example.jp", centre=municipal_centre(1))


@pytest.fixture
def case(regional):
    return case_services.open_case(
        user=regional.user,
        centre=municipal_centre(0),
        title="協働案件",
        shared_goal="g",
    )


def test_anonymous_refused(api, case):
    assert api.get(CASES).status_code in (401, 403)
    assert api.get(f"{CASES}{case.pk}/").status_code in (401, 403)
    assert api.get(MEETINGS).status_code in (401, 403)


def test_stranger_lists_nothing(api, case):
    api.force_authenticate(UserFactory())

    response = api.get(CASES)

    assert response.status_code == 200
    assert response.data["results"] == []
    assert api.get(f"{CASES}{case.pk}/").status_code == 404


def test_list_filters_by_stage(api, case, regional):
    api.force_authenticate(regional.user)

    consultation = api.get(CASES, {"stage": "consultation"})
    matching = api.get(CASES, {"stage": "matching"})

    assert [c["id"] for c in consultation.data["results"]] == [case.pk]
    assert matching.data["results"] == []


def test_list_unknown_stage_is_400(api, case, regional):
    api.force_authenticate(regional.user)

    response = api.get(CASES, {"stage": "zzz"})

    assert response.status_code == 400
    assert "zzz is not one of the available choices" in str(response.data["stage"])


def test_other_centre_gets_404(api, case, other_regional):
    api.force_authenticate(other_regional.user)

    assert api.get(f"{CASES}{case.pk}/").status_code == 404
    response = api.post(f"{CASES}{case.pk}/stage/", {"to_stage": "matching"})
    assert response.status_code == 404


def test_own_centre_reads_case(api, case, regional):
    api.force_authenticate(regional.user)

    response = api.get(f"{CASES}{case.pk}/")

    assert response.status_code == 200
    assert response.data["title"] == "協働案件"
    assert response.data["stage"] == CaseStage.CONSULTATION
    assert [c["to_stage"] for c in response.data["stage_changes"]] == [
        CaseStage.CONSULTATION
    ]


def test_facilitator_opens_case(api, regional):
    api.force_authenticate(regional.user)

    response = api.post(
        CASES,
        {"centre": municipal_centre(0).pk, "title": "新しい案件", "shared_goal": "g"},
        format="json",
    )

    assert response.status_code == 201
    assert CollaborationCase.objects.get().facilitator == regional


def test_stranger_cannot_open(api):
    api.force_authenticate(UserFactory())

    response = api.post(
        CASES,
        {"centre": municipal_centre(0).pk, "title": "t", "shared_goal": "g"},
        format="json",
    )

    assert response.status_code == 403
    assert not CollaborationCase.objects.exists()


def test_other_centre_opening_rejected(api, regional):
    api.force_authenticate(regional.user)

    response = api.post(
        CASES,
        {"centre": municipal_centre(1).pk, "title": "t", "shared_goal": "g"},
        format="json",
    )

    assert response.status_code == 400
    assert "centre" in response.data


def test_stage_refusals(api, case, regional):
    api.force_authenticate(regional.user)

    skipped = api.post(f"{CASES}{case.pk}/stage/", {"to_stage": "completed"})
    no_reason = api.post(f"{CASES}{case.pk}/stage/", {"to_stage": "discontinued"})
    moved = api.post(f"{CASES}{case.pk}/stage/", {"to_stage": "matching"})

    assert skipped.status_code == 400
    assert skipped.data["detail"] == (
        "A case cannot move from “Consultation” to “Completed”."
    )
    assert no_reason.status_code == 400
    assert no_reason.data == {"note": ["Give a reason for discontinuing the case."]}
    assert moved.status_code == 200
    assert moved.data["stage"] == "matching"


def test_agreement_refused_without_answers(api, case, regional):
    for fields in ({"group": CivicGroupFactory()}, {"partner": PartnerFactory()}):
        case_services.add_party(
            case, regional.user, role="r", contribution="c", **fields
        )
    CollaborationCase.objects.filter(pk=case.pk).update(stage=CaseStage.MATCHING)
    api.force_authenticate(regional.user)

    response = api.post(f"{CASES}{case.pk}/stage/", {"to_stage": "agreement"})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.stage == CaseStage.MATCHING


def test_centre_staff_cannot_move_stage(api, case):
    api.force_authenticate(centre_staff(UserFactory(), scope="municipal"))

    response = api.post(f"{CASES}{case.pk}/stage/", {"to_stage": "matching"})

    assert response.status_code == 403


def test_invited_facilitator_adds_note(api, case, regional, other_regional):
    case_services.invite_facilitator(case, regional.user, facilitator=other_regional)
    api.force_authenticate(other_regional.user)

    today = timezone.localdate().isoformat()

    response = api.post(
        f"{CASES}{case.pk}/notes/", {"held_on": today, "body": "面談した"}
    )

    assert response.status_code == 201
    assert case.notes.get().author == other_regional.user


def test_future_note_rejected_by_api(api, case, regional):
    api.force_authenticate(regional.user)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = api.post(
        f"{CASES}{case.pk}/notes/", {"held_on": tomorrow, "body": "予定"}
    )

    assert response.status_code == 400
    assert list(response.data) == ["held_on"]
    assert tomorrow in response.data["held_on"][0]
    assert not case.notes.exists()


def test_centre_staff_cannot_add_note(api, case):
    api.force_authenticate(centre_staff(UserFactory(), scope="municipal"))

    today = timezone.localdate().isoformat()

    response = api.post(f"{CASES}{case.pk}/notes/", {"held_on": today, "body": "b"})

    assert response.status_code == 403


def test_case_list_queries_bounded(api, regional, django_assert_max_num_queries):
    for number in range(10):
        case = case_services.open_case(
            user=regional.user,
            centre=municipal_centre(0),
            title=f"案件{number}",
            shared_goal="g",
        )
        case_services.add_party(
            case, regional.user, group=CivicGroupFactory(), role="r", contribution="c"
        )
    api.force_authenticate(regional.user)

    with django_assert_max_num_queries(14):
        response = api.get(CASES)

    assert response.data["count"] == 10


def test_meetings_api_for_attendees_only(api, regional, other_regional):
    chief = chief_facilitator()
    starts_at = timezone.now() + dt.timedelta(days=1)
    meeting = meeting_services.create_meeting(
        chief.user,
        title="会議",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location="l",
        attendees=[regional],
    )
    item = meeting_services.add_action_item(
        meeting, chief.user, title="t", owner=regional.user, due_on=dt.date(2027, 1, 1)
    )

    api.force_authenticate(other_regional.user)
    assert api.get(MEETINGS).data["results"] == []
    assert api.get(f"{MEETINGS}{meeting.pk}/").status_code == 404
    assert api.post(f"{ITEMS}{item.pk}/done/", {"done": True}).status_code == 404
    api.force_authenticate(regional.user)
    assert [m["id"] for m in api.get(MEETINGS).data["results"]] == [meeting.pk]
    response = api.post(f"{ITEMS}{item.pk}/done/", {"done": True})
    assert response.status_code == 200
    assert response.data["done"] is True


def drafted_example(regional, group):
    """Return an unpublished example of a completed case with *group* and a partner."""
    case = case_services.open_case(
        user=regional.user, centre=municipal_centre(0), title="t", shared_goal="g"
    )
    for fields in ({"group": group}, {"partner": PartnerFactory()}):
        party = case_services.add_party(
            case, regional.user, role="r", contribution="c", **fields
        )
        case_services.record_principle_answers(
            party, regional.user, {p.value: (True, "") for p in Principle}
        )
    for stage in ("matching", "agreement", "in_progress", "completed"):
        case_services.transition(case, stage, regional.user)
    return example_services.draft_example(
        case,
        regional.user,
        title="下書きの事例",
        summary="s",
        texts={p.pk: ("did", "gained") for p in case.parties.all()},
    )


def test_examples_api_public_only(api, regional):
    example = drafted_example(regional, CivicGroupFactory())

    assert api.get(EXAMPLES).data["results"] == []
    assert api.get(f"{EXAMPLES}{example.pk}/").status_code == 404
    for row in example.parties.all():
        example_services.give_consent(row, regional.user)
    example_services.publish(example, regional.user)
    response = api.get(f"{EXAMPLES}{example.pk}/")
    assert response.status_code == 200
    assert [p["what_they_did"] for p in response.data["parties"]] == ["did", "did"]
    assert api.post(EXAMPLES, {"title": "x"}).status_code in (401, 403, 405)


def test_draft_example_readers_match_page(client, api, regional, other_regional):
    group = CivicGroupFactory()
    example = drafted_example(regional, group)
    group_staff = GroupMembershipFactory(group=group).user
    readers = [regional.user, group_staff, UserFactory(is_superuser=True)]
    outsiders = [other_regional.user, UserFactory(), None]
    page_url = reverse("facilitation:example_detail", args=[example.pk])

    for user in readers + outsiders:
        api.force_authenticate(user)
        client.logout()
        if user is not None:
            client.force_login(user)
        api_status = api.get(f"{EXAMPLES}{example.pk}/").status_code
        listed = [row["id"] for row in api.get(EXAMPLES).data["results"]]
        expected = 200 if user in readers else 404
        assert api_status == expected, user
        assert client.get(page_url).status_code == expected, user
        assert listed == ([example.pk] if user in readers else []), user


def test_draft_example_api_shows_consent(api, regional):
    example = drafted_example(regional, CivicGroupFactory())
    first_row = example.parties.first()
    example_services.give_consent(first_row, regional.user)
    api.force_authenticate(regional.user)

    response = api.get(f"{EXAMPLES}{example.pk}/")

    assert response.data["is_published"] is False
    assert response.data["published_at"] is None
    assert [p["has_consent"] for p in response.data["parties"]] == [True, False]


def test_examples_api_published_filter(api, regional):
    draft = drafted_example(regional, CivicGroupFactory())
    published = drafted_example(regional, CivicGroupFactory())
    for row in published.parties.all():
        example_services.give_consent(row, regional.user)
    example_services.publish(published, regional.user)
    api.force_authenticate(regional.user)

    only_published = api.get(EXAMPLES, {"published": "true"}).data["results"]
    only_drafts = api.get(EXAMPLES, {"published": "false"}).data["results"]

    assert [row["id"] for row in only_published] == [published.pk]
    assert [row["id"] for row in only_drafts] == [draft.pk]


def test_examples_api_queries_bounded(api, regional, django_assert_max_num_queries):
    for _number in range(5):
        drafted_example(regional, CivicGroupFactory())
    api.force_authenticate(regional.user)

    with django_assert_max_num_queries(12):
        response = api.get(EXAMPLES)

    assert len(response.data["results"]) == 5
