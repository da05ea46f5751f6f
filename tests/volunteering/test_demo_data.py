import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Q, Sum
from django.utils import timezone

from civic_portal.accounts.models import User
from civic_portal.privacy.minors import can_see_personal_data, is_minor
from civic_portal.text import normalize_search_text
from groups.demo import promised_counts
from groups.models import CivicGroup, GroupMembership, SupportCentre
from groups.validators import validate_corporate_number
from volunteering.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    SIZES,
    STAFF_ACCOUNT_KEYS,
    STUDENT_NEAR_CERTIFICATION_HOURS,
    STUDENT_TARGET_HOURS,
)
from volunteering.models import Application, Attendance, VolunteerPost, VolunteerSession
from volunteering.selectors import post_search
from volunteering.tasks import send_matching_mails, send_session_call

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


def account(key: str) -> User:
    emails = {account.key: account.email for account in DEMO_ACCOUNTS}
    return User.objects.get(email=emails[key])


def staff_groups(key: str):
    return GroupMembership.objects.filter(user=account(key)).values("group")


def test_unrecorded_attendance_only_for_demo_staff(demo_output):
    without = Application.objects.filter(
        status=Application.Status.CONFIRMED,
        session__ends_at__lt=timezone.now(),
        attendance__isnull=True,
    )
    showcase_groups = [*staff_groups("staff"), *staff_groups("staff2")]
    elsewhere = without.exclude(
        post__group__in=[row["group"] for row in showcase_groups]
    )

    assert without.exists()
    assert not elsewhere.exists()
    assert Attendance.objects.filter(status=Attendance.Status.NO_SHOW).exists()


@pytest.mark.parametrize("key", STAFF_ACCOUNT_KEYS)
def test_staff_account_has_work(demo_output, key):
    now = timezone.now()
    posts = VolunteerPost.objects.filter(
        group__in=staff_groups(key), status=VolunteerPost.Status.PUBLISHED
    )
    applications = Application.objects.filter(post__in=posts)
    past = applications.filter(
        status=Application.Status.CONFIRMED, session__ends_at__lt=now
    )
    full = VolunteerSession.objects.filter(
        post__in=posts, starts_at__gt=now, places_taken=F("capacity")
    )

    assert past.filter(attendance__isnull=True).exists()
    assert past.filter(attendance__status=Attendance.Status.SUBMITTED).exists()
    assert applications.filter(status=Application.Status.PENDING).exists()
    assert full.exists()
    assert applications.filter(
        session__in=full, status=Application.Status.WAITLISTED
    ).exists()


def search_filters() -> list[dict[str, str]]:
    in_20_days = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    return [
        {"q": "清掃"},
        {"municipality": "35201"},
        {"field": "1"},
        {"date_from": in_20_days},
        {"date_to": in_20_days},
        {"day_type": "weekday"},
        {"day_type": "weekend"},
        {"online": "on"},
        {"high_school": "on"},
        {"has_places": "on"},
    ]


def test_every_search_filter_changes_results(demo_output):
    unfiltered = post_search({}).qs.count()
    unchanged = []
    for data in search_filters():
        found = post_search(data).qs.count()
        if found in (0, unfiltered):
            unchanged.append((data, found))

    assert unfiltered > 0
    assert unchanged == []


def test_post_features_are_open(demo_output):
    open_posts = VolunteerPost.objects.published()
    year_round = open_posts.filter(
        kind=VolunteerPost.Kind.YEAR_ROUND, monthly_capacity__isnull=False
    )

    assert open_posts.filter(is_online=True).exists()
    assert open_posts.filter(welcomes_high_school=False).exists()
    assert open_posts.filter(minimum_age__isnull=False).exists()
    assert open_posts.filter(accepts_teams=True).exists()
    assert year_round.exists()


def test_matching_mails_and_session_call_find_residents(demo_output, mailoutbox):
    published = VolunteerPost.objects.published()
    session = (
        VolunteerSession.objects.upcoming()
        .with_free_places()
        .filter(post__in=published)
        .order_by("starts_at", "pk")
        .first()
    )

    daily = send_matching_mails("daily")
    weekly = send_matching_mails("weekly")
    called = send_session_call(session.pk)

    assert daily > 0
    assert weekly > 0
    assert called > 0
    assert len(mailoutbox) == daily + weekly + called


def test_students_have_target_hours(demo_output):
    targets = {"student": STUDENT_TARGET_HOURS}
    targets["student2"] = STUDENT_NEAR_CERTIFICATION_HOURS
    for key, target in targets.items():
        student = account(key)
        hours = Attendance.objects.filter(
            application__applicant=student, status=Attendance.Status.CONFIRMED
        ).aggregate(total=Sum("hours"))["total"]

        assert student.is_high_school_student, key
        assert student.guardian_consent_at is not None, key
        assert hours == Decimal(target), key


def test_demo_accounts_can_log_in(demo_output):
    for demo_account in DEMO_ACCOUNTS:
        user = User.objects.get(email=demo_account.email)
        assert user.check_password(DEMO_PASSWORD), demo_account.email
        assert demo_account.email in demo_output

    assert account("admin").is_superuser
    assert account("staff").group_memberships.exists()
    assert account("staff2").group_memberships.exists()
    assert account("resident").interest_fields.exists()


def test_centre_accounts_staff_their_centres(demo_output):
    prefectural = SupportCentre.objects.get(staff_memberships__user=account("centre"))
    municipal = SupportCentre.objects.get(
        staff_memberships__user=account("centre_city")
    )

    assert prefectural.scope == SupportCentre.Scope.PREFECTURE
    assert municipal.scope == SupportCentre.Scope.MUNICIPAL


def test_registered_groups_have_dated_history(demo_output):
    today = timezone.localdate()
    registered = CivicGroup.objects.filter(registered_on__isnull=False)

    assert (
        registered.count()
        == CivicGroup.objects.filter(approved_at__isnull=False).count()
    )
    assert not registered.filter(status_changes__isnull=True).exists()
    assert set(CivicGroup.objects.registered_on(today)) == set(
        CivicGroup.objects.public()
    )
    assert not registered.filter(founded_on__gt=F("registered_on")).exists()


def test_corporations_have_valid_numbers(demo_output):
    corporations = CivicGroup.objects.filter(
        legal_form__in=CivicGroup.CORPORATE_FORMS, registered_on__isnull=False
    )

    assert corporations.exists()
    for group in corporations:
        validate_corporate_number(group.corporate_number)


def test_certified_groups_are_certified_today(demo_output):
    certified = CivicGroup.objects.filter(
        legal_form=CivicGroup.LegalForm.CERTIFIED_NPO, registered_on__isnull=False
    )

    assert set(certified) <= set(CivicGroup.objects.certified_on(timezone.localdate()))


def test_minor_pending_shows_placeholder(demo_output):
    minor = account("student2")
    [pending] = Application.objects.filter(applicant=minor, status="pending")
    staff = GroupMembership.objects.filter(
        group_id=pending.post.group_id, user__email__endswith="@demo.example.jp"
    ).first()

    assert is_minor(minor)
    assert staff is not None
    assert not can_see_personal_data(staff.user, minor)
