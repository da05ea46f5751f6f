"""Date filters at the ends of the calendar: 400 with a message, never 500."""

import pytest
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EXTREME_DATES = ["0001-01-01", "9999-12-31"]
DATE_PARAMETERS = ["date_from", "date_to"]
OUT_OF_RANGE = "Enter a date between 1900-01-01 and 2999-12-31."

# Pages and API lists with date filters.
FILTERED_PAGES = ["groups:event_list", "volunteering:search"]
FILTERED_APIS = ["/api/events/", "/api/posts/"]

# Lists without a date filter ignore the parameters.
UNFILTERED_PAGES = [
    "groups:grant_list",
    "groups:directory",
    "groups:newsletter_archive",
]
UNFILTERED_APIS = ["/api/grants/", "/api/groups/"]


@pytest.mark.parametrize("day", EXTREME_DATES)
@pytest.mark.parametrize("parameter", DATE_PARAMETERS)
@pytest.mark.parametrize("url_name", FILTERED_PAGES)
def test_page_rejects_extreme_date(client, url_name, parameter, day):
    EventFactory()

    response = client.get(reverse(url_name), {parameter: day})

    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("day", EXTREME_DATES)
@pytest.mark.parametrize("parameter", DATE_PARAMETERS)
@pytest.mark.parametrize("url", FILTERED_APIS)
def test_api_rejects_extreme_date(client, url, parameter, day):
    EventFactory()

    response = client.get(url, {parameter: day})

    assert response.status_code == 400
    assert response.json() == {parameter: [OUT_OF_RANGE]}


@pytest.mark.parametrize("day", EXTREME_DATES)
@pytest.mark.parametrize("url_name", UNFILTERED_PAGES)
def test_page_ignores_extreme_date(client, url_name, day):
    response = client.get(reverse(url_name), {"date_from": day, "date_to": day})

    assert response.status_code == 200


@pytest.mark.parametrize("day", EXTREME_DATES)
@pytest.mark.parametrize("url", UNFILTERED_APIS)
def test_api_ignores_extreme_date(client, url, day):
    response = client.get(url, {"date_from": day, "date_to": day})

    assert response.status_code == 200


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_event_list_accepts_range_ends(client, day):
    response = client.get(reverse("groups:event_list"), {"date_to": day})

    assert response.status_code == 200
