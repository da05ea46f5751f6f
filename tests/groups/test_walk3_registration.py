"""Registration checks against other groups: corporate number and name."""

import pytest
from django.urls import reverse

from groups.models import CivicGroup
from groups.services.profile import submit_change_request
from tests.factories import CivicGroupFactory, municipality
from tests.groups.test_registration_flow import VALID_NUMBER, application_data

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
