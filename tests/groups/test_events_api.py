"""Tests for the events and grant notices API."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup, Event
from tests.factories import (
    CivicGroupFactory,
    EventFactory,
    GrantNoticeFactory,
    GroupMembershipFactory,
    activity_field,
    municipality,
)

pytestmark = pytest.mark.django_db

EVENTS_URL = "/api/events/"
GRANTS_URL = "/api/grants/"
# Field lookup, count, page, activity fields.
EVENT_LIST_QUERY_BOUND = 4
GRANT_LIST_QUERY_BOUND = 4


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def staff_api(group_staff):
    group_staff.preferred_language = "en"
    group_staff.save(update_fields=["preferred_language"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(group_staff)
    return client


@pytest.fixture
def outsider_api(other_group_staff):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(other_group_staff)
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def event_payload(group, **overrides):
    starts = timezone.now() + dt.timedelta(days=10)
    payload = {
        "group": group.pk,
        "title": "防災ワークショップ",
        "description": "非常食づくりを体験します。",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "municipality": "35203",
        "place": "山口市防災センター",
        "is_online": False,
        "fee": 0,
        "fee_note": "",
        "how_to_apply": "当日参加可",
        "activity_fields": [7],
    }
    payload.update(overrides)
    return payload


# Reading events


def test_list_public_upcoming_events(api):
    published = EventFactory()
    EventFactory(status=Event.Status.DRAFT)
    EventFactory(group=CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING))

    response = api.get(EVENTS_URL)

    assert response.status_code == 200
    assert ids(response) == [published.pk]
    row = response.json()["results"][0]
    assert row["group"]["id"] == published.group_id
    assert row["municipality"]["code"] == "35203"


def test_list_filters_like_page(api):
    match = EventFactory(title="ボランティア講座", fee=0, is_online=True)
    match.activity_fields.set([activity_field(7)])
    EventFactory(title="ボランティア講座", fee=500, is_online=True)
    EventFactory(title="竹細工", fee=0, is_online=True)
    EventFactory(title="ボランティア講座", fee=0, municipality=municipality("35201"))

    response = api.get(
        EVENTS_URL,
        {"q": "ぼらんてぃあ", "free": "true", "online": "true", "field": "7"},
    )

    assert ids(response) == [match.pk]


def test_list_date_filter_in_japan_time(api):
    day = dt.date(2030, 6, 1)
    inside = EventFactory(starts_at=dt.datetime(2030, 6, 1, 8, 0, tzinfo=JAPAN))
    EventFactory(starts_at=dt.datetime(2030, 5, 31, 20, 0, tzinfo=JAPAN))

    response = api.get(
        EVENTS_URL, {"date_from": day.isoformat(), "date_to": day.isoformat()}
    )

    assert ids(response) == [inside.pk]


def test_list_rejects_invalid_filter(api):
    response = api.get(EVENTS_URL, {"date_from": "soon"})

    assert response.status_code == 400


@pytest.mark.parametrize("count", [1, 25])
def test_event_list_queries_bounded(api, django_assert_max_num_queries, count):
    for _ in range(count):
        EventFactory().activity_fields.set([activity_field(7), activity_field(1)])

    with django_assert_max_num_queries(EVENT_LIST_QUERY_BOUND):
        response = api.get(EVENTS_URL, {"field": "7", "page_size": 50})

    assert len(ids(response)) == count


def test_retrieve_cancelled_event(api):
    event = EventFactory(status=Event.Status.CANCELLED)

    response = api.get(f"{EVENTS_URL}{event.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_retrieve_draft_hidden_from_others(api, outsider_api):
    event = EventFactory(status=Event.Status.DRAFT)

    assert api.get(f"{EVENTS_URL}{event.pk}/").status_code == 404
    assert outsider_api.get(f"{EVENTS_URL}{event.pk}/").status_code == 404


def test_retrieve_draft_by_own_staff(staff_api, group):
    event = EventFactory(group=group, status=Event.Status.DRAFT)

    response = staff_api.get(f"{EVENTS_URL}{event.pk}/")

    assert response.status_code == 200


# Writing events


def test_staff_create_event(staff_api, group, group_staff):
    response = staff_api.post(EVENTS_URL, event_payload(group), format="json")

    event = Event.objects.get()
    assert response.status_code == 201
    assert response.json()["id"] == event.pk
    assert response.json()["status"] == "draft"
    assert event.created_by == group_staff
    assert event.municipality.code == "35203"
    assert [field.number for field in event.activity_fields.all()] == [7]


def test_create_for_other_group_forbidden(outsider_api, group):
    response = outsider_api.post(EVENTS_URL, event_payload(group), format="json")

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_create_anonymous_rejected(api, group):
    response = api.post(EVENTS_URL, event_payload(group), format="json")

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_create_rejects_end_before_start(staff_api, group):
    starts = timezone.now() + dt.timedelta(days=3)
    payload = event_payload(
        group,
        starts_at=starts.isoformat(),
        ends_at=(starts - dt.timedelta(hours=1)).isoformat(),
    )

    response = staff_api.post(EVENTS_URL, payload, format="json")

    assert response.status_code == 400
    assert "The end must be after the start." in response.json()["ends_at"][0]
    assert not Event.objects.exists()


def test_create_rejects_past_start(staff_api, group):
    starts = timezone.now() - dt.timedelta(days=1)
    payload = event_payload(
        group,
        starts_at=starts.isoformat(),
        ends_at=(starts + dt.timedelta(hours=1)).isoformat(),
    )

    response = staff_api.post(EVENTS_URL, payload, format="json")

    assert response.status_code == 400
    assert "starts_at" in response.json()


def test_create_rejects_negative_fee(staff_api, group):
    response = staff_api.post(EVENTS_URL, event_payload(group, fee=-1), format="json")

    assert response.status_code == 400
    assert "fee" in response.json()


def test_staff_patch_event(staff_api, group):
    event = EventFactory(group=group)

    response = staff_api.patch(
        f"{EVENTS_URL}{event.pk}/", {"title": "改題"}, format="json"
    )

    event.refresh_from_db()
    assert response.status_code == 200
    assert event.title == "改題"


def test_patch_cannot_move_event_to_other_group(staff_api, group, group_staff):
    other = CivicGroupFactory()
    GroupMembershipFactory(group=other, user=group_staff)
    event = EventFactory(group=group)

    staff_api.patch(f"{EVENTS_URL}{event.pk}/", {"group": other.pk}, format="json")

    event.refresh_from_db()
    assert event.group == group


@pytest.mark.parametrize(
    ("method", "suffix", "payload"),
    [
        ("patch", "", {"title": "乗っ取り"}),
        ("put", "", None),
        ("post", "publish/", None),
        ("post", "cancel/", None),
    ],
)
def test_other_group_staff_get_404(outsider_api, method, suffix, payload):
    event = EventFactory(title="元の題名", status=Event.Status.DRAFT)
    body = payload or event_payload(event.group, title="乗っ取り")

    response = getattr(outsider_api, method)(
        f"{EVENTS_URL}{event.pk}/{suffix}", body, format="json"
    )

    event.refresh_from_db()
    assert response.status_code == 404
    assert event.title == "元の題名"
    assert event.status == Event.Status.DRAFT


def test_delete_not_allowed(staff_api, group):
    event = EventFactory(group=group)

    response = staff_api.delete(f"{EVENTS_URL}{event.pk}/")

    assert response.status_code == 405
    assert Event.objects.filter(pk=event.pk).exists()


def test_staff_publish_and_cancel(staff_api, group):
    event = EventFactory(group=group, status=Event.Status.DRAFT)

    published = staff_api.post(f"{EVENTS_URL}{event.pk}/publish/")
    cancelled = staff_api.post(f"{EVENTS_URL}{event.pk}/cancel/")
    again = staff_api.post(f"{EVENTS_URL}{event.pk}/cancel/")

    assert published.json()["status"] == "published"
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 400
    assert again.json()["detail"] == "This event is already cancelled."


# Grant notices


def test_grant_list_open_first(api):
    closed = GrantNoticeFactory(deadline=timezone.now() - dt.timedelta(days=1))
    later = GrantNoticeFactory(deadline=timezone.now() + dt.timedelta(days=30))
    sooner = GrantNoticeFactory(deadline=timezone.now() + dt.timedelta(days=3))
    GrantNoticeFactory(is_published=False)

    response = api.get(GRANTS_URL)

    assert ids(response) == [sooner.pk, later.pk, closed.pk]
    assert [row["is_closed"] for row in response.json()["results"]] == [
        False,
        False,
        True,
    ]


def test_grant_list_filters(api):
    match = GrantNoticeFactory(title="まちづくり助成")
    match.eligible_fields.set([activity_field(3)])
    GrantNoticeFactory(title="まちづくり助成")
    GrantNoticeFactory(
        title="まちづくり助成", deadline=timezone.now() - dt.timedelta(days=1)
    ).eligible_fields.set([activity_field(3)])

    response = api.get(GRANTS_URL, {"q": "まちづくり", "field": "3", "open": "true"})

    assert ids(response) == [match.pk]


def test_grant_draft_not_found(api):
    grant = GrantNoticeFactory(is_published=False)

    assert api.get(f"{GRANTS_URL}{grant.pk}/").status_code == 404


def test_grants_read_only(staff_api):
    response = staff_api.post(GRANTS_URL, {"title": "新規"}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize("count", [1, 25])
def test_grant_list_queries_bounded(api, django_assert_max_num_queries, count):
    for _ in range(count):
        GrantNoticeFactory().eligible_fields.set([activity_field(7)])

    with django_assert_max_num_queries(GRANT_LIST_QUERY_BOUND):
        response = api.get(GRANTS_URL, {"field": "7", "page_size": 50})

    assert len(ids(response)) == count
