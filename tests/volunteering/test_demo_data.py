from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.text import normalize_search_text
from groups.demo import promised_counts
from groups.models import CivicGroup
from volunteering.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    SIZES,
    STUDENT_TARGET_HOURS,
)
from volunteering.models import Application, Attendance, VolunteerPost, VolunteerSession

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    output = StringIO()
    call_command("load_demo_data", "--seed", "7", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def demo_output():
    return load()


def test_small_set_counts(demo_output):
    promised = promised_counts("small")

    assert CivicGroup.objects.count() == promised["groups"]
    assert VolunteerPost.objects.count() == promised["posts"]
    assert VolunteerSession.objects.count() > 1000
    assert Application.objects.count() > 4000
    assert f"Posts: {promised['posts']} to create, 0 existing" in demo_output


def test_group_search_text_matches_save(demo_output):
    stale = [
        group.name
        for group in CivicGroup.objects.all()
        if group.search_text != group.build_search_text()
    ]

    assert stale == []
    # "食品" is in the food bank theme's description, not in any group name.
    food = normalize_search_text("食品")
    assert CivicGroup.objects.filter(search_text__contains=food).exists()


def test_second_run_creates_nothing(demo_output):
    before = {
        model: model.objects.count()
        for model in (User, CivicGroup, VolunteerPost, VolunteerSession, Application)
    }

    output = load()

    after = {model: model.objects.count() for model in before}
    assert after == before
    assert f"Posts: 0 to create, {promised_counts('small')['posts']} existing" in output
    assert f"Groups: 0 created, {SIZES['small'].groups} existing" in output


def test_places_taken_match_held_applications(demo_output):
    sessions = VolunteerSession.objects.annotate(
        held=Sum(
            "applications__party_size",
            filter=Q(applications__status__in=Application.HOLDING_PLACES),
            default=0,
        )
    )
    mismatched = [s.pk for s in sessions if s.places_taken != s.held]
    overbooked = [s.pk for s in sessions if s.places_taken > s.capacity]

    assert mismatched == []
    assert overbooked == []


def test_every_application_status_present(demo_output):
    statuses = set(Application.objects.values_list("status", flat=True))

    assert statuses == set(Application.Status.values)


def test_most_posts_are_closed(demo_output):
    closed = VolunteerPost.objects.filter(status=VolunteerPost.Status.CLOSED).count()
    published = VolunteerPost.objects.filter(status=VolunteerPost.Status.PUBLISHED)

    assert closed > 300
    assert published.filter(sessions__starts_at__gt=timezone.now()).exists()


def test_past_confirmed_sessions_have_attendance(demo_output):
    without = Application.objects.filter(
        status=Application.Status.CONFIRMED,
        session__ends_at__lt=timezone.now(),
        attendance__isnull=True,
    )

    assert not without.exists()
    assert Attendance.objects.filter(status=Attendance.Status.NO_SHOW).exists()


def test_student_has_target_hours(demo_output):
    student = User.objects.get(email=DEMO_ACCOUNTS[1].email)
    hours = Attendance.objects.filter(
        application__applicant=student, status=Attendance.Status.CONFIRMED
    ).aggregate(total=Sum("hours"))["total"]

    assert student.is_high_school_student
    assert hours == Decimal(STUDENT_TARGET_HOURS)


def test_demo_accounts_can_log_in(demo_output):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD), account.email
        assert account.email in demo_output

    admin = User.objects.get(email=DEMO_ACCOUNTS[3].email)
    staff = User.objects.get(email=DEMO_ACCOUNTS[2].email)
    assert admin.is_superuser
    assert staff.group_memberships.exists()
