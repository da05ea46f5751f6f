"""Collaboration pages on a 375 px wide phone: the meeting agenda wraps."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from facilitation.services import meetings as meeting_services
from tests.browser.steps import log_in
from tests.facilitation.factories import chief_facilitator

PHONE_WIDTH = 375
PHONE_HEIGHT = 800
# Agenda lines without spaces, like a pasted address or a long Japanese
# sentence. A <pre> keeps each on one line unless its style wraps it.
LONG_LINE = "- 協働案件の進め方について" + "地域の子ども食堂と企業の協働" * 6
LONG_URL = "- https://example.jp/" + "collaboration/" * 8


def page_overflow(page: Page) -> int:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth"
        " - document.scrollingElement.clientWidth"
    )


def test_agenda_wraps_on_phone(open_page):
    chief = chief_facilitator()
    starts_at = timezone.now() + dt.timedelta(days=3)
    meeting = meeting_services.create_meeting(
        chief.user,
        title="情報共有会議",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="やまぐち県民活動支援センター",
        attendees=[],
    )
    meeting.agenda = "\n".join(["1. 議題", LONG_LINE, LONG_URL, "2. その他"])
    meeting.save(update_fields=["agenda"])

    phone = open_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    log_in(phone, chief.user.email)
    phone.goto(reverse("facilitation:meeting_detail", args=[meeting.pk]))

    agenda = phone.locator(".agenda")
    assert page_overflow(phone) == 0
    assert agenda.evaluate("pre => pre.scrollWidth <= pre.clientWidth")
    assert agenda.inner_text().splitlines()[0] == "1. 議題"
