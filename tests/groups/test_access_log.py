"""The registration review page logs the applicant's name and e-mail."""

import pytest
from django.urls import reverse

from civic_portal.audit.models import PersonalDataAccess
from civic_portal.audit.services import USER_EMAIL, USER_NAME
from groups.models import CivicGroup, Consultation, SupportCentre, SupportCentreStaff
from groups.services import consultations as consultation_services
from tests.audit.helpers import logged_fields
from tests.factories import CivicGroupFactory, UserFactory, municipality
from tests.groups.test_registration_flow import centre_staff_of

pytestmark = pytest.mark.django_db

YAMAGUCHI = "35203"


@pytest.fixture
def pending_group():
    return CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.PENDING,
        approved_at=None,
        registered_on=None,
        municipality=municipality(YAMAGUCHI),
        created_by=UserFactory(),
    )


def test_review_page_logs_applicant(client, pending_group):
    reviewer = centre_staff_of(YAMAGUCHI)
    client.force_login(reviewer)
    url = reverse("groups:review_group", args=[pending_group.pk])
    assert client.get(url).status_code == 200
    assert logged_fields(reviewer) == {
        pending_group.created_by_id: {USER_NAME, USER_EMAIL}
    }
    row = PersonalDataAccess.objects.get()
    assert row.object_ref == f"groups.CivicGroup:{pending_group.pk}"


def test_review_page_rejects_resident(client, pending_group):
    client.force_login(UserFactory())
    url = reverse("groups:review_group", args=[pending_group.pk])
    assert client.get(url).status_code in (403, 404)
    assert not PersonalDataAccess.objects.exists()


def test_consultation_logs_asker_for_staff(client, resident):
    centre = SupportCentre.objects.filter(municipality__code="35202").first()
    staff = UserFactory()
    SupportCentreStaff.objects.create(centre=centre, user=staff)
    question = consultation_services.consultation_ask(
        asker=resident,
        centre=centre,
        topic=Consultation.Topic.FUNDING,
        question="助成金の申請書の書き方を教えてください。",
    )
    url = reverse("groups:consultation_detail", args=[question.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 200
    assert not PersonalDataAccess.objects.exists()
    client.force_login(staff)
    assert client.get(url).status_code == 200
    fields = logged_fields(staff)[resident.pk]
    assert "groups.Consultation.question" in fields
