"""Residents enrol, see what is shared, and withdraw, on their own pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partner_links.models import ProgrammeEnrolment
from tests.partner_links.factories import (
    EnrolmentFactory,
    PointsProgrammeFactory,
    days_ago,
    minor_without_guardian,
    participation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return PointsProgrammeFactory(name="ほうふ健康マイレージ")


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


def test_pages_need_login(client, programme):
    for url in (
        reverse("partner_links:programme_list"),
        reverse("partner_links:enrol", args=[programme.pk]),
    ):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_programme_list_shows_active_only(resident_client, programme):
    PointsProgrammeFactory(name="終了した制度", is_active=False)

    content = resident_client.get(
        reverse("partner_links:programme_list")
    ).content.decode()

    assert "ほうふ健康マイレージ" in content
    assert "終了した制度" not in content


def test_programme_list_keeps_inactive_enrolment(resident_client, resident):
    enrolment = EnrolmentFactory(
        resident=resident, programme=PointsProgrammeFactory(name="終了した制度")
    )
    enrolment.programme.is_active = False
    enrolment.programme.save()

    response = resident_client.get(reverse("partner_links:programme_list"))

    assert "終了した制度" in response.content.decode()
    assert (
        reverse("partner_links:enrolment_detail", args=[enrolment.pk])
        in response.content.decode()
    )


def test_enrol_page_lists_shared_items(resident_client, programme):
    response = resident_client.get(reverse("partner_links:enrol", args=[programme.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "the confirmed hours" in content
    assert "your membership id in the programme" in content
    assert "12345678" in content


def test_enrol_records_consent(resident_client, resident, programme):
    response = resident_client.post(
        reverse("partner_links:enrol", args=[programme.pk]),
        {"membership_id": "１２３４５６７８", "consent": "on"},
    )

    enrolment = ProgrammeEnrolment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "partner_links:enrolment_detail", args=[enrolment.pk]
    )
    assert enrolment.resident == resident
    assert enrolment.membership_id == "12345678"


def test_enrol_without_consent_box_rejected(resident_client, programme):
    response = resident_client.post(
        reverse("partner_links:enrol", args=[programme.pk]),
        {"membership_id": "12345678"},
    )

    assert response.status_code == 400
    assert not ProgrammeEnrolment.objects.exists()


def test_enrol_wrong_id_shows_error(resident_client, programme):
    response = resident_client.post(
        reverse("partner_links:enrol", args=[programme.pk]),
        {"membership_id": "12-34", "consent": "on"},
    )

    assert response.status_code == 400
    assert "not a valid membership id" in response.content.decode()
    assert 'value="12-34"' in response.content.decode()


def test_enrol_id_in_use_keeps_input(resident_client, programme):
    EnrolmentFactory(programme=programme, membership_id="12345678")

    response = resident_client.post(
        reverse("partner_links:enrol", args=[programme.pk]),
        {"membership_id": "12345678", "consent": "on"},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "already registered by another resident" in content
    assert 'value="12345678"' in content
    assert ProgrammeEnrolment.objects.count() == 1


def test_enrol_minor_refused_without_form(client, programme):
    minor = minor_without_guardian()
    client.force_login(minor)

    page = client.get(reverse("partner_links:enrol", args=[programme.pk]))
    posted = client.post(
        reverse("partner_links:enrol", args=[programme.pk]),
        {"membership_id": "12345678", "consent": "on"},
    )

    assert "parent or guardian" in page.content.decode()
    assert 'name="membership_id"' not in page.content.decode()
    assert posted.status_code == 400
    assert not ProgrammeEnrolment.objects.exists()


def test_enrol_inactive_programme_not_found(resident_client):
    programme = PointsProgrammeFactory(is_active=False)

    response = resident_client.get(reverse("partner_links:enrol", args=[programme.pk]))

    assert response.status_code == 404


def test_detail_previews_shared_rows(resident_client, resident):
    enrolment = EnrolmentFactory(resident=resident, membership_id="24681357")
    shared = participation(resident, days_ago(2))
    shared.application.post.title = "海岸清掃"
    shared.application.post.save()
    before_consent = participation(resident, days_ago(60))
    before_consent.application.post.title = "同意前の活動"
    before_consent.application.post.save()

    response = resident_client.get(
        reverse("partner_links:enrolment_detail", args=[enrolment.pk])
    )

    content = response.content.decode()
    assert "海岸清掃" in content
    assert "24681357" in content
    assert "同意前の活動" not in content


def test_detail_of_other_resident_not_found(resident_client):
    enrolment = EnrolmentFactory()

    detail = resident_client.get(
        reverse("partner_links:enrolment_detail", args=[enrolment.pk])
    )
    withdraw = resident_client.post(
        reverse("partner_links:enrolment_withdraw", args=[enrolment.pk])
    )

    assert detail.status_code == 404
    assert withdraw.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is None


def test_withdraw_stops_sharing(resident_client, resident):
    enrolment = EnrolmentFactory(resident=resident)

    response = resident_client.post(
        reverse("partner_links:enrolment_withdraw", args=[enrolment.pk])
    )

    enrolment.refresh_from_db()
    assert response.status_code == 302
    assert enrolment.withdrawn_at is not None
    assert enrolment.withdrawn_at <= timezone.now()


def test_withdraw_needs_post(resident_client, resident):
    enrolment = EnrolmentFactory(resident=resident)

    response = resident_client.get(
        reverse("partner_links:enrolment_withdraw", args=[enrolment.pk])
    )

    assert response.status_code == 405


def test_detail_query_count(resident_client, resident, django_assert_max_num_queries):
    enrolment = EnrolmentFactory(resident=resident)
    for days in range(1, 11):
        participation(resident, days_ago(days))
    url = reverse("partner_links:enrolment_detail", args=[enrolment.pk])

    with django_assert_max_num_queries(8):
        response = resident_client.get(url)

    assert response.content.decode().count("<tr>") == 11


def test_programme_list_links_exports_for_partner(client, programme, partner_user):
    client.force_login(partner_user)

    page = client.get(reverse("partner_links:programme_list")).content.decode()

    assert reverse("partner_links:partner_home") in page


def test_programme_list_hides_exports_from_resident(resident_client):
    page = resident_client.get(reverse("partner_links:programme_list")).content.decode()

    assert reverse("partner_links:partner_home") not in page


def test_programme_list_query_count(
    resident_client, resident, django_assert_max_num_queries
):
    for _ in range(6):
        EnrolmentFactory(resident=resident)
    PointsProgrammeFactory()

    with django_assert_max_num_queries(7):
        response = resident_client.get(reverse("partner_links:programme_list"))

    assert response.content.decode().count('class="card"') == 7
