"""Tests for the public search page at /volunteer/."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from groups.models import ActivityField, Municipality
from tests.factories import (
    CivicGroupFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import VolunteerPost

pytestmark = pytest.mark.django_db

SEARCH_QUERY_BOUND = 4  # filter choices (2), count, page


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def search(client, **params):
    return client.get(reverse("volunteering:search"), params)


def titles(response) -> list[str]:
    return [post.title for post in response.context["page"].object_list]


def make_post(title: str = "竹林の間伐", **fields) -> VolunteerPost:
    post = VolunteerPostFactory(title=title, **fields)
    VolunteerSessionFactory(post=post)
    return post


def test_result_shows_post_summary(client):
    starts = dt.datetime(2030, 6, 1, 9, 30, tzinfo=JAPAN)
    post = VolunteerPostFactory(
        title="海岸清掃", is_online=True, welcomes_high_school=True
    )
    VolunteerSessionFactory(
        post=post,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=8,
        places_taken=3,
    )
    response = search(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "海岸清掃" in html
    assert post.group.name in html
    assert str(post.municipality) in html
    assert str(post.activity_field) in html
    assert "2030-06-01" in html
    assert "09:30" in html
    assert "11:30" in html
    assert "5 places left" in html
    assert "Online" in html
    assert "High-school students welcome" in html


def test_full_session_says_waitlist(client):
    post = VolunteerPostFactory()
    VolunteerSessionFactory(post=post, capacity=2, places_taken=2)
    html = search(client).content.decode()
    assert "Full: you can join the waitlist" in html


def test_unpublished_posts_are_hidden(client):
    make_post("公開中の募集")
    make_post("下書きの募集", status=VolunteerPost.Status.DRAFT)
    make_post("終了した募集", status=VolunteerPost.Status.CLOSED)
    pending_group = CivicGroupFactory(review_status="pending")
    make_post("審査中の団体の募集", group=pending_group)
    assert titles(search(client)) == ["公開中の募集"]


def test_posts_with_only_past_sessions_are_hidden(client):
    post = VolunteerPostFactory(title="終わった活動")
    past = timezone.now() - dt.timedelta(days=3)
    VolunteerSessionFactory(post=post, starts_at=past)
    assert titles(search(client)) == []


def test_results_ordered_by_next_session(client):
    later = VolunteerPostFactory(title="後の活動")
    VolunteerSessionFactory(
        post=later, starts_at=timezone.now() + dt.timedelta(days=20)
    )
    sooner = VolunteerPostFactory(title="先の活動")
    VolunteerSessionFactory(
        post=sooner, starts_at=timezone.now() + dt.timedelta(days=2)
    )
    assert titles(search(client)) == ["先の活動", "後の活動"]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("ABC清掃", "ａｂｃ"),
        ("ＡＢＣ清掃", "abc"),
        ("ｶﾀｶﾅ講座", "カタカナ"),
        ("カタカナ講座", "ｶﾀｶﾅ"),
        ("ボランティア募集", "ぼらんてぃあ"),
        ("公園の清掃活動", "清掃"),
        ("ネコの世話", "ねこ"),
        ("ＡＢ講座", "ab"),
        ("海岸清掃", "海"),
    ],
)
def test_keyword_matches_normalised_text(client, stored, query):
    make_post(stored)
    make_post("関係のない募集")
    assert titles(search(client, q=query)) == [stored]


def test_keyword_terms_all_apply(client):
    make_post("海岸清掃")
    make_post("公園清掃")
    assert titles(search(client, q="海岸　清掃")) == ["海岸清掃"]


def test_filters_by_municipality_and_field(client):
    shimonoseki = Municipality.objects.get(code="35201")
    welfare = ActivityField.objects.get(number=1)
    make_post("下関の福祉", municipality=shimonoseki, activity_field=welfare)
    make_post("山口の福祉", activity_field=welfare)
    make_post("下関のまちづくり", municipality=shimonoseki)
    response = search(client, municipality="35201", field="1")
    assert titles(response) == ["下関の福祉"]


def test_filters_online_and_high_school(client):
    make_post("オンライン翻訳", is_online=True)
    make_post("高校生歓迎", welcomes_high_school=True)
    make_post("現地の活動")
    assert titles(search(client, online="on")) == ["オンライン翻訳"]
    assert titles(search(client, high_school="on")) == ["高校生歓迎"]


def test_invalid_date_shows_error(client):
    make_post()
    response = search(client, date_from="abc")
    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["page"] is None
    assert "Some filters are not valid" in html
    assert "Enter a valid date." in html
    assert 'value="abc"' in html


def test_unknown_municipality_shows_error(client):
    make_post()
    response = search(client, municipality="99999")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice." in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "999"},
        {"field": "x"},
        {"day_type": "holiday"},
        {"q": "x" * 500},
        {"date_to": "2026-02-31"},
    ],
)
def test_bad_input_never_fails(client, params):
    make_post()
    response = search(client, **params)
    assert response.status_code in (200, 400)


def test_empty_state_gives_advice(client):
    make_post()
    response = search(client, q="存在しない言葉")
    html = response.content.decode()
    assert "No volunteer posts match these filters." in html
    assert "Try a shorter keyword" in html


def test_page_links_keep_filters(client):
    for number in range(21):
        make_post(f"清掃活動{number}")
    response = search(client, q="清掃", online="")
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 20
    assert "Page 1 of 2" in html
    assert "?q=%E6%B8%85%E6%8E%83&amp;online=&amp;page=2" in html
    second = search(client, q="清掃", page="2")
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("count", [1, 25])
def test_queries_bounded(client, django_assert_max_num_queries, count):
    for number in range(count):
        post = make_post(f"清掃{number}", is_online=True)
        VolunteerSessionFactory(post=post)
    with django_assert_max_num_queries(SEARCH_QUERY_BOUND):
        response = search(client, q="清掃")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 20)


def test_home_lists_upcoming_posts(client):
    make_post("海岸清掃")
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "海岸清掃" in html
    assert 'action="/volunteer/"' in html
