"""A full session takes a waitlist, and a staff cancellation moves it up."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.factories import (
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from volunteering.services.applications import application_create_for_session


def test_waitlist_moves_up_after_cancel(open_page):
    staff = GroupMembershipFactory(user__email="staff@example.jp").user
    first = UserFactory(email="first@example.jp", full_name="萩 一郎")
    waiting = UserFactory(email="waiting@example.jp", full_name="長門 二郎")
    post = VolunteerPostFactory(
        group=staff.civic_groups.get(), title="子ども食堂の配膳", auto_accept=True
    )
    session = VolunteerSessionFactory(post=post, capacity=1)
    application_create_for_session(applicant=first, session_id=session.pk)

    waiting_page = open_page()
    log_in(waiting_page, waiting.email)
    waiting_page.goto(reverse("volunteering:search"))
    card = waiting_page.get_by_role("article").filter(has_text="子ども食堂の配膳")
    expect(card).to_contain_text("Full: you can join the waitlist")
    card.get_by_role("link", name="子ども食堂の配膳").click()
    sessions = waiting_page.get_by_role("region", name="Upcoming sessions")
    expect(sessions).to_contain_text(
        "This session is full. If you apply, you join the waitlist and move up "
        "when a place becomes free."
    )
    sessions.get_by_role("button", name="Join the waitlist").click()

    expect(waiting_page.get_by_role("status")).to_have_text(
        "Done: The activity is full, so you are on the waitlist. We will e-mail "
        "you if a place becomes free."
    )
    expect(waiting_page.get_by_role("article")).to_contain_text("On the waitlist")

    staff_page = open_page()
    log_in(staff_page, staff.email)
    staff_page.goto(reverse("volunteering:post_applications", args=[post.pk]))
    confirmed = staff_page.get_by_role("article", name="萩 一郎")
    confirmed.get_by_label("Reason").fill("雨天のため人数を減らします。")
    confirmed.get_by_role("button", name="Cancel the application").click()

    expect(staff_page.get_by_role("status")).to_have_text(
        "Done: The application was cancelled."
    )
    expect(staff_page.get_by_role("article", name="長門 二郎")).to_contain_text(
        "Confirmed"
    )

    waiting_page.reload()
    moved_up = waiting_page.get_by_role("article").filter(has_text="子ども食堂の配膳")
    expect(moved_up).to_contain_text("Confirmed")
    expect(moved_up).not_to_contain_text("On the waitlist")

    first_page = open_page()
    log_in(first_page, first.email)
    first_page.goto(reverse("volunteering:my_applications"))
    expect(first_page.get_by_role("article")).to_contain_text(
        "Cancelled by the group: 雨天のため人数を減らします。"
    )
