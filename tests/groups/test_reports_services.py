import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from civic_portal.accounts.models import SentNotification
from civic_portal.fiscal import JAPAN
from groups.models import AnnualGroupReport, CivicGroup, GroupMembership
from groups.services import reports as report_services
from groups.tasks.reports import send_report_reminders
from probono.models import Skill
from tests.factories import CivicGroupFactory, GroupMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def report_fields(**overrides):
    fields = {
        "members_30s": 3,
        "members_60s": 5,
        "participants_20s": 2,
        "participants_70_plus": 4,
        "volunteers_taken_in": 6,
        "main_activities": "里山の手入れと竹林の間伐",
        "income_membership_fees": 120_000,
        "income_grants": 300_000,
        "digital_tools": ["website", "social_media"],
        "wants_probono": False,
        "self_evaluation": AnnualGroupReport.SelfEvaluation.AS_PLANNED,
        "self_evaluation_note": "",
    }
    fields.update(overrides)
    return fields


def test_file_stores_report_for_current_year(group, group_staff):
    now = dt.datetime(2026, 4, 1, 0, 30, tzinfo=JAPAN)

    report = report_services.report_file(
        group=group, submitted_by=group_staff, fields=report_fields(), now=now
    )

    assert report.fiscal_year == 2026
    assert report.members_60s == 5
    assert report.participants_total == 6
    assert report.submitted_by == group_staff


def test_file_uses_japan_time_for_year(group, group_staff):
    # 31 March 20:00 UTC is already 1 April in Japan.
    now = dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.UTC)

    report = report_services.report_file(
        group=group, submitted_by=group_staff, fields=report_fields(), now=now
    )

    assert report.fiscal_year == 2026


def test_file_twice_same_year_rejected(group, group_staff):
    report_services.report_file(
        group=group, submitted_by=group_staff, fields=report_fields()
    )

    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group, submitted_by=group_staff, fields=report_fields()
        )

    assert raised.value.code == "already_filed"
    assert "already filed" in raised.value.messages[0]
    assert AnnualGroupReport.objects.filter(group=group).count() == 1


def test_file_sets_group_wants_probono(group, group_staff):
    skills = list(Skill.objects.all()[:2])

    report = report_services.report_file(
        group=group,
        submitted_by=group_staff,
        fields=report_fields(wants_probono=True),
        skills=skills,
    )

    group.refresh_from_db()
    assert group.wants_probono is True
    assert set(report.probono_skills.all()) == set(skills)


def test_update_can_withdraw_probono_wish(group, group_staff):
    skills = list(Skill.objects.all()[:1])
    report = report_services.report_file(
        group=group,
        submitted_by=group_staff,
        fields=report_fields(wants_probono=True),
        skills=skills,
    )

    report_services.report_update(
        report=report, fields=report_fields(wants_probono=False), skills=skills
    )

    group.refresh_from_db()
    assert group.wants_probono is False
    assert report.probono_skills.count() == 0


def test_probono_wish_needs_skills(group, group_staff):
    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group,
            submitted_by=group_staff,
            fields=report_fields(wants_probono=True),
        )

    assert "probono_skills" in raised.value.message_dict


def test_report_needs_some_people(group, group_staff):
    empty = {
        f"{kind}_{band}": 0
        for kind in ("members", "participants")
        for band in ("under_20", "20s", "30s", "40s", "50s", "60s", "70_plus")
    }

    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group, submitted_by=group_staff, fields=report_fields(**empty)
        )

    assert "members_under_20" in raised.value.message_dict


def test_report_rejects_implausible_counts(group, group_staff):
    fields = report_fields(members_30s=1_000_000, income_donations=10**12)

    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group, submitted_by=group_staff, fields=fields
        )

    assert set(raised.value.message_dict) == {"members_30s", "income_donations"}


def test_report_rejects_negative_values(group, group_staff):
    fields = report_fields(participants_20s=-1, income_grants=-100)

    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group, submitted_by=group_staff, fields=fields
        )

    assert set(raised.value.message_dict) == {"participants_20s", "income_grants"}


def test_report_rejects_unknown_digital_tool(group, group_staff):
    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group,
            submitted_by=group_staff,
            fields=report_fields(digital_tools=["fax"]),
        )

    assert "digital_tools" in raised.value.message_dict


def test_update_rejected_after_year_ends(group, group_staff):
    report = report_services.report_file(
        group=group,
        submitted_by=group_staff,
        fields=report_fields(),
        now=dt.datetime(2025, 6, 1, tzinfo=JAPAN),
    )
    after_year = dt.datetime(2026, 4, 1, 0, 0, tzinfo=JAPAN)

    with pytest.raises(ValidationError) as raised:
        report_services.report_update(
            report=report, fields=report_fields(members_30s=9), now=after_year
        )

    assert raised.value.code == "year_ended"
    report.refresh_from_db()
    assert report.members_30s == 3


def test_editable_until_last_moment_of_year(group, group_staff):
    report = AnnualGroupReport(group=group, fiscal_year=2025)

    last_minute = dt.datetime(2026, 3, 31, 23, 59, tzinfo=JAPAN)
    next_year = dt.datetime(2026, 4, 1, 0, 0, tzinfo=JAPAN)
    assert report_services.is_editable(report, last_minute) is True
    assert report_services.is_editable(report, next_year) is False


def test_overview_splits_filed_and_not_filed(group, group_staff):
    missing = CivicGroupFactory()
    CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    CivicGroupFactory(status=CivicGroup.Status.DISSOLVED)
    report = report_services.report_file(
        group=group, submitted_by=group_staff, fields=report_fields()
    )
    year = report.fiscal_year
    everyone = CivicGroup.objects.all()

    overview = report_services.filing_overview(everyone, year)
    filed = report_services.filing_overview(everyone, year, filed=True)
    not_filed = report_services.filing_overview(everyone, year, filed=False)

    assert {g.pk for g in overview} == {group.pk, missing.pk}
    assert [(g.pk, g.report_id) for g in filed] == [(group.pk, report.pk)]
    assert [g.pk for g in not_filed] == [missing.pk]


def test_reminders_go_to_admins_in_their_language(
    group, django_capture_on_commit_callbacks
):
    admin = GroupMembershipFactory(
        group=group, user=UserFactory(preferred_language="en")
    ).user
    GroupMembershipFactory(group=group, role=GroupMembership.Role.EDITOR)
    japanese_admin = GroupMembershipFactory(
        group=group, user=UserFactory(preferred_language="ja")
    ).user
    year = report_services.current_fiscal_year()

    with django_capture_on_commit_callbacks(execute=True):
        queued = report_services.request_reminders(CivicGroup.objects.all(), year)

    assert queued == 1
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([admin.email, japanese_admin.email])
    english = next(m for m in mail.outbox if m.to == [admin.email])
    assert "Please file the annual report" in english.subject
    assert group.name in english.subject
    assert f"FY{year} (Reiwa" in english.subject
    assert f"/groups/{group.pk}/reports/new/" in english.body
    japanese = next(m for m in mail.outbox if m.to == [japanese_admin.email])
    assert f"{year}（令和" in japanese.subject


def test_reminders_at_most_once_a_day(group, group_staff):
    year = report_services.current_fiscal_year()

    first = send_report_reminders(year, [group.pk])
    second = send_report_reminders(year, [group.pk])

    assert first == 1
    assert second == 0
    assert len(mail.outbox) == 1
    assert (
        SentNotification.objects.filter(
            key__startswith=f"groups.report.reminder:{year}:{group.pk}:"
        ).count()
        == 1
    )


def test_reminders_skip_groups_that_filed(group, group_staff):
    report = report_services.report_file(
        group=group, submitted_by=group_staff, fields=report_fields()
    )

    sent = send_report_reminders(report.fiscal_year, [group.pk])

    assert sent == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"review_status": CivicGroup.ReviewStatus.PENDING},
        {"status": CivicGroup.Status.DISSOLVED},
    ],
    ids=["pending", "dissolved"],
)
def test_unregistered_group_cannot_file(overrides):
    group = CivicGroupFactory(**overrides)
    user = GroupMembershipFactory(group=group).user

    with pytest.raises(ValidationError) as raised:
        report_services.report_file(
            group=group, submitted_by=user, fields=report_fields()
        )

    assert raised.value.code == "not_registered"
    assert not AnnualGroupReport.objects.exists()
