"""Every page's title reads "<page> | <site name>"."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import VolunteerPostFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EXTENDS_BASE = re.compile(r"""\{%\s*extends\s+["']base\.html["']\s*%\}""")
TITLE_BLOCK = re.compile(r"\{%\s*block title\s*%\}(.+?)\{%\s*endblock", re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def page_title(response) -> str:
    match = TITLE.search(response.content.decode())
    assert match, "the page has no <title>"
    return match.group(1)


def pages_on_base() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if EXTENDS_BASE.search(path.read_text(encoding="utf-8"))
    ]


def test_templates_on_base_found():
    assert len(pages_on_base()) > 20


@pytest.mark.parametrize(
    "template", pages_on_base(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_template_fills_title_block(template):
    match = TITLE_BLOCK.search(template.read_text(encoding="utf-8"))

    assert match, "no {% block title %}"
    assert match.group(1).strip(), "the title block is empty"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "page"),
    [
        ("home", "ホーム"),
        ("privacy", "個人情報の取り扱い"),
        ("volunteering:search", "ボランティア"),
        ("accounts:login", "ログイン"),
    ],
)
def test_title_page_then_site(japanese_client, url_name, page):
    title = page_title(japanese_client.get(reverse(url_name)))

    assert title.endswith(" | やまぐち県民活動ポータル"), title
    assert page in title.removesuffix(" | やまぐち県民活動ポータル"), title


@pytest.mark.django_db
def test_title_of_post_page(japanese_client):
    post = VolunteerPostFactory()
    url = reverse("volunteering:post_detail", args=[post.pk])

    title = page_title(japanese_client.get(url))

    assert title == f"{post.title} | やまぐち県民活動ポータル"


@pytest.mark.django_db
def test_title_in_english(client):
    title = page_title(client.get(reverse("home")))

    assert title == "Home | Yamaguchi Civic Activity Portal"
