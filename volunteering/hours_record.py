"""PDF record of a volunteer's confirmed hours, as evidence for a school.

The portal records the hours. The school principal recommends a student,
and the prefectural board of education certifies, and the record states this.
The record is HTML laid out by WeasyPrint, as the flyers and the white
paper are, so the PDF embeds a subset of the Japanese font (Noto Sans CJK
JP from fontconfig) and every PDF viewer shows the text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from indicators.services.white_paper import render_pdf
from volunteering.models import Attendance

TEMPLATE = "volunteering/resident/hours_record.html"


@dataclass(frozen=True)
class HoursRow:
    """One confirmed activity as the record prints it."""

    day: str
    group_name: str
    activity: str
    hours: str


def format_hours(hours: Decimal) -> str:
    """Return *hours* without trailing zeros: 2.50 -> "2.5", 3.00 -> "3"."""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def activity_day(attendance: Attendance) -> dt.date | None:
    """Return the day of the activity in Japan time."""
    application = attendance.application
    if application.session is not None:
        return timezone.localtime(application.session.starts_at, JAPAN).date()
    return application.activity_date


def _hours_row(attendance: Attendance) -> HoursRow:
    post = attendance.application.post
    day = activity_day(attendance)
    return HoursRow(
        day=date_format(day, "Y-m-d") if day else "",
        group_name=post.group.name,
        activity=post.title,
        hours=format_hours(attendance.hours),
    )


def render_hours_record_html(
    *,
    user: User,
    rows: Sequence[Attendance],
    total: Decimal,
    issued_on: dt.date,
) -> str:
    """Render *user*'s confirmed hours as the standalone HTML of the PDF."""
    # The template escapes names and titles typed by users, as every
    # Django template does, and render_pdf lets WeasyPrint fetch no URL.
    context = {
        "name": user.full_name or user.email,
        "issued_on": date_format(issued_on, "Y-m-d"),
        "total": format_hours(total),
        "rows": [_hours_row(attendance) for attendance in rows],
    }
    return render_to_string(TEMPLATE, context)


def build_hours_record(
    *,
    user: User,
    rows: Sequence[Attendance],
    total: Decimal,
    issued_on: dt.date,
) -> bytes:
    """Return the PDF bytes of *user*'s confirmed hours.

    *rows* are confirmed attendance records with application, post, group
    and session selected. *total* is their sum in hours per person.
    """
    html = render_hours_record_html(
        user=user, rows=rows, total=total, issued_on=issued_on
    )
    return render_pdf(html)
