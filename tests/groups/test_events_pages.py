"""Tests for the public event list, the event page and the staff pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from groups.models import CivicGroup, Event
from tests.factories import (
    CivicGroupFactory,
    EventFactory,
    GroupMembershipFactory,
    activity_field,
    municipality,
)

pytestmark = pytest.mark.django_db

# Field lookup, count, filter choices (2), page, activity fields.
LIST_QUERY_BOUND = 6


def event_list(client, **params):
    return client.get(reverse("groups:event_list"), params)


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"].object_list]


def at_japan(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=JAPAN)


def future_day(days: int = 10) -> dt.date:
    return timezone.localdate(timezone.now(), JAPAN) + dt.timedelta(days=days)


# The public list


def test_list_shows_upcoming_published_events(client):
    EventFactory(title="公開中")
    EventFactory(title="下書き", status=Event.Status.DRAFT)
    EventFactory(title="中止", status=Event.Status.CANCELLED)
    ended = timezone.now() - dt.timedelta(days=1)
    EventFactory(title="終了", starts_at=ended - dt.timedelta(hours=2), ends_at=ended)
    EventFactory(
        title="審査中の団体",
        group=CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING),
    )

    response = event_list(client)

    assert response.status_code == 200
    assert titles(response) == ["公開中"]


def test_list_orders_soonest_first(client):
    later = EventFactory(title="後", starts_at=at_japan(future_day(20), 10))
    sooner = EventFactory(title="先", starts_at=at_japan(future_day(5), 10))

    response = event_list(client)

    assert titles(response) == [sooner.title, later.title]


@pytest.mark.parametrize("query", ["ﾎﾞﾗﾝﾃｨｱ", "ぼらんてぃあ", "ボランティア"])
def test_keyword_uses_normalisation(client, query):
    EventFactory(title="ボランティア入門講座")
    EventFactory(title="竹細工")

    assert titles(event_list(client, q=query)) == ["ボランティア入門講座"]


def test_keyword_two_characters(client):
    EventFactory(title="里山まつり")
    EventFactory(title="海岸清掃")

    assert titles(event_list(client, q="里山")) == ["里山まつり"]


def test_filter_municipality(client):
    EventFactory(title="下関", municipality=municipality("35201"))
    EventFactory(title="山口", municipality=municipality("35203"))

    assert titles(event_list(client, municipality="35201")) == ["下関"]


def test_filter_activity_field(client):
    EventFactory(title="環境").activity_fields.set([activity_field(7)])
    EventFactory(title="福祉").activity_fields.set([activity_field(1)])

    assert titles(event_list(client, field="7")) == ["環境"]


def test_filter_online_and_free(client):
    EventFactory(title="オンライン有料", is_online=True, fee=500)
    EventFactory(title="オンライン無料", is_online=True, fee=0)
    EventFactory(title="会場無料", fee=0)

    assert titles(event_list(client, online="on")) == [
        "オンライン有料",
        "オンライン無料",
    ]
    assert titles(event_list(client, free="on")) == ["オンライン無料", "会場無料"]
    assert titles(event_list(client, online="on", free="on")) == ["オンライン無料"]


def test_date_range_judged_in_japan_time(client, settings):
    settings.TIME_ZONE = "UTC"
    day = future_day(10)
    # 08:00 in Japan is 23:00 UTC the day before.
    EventFactory(title="当日朝", starts_at=at_japan(day, 8))
    EventFactory(title="前日夜", starts_at=at_japan(day - dt.timedelta(days=1), 20))
    EventFactory(title="翌日", starts_at=at_japan(day + dt.timedelta(days=1), 9))

    response = event_list(client, date_from=day.isoformat(), date_to=day.isoformat())

    assert titles(response) == ["当日朝"]


def test_date_range_includes_multi_day_event(client):
    day = future_day(10)
    EventFactory(
        title="三日間",
        starts_at=at_japan(day - dt.timedelta(days=1), 10),
        ends_at=at_japan(day + dt.timedelta(days=1), 17),
    )

    response = event_list(client, date_from=day.isoformat(), date_to=day.isoformat())

    assert titles(response) == ["三日間"]


def test_invalid_filter_shows_errors(client):
    EventFactory()

    response = event_list(client, date_from="tomorrow")

    assert response.status_code == 400
    assert response.context["page"] is None
    assert "Some filters are not valid" in response.content.decode()


def test_filters_stay_in_page_links(client):
    for _ in range(21):
        EventFactory(title="里山まつり", fee=0)

    response = event_list(client, q="里山", free="on")

    html = response.content.decode()
    assert "?q=%E9%87%8C%E5%B1%B1&amp;free=on&amp;page=2" in html


@pytest.mark.parametrize("count", [1, 25])
def test_list_queries_bounded(client, django_assert_max_num_queries, count):
    for _ in range(count):
        EventFactory().activity_fields.set([activity_field(7), activity_field(1)])

    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = event_list(client, q="まつり", field="7")

    assert response.status_code == 200


# The event page


def test_page_shows_event_in_japan_time(client, settings):
    settings.TIME_ZONE = "UTC"
    event = EventFactory(
        starts_at=at_japan(future_day(10), 9),
        fee=1500,
        fee_note="資料代",
        how_to_apply="電話で申し込み",
    )

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "09:00" in html
    assert "1,500 yen" in html
    assert "資料代" in html
    assert "電話で申し込み" in html


def test_page_of_free_event(client):
    event = EventFactory(fee=0)

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert "Free" in response.content.decode()


def test_page_of_cancelled_event_says_so(client):
    event = EventFactory(status=Event.Status.CANCELLED)

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert response.status_code == 200
    assert "This event will not take place." in response.content.decode()


def test_draft_page_hidden_from_public(client, resident):
    event = EventFactory(status=Event.Status.DRAFT)
    client.force_login(resident)

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert response.status_code == 404


def test_draft_page_previewed_by_staff(client, group, group_staff):
    event = EventFactory(group=group, status=Event.Status.DRAFT)
    client.force_login(group_staff)

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert response.status_code == 200
    assert "This is a draft." in response.content.decode()


def test_event_of_pending_group_hidden(client):
    group = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    event = EventFactory(group=group)

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    assert response.status_code == 404


# Staff pages


def event_form(group, **overrides):
    day = future_day(14)
    data = {
        "group": group.pk,
        "title": "竹細工教室",
        "description": "竹で器を作ります。",
        "starts_at": f"{day.isoformat()}T10:00",
        "ends_at": f"{day.isoformat()}T12:00",
        "municipality": "",
        "place": "山口市仁保地域交流センター",
        "fee": "500",
        "fee_note": "材料費",
        "how_to_apply": "電話で申し込み",
        "activity_fields": ["7"],
    }
    data.update(overrides)
    return data


def test_staff_create_event(client, group, group_staff, settings):
    settings.TIME_ZONE = "UTC"
    client.force_login(group_staff)

    response = client.post(reverse("groups:event_create"), event_form(group))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("groups:event_detail", args=[event.pk])
    assert event.status == Event.Status.DRAFT
    assert event.group == group
    assert event.starts_at.astimezone(JAPAN).hour == 10
    assert event.fee == 500


def test_create_keeps_input_on_error(client, group, group_staff):
    client.force_login(group_staff)
    day = future_day(14).isoformat()

    response = client.post(
        reverse("groups:event_create"),
        event_form(group, starts_at=f"{day}T12:00", ends_at=f"{day}T10:00"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The end must be after the start." in html
    assert "竹細工教室" in html
    assert not Event.objects.exists()


def test_create_rejects_negative_fee(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(reverse("groups:event_create"), event_form(group, fee="-1"))

    assert response.status_code == 200
    assert response.context["form"].errors["fee"]
    assert not Event.objects.exists()


def test_create_rejects_other_group(client, group_staff):
    other = CivicGroupFactory()
    client.force_login(group_staff)

    response = client.post(reverse("groups:event_create"), event_form(other))

    assert response.status_code == 200
    assert response.context["form"].errors["group"]
    assert not Event.objects.exists()


def test_create_without_groups_shows_notice(client, resident):
    client.force_login(resident)

    response = client.get(reverse("groups:event_create"))

    assert response.status_code == 200
    assert response.templates[0].name == "volunteering/staff/no_groups.html"


def test_staff_pages_need_login(client):
    event = EventFactory()
    urls = [
        reverse("groups:staff_events"),
        reverse("groups:event_create"),
        reverse("groups:event_edit", args=[event.pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response.url, url


def test_staff_edit_event(client, group, group_staff):
    event = EventFactory(group=group)
    client.force_login(group_staff)

    response = client.post(
        reverse("groups:event_edit", args=[event.pk]),
        event_form(group, title="新しい題名"),
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.title == "新しい題名"


def test_other_group_staff_cannot_edit(client, other_group_staff):
    event = EventFactory(title="元の題名")
    client.force_login(other_group_staff)

    get = client.get(reverse("groups:event_edit", args=[event.pk]))
    post = client.post(
        reverse("groups:event_edit", args=[event.pk]),
        event_form(event.group, title="乗っ取り"),
    )

    event.refresh_from_db()
    assert get.status_code == 404
    assert post.status_code == 404
    assert event.title == "元の題名"


@pytest.mark.parametrize("action", ["event_publish", "event_cancel"])
def test_other_group_staff_cannot_change_status(client, other_group_staff, action):
    event = EventFactory(status=Event.Status.DRAFT)
    client.force_login(other_group_staff)

    response = client.post(reverse(f"groups:{action}", args=[event.pk]))

    event.refresh_from_db()
    assert response.status_code == 404
    assert event.status == Event.Status.DRAFT


def test_resident_cannot_edit(client, resident):
    event = EventFactory()
    client.force_login(resident)

    response = client.get(reverse("groups:event_edit", args=[event.pk]))

    assert response.status_code == 404


def test_editor_can_publish_and_cancel(client, group):
    editor = GroupMembershipFactory(group=group, role="editor").user
    event = EventFactory(group=group, status=Event.Status.DRAFT)
    client.force_login(editor)

    client.post(reverse("groups:event_publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    client.post(reverse("groups:event_cancel", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_cancel_asks_confirmation(client, group, group_staff):
    event = EventFactory(group=group)
    client.force_login(group_staff)
    url = reverse("groups:event_cancel", args=[event.pk])

    detail = client.get(reverse("groups:event_detail", args=[event.pk]))
    response = client.get(url)

    event.refresh_from_db()
    assert f'href="{url}"' in detail.content.decode()
    assert response.status_code == 200
    assert "marked as cancelled" in response.content.decode()
    assert 'method="post"' in response.content.decode()
    assert event.status == Event.Status.PUBLISHED


def test_cancel_page_of_cancelled_event_redirects(client, group, group_staff):
    event = EventFactory(group=group, status=Event.Status.CANCELLED)
    client.force_login(group_staff)

    response = client.get(reverse("groups:event_cancel", args=[event.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:event_detail", args=[event.pk])


def test_cancel_page_hidden_from_other_group(client, other_group_staff):
    event = EventFactory()
    client.force_login(other_group_staff)

    response = client.get(reverse("groups:event_cancel", args=[event.pk]))

    assert response.status_code == 404


def test_edit_of_cancelled_event_redirects(client, group, group_staff):
    event = EventFactory(group=group, status=Event.Status.CANCELLED)
    client.force_login(group_staff)

    response = client.get(reverse("groups:event_edit", args=[event.pk]), follow=True)

    assert "This event is cancelled" in response.content.decode()


def test_staff_list_shows_own_events_only(client, group, group_staff):
    EventFactory(group=group, title="自分の団体", status=Event.Status.DRAFT)
    EventFactory(title="他の団体")
    client.force_login(group_staff)

    response = client.get(reverse("groups:staff_events"))

    assert titles(response) == ["自分の団体"]


def test_list_links_staff_to_their_events(client, group_staff, resident):
    manage_url = reverse("groups:staff_events")

    client.force_login(resident)
    assert manage_url not in event_list(client).content.decode()

    client.force_login(group_staff)
    assert manage_url in event_list(client).content.decode()


def test_page_links_group_profile(client):
    event = EventFactory()

    response = client.get(reverse("groups:event_detail", args=[event.pk]))

    group_url = reverse("groups:detail", args=[event.group_id])
    assert f'href="{group_url}"' in response.content.decode()


def test_list_in_default_language(japanese_client):
    EventFactory()

    response = japanese_client.get(reverse("groups:event_list"))

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_staff_list_queries_bounded(
    client, group, group_staff, django_assert_max_num_queries, count
):
    for _ in range(count):
        EventFactory(group=group)
    client.force_login(group_staff)

    # Session and user, group check, count, page, activity fields, nav.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("groups:staff_events"))

    assert len(response.context["page"].object_list) == min(count, 20)
