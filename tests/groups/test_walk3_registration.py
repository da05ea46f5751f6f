"""Registration checks against other groups: corporate number and name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import CivicGroup, SupportCentre
from groups.services.profile import submit_change_request
from tests.factories import CivicGroupFactory, municipality
from tests.groups.test_registration_flow import (
    VALID_NUMBER,
    application_data,
    centre_staff_of,
)

pytestmark = pytest.mark.django_db

NUMBER_TAKEN = "A group with this corporate number is already registered."


def corporation_data(**overrides):
    return application_data(
        legal_form=CivicGroup.LegalForm.NPO, corporate_number=VALID_NUMBER, **overrides
    )


def test_reapply_after_rejection_with_same_number(client, resident):
    rejected = CivicGroupFactory(
        name="却下された法人",
        legal_form=CivicGroup.LegalForm.NPO,
        corporate_number=VALID_NUMBER,
        review_status=CivicGroup.ReviewStatus.REJECTED,
    )
    client.force_login(resident)

    response = client.post(reverse("groups:register"), corporation_data())

    assert response.status_code == 302
    reapplied = CivicGroup.objects.exclude(pk=rejected.pk).get()
    assert reapplied.corporate_number == VALID_NUMBER
    assert reapplied.review_status == CivicGroup.ReviewStatus.PENDING


@pytest.mark.parametrize(
    "status",
    [
        CivicGroup.ReviewStatus.PENDING,
        CivicGroup.ReviewStatus.CHANGES_REQUESTED,
        CivicGroup.ReviewStatus.APPROVED,
    ],
)
def test_undecided_or_approved_number_blocks(client, resident, status):
    CivicGroupFactory(
        name="審査中の法人",
        legal_form=CivicGroup.LegalForm.NPO,
        corporate_number=VALID_NUMBER,
        municipality=municipality("35202"),
        review_status=status,
    )
    client.force_login(resident)

    response = client.post(reverse("groups:register"), corporation_data())

    assert response.status_code == 200
    errors = response.context["form"].errors["corporate_number"]
    assert errors[0].startswith(NUMBER_TAKEN)
    assert CivicGroup.objects.count() == 1


def test_change_request_may_take_rejected_number(group, group_staff):
    CivicGroupFactory(
        corporate_number=VALID_NUMBER,
        review_status=CivicGroup.ReviewStatus.REJECTED,
    )
    group.legal_form = CivicGroup.LegalForm.VOLUNTARY
    group.save()

    request = submit_change_request(
        group_id=group.pk,
        by=group_staff,
        fields={
            "legal_form": CivicGroup.LegalForm.NPO,
            "corporate_number": VALID_NUMBER,
        },
    )

    assert request.corporate_number == VALID_NUMBER


# Duplicate names

NAME_TAKEN = "A group with this name is already registered or awaiting review"


@pytest.mark.parametrize(
    "status",
    [
        CivicGroup.ReviewStatus.APPROVED,
        CivicGroup.ReviewStatus.PENDING,
        CivicGroup.ReviewStatus.CHANGES_REQUESTED,
    ],
)
def test_same_name_in_municipality_rejected(client, resident, status):
    CivicGroupFactory(
        name="やまぐち子ども食堂ネット",
        municipality=municipality("35203"),
        review_status=status,
    )
    client.force_login(resident)

    response = client.post(
        reverse("groups:register"),
        application_data(name="やまぐち子ども食堂ネット "),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["name"]
    assert errors[0].startswith(NAME_TAKEN)
    assert "invite you" in errors[0]
    assert CivicGroup.objects.count() == 1


def test_name_width_case_spaces_ignored(client, resident):
    CivicGroupFactory(name="NPO法人 ABCの会", municipality=municipality("35203"))
    client.force_login(resident)

    response = client.post(
        reverse("groups:register"), application_data(name="ｎｐｏ法人　ａｂｃの会")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"][0].startswith(NAME_TAKEN)


def test_same_name_elsewhere_allowed(client, resident):
    CivicGroupFactory(
        name="やまぐち子ども食堂ネット", municipality=municipality("35202")
    )
    client.force_login(resident)

    response = client.post(reverse("groups:register"), application_data())

    assert response.status_code == 302


def test_rejected_name_may_be_reused(client, resident):
    CivicGroupFactory(
        name="やまぐち子ども食堂ネット",
        municipality=municipality("35203"),
        review_status=CivicGroup.ReviewStatus.REJECTED,
    )
    client.force_login(resident)

    response = client.post(reverse("groups:register"), application_data())

    assert response.status_code == 302


def test_registration_stores_nfkc_name(client, resident):
    client.force_login(resident)

    client.post(reverse("groups:register"), application_data(name=" ＡＢＣ子ども会 "))

    assert CivicGroup.objects.get().name == "ABC子ども会"


def test_change_request_stores_nfkc_name(client, group, group_staff):
    client.force_login(group_staff)

    client.post(
        reverse("groups:change_request", args=[group.pk]), {"name": "ＡＢＣの会"}
    )

    assert group.change_requests.get().name == "ABCの会"


def test_review_page_lists_possible_duplicates(client):
    applicant_group = CivicGroupFactory(
        name="ＡＢＣの会",
        municipality=municipality("35203"),
        review_status=CivicGroup.ReviewStatus.PENDING,
    )
    CivicGroupFactory(name="abc の会", municipality=municipality("35202"))
    CivicGroupFactory(name="ABCの会 山口支部", municipality=municipality("35203"))
    client.force_login(centre_staff_of("35203", SupportCentre.Scope.PREFECTURE))

    response = client.get(reverse("groups:review_group", args=[applicant_group.pk]))

    duplicates = response.context["possible_duplicates"]
    assert [other.name for other in duplicates] == ["abc の会"]
    assert "Possible duplicates" in response.content.decode()


RENAME_TAKEN = (
    "Another group in this municipality is registered or awaiting review under "
    "this name. Choose a name that tells the two apart, or contact a support "
    "centre."
)


def test_change_request_rename_to_taken_name_rejected(group, group_staff):
    CivicGroupFactory(
        name="ＹＡＭＡＧＵＣＨＩ 子ども食堂", municipality=group.municipality
    )

    with pytest.raises(ValidationError) as caught:
        submit_change_request(
            group_id=group.pk, by=group_staff, fields={"name": "yamaguchi子ども食堂"}
        )

    assert caught.value.message_dict == {"name": [RENAME_TAKEN]}


def test_change_request_rename_free_elsewhere(group, group_staff):
    other_town = municipality("35202")
    assert other_town != group.municipality
    CivicGroupFactory(name="やまぐち子ども食堂", municipality=other_town)

    request = submit_change_request(
        group_id=group.pk, by=group_staff, fields={"name": "やまぐち子ども食堂"}
    )

    assert request.name == "やまぐち子ども食堂"
