"""The partner-link demo rows, loaded on top of a few volunteering demo rows."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from partner_links import selectors
from partner_links.demo import (
    DEMO_ACCOUNTS,
    PROGRAMME_NAME,
    RESIDENT_EMAIL,
    STUDENT_EMAIL,
    load_partner_links_demo,
)
from partner_links.models import PointsProgramme, ProgrammeEnrolment, SchoolLink
from tests.factories import UserFactory
from tests.partner_links.factories import days_ago, participation
from volunteering.demo import LoadCounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteering_demo():
    """The demo accounts and bulk residents this loader builds on."""
    resident = UserFactory(email=RESIDENT_EMAIL)
    student = UserFactory(
        email=STUDENT_EMAIL,
        occupation="high_school",
        birth_date=days_ago(17 * 366),
        guardian_consent_at=timezone.now(),
    )
    participation(resident, days_ago(20))
    participation(student, days_ago(20))
    for number in range(6):
        bulk = UserFactory(email=f"resident{number:05d}@demo.example.jp")
        for days in range(number + 1):
            participation(bulk, days_ago(10 + days))
    return resident, student


def load() -> LoadCounts:
    counts = LoadCounts()
    load_partner_links_demo(seed=7, report=lambda _line: None, counts=counts)
    return counts


def test_demo_enrols_residents_with_hours(volunteering_demo):
    resident, _student = volunteering_demo

    load()

    programme = PointsProgramme.objects.get(name=PROGRAMME_NAME)
    enrolled = set(
        ProgrammeEnrolment.objects.filter(programme=programme).values_list(
            "resident__email", flat=True
        )
    )
    assert len(enrolled) == 5
    assert resident.email in enrolled
    assert "resident00000@demo.example.jp" not in enrolled
    rows = list(selectors.shareable_participation(programme))
    assert {row.application.applicant.email for row in rows} == enrolled
    for enrolment in ProgrammeEnrolment.objects.all():
        assert programme.membership_id_matches(enrolment.membership_id)


def test_demo_partner_and_teacher_accounts(volunteering_demo):
    _resident, student = volunteering_demo

    load()

    programme = PointsProgramme.objects.get(name=PROGRAMME_NAME)
    partner, teacher = (account.email for account in DEMO_ACCOUNTS)
    assert list(programme.partner_accounts.values_list("email", flat=True)) == [partner]
    link = SchoolLink.objects.get()
    assert link.student == student
    assert link.teacher_email == teacher
    teacher_user = programme.partner_accounts.model.objects.get(email=teacher)
    assert list(selectors.links_for_teacher(teacher_user)) == [link]


def test_demo_partner_has_api_token(volunteering_demo):
    load()

    partner_email = DEMO_ACCOUNTS[0].email
    assert Token.objects.filter(user__email=partner_email).count() == 1


def test_demo_second_run_creates_nothing(volunteering_demo):
    load()

    counts = load()

    assert set(counts.created.values()) == {0}
    assert ProgrammeEnrolment.objects.count() == 5
    assert SchoolLink.objects.count() == 1
    assert PointsProgramme.objects.count() == 1
