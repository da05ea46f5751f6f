"""Collaboration example pages: public list and detail, drafts, consent, publishing."""

import pytest
from django.urls import reverse

from facilitation.models import CaseStage, CollaborationExample, Principle
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services
from tests.facilitation.factories import (
    PartnerFactory,
    municipal_centre,
    regional_facilitator,
)
from tests.factories import CivicGroupFactory, GroupMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional():
    return regional_facilitator("regional@example.jp", centre=municipal_centre(0))


@pytest.fixture
def group():
    return CivicGroupFactory(name="里山の会")


@pytest.fixture
def group_staff(group):
    return GroupMembershipFactory(group=group).user


def completed_case(regional, group, title="里山保全の協働"):
    case = case_services.open_case(
        user=regional.user, centre=municipal_centre(0), title=title, shared_goal="g"
    )
    for fields in ({"group": group}, {"partner": PartnerFactory()}):
        party = case_services.add_party(
            case, regional.user, role="r", contribution="草刈り", **fields
        )
        case_services.record_principle_answers(
            party, regional.user, {p.value: (True, "") for p in Principle}
        )
    for stage in (
        CaseStage.MATCHING,
        CaseStage.AGREEMENT,
        CaseStage.IN_PROGRESS,
        CaseStage.COMPLETED,
    ):
        case_services.transition(case, stage, regional.user)
    return case


def draft(case, regional, title="里山を守る協働"):
    return example_services.draft_example(
        case,
        regional.user,
        title=title,
        summary="団体と企業が協働した",
        texts={p.pk: ("作業した", "学んだ") for p in case.parties.all()},
    )


@pytest.fixture
def example(regional, group):
    return draft(completed_case(regional, group), regional)


def publish(example, user):
    for row in example.parties.all():
        example_services.give_consent(row, user)
    example_services.publish(example, user)


def detail_url(example):
    return reverse("facilitation:example_detail", args=[example.pk])


def test_public_sees_only_published(client, example, regional, group):
    other = draft(completed_case(regional, group, title="別の案件"), regional, "公開例")
    publish(other, regional.user)

    listing = client.get(reverse("facilitation:example_list"))

    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == [other]
    assert "里山を守る協働" not in listing.content.decode()
    assert client.get(detail_url(example)).status_code == 404
    assert client.get(detail_url(other)).status_code == 200


def test_facilitator_lists_draft_like_api(client, example, regional):
    client.force_login(regional.user)

    listing = client.get(reverse("facilitation:example_list"))
    api = client.get("/api/facilitation/examples/")

    assert list(listing.context["page"].object_list) == [example]
    assert "Draft: not published" in listing.content.decode()
    assert [row["id"] for row in api.json()["results"]] == [example.pk]


def test_stranger_gets_404_for_draft(client, example):
    client.force_login(UserFactory())

    assert client.get(detail_url(example)).status_code == 404


def test_public_page_shows_party_table(client, example, regional):
    publish(example, regional.user)

    response = client.get(detail_url(example))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>The parties, what each did and what each gained</caption>" in html
    assert html.count('<th scope="row">') == 2
    assert "里山の会" in html
    assert "作業した" in html
    assert "学んだ" in html
    assert "Consent to publish" not in html
    assert 'name="action"' not in html


def test_group_staff_gives_consent(client, example, group_staff):
    row = example.parties.get(party__group__isnull=False)
    client.force_login(group_staff)

    page = client.get(detail_url(example))
    response = client.post(
        reverse("facilitation:example_consent", args=[example.pk, row.pk]),
        {"action": "give"},
    )

    assert page.status_code == 200
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.consent_given_by == group_staff


def test_group_staff_cannot_consent_for_partner(client, example, group_staff):
    row = example.parties.get(party__partner__isnull=False)
    client.force_login(group_staff)

    response = client.post(
        reverse("facilitation:example_consent", args=[example.pk, row.pk]),
        {"action": "give"},
    )

    assert response.status_code == 403
    row.refresh_from_db()
    assert not row.has_consent


def test_stranger_cannot_consent(client, example):
    row = example.parties.first()
    client.force_login(UserFactory())

    response = client.post(
        reverse("facilitation:example_consent", args=[example.pk, row.pk]),
        {"action": "give"},
    )

    assert response.status_code == 404


def test_anonymous_cannot_consent(client, example):
    row = example.parties.first()

    response = client.post(
        reverse("facilitation:example_consent", args=[example.pk, row.pk]),
        {"action": "give"},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_publish_without_consent_shows_error(client, example, regional):
    client.force_login(regional.user)

    response = client.post(
        reverse("facilitation:example_publish", args=[example.pk]),
        {"action": "publish"},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith("Consent is missing from: 里山の会")
    example.refresh_from_db()
    assert not example.is_published


def test_group_staff_cannot_publish(client, example, group_staff, regional):
    for row in example.parties.all():
        example_services.give_consent(row, regional.user)
    client.force_login(group_staff)

    response = client.post(
        reverse("facilitation:example_publish", args=[example.pk]),
        {"action": "publish"},
    )

    assert response.status_code == 403
    example.refresh_from_db()
    assert not example.is_published


def test_withdrawal_page_takes_down(client, example, regional, group_staff):
    publish(example, regional.user)
    row = example.parties.get(party__group__isnull=False)
    client.force_login(group_staff)

    response = client.post(
        reverse("facilitation:example_consent", args=[example.pk, row.pk]),
        {"action": "withdraw"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "The consent of 里山の会 was withdrawn.",
        "The example is no longer published.",
    ]
    client.logout()
    assert client.get(detail_url(example)).status_code == 404


def test_published_page_offers_group_staff_withdrawal(
    client, example, regional, group_staff
):
    publish(example, regional.user)
    row = example.parties.get(party__group__isnull=False)
    client.force_login(group_staff)

    page = client.get(detail_url(example)).content.decode()

    consent_url = reverse("facilitation:example_consent", args=[example.pk, row.pk])
    assert f'action="{consent_url}"' in page
    assert 'name="action" value="withdraw"' in page


def test_published_page_hides_consents_from_public(client, example, regional):
    publish(example, regional.user)

    page = client.get(detail_url(example)).content.decode()

    assert "Consent to publish" not in page


def test_draft_form_prefilled_and_saved(client, regional, group):
    case = completed_case(regional, group)
    client.force_login(regional.user)
    url = reverse("facilitation:example_new", args=[case.pk])

    page = client.get(url)
    data = {"title": "里山の事例", "summary": "概要"}
    for party in case.parties.all():
        data[f"did_{party.pk}"] = "草刈りをした"
        data[f"gained_{party.pk}"] = "仲間が増えた"
    response = client.post(url, data)

    assert page.status_code == 200
    assert page.context["form"].initial["title"] == case.title
    example = CollaborationExample.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(example)
    assert example.parties.filter(what_they_gained="仲間が増えた").count() == 2


def test_draft_form_keeps_input(client, regional, group):
    case = completed_case(regional, group)
    client.force_login(regional.user)
    data = {"title": "里山の事例", "summary": "概要をここに"}

    response = client.post(reverse("facilitation:example_new", args=[case.pk]), data)

    assert response.status_code == 200
    assert len(response.context["form"].errors) == 4
    assert "概要をここに" in response.content.decode()
    assert not CollaborationExample.objects.exists()


def test_draft_form_refused_to_other_centre(client, regional, group):
    case = completed_case(regional, group)
    other = regional_facilitator("other@example.jp", centre=municipal_centre(1))
    client.force_login(other.user)

    response = client.get(reverse("facilitation:example_new", args=[case.pk]))

    assert response.status_code == 404


def test_consent_list_for_group_staff(client, example, group_staff):
    client.force_login(group_staff)

    response = client.get(reverse("facilitation:consent_list"))

    assert list(response.context["examples"]) == [example]


def test_public_list_queries_bounded(
    client, regional, group, django_assert_max_num_queries
):
    for number in range(6):
        example = draft(
            completed_case(regional, group, title=f"案件{number}"),
            regional,
            title=f"事例{number}",
        )
        publish(example, regional.user)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("facilitation:example_list"))

    assert len(response.context["page"].object_list) == 6


def test_example_page_in_japanese(japanese_client, example, regional):
    publish(example, regional.user)

    response = japanese_client.get(detail_url(example))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "里山を守る協働" in html
    assert "ログイン" in html


def test_partner_staff_reads_draft_and_consents(client, example):
    row = example.parties.select_related("party__partner").get(
        party__partner__isnull=False
    )
    partner = row.party.partner
    partner.contact_email = "contact@partner.example.jp"
    partner.save()
    staff = UserFactory(email="contact@partner.example.jp")
    client.force_login(staff)

    page = client.get(detail_url(example))
    listing = client.get(reverse("facilitation:consent_list"))
    response = client.post(
        reverse("facilitation:example_consent", args=[example.pk, row.pk]),
        {"action": "give"},
    )

    assert page.status_code == 200
    assert [can for _row, can in page.context["rows"]] == [False, True]
    assert example.title in listing.content.decode()
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.has_consent
