import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    ApplicationFactory,
    CivicGroupFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from volunteering.models import Application, PostPhoto, VolunteerPost

POSTS_URL = "/api/posts/"
MY_URL = "/api/my/applications/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def resident_api(resident):
    resident.preferred_language = "en"
    resident.save()
    client = APIClient()
    client.force_login(resident)
    return client


def ids(response):
    return [item["id"] for item in response.json()["results"]]


# Public posts


def test_posts_list_public_fields(api, session):
    response = api.get(POSTS_URL)

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == session.post.pk
    assert item["group"]["name"] == session.post.group.name
    assert item["municipality"]["code"] == "35203"
    assert item["activity_field"]["number"] == 7
    assert item["sessions"] == [
        {
            "id": session.pk,
            "starts_at": item["sessions"][0]["starts_at"],
            "ends_at": item["sessions"][0]["ends_at"],
            "capacity": 5,
            "free_places": 5,
        }
    ]
    assert "contact_email" not in item


def test_posts_list_hides_unpublished(api, session, group):
    draft = VolunteerPostFactory(group=group, status=VolunteerPost.Status.DRAFT)
    VolunteerSessionFactory(post=draft)
    hidden_group = CivicGroupFactory(review_status="pending")
    unreviewed = VolunteerPostFactory(group=hidden_group)
    VolunteerSessionFactory(post=unreviewed)

    response = api.get(POSTS_URL)

    assert ids(response) == [session.post.pk]
    assert api.get(f"{POSTS_URL}{draft.pk}/").status_code == 404
    assert api.get(f"{POSTS_URL}{unreviewed.pk}/").status_code == 404


def test_post_detail_lists_only_upcoming_sessions(api, session):
    past = VolunteerSessionFactory(
        post=session.post,
        starts_at=timezone.now() - dt.timedelta(days=3),
    )

    response = api.get(f"{POSTS_URL}{session.post.pk}/")

    assert response.status_code == 200
    session_ids = [item["id"] for item in response.json()["sessions"]]
    assert session_ids == [session.pk]
    assert past.pk not in session_ids


def test_post_with_past_sessions_only_not_listed(api, post):
    VolunteerSessionFactory(post=post, starts_at=timezone.now() - dt.timedelta(days=1))

    assert ids(api.get(POSTS_URL)) == []
    assert api.get(f"{POSTS_URL}{post.pk}/").status_code == 200


@pytest.fixture
def filter_posts(group):
    def make(**fields):
        post = VolunteerPostFactory(group=group, **fields)
        VolunteerSessionFactory(post=post)
        return post

    return {
        "plain": make(title="竹林の間伐"),
        "other_place": make(title="海岸清掃", municipality=municipality("35201")),
        "other_field": make(title="子ども食堂", activity_field=activity_field(1)),
        "online": make(title="翻訳ボランティア", is_online=True),
        "students": make(title="図書館の整理", welcomes_high_school=True),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("municipality=35201", ["other_place"]),
        ("field=1", ["other_field"]),
        ("q=海岸", ["other_place"]),
        ("q=ぼらんてぃあ", ["online"]),
        ("online=true", ["online"]),
        ("high_school=true", ["students"]),
    ],
)
def test_posts_filters(api, filter_posts, query, expected):
    response = api.get(f"{POSTS_URL}?{query}")

    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(filter_posts[key].pk for key in expected)


def test_posts_filter_free_places(api, group):
    full = VolunteerPostFactory(group=group)
    VolunteerSessionFactory(post=full, capacity=2, places_taken=2)
    open_post = VolunteerPostFactory(group=group)
    VolunteerSessionFactory(post=open_post, capacity=2, places_taken=1)

    response = api.get(f"{POSTS_URL}?has_places=true")

    assert ids(response) == [open_post.pk]
    assert sorted(ids(api.get(POSTS_URL))) == sorted([full.pk, open_post.pk])


def test_posts_filter_dates(api, group):
    soon = VolunteerPostFactory(group=group)
    VolunteerSessionFactory(post=soon, starts_at=timezone.now() + dt.timedelta(days=2))
    later = VolunteerPostFactory(group=group)
    VolunteerSessionFactory(
        post=later, starts_at=timezone.now() + dt.timedelta(days=40)
    )
    cutoff = timezone.localdate() + dt.timedelta(days=10)

    response = api.get(f"{POSTS_URL}?date_to={cutoff.isoformat()}")

    assert ids(response) == [soon.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("municipality=99999", "municipality"),
        ("field=abc", "field"),
        ("date_from=2026-13-40", "date_from"),
        ("day_type=holiday", "day_type"),
    ],
)
def test_posts_invalid_filter_400(api, post, query, field):
    response = api.get(f"{POSTS_URL}?{query}")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("page_size", [1, 50])
def test_posts_list_query_count_bounded(
    api, group, page_size, django_assert_max_num_queries
):
    for number in range(60):
        post = VolunteerPostFactory(group=group, title=f"募集{number}")
        VolunteerSessionFactory(post=post)
        VolunteerSessionFactory(post=post, capacity=3)
        PostPhoto.objects.create(post=post, image="posts/x.jpg", alt_text="写真")

    # Count, posts, their upcoming sessions, their photos.
    with django_assert_max_num_queries(4):
        response = api.get(f"{POSTS_URL}?page_size={page_size}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    assert len(response.json()["results"][0]["sessions"]) == 2


def test_posts_page_size_capped(api, post):
    response = api.get(f"{POSTS_URL}?page_size=100000")

    assert response.status_code == 200


# My applications: reading


def test_my_applications_anonymous_rejected(api, session):
    application = ApplicationFactory(session=session)

    assert api.get(MY_URL).status_code == 403
    assert api.get(f"{MY_URL}{application.pk}/").status_code == 403
    assert api.post(MY_URL, {"session": session.pk}).status_code == 403


def test_my_applications_lists_own_only(resident_api, resident, other_resident, post):
    own = ApplicationFactory(
        session=VolunteerSessionFactory(post=post), applicant=resident
    )
    ApplicationFactory(
        session=VolunteerSessionFactory(post=post), applicant=other_resident
    )

    response = resident_api.get(MY_URL)

    assert response.status_code == 200
    assert ids(response) == [own.pk]
    item = response.json()["results"][0]
    assert item["post"]["title"] == post.title
    assert item["post"]["group"]["name"] == post.group.name
    assert item["status"] == "confirmed"


def test_my_applications_filter_by_status(resident_api, resident, post):
    confirmed = ApplicationFactory(
        session=VolunteerSessionFactory(post=post), applicant=resident
    )
    ApplicationFactory(
        session=VolunteerSessionFactory(post=post),
        applicant=resident,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
    )

    response = resident_api.get(f"{MY_URL}?status=confirmed")

    assert ids(response) == [confirmed.pk]
    assert resident_api.get(f"{MY_URL}?status=lost").status_code == 400


def test_my_application_of_other_user_404(resident_api, other_resident, session):
    others = ApplicationFactory(session=session, applicant=other_resident)

    assert resident_api.get(f"{MY_URL}{others.pk}/").status_code == 404
    assert resident_api.post(f"{MY_URL}{others.pk}/cancel/").status_code == 404
    others.refresh_from_db()
    assert others.status == Application.Status.CONFIRMED


@pytest.mark.parametrize("page_size", [1, 50])
def test_my_applications_query_count_bounded(
    resident_api, resident, post, page_size, django_assert_max_num_queries
):
    for _ in range(55):
        ApplicationFactory(
            session=VolunteerSessionFactory(post=post), applicant=resident
        )

    # Session and user lookups, count, applications with posts and groups.
    with django_assert_max_num_queries(5):
        response = resident_api.get(f"{MY_URL}?page_size={page_size}")

    assert len(response.json()["results"]) == page_size


# My applications: applying and cancelling


def test_apply_to_session(resident_api, resident, session):
    response = resident_api.post(
        MY_URL,
        {"session": session.pk, "party_size": 1, "message": "よろしくお願いします"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["session"]["id"] == session.pk
    application = Application.objects.get(pk=body["id"])
    assert application.applicant == resident
    assert application.message == "よろしくお願いします"
    session.refresh_from_db()
    assert session.places_taken == 1


def test_apply_sends_mails_after_commit(
    resident_api, group_staff, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_api.post(MY_URL, {"session": session.pk}, format="json")

    assert response.status_code == 201
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "contact@example.jp",
        "resident@example.jp",
        "staff@example.jp",
    ]


def test_apply_twice_400_with_message(resident_api, session):
    resident_api.post(MY_URL, {"session": session.pk}, format="json")

    response = resident_api.post(MY_URL, {"session": session.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "You have already applied to this session."}


def test_apply_error_translated(resident_api, resident, session):
    session.post.accepts_teams = False
    session.post.save()

    response = resident_api.post(
        MY_URL, {"session": session.pk, "party_size": 3}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This post takes individual applications only."
    }


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {},
            "non_field_errors",
            "Give the session to apply to, or a year-round post and a date.",
        ),
        (
            {"session": 999999},
            "session",
            'Invalid pk "999999" - object does not exist.',
        ),
        (
            {"session": "abc"},
            "session",
            "Incorrect type. Expected pk value, received str.",
        ),
        (
            {"party_size": 0},
            "party_size",
            "Ensure this value is greater than or equal to 1.",
        ),
    ],
)
def test_apply_invalid_input_400(resident_api, session, payload, field, message):
    data = {"session": session.pk, **payload} if payload else {}

    response = resident_api.post(MY_URL, data, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_apply_to_draft_post_session_400(resident_api, group):
    draft = VolunteerPostFactory(group=group, status=VolunteerPost.Status.DRAFT)
    session = VolunteerSessionFactory(post=draft)

    response = resident_api.post(MY_URL, {"session": session.pk}, format="json")

    assert response.status_code == 400
    assert "session" in response.json()


@pytest.mark.parametrize(
    ("review_status", "group_status"),
    [("pending", "active"), ("approved", "dissolved")],
)
def test_apply_to_hidden_group_400(
    resident_api, group, session, review_status, group_status
):
    group.review_status = review_status
    group.status = group_status
    group.save()

    response = resident_api.post(MY_URL, {"session": session.pk}, format="json")

    assert response.status_code == 400
    assert "session" in response.json()
    assert not Application.objects.exists()


def test_apply_day_to_hidden_group_400(resident_api, group):
    post = VolunteerPostFactory(group=group, kind=VolunteerPost.Kind.YEAR_ROUND)
    group.status = "dissolved"
    group.save()
    day = timezone.localdate() + dt.timedelta(days=5)

    response = resident_api.post(
        MY_URL, {"post": post.pk, "activity_date": day.isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert "post" in response.json()
    assert not Application.objects.exists()


def test_apply_to_year_round_post(resident_api, group):
    post = VolunteerPostFactory(group=group, kind=VolunteerPost.Kind.YEAR_ROUND)
    day = timezone.localdate() + dt.timedelta(days=5)

    response = resident_api.post(
        MY_URL,
        {"post": post.pk, "activity_date": day.isoformat()},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["activity_date"] == day.isoformat()
    assert response.json()["session"] is None


def test_apply_year_round_needs_date(resident_api, group):
    post = VolunteerPostFactory(group=group, kind=VolunteerPost.Kind.YEAR_ROUND)

    response = resident_api.post(MY_URL, {"post": post.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"activity_date": ["Give the day you plan to come."]}


def test_cancel_own_application(resident_api, resident, session):
    application = ApplicationFactory(session=session, applicant=resident)

    response = resident_api.post(f"{MY_URL}{application.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled_by_volunteer"
    session.refresh_from_db()
    assert session.places_taken == 0


def test_cancel_inactive_application_400(resident_api, resident, session):
    application = ApplicationFactory(
        session=session,
        applicant=resident,
        status=Application.Status.DECLINED,
    )

    response = resident_api.post(f"{MY_URL}{application.pk}/cancel/")

    assert response.status_code == 400
    assert response.json() == {"detail": "This application is no longer active."}


def test_session_auth_needs_csrf(resident, session):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(resident)

    response = client.post(MY_URL, {"session": session.pk}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Application.objects.exists()


def test_token_auth_applies_without_csrf(resident, session):
    token = Token.objects.create(user=resident)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(MY_URL, {"session": session.pk}, format="json")

    assert response.status_code == 201


def test_invalid_token_rejected(session):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token wrong")

    response = client.get(MY_URL)

    # 403, not 401: the first authentication class (session) sends no
    # WWW-Authenticate challenge.
    assert response.status_code == 403
    assert response.json() == {"detail": "不正なトークンです。"}


def test_error_message_in_requested_language(session):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token wrong")

    response = client.get(MY_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"detail": "Invalid token."}


# Schema


@pytest.mark.django_db
def test_schema_and_docs_served(api):
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_schema_has_no_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )

    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/posts/" in schema
    assert "/api/my/applications/{id}/cancel/" in schema
