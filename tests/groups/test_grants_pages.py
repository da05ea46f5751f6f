"""Tests for the grant notice pages, public and for centre staff."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from groups.models import GrantNotice
from tests.factories import GrantNoticeFactory, activity_field, centre_staff

pytestmark = pytest.mark.django_db

# Field lookup, count, field choices, page, eligible fields.
LIST_QUERY_BOUND = 5


@pytest.fixture
def staff_user(resident):
    return centre_staff(resident)


def grant_list(client, **params):
    return client.get(reverse("groups:grant_list"), params)


def titles(response) -> list[str]:
    return [grant.title for grant in response.context["page"].object_list]


def in_days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


# Public pages


def test_list_shows_published_only(client):
    GrantNoticeFactory(title="公開")
    GrantNoticeFactory(title="下書き", is_published=False)

    assert titles(grant_list(client)) == ["公開"]


def test_list_orders_open_by_deadline_then_closed(client):
    GrantNoticeFactory(title="締切済み古い", deadline=in_days(-30))
    GrantNoticeFactory(title="締切遠い", deadline=in_days(60))
    GrantNoticeFactory(title="締切済み新しい", deadline=in_days(-1))
    GrantNoticeFactory(title="締切近い", deadline=in_days(3))

    response = grant_list(client)

    assert titles(response) == [
        "締切近い",
        "締切遠い",
        "締切済み新しい",
        "締切済み古い",
    ]
    assert "Closed" in response.content.decode()


def test_open_filter_hides_passed_deadlines(client):
    GrantNoticeFactory(title="募集中", deadline=in_days(3))
    GrantNoticeFactory(title="締切済み", deadline=in_days(-1))

    assert titles(grant_list(client, open="on")) == ["募集中"]


@pytest.mark.parametrize("query", ["ｻﾎﾟｰﾄ", "さぽーと", "サポート"])
def test_keyword_uses_normalisation(client, query):
    GrantNoticeFactory(title="地域サポート助成")
    GrantNoticeFactory(title="子ども食堂応援")

    assert titles(grant_list(client, q=query)) == ["地域サポート助成"]


def test_keyword_searches_funder(client):
    GrantNoticeFactory(title="助成A", funder="みらい財団")
    GrantNoticeFactory(title="助成B", funder="ひかり基金")

    assert titles(grant_list(client, q="基金")) == ["助成B"]


def test_filter_eligible_field(client):
    GrantNoticeFactory(title="環境").eligible_fields.set([activity_field(7)])
    GrantNoticeFactory(title="福祉").eligible_fields.set([activity_field(1)])

    assert titles(grant_list(client, field="1")) == ["福祉"]


@pytest.mark.parametrize("count", [1, 25])
def test_list_queries_bounded(client, django_assert_max_num_queries, count):
    for _ in range(count):
        grant = GrantNoticeFactory()
        grant.eligible_fields.set([activity_field(7), activity_field(1)])

    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = grant_list(client, field="7", open="on")

    assert response.status_code == 200


def test_page_shows_deadline_in_japan_time(client, settings):
    settings.TIME_ZONE = "UTC"
    grant = GrantNoticeFactory(
        deadline=dt.datetime(2030, 6, 30, 23, 59, 59, tzinfo=JAPAN),
        url="https://example.jp/grant",
    )

    response = client.get(reverse("groups:grant_detail", args=[grant.pk]))

    html = response.content.decode()
    assert "2030-06-30" in html
    assert "23:59" in html
    assert "https://example.jp/grant" in html


def test_page_of_closed_notice_says_so(client):
    grant = GrantNoticeFactory(deadline=in_days(-1))

    response = client.get(reverse("groups:grant_detail", args=[grant.pk]))

    assert "The application deadline has passed." in response.content.decode()


def test_draft_hidden_from_public(client, other_resident):
    grant = GrantNoticeFactory(is_published=False)
    client.force_login(other_resident)

    response = client.get(reverse("groups:grant_detail", args=[grant.pk]))

    assert response.status_code == 404


def test_draft_shown_to_centre_staff(client, staff_user):
    grant = GrantNoticeFactory(is_published=False)
    client.force_login(staff_user)

    response = client.get(reverse("groups:grant_detail", args=[grant.pk]))

    assert response.status_code == 200


# Centre staff pages


def grant_form(**overrides):
    data = {
        "title": "市民活動スタート助成",
        "funder": "山口県",
        "amount": "上限10万円",
        "max_amount": "100000",
        "deadline_date": "2030-05-31",
        "deadline_time": "",
        "description": "設立3年以内の団体が対象です。",
        "url": "https://example.jp/start",
        "eligible_fields": ["7", "19"],
    }
    data.update(overrides)
    return data


def test_staff_create_draft(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("groups:grant_create"), grant_form())

    grant = GrantNotice.objects.get()
    assert response.status_code == 302
    assert not grant.is_published
    assert grant.created_by == staff_user
    assert grant.deadline == dt.datetime(2030, 5, 31, 23, 59, 59, tzinfo=JAPAN)
    assert sorted(f.number for f in grant.eligible_fields.all()) == [7, 19]


def test_staff_create_and_publish_with_time(client, staff_user, settings):
    settings.TIME_ZONE = "UTC"
    client.force_login(staff_user)

    client.post(
        reverse("groups:grant_create"),
        {**grant_form(deadline_time="17:00"), "publish": "1"},
    )

    grant = GrantNotice.objects.get()
    assert grant.is_published
    assert grant.deadline == dt.datetime(2030, 5, 31, 17, 0, tzinfo=JAPAN)


def test_create_rejects_missing_deadline(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("groups:grant_create"), grant_form(deadline_date=""))

    assert response.status_code == 200
    assert response.context["form"].errors["deadline_date"]
    assert "市民活動スタート助成" in response.content.decode()


def test_edit_form_shows_japan_date(client, staff_user, settings):
    settings.TIME_ZONE = "UTC"
    grant = GrantNoticeFactory(
        deadline=dt.datetime(2030, 5, 31, 23, 59, 59, tzinfo=JAPAN)
    )
    client.force_login(staff_user)

    response = client.get(reverse("groups:grant_edit", args=[grant.pk]))

    form = response.context["form"]
    assert form.initial["deadline_date"] == dt.date(2030, 5, 31)
    assert "deadline_time" not in form.initial


def test_staff_edit_and_withdraw(client, staff_user):
    grant = GrantNoticeFactory()
    client.force_login(staff_user)

    client.post(reverse("groups:grant_edit", args=[grant.pk]), grant_form(title="改題"))
    client.post(reverse("groups:grant_publish", args=[grant.pk]), {"published": "0"})

    grant.refresh_from_db()
    assert grant.title == "改題"
    assert not grant.is_published


def test_municipal_centre_staff_may_create(client, resident):
    centre_staff(resident, scope="municipal")
    client.force_login(resident)

    response = client.get(reverse("groups:grant_create"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "method", "needs_pk"),
    [
        ("staff_grants", "get", False),
        ("grant_create", "get", False),
        ("grant_create", "post", False),
        ("grant_edit", "get", True),
        ("grant_edit", "post", True),
        ("grant_publish", "post", True),
    ],
)
def test_non_centre_staff_get_403(client, group_staff, name, method, needs_pk):
    grant = GrantNoticeFactory(title="元の題名", is_published=False)
    client.force_login(group_staff)
    url = reverse(f"groups:{name}", args=[grant.pk] if needs_pk else [])

    response = getattr(client, method)(url, grant_form(title="変更"))

    grant.refresh_from_db()
    assert response.status_code == 403
    assert grant.title == "元の題名"
    assert not grant.is_published
    assert GrantNotice.objects.count() == 1


def test_anonymous_sent_to_login(client):
    response = client.get(reverse("groups:grant_create"))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_list_links_centre_staff_to_manage(client, staff_user, other_resident):
    manage_url = reverse("groups:staff_grants")

    client.force_login(other_resident)
    assert manage_url not in grant_list(client).content.decode()

    client.force_login(staff_user)
    assert manage_url in grant_list(client).content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_staff_list_queries_bounded(
    client, staff_user, django_assert_max_num_queries, count
):
    for _ in range(count):
        GrantNoticeFactory()
    client.force_login(staff_user)

    # Session and user, centre check, count, page, nav.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("groups:staff_grants"))

    assert len(response.context["page"].object_list) == min(count, 20)
