import datetime as dt

import pytest
from django.utils import timezone

from civic_portal.accounts.models import User
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from volunteering.matching import (
    MAX_SESSIONS_PER_POST,
    matching_mail_recipients,
    matching_period_start,
    offers_for_resident,
    residents_for_session_call,
)
from volunteering.models import Application, VolunteerPost

DAILY = User.MatchingMailFrequency.DAILY


def make_user(email="fan@example.jp", fields=(7,), places=("35203",), **extra):
    user = UserFactory(email=email, matching_mail_frequency=DAILY, **extra)
    user.interest_fields.set([activity_field(number) for number in fields])
    user.interest_municipalities.set([municipality(code) for code in places])
    return user


@pytest.fixture
def fan(db):
    return make_user()


@pytest.fixture
def yesterday():
    return timezone.now() - dt.timedelta(days=1)


def offered_posts(user, since):
    return [offer.post for offer in offers_for_resident(user, published_since=since)]


def post_with_session(group, **fields):
    post = VolunteerPostFactory(group=group, **fields)
    VolunteerSessionFactory(post=post)
    return post


# offers_for_resident


def test_post_fitting_field_and_place_offered(fan, session, yesterday):
    [offer] = offers_for_resident(fan, published_since=yesterday)

    assert offer.post == session.post
    assert offer.sessions == [session]


def test_post_in_other_field_not_offered(fan, group, yesterday):
    post_with_session(group, activity_field=activity_field(1))

    assert offered_posts(fan, yesterday) == []


def test_post_in_other_place_not_offered(fan, group, yesterday):
    post_with_session(group, municipality=municipality("35201"))

    assert offered_posts(fan, yesterday) == []


def test_fields_only_match_any_place(group, yesterday):
    user = make_user(places=())
    post = post_with_session(group, municipality=municipality("35201"))

    assert offered_posts(user, yesterday) == [post]


def test_places_only_match_any_field(group, yesterday):
    user = make_user(fields=())
    post = post_with_session(group, activity_field=activity_field(1))

    assert offered_posts(user, yesterday) == [post]


def test_no_interests_no_offers(session, yesterday):
    user = make_user(fields=(), places=())

    assert offered_posts(user, yesterday) == []


def test_post_published_before_period_not_offered(fan, group, yesterday):
    post_with_session(group, published_at=yesterday - dt.timedelta(minutes=1))

    assert offered_posts(fan, yesterday) == []


def test_post_published_after_period_left_for_next(fan, session, yesterday):
    until = session.post.published_at - dt.timedelta(seconds=1)

    offers = offers_for_resident(fan, published_since=yesterday, published_until=until)

    assert offers == []


def test_post_without_open_session_not_offered(fan, group, yesterday):
    full = VolunteerPostFactory(group=group)
    VolunteerSessionFactory(post=full, capacity=2, places_taken=2)
    past = VolunteerPostFactory(group=group)
    VolunteerSessionFactory(post=past, starts_at=timezone.now() - dt.timedelta(hours=1))

    assert offered_posts(fan, yesterday) == []


def test_unpublished_and_closed_posts_not_offered(fan, group, yesterday):
    post_with_session(group, status=VolunteerPost.Status.DRAFT)
    post_with_session(
        group, application_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    post_with_session(group, kind=VolunteerPost.Kind.YEAR_ROUND)

    assert offered_posts(fan, yesterday) == []


def test_session_applied_to_not_offered(fan, session, yesterday):
    other = VolunteerSessionFactory(
        post=session.post, starts_at=timezone.now() + dt.timedelta(days=9)
    )
    ApplicationFactory(session=session, applicant=fan)

    [offer] = offers_for_resident(fan, published_since=yesterday)

    assert offer.sessions == [other]


def test_cancelled_application_offered_again(fan, session, yesterday):
    ApplicationFactory(
        session=session,
        applicant=fan,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )

    assert offered_posts(fan, yesterday) == [session.post]


def test_high_school_student_only_welcoming_posts(group, yesterday):
    student = make_user(occupation=User.Occupation.HIGH_SCHOOL_STUDENT)
    post_with_session(group, welcomes_high_school=False)
    welcoming = post_with_session(group, welcomes_high_school=True)

    assert offered_posts(student, yesterday) == [welcoming]


def test_sessions_per_post_capped(fan, post, yesterday):
    for days in range(1, MAX_SESSIONS_PER_POST + 3):
        VolunteerSessionFactory(
            post=post, starts_at=timezone.now() + dt.timedelta(days=days)
        )

    [offer] = offers_for_resident(fan, published_since=yesterday)

    assert len(offer.sessions) == MAX_SESSIONS_PER_POST
    starts = [session.starts_at for session in offer.sessions]
    assert starts == sorted(starts)


def test_posts_newest_first_and_limited(fan, group, yesterday):
    posts = [
        post_with_session(group, published_at=timezone.now() - dt.timedelta(hours=n))
        for n in range(1, 5)
    ]

    offered = [
        offer.post
        for offer in offers_for_resident(fan, published_since=yesterday, limit=3)
    ]

    assert offered == posts[:3]


@pytest.mark.parametrize("count", [1, 15])
def test_offers_query_count_bounded(
    fan, group, yesterday, count, django_assert_max_num_queries
):
    for _ in range(count):
        post = post_with_session(group)
        VolunteerSessionFactory(post=post)

    with django_assert_max_num_queries(4):
        offers = offers_for_resident(fan, published_since=yesterday)

    assert len(offers) == count


# matching_mail_recipients and matching_period_start


def test_recipients_need_active_confirmed_interested(fan):
    make_user(email="inactive@example.jp", is_active=False)
    make_user(email="unconfirmed@example.jp", email_confirmed=False)
    make_user(email="nointerest@example.jp", fields=(), places=())
    weekly = make_user(email="weekly@example.jp")
    weekly.matching_mail_frequency = User.MatchingMailFrequency.WEEKLY
    weekly.save()

    assert list(matching_mail_recipients("daily")) == [fan]
    assert list(matching_mail_recipients("weekly")) == [weekly]


def test_recipients_unknown_frequency():
    with pytest.raises(ValueError, match="Unknown matching mail frequency 'never'"):
        matching_mail_recipients("never")


def test_period_start_last_mail_or_one_period(fan):
    now = timezone.now()

    assert matching_period_start(fan, "daily", now) == now - dt.timedelta(days=1)
    assert matching_period_start(fan, "weekly", now) == now - dt.timedelta(days=7)
    fan.matching_mail_last_sent_at = now - dt.timedelta(hours=3)
    assert matching_period_start(fan, "weekly", now) == now - dt.timedelta(hours=3)


# residents_for_session_call


def test_call_residents_fit_and_reachable(fan, session):
    make_user(email="other-field@example.jp", fields=(1,))
    never = make_user(email="never@example.jp")
    never.matching_mail_frequency = User.MatchingMailFrequency.NEVER
    never.save()
    make_user(email="inactive@example.jp", is_active=False)

    assert list(residents_for_session_call(session)) == [fan]


def test_call_skips_applicants_and_staff(fan, session):
    applicant = make_user(email="applicant@example.jp")
    ApplicationFactory(session=session, applicant=applicant)
    staff = make_user(email="groupstaff@example.jp")
    GroupMembershipFactory(group=session.post.group, user=staff)
    cancelled = make_user(email="cancelled@example.jp")
    ApplicationFactory(
        session=session,
        applicant=cancelled,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )

    assert list(residents_for_session_call(session)) == [fan, cancelled]


def test_call_skips_students_unless_welcome(fan, session):
    student = make_user(
        email="student@example.jp", occupation=User.Occupation.HIGH_SCHOOL_STUDENT
    )

    assert list(residents_for_session_call(session)) == [fan]
    session.post.welcomes_high_school = True
    session.post.save()
    assert list(residents_for_session_call(session)) == [fan, student]
