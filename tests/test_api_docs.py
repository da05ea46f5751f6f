"""The API documentation page loads Swagger UI from this site's static files."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders


class LinkCollector(HTMLParser):
    """Collects the src and href attribute values of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


def docs_page_urls(client) -> list[str]:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    collector = LinkCollector()
    collector.feed(response.content.decode())
    return collector.urls


# The page loads its start-up script from its own URL, so that it carries
# no inline script under the Content Security Policy.
START_UP_SCRIPT = "/api/docs/?script="


@pytest.mark.django_db
def test_docs_reference_only_local_static(client):
    urls = docs_page_urls(client)

    assert urls, "the docs page links no script or style"
    for url in urls:
        assert url.startswith(settings.STATIC_URL) or url == START_UP_SCRIPT, url


@pytest.mark.django_db
def test_docs_static_files_exist(client):
    for url in docs_page_urls(client):
        if url == START_UP_SCRIPT:
            continue
        path = url.removeprefix(settings.STATIC_URL)
        assert finders.find(path), f"{path} is not among the static files"


@pytest.mark.django_db
def test_docs_start_up_script_is_javascript(client):
    response = client.get(START_UP_SCRIPT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content
