"""Pages and actions of one account return 404 to other accounts."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in, post_with_csrf
from tests.factories import (
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import Application
from volunteering.services.applications import application_create_for_session


def test_cancel_of_other_resident_is_404(open_page):
    owner = UserFactory(email="owner@example.jp")
    intruder = UserFactory(email="intruder@example.jp")
    session = VolunteerSessionFactory(post=VolunteerPostFactory(), capacity=5)
    application = application_create_for_session(applicant=owner, session_id=session.pk)
    page = open_page()
    log_in(page, intruder.email)

    response = post_with_csrf(
        page, reverse("volunteering:cancel_application", args=[application.pk])
    )

    assert response.status == 404
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING

    # The same request from the owner works, so the 404 above is the check.
    owner_page = open_page()
    log_in(owner_page, owner.email)
    response = post_with_csrf(
        owner_page, reverse("volunteering:cancel_application", args=[application.pk])
    )
    assert response.status == 302
    application.refresh_from_db()
    assert application.status == Application.Status.CANCELLED_BY_VOLUNTEER


@pytest.mark.parametrize("visitor", ["resident", "staff of another group"])
def test_applicants_page_of_other_group_is_404(open_page, visitor):
    post = VolunteerPostFactory(title="清掃活動")
    session = VolunteerSessionFactory(post=post, capacity=5)
    applicant = UserFactory(email="applicant@example.jp", full_name="宇部 三郎")
    application_create_for_session(applicant=applicant, session_id=session.pk)
    if visitor == "resident":
        user = UserFactory(email="visitor@example.jp")
    else:
        user = GroupMembershipFactory(user__email="visitor@example.jp").user
    page = open_page()
    log_in(page, user.email)

    response = page.goto(reverse("volunteering:post_applications", args=[post.pk]))

    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("宇部 三郎")).to_have_count(0)
    expect(page.get_by_text("applicant@example.jp")).to_have_count(0)
