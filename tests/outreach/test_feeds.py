import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import CivicGroup, Event
from tests.factories import (
    CivicGroupFactory,
    EventFactory,
    GrantNoticeFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    activity_field,
    municipality,
)
from tests.outreach.atom import ATOM, entry_titles, parse_atom
from volunteering.models import VolunteerPost

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.jp"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def make_post(title, **kwargs):
    """Create a post with an upcoming session, so the public search finds it."""
    post = VolunteerPostFactory(title=title, **kwargs)
    VolunteerSessionFactory(post=post)
    return post


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse_atom(response.content)


def test_post_feed_valid_atom(client):
    make_post("竹林の間伐")
    root = fetch(client, reverse("outreach:post_feed"))

    assert entry_titles(root) == ["竹林の間伐"]
    assert root.findtext(f"{ATOM}id") == f"{SITE}/feeds/posts.atom"
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}author/{ATOM}name").startswith("やまぐち里山の会")


def test_post_feed_entry_links_absolute(client):
    post = make_post("海岸清掃")
    root = fetch(client, reverse("outreach:post_feed"))
    entry = root.find(f"{ATOM}entry")

    expected = f"{SITE}/volunteer/posts/{post.pk}/"
    assert entry.find(f"{ATOM}link").get("href") == expected
    assert entry.findtext(f"{ATOM}id") == expected


def test_post_feed_hides_private_posts(client):
    make_post("公開中")
    make_post("下書き", status=VolunteerPost.Status.DRAFT, published_at=None)
    make_post("予約", status=VolunteerPost.Status.SCHEDULED, published_at=None)
    make_post("終了", status=VolunteerPost.Status.CLOSED)
    pending = CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING)
    make_post("審査中の団体", group=pending)
    dissolved = CivicGroupFactory(status=CivicGroup.Status.DISSOLVED)
    make_post("解散した団体", group=dissolved)

    root = fetch(client, reverse("outreach:post_feed"))

    assert entry_titles(root) == ["公開中"]


def test_post_feed_newest_first(client):
    now = timezone.now()
    make_post("古い", published_at=now - dt.timedelta(days=3))
    make_post("新しい", published_at=now - dt.timedelta(hours=1))

    root = fetch(client, reverse("outreach:post_feed"))

    assert entry_titles(root) == ["新しい", "古い"]


def test_post_feed_bounded(client, django_assert_max_num_queries, settings):
    for number in range(60):
        make_post(f"募集{number}")

    with django_assert_max_num_queries(3):
        root = fetch(client, reverse("outreach:post_feed"))

    assert len(entry_titles(root)) == 50


def test_municipality_feed_filters(client):
    make_post("山口市の募集", municipality=municipality("35203"))
    make_post("下関市の募集", municipality=municipality("35201"))

    root = fetch(client, reverse("outreach:municipality_post_feed", args=["35201"]))

    assert entry_titles(root) == ["下関市の募集"]
    assert "Shimonoseki" in root.findtext(f"{ATOM}title")


def test_municipality_feed_title_names_city(client):
    root = fetch(client, reverse("outreach:municipality_post_feed", args=["35203"]))

    assert root.findtext(f"{ATOM}title") == "New volunteer posts in Yamaguchi City"


def test_municipality_feed_unknown_code(client):
    response = client.get(reverse("outreach:municipality_post_feed", args=["99999"]))

    assert response.status_code == 404


def test_field_feed_filters(client):
    make_post("環境の募集", activity_field=activity_field(7))
    make_post("福祉の募集", activity_field=activity_field(2))

    root = fetch(client, reverse("outreach:field_post_feed", args=[2]))

    assert entry_titles(root) == ["福祉の募集"]


def test_field_feed_unknown_number(client):
    response = client.get(reverse("outreach:field_post_feed", args=[99]))

    assert response.status_code == 404


def test_feed_in_japanese(japanese_client):
    make_post("下関市の募集", municipality=municipality("35201"))
    url = reverse("outreach:municipality_post_feed", args=["35201"])

    root = fetch(japanese_client, url)

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert "下関市" in root.findtext(f"{ATOM}title")
    categories = [category.get("term") for category in root.iter(f"{ATOM}category")]
    assert "下関市" in categories


def test_feed_title_in_english(client):
    root = fetch(client, reverse("outreach:post_feed"))

    assert root.findtext(f"{ATOM}title") == "New volunteer posts"


def test_empty_feed_valid(client):
    root = fetch(client, reverse("outreach:event_feed"))

    assert entry_titles(root) == []


def test_event_feed_public_only(client):
    EventFactory(title="春まつり")
    EventFactory(title="準備中", status=Event.Status.DRAFT)
    EventFactory(title="中止", status=Event.Status.CANCELLED)
    EventFactory(
        title="審査中",
        group=CivicGroupFactory(review_status=CivicGroup.ReviewStatus.PENDING),
    )
    past = timezone.now() - dt.timedelta(days=3)
    EventFactory(title="終わった", starts_at=past, ends_at=past + dt.timedelta(hours=1))

    root = fetch(client, reverse("outreach:event_feed"))

    assert entry_titles(root) == ["春まつり"]
    link = root.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.startswith(f"{SITE}/events/")


def test_event_feed_bounded(client, django_assert_max_num_queries):
    for number in range(55):
        EventFactory(title=f"催し{number}")

    with django_assert_max_num_queries(3):
        root = fetch(client, reverse("outreach:event_feed"))

    assert len(entry_titles(root)) == 50


def test_grant_feed_published_only(client):
    GrantNoticeFactory(title="公開中の助成")
    GrantNoticeFactory(title="未公開の助成", is_published=False)

    root = fetch(client, reverse("outreach:grant_feed"))

    assert entry_titles(root) == ["公開中の助成"]
    summary = root.findtext(f"{ATOM}entry/{ATOM}summary")
    assert "やまぐち地域振興財団" in summary


def test_grant_feed_bounded(client, django_assert_max_num_queries):
    for number in range(55):
        GrantNoticeFactory(title=f"助成{number}")

    with django_assert_max_num_queries(3):
        root = fetch(client, reverse("outreach:grant_feed"))

    assert len(entry_titles(root)) == 50


def test_feed_index_lists_feeds(client):
    response = client.get(reverse("outreach:feed_index"))
    content = response.content.decode()

    assert response.status_code == 200
    assert reverse("outreach:post_feed") in content
    assert reverse("outreach:municipality_post_feed", args=["35203"]) in content
    assert reverse("outreach:field_post_feed", args=[20]) in content
    assert 'type="application/atom+xml"' in content


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("volunteering:search", "outreach:post_feed"),
        ("groups:event_list", "outreach:event_feed"),
        ("groups:grant_list", "outreach:grant_feed"),
    ],
)
def test_list_page_links_feed(client, page, feed):
    content = client.get(reverse(page)).content.decode()

    assert 'rel="alternate" type="application/atom+xml"' in content
    assert f'href="{reverse(feed)}"' in content


def test_footer_links_feed_index(client):
    content = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("outreach:feed_index")}"' in content


@pytest.mark.parametrize(
    ("query", "feed_url"),
    [
        ({"municipality": "35203"}, "/feeds/posts/municipality/35203.atom"),
        ({"field": "2"}, "/feeds/posts/field/2.atom"),
        ({"municipality": "35203", "field": "2"}, "/feeds/posts.atom"),
        ({"municipality": "35203'><x"}, "/feeds/posts.atom"),
        ({"field": "-1"}, "/feeds/posts.atom"),
    ],
)
def test_search_feed_follows_filter(client, query, feed_url):
    municipality("35203")
    activity_field(2)

    content = client.get(reverse("volunteering:search"), query).content.decode()

    alternate = (
        f'type="application/atom+xml" title="New volunteer posts" href="{feed_url}"'
    )
    assert alternate in content
