import pytest
from django.urls import reverse

from facilitation.models import Partner
from tests.facilitation.factories import PartnerFactory
from tests.factories import activity_field, municipality

pytestmark = pytest.mark.django_db

LIST = reverse("facilitation:partner_list")
CREATE = reverse("facilitation:partner_create")


def valid_data(**overrides):
    data = {
        "name": "周南ケミカル株式会社",
        "kind": "company",
        "contact_name": "周南 花子",
        "contact_email": "hanako@shunan.example.jp",
        "contact_phone": "０８３４－２２－１１１１",
        "municipality": municipality("35215").pk,
        "website": "https://shunan.example.jp/",
        "offers_volunteer_leave": "on",
        "takes_part_in_probono": "on",
        "note": "社員ボランティア制度あり",
        "is_active": "on",
        "activity_fields": [activity_field(7).pk, activity_field(2).pk],
    }
    data.update(overrides)
    return data


def partner_urls(partner):
    return [
        LIST,
        CREATE,
        reverse("facilitation:partner_detail", args=[partner.pk]),
        reverse("facilitation:partner_edit", args=[partner.pk]),
    ]


def test_anonymous_redirected_to_login(client):
    partner = PartnerFactory()

    for url in partner_urls(partner):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


def test_stranger_forbidden(client, stranger):
    partner = PartnerFactory()
    client.force_login(stranger)

    for url in partner_urls(partner):
        assert client.get(url).status_code == 403, url
    assert client.post(CREATE, valid_data()).status_code == 403
    assert not Partner.objects.filter(name="周南ケミカル株式会社").exists()


def test_group_staff_forbidden(client, group_staff):
    client.force_login(group_staff)

    assert client.get(LIST).status_code == 403


def test_inactive_facilitator_forbidden(client, regional):
    regional.facilitator.is_active = False
    regional.facilitator.save()
    client.force_login(regional)

    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize("role", ["chief", "regional", "municipal_staff"])
def test_directory_users_see_contacts(client, request, role):
    partner = PartnerFactory(contact_email="kouhou@company.example.jp")
    client.force_login(request.getfixturevalue(role))

    listing = client.get(LIST)
    detail = client.get(reverse("facilitation:partner_detail", args=[partner.pk]))

    assert listing.status_code == 200
    assert partner.name in listing.content.decode()
    assert detail.status_code == 200
    assert "kouhou@company.example.jp" in detail.content.decode()


def test_create_partner(client, regional):
    client.force_login(regional)

    response = client.post(CREATE, valid_data())

    partner = Partner.objects.get(name="周南ケミカル株式会社")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "facilitation:partner_detail", args=[partner.pk]
    )
    assert partner.contact_phone == "0834-22-1111"
    assert partner.offers_volunteer_leave
    assert partner.municipality.code == "35215"
    assert set(partner.activity_fields.values_list("number", flat=True)) == {2, 7}


def test_company_flag_on_university_rerenders(client, regional):
    client.force_login(regional)

    response = client.post(CREATE, valid_data(kind="university", name="山口大学"))

    assert response.status_code == 200
    assert "Only a company can offer volunteer leave" in response.content.decode()
    assert response.context["form"]["name"].value() == "山口大学"
    assert response.context["form"]["contact_email"].value() == (
        "hanako@shunan.example.jp"
    )
    assert not Partner.objects.filter(name="山口大学").exists()


def test_bad_phone_rerenders(client, municipal_staff):
    client.force_login(municipal_staff)

    response = client.post(CREATE, valid_data(contact_phone="12-34"))

    assert response.status_code == 200
    assert "Enter a phone number of 10 or 11 digits" in response.content.decode()
    assert not Partner.objects.exists()


def test_edit_partner(client, chief):
    partner = PartnerFactory()
    client.force_login(chief)

    response = client.post(
        reverse("facilitation:partner_edit", args=[partner.pk]),
        valid_data(name="山口テック（改称）", is_active=""),
    )

    partner.refresh_from_db()
    assert response.status_code == 302
    assert partner.name == "山口テック（改称）"
    assert not partner.is_active


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "university"}, ["山口大学"]),
        ({"municipality": "35215"}, ["周南ケミカル"]),
        ({"field": "2"}, ["山口大学"]),
        ({"q": "ｹﾐｶﾙ"}, ["周南ケミカル"]),
        ({"include_inactive": "on"}, ["周南ケミカル", "休止中の会社", "山口大学"]),
        ({}, ["周南ケミカル", "山口大学"]),
    ],
)
def test_list_filters(client, regional, params, expected):
    PartnerFactory(name="周南ケミカル", municipality=municipality("35215"))
    university = PartnerFactory(name="山口大学", kind="university")
    university.activity_fields.set([activity_field(2)])
    PartnerFactory(name="休止中の会社", is_active=False)
    client.force_login(regional)

    response = client.get(LIST, params)

    names = sorted(partner.name for partner in response.context["page"])
    assert names == sorted(expected)


def test_list_queries_bounded(client, regional, django_assert_max_num_queries):
    for index in range(15):
        partner = PartnerFactory()
        partner.activity_fields.set([activity_field(7), activity_field(index % 5 + 1)])
    client.force_login(regional)

    with django_assert_max_num_queries(10):
        response = client.get(LIST)

    assert len(response.context["page"]) == 15


def test_pages_in_japanese(japanese_client, regional):
    partner = PartnerFactory(name="下関ものづくり株式会社")
    japanese_client.force_login(regional)

    response = japanese_client.get(
        reverse("facilitation:partner_detail", args=[partner.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in content
    assert "下関ものづくり株式会社" in content
