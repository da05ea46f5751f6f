"""Collaboration case pages: permissions, forms, stage moves and query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from facilitation.models import CaseStage, CollaborationCase, Principle
from facilitation.services import cases as case_services
from tests.facilitation.factories import (
    PartnerFactory,
    chief_facilitator,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import CivicGroupFactory, UserFactory, centre_staff

pytestmark = pytest.mark.django_db

S = CaseStage


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
        title="里山保全と地元企業の協働",
        shared_goal="里山を次の世代に残す",
    )


@pytest.fixture
def party(case, regional):
    return case_services.add_party(
        case,
        regional.user,
        group=CivicGroupFactory(name="里山の会"),
        role="運営",
        contribution="草刈り",
    )


def detail_url(case):
    return reverse("facilitation:case_detail", args=[case.pk])


def case_urls(case, party):
    """Every case page that needs a case, with the party's pages."""
    return [
        detail_url(case),
        reverse("facilitation:case_edit", args=[case.pk]),
        reverse("facilitation:party_new", args=[case.pk]),
        reverse("facilitation:party_edit", args=[case.pk, party.pk]),
        reverse("facilitation:party_principles", args=[case.pk, party.pk]),
        reverse("facilitation:note_new", args=[case.pk]),
        reverse("facilitation:invitation_new", args=[case.pk]),
    ]


def test_list_needs_login(client):
    url = reverse("facilitation:case_list")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_list_forbidden_to_stranger(client):
    client.force_login(UserFactory())

    assert client.get(reverse("facilitation:case_list")).status_code == 403


def test_new_forbidden_to_stranger(client):
    client.force_login(UserFactory())

    assert client.get(reverse("facilitation:case_new")).status_code == 403


def test_anonymous_redirected_from_case_pages(client, case, party):
    for url in case_urls(case, party):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


def test_stranger_gets_404_on_case_pages(client, case, party):
    client.force_login(UserFactory())

    for url in case_urls(case, party):
        assert client.get(url).status_code == 404, url


def test_other_centre_gets_404_on_case_pages(client, case, party, other_regional):
    client.force_login(other_regional.user)

    for url in case_urls(case, party):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("facilitation:case_stage", args=[case.pk]), {"to_stage": S.MATCHING}
    )
    assert response.status_code == 404


def test_other_centre_list_is_empty(client, case, other_regional):
    client.force_login(other_regional.user)

    response = client.get(reverse("facilitation:case_list"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert case.title not in response.content.decode()


def test_invited_facilitator_reads_not_manages(
    client, case, party, regional, other_regional
):
    case_services.invite_facilitator(
        case, regional.user, facilitator=other_regional, requested_by_party=party
    )
    client.force_login(other_regional.user)

    assert client.get(detail_url(case)).status_code == 200
    assert (
        client.get(reverse("facilitation:note_new", args=[case.pk])).status_code == 200
    )
    edit = reverse("facilitation:case_edit", args=[case.pk])
    assert client.get(edit).status_code == 403
    stage = reverse("facilitation:case_stage", args=[case.pk])
    assert client.post(stage, {"to_stage": S.MATCHING}).status_code == 403
    case.refresh_from_db()
    assert case.stage == S.CONSULTATION


def test_centre_staff_read_only(client, case, party):
    staff = centre_staff(UserFactory(), scope="municipal")
    client.force_login(staff)

    response = client.get(detail_url(case))

    assert response.status_code == 200
    assert response.context["is_manager"] is False
    assert response.context["targets"] == []
    for url in case_urls(case, party)[1:]:
        assert client.get(url).status_code == 403, url


def test_facilitator_opens_case(client, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:case_new"),
        {
            "centre": municipal_centre(0).pk,
            "title": "防災訓練の協働",
            "shared_goal": "地域の防災力を高める",
            "next_steps": "",
        },
    )

    case = CollaborationCase.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(case)
    assert case.facilitator == regional
    assert case.stage == S.CONSULTATION


def test_new_case_form_keeps_input(client, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:case_new"),
        {"centre": municipal_centre(0).pk, "title": "", "shared_goal": "目標の文"},
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "目標の文" in response.content.decode()
    assert not CollaborationCase.objects.exists()


def test_new_case_other_centre_rejected(client, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:case_new"),
        {"centre": municipal_centre(1).pk, "title": "t", "shared_goal": "g"},
    )

    assert response.status_code == 200
    assert "centre" in response.context["form"].errors
    assert not CollaborationCase.objects.exists()


def test_party_form_needs_one_of_group_or_partner(client, case, regional):
    client.force_login(regional.user)
    url = reverse("facilitation:party_new", args=[case.pk])

    response = client.post(
        url,
        {
            "group": CivicGroupFactory().pk,
            "partner": PartnerFactory().pk,
            "role": "協賛",
            "contribution": "資金",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Choose either a civic group or a partner."
    ]
    assert "資金" in response.content.decode()
    assert not case.parties.exists()


def test_partner_added_as_party(client, case, regional):
    partner = PartnerFactory(name="周南化学株式会社")
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:party_new", args=[case.pk]),
        {"partner": partner.pk, "role": "協賛", "contribution": "資金"},
    )

    assert response.status_code == 302
    assert case.parties.get().partner == partner


def test_principles_form_records_answers(client, case, party, regional):
    client.force_login(regional.user)
    data = {}
    for principle in Principle:
        data[f"{principle.value}_agrees"] = "yes"
        data[f"{principle.value}_comment"] = ""
    data["shared_goal_comment"] = "目的を共有した"

    response = client.post(
        reverse("facilitation:party_principles", args=[case.pk, party.pk]), data
    )

    assert response.status_code == 302
    assert party.principle_answers.filter(agrees=True).count() == 5
    assert party.principle_answers.get(principle="shared_goal").comment == (
        "目的を共有した"
    )


def test_principles_form_needs_every_answer(client, case, party, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:party_principles", args=[case.pk, party.pk]),
        {"equal_footing_agrees": "yes", "equal_footing_comment": "対等"},
    )

    assert response.status_code == 200
    assert len(response.context["form"].errors) == 4
    assert "対等" in response.content.decode()
    assert not party.principle_answers.exists()


def test_agreement_refused_without_answers(client, case, party, regional):
    case_services.add_party(
        case, regional.user, partner=PartnerFactory(), role="r", contribution="c"
    )
    CollaborationCase.objects.filter(pk=case.pk).update(stage=S.MATCHING)
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:case_stage", args=[case.pk]),
        {"to_stage": S.AGREEMENT},
        follow=True,
    )

    case.refresh_from_db()
    assert case.stage == S.MATCHING
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith(
        "Record the answers to the five principles of collaboration for:"
    )


def test_stage_move_shown_in_history(client, case, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:case_stage", args=[case.pk]),
        {"to_stage": S.MATCHING, "note": "候補を探す"},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The case is now “Matching”."
    ]
    history = list(response.context["history"])
    assert [(c.from_stage, c.to_stage) for c in history] == [
        ("", S.CONSULTATION),
        (S.CONSULTATION, S.MATCHING),
    ]


def test_discontinue_without_reason_refused(client, case, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:case_stage", args=[case.pk]),
        {"to_stage": S.DISCONTINUED, "note": ""},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Give a reason for discontinuing the case."
    ]
    case.refresh_from_db()
    assert case.stage == S.CONSULTATION


def test_note_form_keeps_input(client, case, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:note_new", args=[case.pk]),
        {"held_on": "not a date", "body": "会議で話したこと"},
    )

    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert "会議で話したこと" in response.content.decode()
    assert not case.notes.exists()


def test_note_form_rejects_future_date(client, case, regional):
    client.force_login(regional.user)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(
        reverse("facilitation:note_new", args=[case.pk]),
        {"held_on": tomorrow.isoformat(), "body": "来週の会議の予定"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [
        f"The meeting date {tomorrow.isoformat()} is in the future. Enter today "
        f"({timezone.localdate().isoformat()}) or an earlier day."
    ]
    assert "来週の会議の予定" in response.content.decode()
    assert not case.notes.exists()


def test_note_form_offers_allowed_dates(client, case, regional):
    client.force_login(regional.user)

    response = client.get(reverse("facilitation:note_new", args=[case.pk]))

    today = timezone.localdate().isoformat()
    assert f'max="{today}"' in response.content.decode()
    assert f'min="{timezone.localdate(case.created_at).isoformat()}"' in (
        response.content.decode()
    )


def test_administrator_reads_case_pages(client, case, party):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("facilitation:case_list"))
    detail = client.get(detail_url(case))
    edit = client.get(reverse("facilitation:case_edit", args=[case.pk]))

    assert listing.status_code == 200
    assert [row.pk for row in listing.context["page"]] == [case.pk]
    assert detail.status_code == 200
    assert not detail.context["is_manager"]
    assert edit.status_code == 403


def test_staff_user_without_superuser_refused(client, case):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("facilitation:case_list")).status_code == 403
    assert client.get(detail_url(case)).status_code == 404


def test_invitation_page_invites(client, case, party, regional, other_regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:invitation_new", args=[case.pk]),
        {"facilitator": other_regional.pk, "requested_by_party": party.pk},
    )

    assert response.status_code == 302
    invitation = case.invitations.get()
    assert invitation.facilitator == other_regional
    assert invitation.requested_by_party == party
    assert invitation.invited_by == regional.user


def test_list_queries_bounded(client, regional, django_assert_max_num_queries):
    for number in range(25):
        case_services.open_case(
            user=regional.user,
            centre=municipal_centre(0),
            title=f"案件{number}",
            shared_goal="g",
        )
    client.force_login(regional.user)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("facilitation:case_list"))

    assert len(response.context["page"].object_list) == 25


def test_detail_queries_bounded(client, case, regional, django_assert_max_num_queries):
    for number in range(6):
        case_services.add_party(
            case,
            regional.user,
            group=CivicGroupFactory(name=f"団体{number}"),
            role="r",
            contribution="c",
        )
    client.force_login(regional.user)

    with django_assert_max_num_queries(30):
        response = client.get(detail_url(case))

    assert response.status_code == 200


def test_chief_lists_every_case(client, case):
    chief = chief_facilitator()
    client.force_login(chief.user)

    response = client.get(reverse("facilitation:case_list"))

    assert list(response.context["page"].object_list) == [case]


def test_case_page_in_japanese(japanese_client, case, party, regional):
    japanese_client.force_login(regional.user)

    response = japanese_client.get(detail_url(case))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "里山保全と地元企業の協働" in html
    assert "里山の会" in html
    # Dates use the Japanese format of the portal.
    assert "年" in html
    assert "ログアウト" in html
