"""Admin: prefectural staff manage programmes; consent records are read-only."""

import pytest
from django.urls import reverse

from partner_links.models import (
    ExportLog,
    PointsProgramme,
    ProgrammeEnrolment,
    SchoolLink,
)
from tests.facilitation.factories import PartnerFactory
from tests.factories import UserFactory
from tests.partner_links.factories import EnrolmentFactory, SchoolLinkFactory

pytestmark = pytest.mark.django_db

READ_ONLY_MODELS = [ProgrammeEnrolment, SchoolLink, ExportLog]


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client):
    """A client signed in as prefectural staff with no model permissions."""
    client.force_login(UserFactory(is_staff=True))
    return client


def test_staff_adds_programme(staff_client):
    partner = PartnerFactory()

    response = staff_client.post(
        admin_url(PointsProgramme, "add"),
        {
            "name": "ほうふ健康マイレージ",
            "partner": partner.pk,
            "description": "",
            "membership_id_pattern": "[0-9]{6}",
            "membership_id_example": "012345",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert PointsProgramme.objects.get().membership_id_pattern == "[0-9]{6}"


def test_invalid_pattern_rejected(staff_client):
    response = staff_client.post(
        admin_url(PointsProgramme, "add"),
        {
            "name": "ほうふ健康マイレージ",
            "partner": PartnerFactory().pk,
            "membership_id_pattern": "[0-9",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "Invalid regular expression" in response.content.decode()
    assert not PointsProgramme.objects.exists()


def test_programme_changelist_counts_consents(staff_client):
    enrolment = EnrolmentFactory()

    response = staff_client.get(admin_url(PointsProgramme, "changelist"))

    assert response.status_code == 200
    assert enrolment.programme.name in response.content.decode()


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda m: m.__name__)
def test_consent_records_read_only(staff_client, model):
    EnrolmentFactory()
    SchoolLinkFactory()

    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model, "add")).status_code == 403


def test_enrolment_cannot_be_changed(staff_client):
    enrolment = EnrolmentFactory()
    url = admin_url(ProgrammeEnrolment, "change", enrolment.pk)

    response = staff_client.post(url, {"membership_id": "99999999"})

    enrolment.refresh_from_db()
    assert response.status_code == 403
    assert enrolment.membership_id != "99999999"
