"""The 400, 403, 404 and 500 pages.

This module is also the URLconf of its tests: it adds views that fail in
each way to the portal's own URLs, which the base layout links to.
"""

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path


def raise_bad_request(request):
    raise SuspiciousOperation("test request is invalid")


def raise_permission_denied(request):
    raise PermissionDenied


def raise_server_error(request):
    raise RuntimeError("test failure")


def raise_not_found_after_message(request):
    messages.info(request, "Kept for the next page.")
    raise Http404("test page is missing")


urlpatterns = [
    path("test-errors/400/", raise_bad_request),
    path("test-errors/403/", raise_permission_denied),
    path("test-errors/500/", raise_server_error),
    path("test-errors/404-after-message/", raise_not_found_after_message),
    path("", include("civic_portal.urls")),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

LAYOUT = {"ja": "ボランティアを探す", "en": "Find volunteering"}


@pytest.fixture
def clients(client, japanese_client):
    return {"ja": japanese_client, "en": client}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_404_in_layout(clients, language):
    response = clients[language].get("/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert LAYOUT[language] in html
    assert 'id="main"' in html


@pytest.mark.parametrize("language", ["ja", "en"])
def test_403_in_layout(clients, language):
    response = clients[language].get("/test-errors/403/")
    html = response.content.decode()

    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert LAYOUT[language] in html
    assert "/accounts/login/?next=/test-errors/403/" in html


def test_404_english_text(client):
    html = client.get("/no-such-page/").content.decode()

    assert "<h1>Page not found</h1>" in html
    assert "<title>Page not found | Yamaguchi Civic Activity Portal</title>" in html


def test_403_english_text(client):
    html = client.get("/test-errors/403/").content.decode()

    assert "<h1>Access denied</h1>" in html


def test_404_japanese_text(japanese_client):
    html = japanese_client.get("/no-such-page/").content.decode()

    assert "<h1>ページが見つかりません</h1>" in html
    assert "<title>ページが見つかりません | やまぐち県民活動ポータル</title>" in html


def test_403_japanese_text(japanese_client):
    html = japanese_client.get("/test-errors/403/").content.decode()

    assert "<h1>アクセスできません</h1>" in html


def test_404_keeps_messages_for_next_page(client):
    missing = client.get("/test-errors/404-after-message/")
    home = client.get("/")

    assert missing.status_code == 404
    assert "Kept for the next page." not in missing.content.decode()
    assert "Kept for the next page." in home.content.decode()


def test_400_in_layout(client):
    response = client.get("/test-errors/400/")
    html = response.content.decode()

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in html
    assert LAYOUT["en"] in html


def test_500_with_debug_off(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500/")
    html = response.content.decode()

    assert response.status_code == 500
    assert "サーバーエラーが発生しました" in html
    assert "Server error" in html


def test_500_renders_without_context(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert '<html lang="ja">' in html
    assert "{%" not in html
