"""The lifecycle service: dated status changes and certifications."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Certification, CivicGroup, GroupStatusChange
from groups.services import lifecycle
from tests.factories import CivicGroupFactory, municipality
from tests.groups.test_registration_flow import centre_staff_of

pytestmark = pytest.mark.django_db

FY2021_END = dt.date(2022, 3, 31)


@pytest.fixture
def registered_group():
    """A group registered in 2020 with its first status recorded."""
    group = CivicGroupFactory(
        registered_on=dt.date(2020, 6, 1), municipality=municipality("35203")
    )
    lifecycle.change_status(group, "active", dt.date(2020, 6, 1), None)
    return group


def test_change_status_keeps_group_in_step(registered_group):
    lifecycle.change_status(registered_group, "dissolved", dt.date(2023, 1, 10), None)

    registered_group.refresh_from_db()
    assert registered_group.status == CivicGroup.Status.DISSOLVED
    assert registered_group.dissolved_on == dt.date(2023, 1, 10)
    assert registered_group.status_changes.count() == 2


def test_reactivation_clears_dissolved_on(registered_group):
    lifecycle.change_status(registered_group, "dissolved", dt.date(2023, 1, 10), None)
    lifecycle.change_status(registered_group, "active", dt.date(2023, 5, 1), None)

    registered_group.refresh_from_db()
    assert registered_group.status == CivicGroup.Status.ACTIVE
    assert registered_group.dissolved_on is None


def test_backdated_change_keeps_current_status(registered_group):
    lifecycle.change_status(registered_group, "dormant", dt.date(2021, 4, 1), None)
    lifecycle.change_status(registered_group, "active", dt.date(2022, 4, 1), None)
    # A change reported late, dated before the latest one, leaves the
    # current status alone.
    lifecycle.change_status(registered_group, "dissolved", dt.date(2021, 10, 1), None)

    registered_group.refresh_from_db()
    assert registered_group.status == CivicGroup.Status.ACTIVE
    assert lifecycle.status_on(registered_group, dt.date(2022, 1, 1)) == "dissolved"


def test_dissolution_answers_past_dates(registered_group):
    lifecycle.change_status(registered_group, "dissolved", dt.date(2022, 3, 1), None)

    assert not CivicGroup.objects.registered_on(FY2021_END).filter(
        pk=registered_group.pk
    )
    assert CivicGroup.objects.registered_on(dt.date(2022, 2, 28)).filter(
        pk=registered_group.pk
    )


def test_future_status_rejected(registered_group):
    tomorrow = lifecycle.today_in_japan() + dt.timedelta(days=1)

    with pytest.raises(ValidationError, match="future"):
        lifecycle.change_status(registered_group, "dormant", tomorrow, None)
    assert registered_group.status_changes.count() == 1


def test_status_before_registration_rejected(registered_group):
    with pytest.raises(ValidationError, match="before the group was registered"):
        lifecycle.change_status(registered_group, "dormant", dt.date(2019, 1, 1), None)


def test_same_status_rejected(registered_group):
    with pytest.raises(ValidationError, match="already has this status"):
        lifecycle.change_status(registered_group, "active", dt.date(2021, 1, 1), None)


def test_certification_expiry_from_kind(registered_group):
    certified = lifecycle.record_certification(
        registered_group, "certified", dt.date(2020, 7, 1), None
    )
    other = CivicGroupFactory(legal_form=CivicGroup.LegalForm.NPO)
    special = lifecycle.record_certification(
        other, "special", dt.date(2021, 7, 1), None
    )

    assert certified.expires_on == dt.date(2025, 6, 30)
    assert special.expires_on == dt.date(2024, 6, 30)


def test_certification_sets_legal_form_while_current(registered_group):
    lifecycle.record_certification(
        registered_group, "certified", lifecycle.today_in_japan(), None
    )

    registered_group.refresh_from_db()
    assert registered_group.legal_form == CivicGroup.LegalForm.CERTIFIED_NPO


def test_expired_certification_keeps_legal_form(registered_group):
    lifecycle.record_certification(
        registered_group, "special", dt.date(2015, 1, 1), None
    )

    registered_group.refresh_from_db()
    assert registered_group.legal_form == CivicGroup.LegalForm.NPO


def test_sync_turns_expired_form_back(registered_group):
    lifecycle.record_certification(
        registered_group, "certified", dt.date(2021, 4, 1), None
    )
    expiry = Certification.objects.get().expires_on

    lifecycle.sync_certified_forms(expiry)
    registered_group.refresh_from_db()
    assert registered_group.legal_form == CivicGroup.LegalForm.CERTIFIED_NPO

    changed = lifecycle.sync_certified_forms(expiry + dt.timedelta(days=1))
    registered_group.refresh_from_db()
    assert changed == 1
    assert registered_group.legal_form == CivicGroup.LegalForm.NPO


def test_sync_applies_certification_starting_later(registered_group):
    start = lifecycle.today_in_japan() + dt.timedelta(days=10)
    lifecycle.record_certification(registered_group, "special", start, None)
    registered_group.refresh_from_db()
    assert registered_group.legal_form == CivicGroup.LegalForm.NPO

    lifecycle.sync_certified_forms(start)

    registered_group.refresh_from_db()
    assert registered_group.legal_form == CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO


def test_sync_turns_revoked_form_back(registered_group):
    certification = lifecycle.record_certification(
        registered_group, "certified", lifecycle.today_in_japan(), None
    )
    certification.revoked_on = lifecycle.today_in_japan()
    certification.save()

    lifecycle.sync_certified_forms()

    registered_group.refresh_from_db()
    assert registered_group.legal_form == CivicGroup.LegalForm.NPO


def test_sync_keeps_form_without_certification_rows():
    """An imported certified NPO has its form but no certification history."""
    group = CivicGroupFactory(legal_form=CivicGroup.LegalForm.CERTIFIED_NPO)

    assert lifecycle.sync_certified_forms() == 0

    group.refresh_from_db()
    assert group.legal_form == CivicGroup.LegalForm.CERTIFIED_NPO


def test_sync_runs_daily_from_beat():
    from civic_portal.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert "groups.tasks.registration.sync_certified_forms" in tasks


def test_renewal_links_to_previous(registered_group):
    first = lifecycle.record_certification(
        registered_group, "special", dt.date(2019, 4, 1), None
    )
    renewal = lifecycle.renew_certification(first, None)

    assert renewal.kind == Certification.Kind.CERTIFIED
    assert renewal.certified_on == dt.date(2022, 4, 1)
    assert renewal.renewal_of == first
    assert CivicGroup.objects.certified_on(FY2021_END).filter(pk=registered_group.pk)
    assert CivicGroup.objects.certified_on(dt.date(2022, 4, 1)).filter(
        pk=registered_group.pk
    )


def test_overlapping_certification_rejected(registered_group):
    lifecycle.record_certification(
        registered_group, "certified", dt.date(2020, 7, 1), None
    )

    with pytest.raises(ValidationError, match="already covers"):
        lifecycle.record_certification(
            registered_group, "certified", dt.date(2022, 1, 1), None
        )
    with pytest.raises(ValidationError, match="overlap a later one"):
        lifecycle.record_certification(
            registered_group, "certified", dt.date(2019, 1, 1), None
        )
    assert registered_group.certifications.count() == 1


def test_only_npo_can_be_certified():
    group = CivicGroupFactory(legal_form=CivicGroup.LegalForm.VOLUNTARY)

    with pytest.raises(ValidationError, match="Only an NPO corporation"):
        lifecycle.record_certification(group, "certified", dt.date(2021, 1, 1), None)


def test_centre_staff_records_status(client, registered_group):
    reviewer = centre_staff_of("35203")
    client.force_login(reviewer)
    response = client.post(
        reverse("groups:review_record_status", args=[registered_group.pk]),
        {"status": "dormant", "effective_on": "2024-04-01", "note": "総会で休止"},
    )

    assert response.status_code == 302
    change = GroupStatusChange.objects.filter(group=registered_group).latest("pk")
    assert change.status == "dormant"
    assert change.recorded_by == reviewer
    assert change.note == "総会で休止"


def test_centre_staff_status_error_shown(client, registered_group):
    client.force_login(centre_staff_of("35203"))
    response = client.post(
        reverse("groups:review_record_status", args=[registered_group.pk]),
        {"status": "active", "effective_on": "2024-04-01"},
    )

    assert response.status_code == 200
    assert response.context["status_form"].errors["status"] == [
        "The group already has this status on that date."
    ]


def test_centre_staff_records_and_renews_certification(client, registered_group):
    client.force_login(centre_staff_of("35203"))
    client.post(
        reverse("groups:review_record_certification", args=[registered_group.pk]),
        {"kind": "certified", "certified_on": "2018-04-01"},
    )
    first = registered_group.certifications.get()
    response = client.post(
        reverse(
            "groups:review_renew_certification", args=[registered_group.pk, first.pk]
        )
    )

    assert response.status_code == 302
    renewal = registered_group.certifications.latest("certified_on")
    assert renewal.renewal_of == first
    assert renewal.certified_on == dt.date(2023, 4, 1)
    page = client.get(reverse("groups:history", args=[registered_group.pk]))
    assert "renewal" in page.content.decode()


def test_review_page_warns_of_missing_certification(client):
    group = CivicGroupFactory(
        legal_form=CivicGroup.LegalForm.CERTIFIED_NPO,
        municipality=municipality("35203"),
    )
    client.force_login(centre_staff_of("35203"))
    url = reverse("groups:review_group", args=[group.pk])
    warning = "no certification is recorded"

    assert warning in client.get(url).content.decode()
    lifecycle.record_certification(group, "certified", dt.date(2024, 4, 1), None)
    assert warning not in client.get(url).content.decode()


def test_unregistered_group_has_no_lifecycle():
    pending = CivicGroupFactory(
        review_status=CivicGroup.ReviewStatus.PENDING, registered_on=None
    )

    with pytest.raises(ValidationError, match="not registered yet"):
        lifecycle.change_status(pending, "dormant", dt.date(2024, 1, 1), None)
    with pytest.raises(ValidationError, match="not registered yet"):
        lifecycle.record_certification(pending, "certified", dt.date(2024, 1, 1), None)
    assert not pending.status_changes.exists()
    assert not pending.certifications.exists()


def test_certification_form_only_for_npo(client):
    voluntary = CivicGroupFactory(
        legal_form=CivicGroup.LegalForm.VOLUNTARY, municipality=municipality("35203")
    )
    npo = CivicGroupFactory(municipality=municipality("35203"))
    client.force_login(centre_staff_of("35203"))
    form_url = "certifications/"

    voluntary_page = client.get(reverse("groups:review_group", args=[voluntary.pk]))
    npo_page = client.get(reverse("groups:review_group", args=[npo.pk]))
    assert form_url not in voluntary_page.content.decode()
    assert form_url in npo_page.content.decode()
