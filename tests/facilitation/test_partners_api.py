import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from facilitation.models import Partner
from tests.facilitation.factories import PartnerFactory
from tests.factories import activity_field

pytestmark = pytest.mark.django_db

LIST = reverse("facilitation-partner-list")


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def detail_url(partner):
    return reverse("facilitation-partner-detail", args=[partner.pk])


def new_partner(**overrides):
    data = {
        "name": "宇部ものづくり株式会社",
        "kind": "company",
        "contact_name": "宇部 次郎",
        "contact_email": "jiro@ube.example.jp",
        "contact_phone": "０８３６－２２－１１１１",
        "municipality": "35202",
        "activity_fields": [7, 2],
        "offers_volunteer_leave": True,
    }
    data.update(overrides)
    return data


def test_anonymous_rejected(api):
    partner = PartnerFactory()

    assert api.get(LIST).status_code in (401, 403)
    assert api.get(detail_url(partner)).status_code in (401, 403)
    assert api.post(LIST, new_partner(), format="json").status_code in (401, 403)


def test_stranger_forbidden(api, stranger):
    partner = PartnerFactory()
    api.force_authenticate(stranger)

    assert api.get(LIST).status_code == 403
    assert api.get(detail_url(partner)).status_code == 403
    assert api.post(LIST, new_partner(), format="json").status_code == 403
    assert (
        api.patch(detail_url(partner), {"name": "x"}, format="json").status_code == 403
    )
    assert not Partner.objects.filter(name="宇部ものづくり株式会社").exists()


def test_list_with_contacts(api, municipal_staff):
    PartnerFactory(contact_email="kouhou@company.example.jp")
    api.force_authenticate(municipal_staff)

    response = api.get(LIST)

    [row] = response.json()["results"]
    assert response.status_code == 200
    assert row["contact_email"] == "kouhou@company.example.jp"


def test_filter_by_kind(api, regional):
    PartnerFactory(name="山口大学", kind="university")
    PartnerFactory(name="山口テック")
    api.force_authenticate(regional)

    response = api.get(LIST, {"kind": "university"})

    assert [row["name"] for row in response.json()["results"]] == ["山口大学"]


def test_create_partner(api, regional):
    api.force_authenticate(regional)

    response = api.post(LIST, new_partner(), format="json")

    body = response.json()
    assert response.status_code == 201, body
    assert body["contact_phone"] == "0836-22-1111"
    assert sorted(body["activity_fields"]) == [2, 7]
    assert Partner.objects.get(pk=body["id"]).municipality.code == "35202"


def test_company_flag_on_school_rejected(api, regional):
    api.force_authenticate(regional)

    response = api.post(
        LIST, new_partner(kind="high_school", name="宇部高校"), format="json"
    )

    assert response.status_code == 400
    assert "Only a company can offer volunteer leave" in str(
        response.json()["offers_volunteer_leave"]
    )
    assert not Partner.objects.filter(name="宇部高校").exists()


def test_patch_keeps_fields_of_interest(api, chief):
    partner = PartnerFactory()
    partner.activity_fields.set([activity_field(7)])
    api.force_authenticate(chief)

    response = api.patch(detail_url(partner), {"note": "更新"}, format="json")

    assert response.status_code == 200
    assert response.json()["activity_fields"] == [7]
    assert response.json()["note"] == "更新"


def test_patch_kind_breaking_flags_rejected(api, chief):
    partner = PartnerFactory(takes_part_in_probono=True)
    api.force_authenticate(chief)

    response = api.patch(detail_url(partner), {"kind": "other"}, format="json")

    partner.refresh_from_db()
    assert response.status_code == 400
    assert partner.kind == "company"


def test_no_delete(api, chief):
    partner = PartnerFactory()
    api.force_authenticate(chief)

    assert api.delete(detail_url(partner)).status_code == 405


def test_list_queries_bounded(api, regional, django_assert_max_num_queries):
    for _ in range(15):
        PartnerFactory().activity_fields.set([activity_field(7), activity_field(3)])
    api.force_authenticate(regional)

    with django_assert_max_num_queries(5):
        response = api.get(LIST)

    assert len(response.json()["results"]) == 15
