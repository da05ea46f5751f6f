"""Enrolling in a programme, withdrawing, and naming a teacher."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partner_links.models import ExportLog, ProgrammeEnrolment, SchoolLink
from partner_links.services import programmes as programme_services
from partner_links.services import schools as school_services
from tests.factories import UserFactory
from tests.partner_links.factories import (
    EnrolmentFactory,
    PointsProgrammeFactory,
    SchoolLinkFactory,
    days_ago,
    minor_without_guardian,
)

pytestmark = pytest.mark.django_db


def enrol(resident, programme, membership_id="12345678"):
    return programme_services.enrol(
        resident=resident, programme=programme, membership_id=membership_id
    )


def test_enrol_records_consent_time(resident, programme):
    before = timezone.now()

    enrolment = enrol(resident, programme)

    assert enrolment.membership_id == "12345678"
    assert enrolment.consented_at >= before
    assert enrolment.withdrawn_at is None


def test_enrol_normalises_full_width_id(resident, programme):
    enrolment = enrol(resident, programme, "　１２３４５６７８ ")

    assert enrolment.membership_id == "12345678"


@pytest.mark.parametrize("membership_id", ["1234567", "123456789", "abcdefgh", ""])
def test_enrol_rejects_wrong_format(resident, programme, membership_id):
    with pytest.raises(ValidationError) as error:
        enrol(resident, programme, membership_id)

    assert error.value.code == "invalid_membership_id"
    assert "12345678" in error.value.messages[0]
    assert not ProgrammeEnrolment.objects.exists()


def test_enrol_uses_programme_pattern(resident):
    programme = PointsProgrammeFactory(
        membership_id_pattern=r"YH-[0-9]{4}", membership_id_example="YH-0123"
    )

    assert enrol(resident, programme, "YH-0042").membership_id == "YH-0042"
    with pytest.raises(ValidationError):
        enrol(UserFactory(), programme, "12345678")


def test_enrol_rejects_membership_id_in_use(resident, programme):
    enrol(UserFactory(), programme, "12345678")

    with pytest.raises(ValidationError) as error:
        enrol(resident, programme, "１２３４５６７８")

    assert error.value.error_dict["membership_id"][0].code == "membership_id_in_use"
    assert not ProgrammeEnrolment.objects.filter(resident=resident).exists()


def test_enrol_reuses_withdrawn_membership_id(resident, programme):
    first = enrol(UserFactory(), programme, "12345678")
    programme_services.withdraw(enrolment=first)

    enrolment = enrol(resident, programme, "12345678")

    assert enrolment.membership_id == "12345678"


def test_enrol_same_id_other_programme(resident, programme):
    enrol(UserFactory(), PointsProgrammeFactory(), "12345678")

    assert enrol(resident, programme, "12345678").membership_id == "12345678"


def test_consenting_membership_id_unique_in_database(programme):
    EnrolmentFactory(programme=programme, membership_id="12345678")

    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(programme=programme, membership_id="12345678")


def test_enrol_race_on_membership_id(resident, programme, monkeypatch):
    """A concurrent enrolment that wins after the check gets the same message."""
    other = EnrolmentFactory(programme=programme, membership_id="12345678")
    withdrawn_at = timezone.now()
    ProgrammeEnrolment.objects.filter(pk=other.pk).update(withdrawn_at=withdrawn_at)
    create = ProgrammeEnrolment.objects.create

    def create_after_rival(**kwargs):
        # The rival's consent reappears between the check and the insert.
        ProgrammeEnrolment.objects.filter(pk=other.pk).update(withdrawn_at=None)
        return create(**kwargs)

    monkeypatch.setattr(ProgrammeEnrolment.objects, "create", create_after_rival)

    with pytest.raises(ValidationError) as error:
        enrol(resident, programme, "12345678")

    assert error.value.error_dict["membership_id"][0].code == "membership_id_in_use"


def test_enrol_rejects_inactive_programme(resident):
    programme = PointsProgrammeFactory(is_active=False)

    with pytest.raises(ValidationError) as error:
        enrol(resident, programme)

    assert error.value.code == "programme_inactive"


def test_enrol_rejects_minor_without_guardian_consent(programme):
    minor = minor_without_guardian()

    with pytest.raises(ValidationError) as error:
        enrol(minor, programme)

    assert error.value.code == "guardian_consent_required"
    assert not ProgrammeEnrolment.objects.exists()


def test_enrol_accepts_minor_with_guardian_consent(programme):
    minor = UserFactory(
        birth_date=days_ago(16 * 366), guardian_consent_at=timezone.now()
    )

    assert enrol(minor, programme).resident == minor


def test_enrol_rejects_unknown_birth_date(programme):
    with pytest.raises(ValidationError) as error:
        enrol(UserFactory(birth_date=None), programme)

    assert error.value.code == "birth_date_missing"


def test_enrol_twice_rejected(resident, programme):
    enrol(resident, programme)

    with pytest.raises(ValidationError) as error:
        enrol(resident, programme, "87654321")

    assert error.value.code == "already_enrolled"
    assert ProgrammeEnrolment.objects.count() == 1


def test_enrol_again_after_withdrawal(resident, programme):
    first = enrol(resident, programme)
    programme_services.withdraw(enrolment=first)

    second = enrol(resident, programme, "87654321")

    assert second.pk != first.pk
    assert ProgrammeEnrolment.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_withdraw_once():
    enrolment = EnrolmentFactory()

    assert programme_services.withdraw(enrolment=enrolment) is True
    withdrawn_at = ProgrammeEnrolment.objects.get().withdrawn_at
    assert programme_services.withdraw(enrolment=enrolment) is False
    assert ProgrammeEnrolment.objects.get().withdrawn_at == withdrawn_at


def test_record_export_logs_no_personal_data(caplog, programme, resident):
    with caplog.at_level("INFO", logger="partner_links"):
        programme_services.record_export(
            programme=programme,
            exported_by=resident,
            channel=ExportLog.Channel.CSV,
            since=dt.date(2026, 4, 1),
            until=dt.date(2026, 4, 30),
            row_count=7,
        )

    entry = ExportLog.objects.get()
    assert (entry.exported_by, entry.row_count) == (resident, 7)
    assert (entry.since, entry.until) == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert "7 rows" in caplog.text
    assert resident.email not in caplog.text


# --- school links ------------------------------------------------------------


@pytest.fixture
def student():
    return UserFactory(email="student@example.jp", occupation="high_school")


def link(student, email="teacher@school.example.jp"):
    return school_services.link_school(
        student=student,
        school_name=" 山口県立山口高等学校 ",
        teacher_name="防府 先生",
        teacher_email=email,
    )


def test_link_school_mails_teacher(student, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = link(student, "Teacher@School.example.jp")

    assert created.teacher_email == "teacher@school.example.jp"
    assert created.school_name == "山口県立山口高等学校"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["teacher@school.example.jp"]
    assert "/schools/students/" in mail.outbox[0].body


def test_teacher_mail_sent_once(student, django_capture_on_commit_callbacks):
    from partner_links.tasks import send_teacher_invitation

    with django_capture_on_commit_callbacks(execute=True):
        created = link(student)

    assert send_teacher_invitation(created.pk) is False
    assert len(mail.outbox) == 1


def test_teacher_mail_skipped_after_withdrawal(student):
    from partner_links.tasks import send_teacher_invitation

    created = SchoolLinkFactory(student=student, withdrawn_at=timezone.now())

    assert send_teacher_invitation(created.pk) is False
    assert mail.outbox == []


def test_link_school_one_at_a_time(student):
    link(student)

    with pytest.raises(ValidationError) as error:
        link(student, "other.teacher@school.example.jp")

    assert error.value.code == "one_school_at_a_time"


def test_link_school_after_withdrawal(student):
    first = link(student)
    school_services.withdraw_school_link(link=first)

    second = link(student, "other.teacher@school.example.jp")

    assert second.is_consenting
    assert SchoolLink.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_one_teacher_named_by_several_students(student):
    link(student)
    link(UserFactory(occupation="high_school"))

    assert (
        SchoolLink.objects.filter(teacher_email="teacher@school.example.jp").count()
        == 2
    )


def test_link_school_rejects_non_student(resident):
    with pytest.raises(ValidationError) as error:
        link(resident)

    assert error.value.code == "not_high_school_student"


def test_link_school_rejects_minor_without_guardian():
    minor = minor_without_guardian(occupation="high_school")

    with pytest.raises(ValidationError) as error:
        link(minor)

    assert error.value.code == "guardian_consent_required"
    assert not SchoolLink.objects.exists()


def test_link_school_rejects_own_address(student):
    with pytest.raises(ValidationError) as error:
        link(student, "Student@example.jp")

    assert error.value.code == "own_address"


def test_link_school_daily_limit(student):
    for number in range(school_services.MAX_SCHOOL_LINKS_PER_DAY):
        created = link(student, f"teacher{number}@school.example.jp")
        school_services.withdraw_school_link(link=created)

    with pytest.raises(ValidationError) as error:
        link(student, "one.more@school.example.jp")

    assert error.value.code == "too_many_links"


def test_daily_limit_counts_last_day_only(student):
    for number in range(school_services.MAX_SCHOOL_LINKS_PER_DAY):
        SchoolLinkFactory(
            student=student,
            teacher_email=f"teacher{number}@school.example.jp",
            consented_at=timezone.now() - dt.timedelta(days=2),
            withdrawn_at=timezone.now() - dt.timedelta(days=2),
        )

    assert link(student).is_consenting
