"""A rejected application re-renders the post page at the form's errors."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicationFactory, VolunteerPostFactory
from tests.volunteering.test_apply import apply_day, apply_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


def form_action(html: str, url: str) -> str:
    match = re.search(rf'action="({re.escape(url)}[^"]*)"', html)
    assert match, f"no form posts to {url}"
    return match.group(1)


def focusable_summary(html: str, prefix: str) -> bool:
    """Return whether *html* has the error summary of form *prefix*, focusable."""
    pattern = rf'id="apply-{prefix}-errors"[^>]*tabindex="-1"'
    return re.search(pattern, html) is not None


def test_session_form_action_has_anchor(resident_client, post, session):
    url = reverse("volunteering:apply_session", args=[session.pk])

    html = resident_client.get(reverse("volunteering:post_detail", args=[post.pk]))

    action = form_action(html.content.decode(), url)
    assert action == f"{url}#apply-session-{session.pk}-errors"


def test_day_form_action_has_anchor(resident_client, year_round_post):
    url = reverse("volunteering:apply_post", args=[year_round_post.pk])
    page_url = reverse("volunteering:post_detail", args=[year_round_post.pk])

    html = resident_client.get(page_url).content.decode()

    assert form_action(html, url) == f"{url}#apply-day-errors"


def test_rejected_session_anchor_target(resident_client, post, session):
    post.application_deadline = timezone.now() - dt.timedelta(hours=1)
    post.save()

    response = apply_session(resident_client, session)
    html = response.content.decode()

    assert response.status_code == 400
    assert focusable_summary(html, f"session-{session.pk}")
    assert "autofocus" not in html


def test_rejected_day_anchor_target(resident_client, year_round_post):
    response = apply_day(resident_client, year_round_post, activity_date="")
    html = response.content.decode()

    assert response.status_code == 400
    assert focusable_summary(html, "day")


def test_unplaced_errors_anchor_target(resident_client, resident, session):
    ApplicationFactory(session=session, applicant=resident)

    response = apply_session(resident_client, session)
    html = response.content.decode()

    assert response.status_code == 400
    assert "You have already applied to this session." in html
    assert focusable_summary(html, f"session-{session.pk}")


def test_unbound_page_has_no_error_summary(resident_client):
    post = VolunteerPostFactory()

    html = resident_client.get(reverse("volunteering:post_detail", args=[post.pk]))

    assert "error-summary" not in html.content.decode()
