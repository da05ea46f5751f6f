"""The staff session and attendance tables on a 375 px wide phone."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.browser.steps import line_counts, log_in, page_overflow
from tests.factories import (
    ApplicationFactory,
    GroupMembershipFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)

PHONE_WIDTH = 375
PHONE_HEIGHT = 800


def test_staff_tables_fit_a_phone(open_page, portal_url):
    staff = GroupMembershipFactory(user__email="staff@example.jp").user
    post = VolunteerPostFactory(group=staff.civic_groups.get())
    starts_at = timezone.now() - dt.timedelta(days=1)
    past = VolunteerSessionFactory(
        post=post,
        capacity=3,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
    )
    ApplicationFactory(session=past)
    VolunteerSessionFactory(post=post, capacity=3)

    phone = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    log_in(phone, staff.email)
    # Japanese pages from here on, as the language switch sets them.
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ja", "url": portal_url}]
    )
    phone.goto(reverse("volunteering:staff_post_detail", args=[post.pk]))

    assert page_overflow(phone) == 0
    # A header breaks between words, not after every character of a
    # Japanese word such as 承認待ち.
    headers = phone.locator(".session-table th[scope=col]").all_inner_texts()
    lines = line_counts(phone, ".session-table th[scope=col]")
    for header, count in zip(headers, lines, strict=True):
        assert count <= max(2, len(header.split())), header
    assert line_counts(phone, ".session-table .nowrap") == [1, 1]

    phone.goto(reverse("volunteering:staff_session_attendance", args=[past.pk]))
    assert page_overflow(phone) == 0
    select = phone.locator(".attendance-table select").first
    select.select_option(label="出席")
    hours = phone.locator(".attendance-table input[type=number]").first
    hours.fill("10.25")
    assert select.evaluate("s => s.scrollWidth <= s.clientWidth")
    assert hours.evaluate("i => i.scrollWidth <= i.clientWidth")
