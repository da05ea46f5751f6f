"""The collaboration demo rows that load_demo_data adds."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from civic_portal.accounts.models import User
from facilitation.demo import DEMO_ACCOUNTS
from facilitation.models import (
    ActionItem,
    CaseStage,
    CollaborationCase,
    CollaborationExample,
    Facilitator,
    FacilitatorAppointment,
    Meeting,
    MeetingSeries,
    Partner,
    Recognition,
    RecognitionKind,
)
from facilitation.permissions import is_chief_facilitator
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services
from volunteering.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

COUNTED_MODELS = (
    User,
    Facilitator,
    FacilitatorAppointment,
    Partner,
    CollaborationCase,
    CollaborationExample,
    Meeting,
    ActionItem,
    Recognition,
)


def load() -> str:
    output = StringIO()
    call_command("load_demo_data", "--size", "small", "--seed", "7", stdout=output)
    return output.getvalue()


# Loading the small set is the slow part, so one test checks every part of
# the collaboration demo through the check_* helpers below.
def test_demo_rows_cover_collaboration(client):
    output = load()

    check_accounts(output, client)
    check_facilitators()
    check_partners()
    check_cases()
    check_examples()
    check_meetings()
    check_recognitions()
    check_second_run_creates_nothing()


def check_accounts(output, client):
    for account in DEMO_ACCOUNTS:
        assert account.email in output
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD), account.email
    chief = User.objects.get(email="chief@demo.example.jp")
    assert is_chief_facilitator(chief)
    client.force_login(User.objects.get(email="facilitator@demo.example.jp"))
    assert client.get(reverse("facilitation:case_list")).status_code == 200
    assert client.get(reverse("facilitation:meeting_list")).status_code == 200


def check_facilitators():
    chief = Facilitator.objects.get(kind=Facilitator.Kind.CHIEF)
    assert chief.appointments.get().centre.scope == "prefecture"
    ended = FacilitatorAppointment.objects.filter(ends_on__lt=timezone.localdate())
    assert ended.count() == 1
    moved = ended.get().facilitator
    assert moved.appointments.filter(ends_on__isnull=True).count() == 1
    for regional in Facilitator.objects.filter(kind=Facilitator.Kind.REGIONAL):
        assert regional.user.course_completions.exists()


def check_partners():
    kinds = set(Partner.objects.values_list("kind", flat=True))
    assert kinds == set(Partner.Kind.values)
    company = Partner.objects.get(contact_email="partner-staff@demo.example.jp")
    assert company.offers_volunteer_leave
    assert company.takes_part_in_probono


def check_cases():
    stages = set(CollaborationCase.objects.values_list("stage", flat=True))
    assert stages == set(CaseStage.values)
    for case in CollaborationCase.objects.all():
        assert case.notes.exists(), case.title
        assert case.created_at < timezone.now() - timezone.timedelta(days=7)
        assert case.stage_changes.count() >= 1
    discontinued = CollaborationCase.objects.get(stage=CaseStage.DISCONTINUED)
    assert discontinued.discontinued_reason
    assert CollaborationCase.objects.exclude(next_steps="").exists()


def check_examples():
    published = CollaborationExample.objects.get(published_at__isnull=False)
    draft = CollaborationExample.objects.get(published_at__isnull=True)
    assert all(row.has_consent for row in published.parties.all())
    assert [row.has_consent for row in draft.parties.all()] == [False, False, True]
    for email in ("staff@demo.example.jp", "partner-staff@demo.example.jp"):
        user = User.objects.get(email=email)
        assert draft in example_services.readable_examples(user), email
        own_rows = [
            row
            for row in draft.parties.all()
            if example_services.can_record_consent(user, row)
        ]
        assert len(own_rows) == 1, email
        assert not own_rows[0].has_consent, email
    regional = User.objects.get(email="facilitator@demo.example.jp")
    assert case_services.can_manage(regional, draft.case)


def check_meetings():
    series = MeetingSeries.objects.get()
    past = series.meetings.filter(ends_at__lt=timezone.now())
    upcoming = series.meetings.filter(ends_at__gte=timezone.now())
    assert past.count() >= 3
    assert upcoming.exists()
    assert all(meeting.agenda and meeting.minutes for meeting in past)
    assert "1. " in past.first().agenda
    assert ActionItem.objects.filter(done=True).exists()
    overdue = ActionItem.objects.filter(done=False, due_on__lt=timezone.localdate())
    assert overdue.filter(owner__email="facilitator@demo.example.jp").exists()


def check_recognitions():
    kinds = set(Recognition.objects.values_list("kind", flat=True))
    assert kinds == set(RecognitionKind.values)
    assert Recognition.objects.filter(withdrawn_on__isnull=False).count() == 1
    assert all(
        r.designated_on <= timezone.localdate() for r in Recognition.objects.all()
    )
    assert Recognition.objects.values("fiscal_year").distinct().count() >= 2


def check_second_run_creates_nothing():
    before = {model: model.objects.count() for model in COUNTED_MODELS}

    output = load()

    assert {model: model.objects.count() for model in COUNTED_MODELS} == before
    assert "Collaboration cases: 0 created" in output
