"""Group staff accept an applicant and record attendance, then the hours show."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import (
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.models import VolunteerSession
from volunteering.services.applications import application_create_for_session


def test_accept_attendance_then_hours(open_page):
    staff = GroupMembershipFactory(user__email="staff@example.jp").user
    volunteer = UserFactory(email="volunteer@example.jp", full_name="周防 健太")
    post = VolunteerPostFactory(group=staff.civic_groups.get(), title="河川敷の清掃")
    session = VolunteerSessionFactory(post=post, capacity=5)
    application_create_for_session(applicant=volunteer, session_id=session.pk)

    staff_page = open_page()
    log_in(staff_page, staff.email)
    staff_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Group staff"
    ).click()
    staff_page.get_by_role("link", name="河川敷の清掃").click()
    # The post's own link comes first, and each session row has another.
    staff_page.get_by_role("link", name="Applicants", exact=True).first.click()
    applicant = staff_page.get_by_role("article", name="周防 健太")
    expect(applicant).to_contain_text("Awaiting confirmation")
    applicant.get_by_role("button", name="Accept").click()

    expect(staff_page.get_by_role("status")).to_have_text(
        "Done: The application was accepted."
    )
    expect(applicant).to_contain_text("Confirmed")

    # The activity took place yesterday from 09:00 to 12:00 UTC, so 3 planned hours.
    yesterday = timezone.now() - dt.timedelta(days=1)
    starts_at = yesterday.replace(hour=9, minute=0, second=0, microsecond=0)
    VolunteerSession.objects.filter(pk=session.pk).update(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=3)
    )
    staff_page.get_by_role("link", name="河川敷の清掃").click()
    staff_page.get_by_role("link", name="Attendance", exact=True).click()
    expect(
        staff_page.get_by_text("Planned hours for this session: 3 hours.")
    ).to_be_visible()
    staff_page.get_by_role(
        "button", name="Confirm planned hours for everyone not yet recorded"
    ).click()

    expect(staff_page.get_by_role("status")).to_have_text(
        "Done: Planned hours were confirmed for 1 application."
    )

    volunteer_page = open_page()
    log_in(volunteer_page, volunteer.email)
    volunteer_page.goto(reverse("volunteering:my_hours"))
    expect(volunteer_page.get_by_text("Total confirmed hours: 3")).to_be_visible()
    history = volunteer_page.get_by_role("region", name="Confirmed hours")
    row = history.get_by_role("row").filter(has_text="河川敷の清掃")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").last).to_have_text("3")
    expect(history.get_by_role("row", name="Total")).to_contain_text("3")
