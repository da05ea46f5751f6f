"""The search form folds the filters other than the keyword until one is set."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLOSED = '<details class="more-filters">'
OPEN = '<details class="more-filters" open>'


def search_html(client, query: str = "") -> str:
    return client.get(reverse("volunteering:search") + query).content.decode()


def test_filters_folded_without_query(client):
    html = search_html(client)

    assert CLOSED in html
    assert 'name="q"' in html.split(CLOSED)[0]


def test_filters_folded_for_keyword_only(client):
    assert CLOSED in search_html(client, "?q=清掃")


@pytest.mark.parametrize(
    "query", ["?online=on", "?municipality=35203", "?q=清掃&has_places=on"]
)
def test_filters_open_when_set(client, query):
    assert OPEN in search_html(client, query)


def test_filters_open_on_error(client):
    html = search_html(client, "?date_from=not-a-date")

    assert OPEN in html
    assert "Some filters are not valid" in html


def test_filters_folded_for_page_number(client):
    assert CLOSED in search_html(client, "?page=2")
