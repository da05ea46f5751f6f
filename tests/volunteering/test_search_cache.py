"""Tests for the versioned cache of search results (page and API list)."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import (
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering import search_cache, tasks
from volunteering.models import VolunteerPost, VolunteerSession
from volunteering.services.sessions import session_delete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_cache_on(settings):
    settings.SEARCH_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def search_html(client, **params) -> str:
    response = client.get(reverse("volunteering:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def main_content(html: str) -> str:
    """Return the page without the layout, whose CSRF token changes per request."""
    return html[html.index("<main") : html.index("</main>")]


def make_post(title: str, **fields) -> VolunteerPost:
    post = VolunteerPostFactory(title=title, **fields)
    VolunteerSessionFactory(post=post)
    return post


def test_repeated_search_runs_no_query(client, django_assert_num_queries):
    make_post("海岸清掃")
    first = search_html(client, q="清掃")
    with django_assert_num_queries(0):
        second = search_html(client, q="清掃")
    assert "海岸清掃" in first
    assert main_content(second) == main_content(first)


def test_parameter_order_shares_entry(client, django_assert_num_queries):
    make_post("海岸清掃", is_online=True)
    search_html(client, q="清掃", online="on")
    with django_assert_num_queries(0):
        html = search_html(client, online="on", q="清掃")
    assert "海岸清掃" in html


def test_cache_off_queries_every_time(client, settings, django_assert_num_queries):
    settings.SEARCH_CACHE_SECONDS = 0
    make_post("海岸清掃")
    search_html(client)
    with django_assert_num_queries(4):
        search_html(client)


def test_new_post_shows_at_once(client):
    make_post("海岸清掃")
    search_html(client)
    make_post("公園清掃")
    assert "公園清掃" in search_html(client)


def test_edited_title_shows_at_once(client):
    post = make_post("海岸清掃")
    search_html(client)
    post.title = "河川清掃"
    post.save()
    html = search_html(client)
    assert "河川清掃" in html
    assert "海岸清掃" not in html


def test_closed_post_disappears_at_once(client):
    post = make_post("海岸清掃")
    search_html(client)
    post.status = VolunteerPost.Status.CLOSED
    post.save()
    assert "海岸清掃" not in search_html(client)


def test_deleted_session_hides_post_at_once(client, group_staff, post):
    post.title = "海岸清掃"
    post.save()
    session = VolunteerSessionFactory(post=post)
    assert "海岸清掃" in search_html(client)
    session_delete(session_id=session.pk, deleted_by=group_staff)
    assert "海岸清掃" not in search_html(client)


def test_places_taken_show_at_once(client):
    post = VolunteerPostFactory(title="海岸清掃")
    session = VolunteerSessionFactory(post=post, capacity=5)
    assert "5 places left" in search_html(client)
    session.places_taken = 3
    session.save(update_fields=["places_taken"])
    assert "2 places left" in search_html(client)


def test_group_rename_shows_at_once(client):
    post = make_post("海岸清掃")
    search_html(client)
    post.group.name = "新しい団体名"
    post.group.save()
    assert "新しい団体名" in search_html(client)


def move_sessions(post: VolunteerPost, starts_at: dt.datetime) -> None:
    """Move a post's sessions past the services and their signals."""
    VolunteerSession.objects.filter(post=post).update(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2)
    )


def test_refresh_task_change_shows_at_once(client):
    """bulk_update sends no signal, so the refresh bumps the version itself."""
    post = make_post("海岸清掃")
    later = VolunteerSession.objects.get(post=post).starts_at
    sooner = make_post("河川清掃")
    move_sessions(sooner, later + dt.timedelta(days=3))
    tasks.refresh_next_session_starts()
    html = search_html(client)
    assert html.index("海岸清掃") < html.index("河川清掃")
    move_sessions(sooner, timezone.now() + dt.timedelta(hours=1))
    tasks.refresh_next_session_starts()
    html = search_html(client)
    assert html.index("河川清掃") < html.index("海岸清掃")


def test_languages_cached_apart(client):
    make_post("海岸清掃")
    assert "Find volunteering" in search_html(client)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert "ボランティアを探す" in search_html(client)


def test_layout_stays_per_user(client):
    make_post("海岸清掃")
    anonymous = search_html(client)
    client.force_login(UserFactory())
    signed_in = search_html(client)
    assert "Log in" in anonymous
    assert "Log out" not in anonymous
    assert "Log out" in signed_in
    assert "海岸清掃" in signed_in


def test_cached_content_has_no_csrf_token(client):
    client.force_login(UserFactory())
    make_post("海岸清掃")
    search_html(client)
    content = cache.get(search_cache.make_key("page", QueryDict(), "en"))
    assert content is not None
    assert "海岸清掃" in content
    assert "csrfmiddlewaretoken" not in content


def test_invalid_filters_not_cached(client):
    make_post("海岸清掃")
    url = reverse("volunteering:search")
    client.get(url, {"date_from": "abc"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"date_from": "abc"})
    assert response.status_code == 400
    assert len(queries) > 0


def test_bump_again_on_commit(django_capture_on_commit_callbacks):
    before = search_cache.current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        search_cache.bump_version()
    assert len(callbacks) == 1
    assert search_cache.current_version() == before + 2


def test_lost_version_key_starts_higher():
    before = search_cache.current_version()
    cache.delete(search_cache.VERSION_KEY)
    assert search_cache.current_version() > before


def test_api_repeated_list_runs_no_query(django_assert_num_queries):
    make_post("海岸清掃")
    api = APIClient()
    first = api.get(reverse("post-list"), {"q": "清掃"})
    with django_assert_num_queries(0):
        second = api.get(reverse("post-list"), {"q": "清掃"})
    assert first.status_code == 200
    assert second.json() == first.json()


def test_api_new_post_shows_at_once():
    make_post("海岸清掃")
    api = APIClient()
    api.get(reverse("post-list"))
    make_post("公園清掃")
    titles = [row["title"] for row in api.get(reverse("post-list")).json()["results"]]
    assert "公園清掃" in titles


def test_api_page_links_follow_host():
    for number in range(3):
        make_post(f"清掃{number}")
    url = reverse("post-list")
    first = APIClient().get(url, {"page_size": 1}, HTTP_HOST="localhost")
    second = APIClient().get(url, {"page_size": 1}, HTTP_HOST="127.0.0.1")
    assert first.json()["next"].startswith("http://localhost/")
    assert second.json()["next"].startswith("http://127.0.0.1/")
