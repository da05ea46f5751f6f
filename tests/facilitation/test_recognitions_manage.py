"""Recording, editing and withdrawing recognitions: pages, rules, permissions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from facilitation.forms_recognitions import GROUP_CHOICES_MAX
from facilitation.models import Recognition, RecognitionKind
from facilitation.services import recognitions as recognition_services
from tests.facilitation.factories import PartnerFactory, RecognitionFactory
from tests.factories import CivicGroupFactory

pytestmark = pytest.mark.django_db

MANAGE = reverse("facilitation:recognition_manage")
NEW = reverse("facilitation:recognition_new")


def edit_url(recognition):
    return reverse("facilitation:recognition_edit", args=[recognition.pk])


def withdraw_url(recognition):
    return reverse("facilitation:recognition_withdraw", args=[recognition.pk])


def award_data(recipient_group, **changes):
    data = {
        "kind": RecognitionKind.AWARD,
        "fiscal_year": "2026",
        "title": "チャレンジやまぐち！地域貢献賞",
        "citation": "里山の保全を20年続けた",
        "group": str(recipient_group.pk),
        "partner": "",
        "designated_on": "2026-10-23",
    }
    data.update(changes)
    return data


@pytest.fixture
def recognition():
    return RecognitionFactory(group=CivicGroupFactory(name="萩の町並み保存会"))


def test_anonymous_redirected_to_login(client, recognition):
    for url in (MANAGE, NEW, edit_url(recognition), withdraw_url(recognition)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", ["regional", "stranger", "municipal_staff"])
def test_other_roles_refused(client, recognition, role, request):
    client.force_login(request.getfixturevalue(role))

    for url in (MANAGE, NEW, edit_url(recognition), withdraw_url(recognition)):
        assert client.get(url).status_code == 403, url
    response = client.post(NEW, award_data(CivicGroupFactory()))
    assert response.status_code == 403
    assert Recognition.objects.count() == 1


def test_regional_facilitator_rejected_by_service(regional):
    with pytest.raises(ValidationError) as raised:
        recognition_services.save_recognition(
            Recognition(), fields={"title": "t"}, by=regional
        )

    assert raised.value.code == "not_recognition_manager"


@pytest.mark.parametrize("role", ["chief", "prefectural_staff"])
def test_managers_reach_every_page(client, recognition, role, request):
    client.force_login(request.getfixturevalue(role))

    for url in (MANAGE, NEW, edit_url(recognition), withdraw_url(recognition)):
        assert client.get(url).status_code == 200, url
    assert (
        "Manage recognitions"
        in client.get(reverse("facilitation:recognition_index")).content.decode()
    )


def test_manage_link_hidden_from_public(client, recognition):
    content = client.get(reverse("facilitation:recognition_index")).content.decode()

    assert MANAGE not in content


def test_empty_list_explains(client, chief):
    client.force_login(chief)

    response = client.get(MANAGE)

    assert response.status_code == 200
    assert (
        "No recognitions are recorded in the portal yet." in response.content.decode()
    )


def test_chief_records_award(client, chief):
    group = CivicGroupFactory(name="里山の会")
    client.force_login(chief)

    response = client.post(NEW, award_data(group))

    assert response.status_code == 302
    recognition = Recognition.objects.get()
    assert recognition.group == group
    assert recognition.designated_on == dt.date(2026, 10, 23)
    listing = client.get(MANAGE).content.decode()
    assert "里山の会" in listing
    assert "In force" in listing


def test_model_business_site_for_partner(client, prefectural_staff):
    partner = PartnerFactory(name="周南化学株式会社")
    client.force_login(prefectural_staff)

    response = client.post(
        NEW,
        award_data(
            CivicGroupFactory(),
            kind=RecognitionKind.MODEL_BUSINESS_SITE,
            title="モデル事業所",
            group="",
            partner=str(partner.pk),
        ),
    )

    assert response.status_code == 302
    assert Recognition.objects.get().partner == partner


def test_both_recipients_kept_with_error(client, chief):
    client.force_login(chief)
    partner = PartnerFactory()

    response = client.post(
        NEW, award_data(CivicGroupFactory(), partner=str(partner.pk))
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Choose either a civic group or a partner as the recipient, not both."
    ]
    assert "里山の保全を20年続けた" in response.content.decode()
    assert not Recognition.objects.exists()


def test_date_outside_fiscal_year_rejected(client, chief):
    client.force_login(chief)

    response = client.post(
        NEW, award_data(CivicGroupFactory(), designated_on="2026-03-31")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["designated_on"] == [
        "The designation date 2026-03-31 is not in fiscal year 2026. Fiscal "
        "years run from 1 April to 31 March."
    ]


def test_future_date_rejected(client, chief):
    client.force_login(chief)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    year = tomorrow.year if tomorrow.month >= 4 else tomorrow.year - 1

    response = client.post(
        NEW,
        award_data(
            CivicGroupFactory(),
            fiscal_year=str(year),
            designated_on=tomorrow.isoformat(),
        ),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["designated_on"] == [
        f"The designation date {tomorrow.isoformat()} is in the future. Record a "
        "recognition on or after the day it is designated."
    ]
    assert not Recognition.objects.exists()


@pytest.mark.parametrize("year", ["1989", "2101", "二〇二六"])
def test_fiscal_year_out_of_range(client, chief, year):
    client.force_login(chief)

    response = client.post(NEW, award_data(CivicGroupFactory(), fiscal_year=year))

    assert response.status_code == 200
    assert "fiscal_year" in response.context["form"].errors
    assert not Recognition.objects.exists()


def test_second_award_same_year_rejected(client, chief, recognition):
    client.force_login(chief)

    response = client.post(
        NEW, award_data(recognition.group, designated_on="2026-11-03")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "萩の町並み保存会 already has a recognition of this kind in fiscal year "
        "2026. Edit that one instead."
    ]
    assert Recognition.objects.count() == 1


def group_options(response):
    """Return the labels of the civic group list's options, without the empty one."""
    field = response.context["form"]["group"]
    return [label for value, label in field.field.widget.choices if value != ""]


def test_group_list_shows_only_matches(client, chief):
    for number in range(GROUP_CHOICES_MAX + 10):
        CivicGroupFactory(name=f"やまぐち子ども食堂{number}")
    CivicGroupFactory(name="萩の町並み保存会")
    client.force_login(chief)

    unsearched = client.get(NEW)
    searched = client.get(NEW, {"group_q": "町並み"})
    many = client.get(NEW, {"group_q": "子ども食堂"})

    assert group_options(unsearched) == []
    assert group_options(searched) == ["萩の町並み保存会"]
    assert "1 group matches." in searched.content.decode()
    assert len(group_options(many)) == GROUP_CHOICES_MAX
    assert f"More than {GROUP_CHOICES_MAX} groups match," in many.content.decode()


def test_group_outside_search_accepted(client, chief):
    group = CivicGroupFactory(name="里山の会")
    client.force_login(chief)

    response = client.post(NEW, award_data(group, group_q="町並み"))

    assert response.status_code == 302
    assert Recognition.objects.get().group == group


def test_rejected_form_keeps_search_and_choice(client, chief):
    group = CivicGroupFactory(name="里山の会")
    CivicGroupFactory(name="萩の町並み保存会")
    client.force_login(chief)

    response = client.post(
        NEW, award_data(group, group_q="町並み", designated_on="2026-03-31")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert group_options(response) == ["里山の会", "萩の町並み保存会"]
    assert 'name="group_q" value="町並み"' in content


def test_edit_lists_own_recipient(client, chief, recognition):
    client.force_login(chief)

    response = client.get(edit_url(recognition))

    assert group_options(response) == ["萩の町並み保存会"]


def test_edit_keeps_own_recipient(client, chief, recognition):
    client.force_login(chief)

    response = client.post(
        edit_url(recognition),
        award_data(recognition.group, title="地域貢献賞（団体の部）"),
    )

    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.title == "地域貢献賞（団体の部）"


def test_withdrawal_hides_from_public(client, chief, recognition):
    client.force_login(chief)

    response = client.post(
        withdraw_url(recognition),
        {"on": timezone.localdate().isoformat(), "reason": "団体の解散による"},
    )

    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.withdrawn_on == timezone.localdate()
    assert recognition.withdrawal_reason == "団体の解散による"
    year_page = client.get(reverse("facilitation:recognition_year", args=[2026]))
    assert year_page.context["awards"] == []
    assert recognition_services.year_summaries() == []
    api = APIClient().get("/api/facilitation/recognitions/")
    assert api.data["results"] == []
    listing = client.get(MANAGE).content.decode()
    assert f"Withdrawn on {timezone.localdate().isoformat()}" in listing
    assert withdraw_url(recognition) not in listing


def test_withdrawal_needs_reason_and_date(client, chief, recognition):
    client.force_login(chief)

    response = client.post(
        withdraw_url(recognition), {"on": "2026-11-02", "reason": "  "}
    )

    early = client.post(
        withdraw_url(recognition), {"on": "2026-11-02", "reason": "解散"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert early.status_code == 200
    assert early.context["form"].errors["on"] == [
        "The withdrawal date 2026-11-02 is before the designation on 2026-11-03. "
        "Enter 2026-11-03 or a later day."
    ]
    assert "解散" in early.content.decode()
    recognition.refresh_from_db()
    assert recognition.withdrawn_on is None


def test_withdrawal_in_future_rejected(chief, recognition):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        recognition_services.withdraw_recognition(
            recognition, on=tomorrow, reason="理由", by=chief
        )

    assert raised.value.error_dict["on"][0].code == "withdrawn_in_future"


def test_withdrawn_twice_rejected(chief, recognition):
    recognition_services.withdraw_recognition(
        recognition, on=timezone.localdate(), reason="理由", by=chief
    )

    with pytest.raises(ValidationError) as raised:
        recognition_services.withdraw_recognition(
            recognition, on=timezone.localdate(), reason="理由", by=chief
        )

    assert raised.value.code == "already_withdrawn"


def test_withdrawn_page_redirects(client, chief, recognition):
    recognition_services.withdraw_recognition(
        recognition, on=timezone.localdate(), reason="理由", by=chief
    )
    client.force_login(chief)

    response = client.get(withdraw_url(recognition))

    assert response.status_code == 302
    assert response.url == MANAGE


def test_list_queries_bounded(client, chief, django_assert_max_num_queries):
    for number in range(30):
        RecognitionFactory(group=CivicGroupFactory(name=f"団体{number}"))
    client.force_login(chief)

    with django_assert_max_num_queries(12):
        response = client.get(MANAGE)

    assert len(response.context["page"].object_list) == 30


def test_manage_page_in_japanese(japanese_client, chief, recognition):
    japanese_client.force_login(chief)

    response = japanese_client.get(MANAGE)

    assert response.status_code == 200
    assert "萩の町並み保存会" in response.content.decode()
