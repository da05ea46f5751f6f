"""Dates at the ends of the calendar: rejected with a message, never a 500."""

import pytest
from django.urls import reverse

from groups.models import Event, GrantNotice, NewsletterIssue
from tests.factories import EventFactory, centre_staff
from tests.groups.test_events_pages import event_form
from tests.groups.test_grants_pages import grant_form

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


# Forms with dates that become Japan times


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_event_form_rejects_extreme_date(client, group, group_staff, day):
    client.force_login(group_staff)
    data = event_form(group, starts_at=f"{day}T05:00", ends_at=f"{day}T06:00")

    response = client.post(reverse("groups:event_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [OUT_OF_RANGE]
    assert not Event.objects.exists()


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_grant_form_rejects_extreme_date(client, resident, day):
    client.force_login(centre_staff(resident))
    data = grant_form(deadline_date=day, deadline_time="00:00")

    response = client.post(reverse("groups:grant_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["deadline_date"] == [OUT_OF_RANGE]
    assert not GrantNotice.objects.exists()


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_newsletter_month_rejects_extreme(client, resident, month):
    client.force_login(centre_staff(resident))

    response = client.post(reverse("groups:newsletter_staff"), {"month": month})

    assert response.status_code in (200, 400)
    assert OUT_OF_RANGE in response.content.decode()
    assert not NewsletterIssue.objects.exists()
