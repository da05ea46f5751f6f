"""Cancelling from my applications takes a confirmation, worded by status."""

import re

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory
from volunteering.models import Application

pytestmark = pytest.mark.django_db

MY_APPLICATIONS = "/volunteer/my/applications/"
PLACE_PASSES_ON = "your place goes to the next person on the waitlist"
LEAVES_WAITLIST = "You leave the waitlist, and the group is told."


def cancel_block(html: str, application: Application) -> str:
    """Return the <details> element that holds *application*'s cancel form."""
    url = reverse("volunteering:cancel_application", args=[application.pk])
    for block in re.findall(r"<details.*?</details>", html, re.DOTALL):
        if url in block:
            return block
    raise AssertionError(f"no <details> holds the form that posts to {url}")


def test_cancel_form_inside_details(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)

    block = cancel_block(client.get(MY_APPLICATIONS).content.decode(), application)

    assert "<summary>Cancel this application</summary>" in block
    assert "Yes, cancel this application" in block
    assert "<details open" not in block


def test_confirmed_text_passes_place_on(client, resident):
    application = ApplicationFactory(applicant=resident)
    client.force_login(resident)

    block = cancel_block(client.get(MY_APPLICATIONS).content.decode(), application)

    assert PLACE_PASSES_ON in block
    assert LEAVES_WAITLIST not in block


def test_waitlisted_text_leaves_waitlist(client, resident):
    application = ApplicationFactory(
        applicant=resident, status=Application.Status.WAITLISTED, confirmed_at=None
    )
    client.force_login(resident)

    block = cancel_block(client.get(MY_APPLICATIONS).content.decode(), application)

    assert LEAVES_WAITLIST in block
    assert PLACE_PASSES_ON not in block
