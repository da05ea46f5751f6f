import io
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from groups.models import Event
from outreach import cards
from tests.factories import EventFactory
from volunteering.models import PostPhoto, VolunteerPost

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.jp"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class MetaParser(HTMLParser):
    """Collect the content of <meta property|name=...> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        attributes = dict(attrs)
        key = attributes.get("property") or attributes.get("name")
        if key:
            self.values.setdefault(key, []).append(attributes.get("content") or "")


def meta_tags(response) -> dict[str, str]:
    assert response.status_code == 200
    parser = MetaParser()
    parser.feed(response.content.decode())
    return {key: values[0] for key, values in parser.values.items()}


def png_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def jpeg_upload() -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(output, format="JPEG")
    return SimpleUploadedFile("bamboo.jpg", output.getvalue(), "image/jpeg")


def test_post_page_og_tags(client, post):
    tags = meta_tags(client.get(reverse("volunteering:post_detail", args=[post.pk])))

    assert tags["og:title"] == post.title
    assert tags["og:url"] == f"{SITE}/volunteer/posts/{post.pk}/"
    assert tags["og:type"] == "article"
    assert tags["og:locale"] == "en_US"
    assert tags["og:description"].startswith("荒れた竹林")
    assert tags["twitter:card"] == "summary_large_image"
    assert re.fullmatch(rf"{SITE}/cards/posts/{post.pk}\.png\?v=\d+", tags["og:image"])
    assert tags["twitter:image"] == tags["og:image"]


def test_post_page_locale_japanese(japanese_client, post):
    url = reverse("volunteering:post_detail", args=[post.pk])

    tags = meta_tags(japanese_client.get(url))

    assert tags["og:locale"] == "ja_JP"
    assert tags["og:locale:alternate"] == "en_US"


def test_post_photo_as_og_image(client, post):
    PostPhoto.objects.create(post=post, image=jpeg_upload(), alt_text="竹林の写真")

    tags = meta_tags(client.get(reverse("volunteering:post_detail", args=[post.pk])))

    assert tags["og:image"].startswith(f"{SITE}/media/posts/")
    assert tags["og:image:alt"] == "竹林の写真"
    assert "og:image:width" not in tags


def test_event_page_og_tags(client):
    event = EventFactory()

    tags = meta_tags(client.get(reverse("groups:event_detail", args=[event.pk])))

    assert tags["og:title"] == "里山の春まつり"
    assert tags["og:url"] == f"{SITE}/events/{event.pk}/"
    assert tags["og:image"].startswith(f"{SITE}/cards/events/{event.pk}.png")
    assert tags["og:image:width"] == "1200"
    assert tags["og:image:height"] == "630"
    assert tags["twitter:card"] == "summary_large_image"


def test_group_page_og_tags(client, group):
    tags = meta_tags(client.get(reverse("groups:detail", args=[group.pk])))

    assert tags["og:title"] == group.name
    assert tags["og:url"] == f"{SITE}/groups/{group.pk}/"
    assert tags["og:type"] == "website"
    assert tags["og:image"].startswith(f"{SITE}/cards/groups/{group.pk}.png")


@pytest.mark.parametrize("kind", ["post", "event", "group"])
def test_card_is_1200x630_png(client, post, kind):
    pk = {"post": post.pk, "event": EventFactory().pk, "group": post.group_id}[kind]

    response = client.get(reverse(f"outreach:{kind}_card", args=[pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = png_image(response.content)
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_card_cached(client, post, monkeypatch):
    url = reverse("outreach:post_card", args=[post.pk])
    first = client.get(url).content
    calls = []
    monkeypatch.setattr(cards, "render_card", lambda text: calls.append(text))

    second = client.get(url).content

    assert second == first
    assert calls == []


def test_card_redrawn_after_edit(client, post):
    url = reverse("outreach:post_card", args=[post.pk])
    first = client.get(url).content
    post.title = "新しいタイトルの募集"
    post.save()

    second = client.get(url).content

    assert second != first


def test_card_of_draft_not_found(client, group_staff, post):
    post.status = VolunteerPost.Status.DRAFT
    post.save()
    client.force_login(group_staff)

    response = client.get(reverse("outreach:post_card", args=[post.pk]))

    assert response.status_code == 404


def test_card_of_draft_event_not_found(client):
    event = EventFactory(status=Event.Status.DRAFT)

    response = client.get(reverse("outreach:event_card", args=[event.pk]))

    assert response.status_code == 404


def test_card_without_cjk_font(client, post, settings, caplog):
    cards.find_font.cache_clear()
    settings.OUTREACH_CARD_FONT = "/nonexistent/font.otf"
    try:
        response = client.get(reverse("outreach:post_card", args=[post.pk]))
    finally:
        cards.find_font.cache_clear()

    assert png_image(response.content).size == (1200, 630)
    assert "failed to load" in caplog.text


def test_card_font_found():
    cards.find_font.cache_clear()

    font_file = cards.find_font()

    assert font_file is not None, "install fonts-noto-cjk"
    assert "NotoSansCJK" in font_file.path


def test_wrap_text_ellipsis():
    image = Image.new("RGB", (10, 10))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(20)

    lines = cards.wrap_text(draw, "あ" * 200, font, 200, max_lines=2)

    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 200 for line in lines)


def test_cancelled_event_card_says_so(client, monkeypatch):
    event = EventFactory(status=Event.Status.CANCELLED)
    drawn = []
    monkeypatch.setattr(cards, "render_card", lambda text: drawn.append(text) or b"")

    response = client.get(reverse("outreach:event_card", args=[event.pk]))

    assert response.status_code == 200
    assert drawn[0].kind == "Cancelled event"


def test_cancelled_event_og_description_says_so(client):
    event = EventFactory(status=Event.Status.CANCELLED)

    tags = meta_tags(client.get(reverse("groups:event_detail", args=[event.pk])))

    assert tags["og:description"].startswith("This event is cancelled.")


def test_cancelled_event_og_description_in_japanese(japanese_client):
    event = EventFactory(status=Event.Status.CANCELLED)
    url = reverse("groups:event_detail", args=[event.pk])

    tags = meta_tags(japanese_client.get(url))

    assert tags["og:description"].startswith("このイベントは中止になりました。")
