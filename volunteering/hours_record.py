"""PDF record of a volunteer's confirmed hours, as evidence for a school.

The portal records the hours. The school principal recommends a student,
and the prefectural board of education certifies, and the record states this.
It uses reportlab's built-in Japanese CID font (HeiseiKakuGo-W5), so no
font file has to be shipped or installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from volunteering.models import Attendance

FONT_NAME = "HeiseiKakuGo-W5"
pdfmetrics.registerFont(UnicodeCIDFont(FONT_NAME))

_BODY = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10, leading=15)
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=16, leading=22)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=9, leading=12)


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


def _hours_table(rows: Sequence[Attendance], total: Decimal) -> Table:
    data: list[list[object]] = [
        [_("Date"), _("Civic group"), _("Activity"), _("Hours")]
    ]
    for attendance in rows:
        post = attendance.application.post
        day = activity_day(attendance)
        data.append(
            [
                date_format(day, "Y-m-d") if day else "",
                Paragraph(escape(post.group.name), _CELL),
                Paragraph(escape(post.title), _CELL),
                format_hours(attendance.hours),
            ]
        )
    data.append(["", "", _("Total"), format_hours(total)])
    table = Table(data, colWidths=[25 * mm, 55 * mm, 75 * mm, 20 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def build_hours_record(
    *,
    user: User,
    rows: Sequence[Attendance],
    total: Decimal,
    issued_on: dt.date,
) -> bytes:
    """Return the PDF bytes of *user*'s confirmed hours.

    *rows* are confirmed attendance records with application, post, group
    and session selected; *total* is their sum in hours per person.
    """
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Record of volunteer hours"),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    # Paragraph parses its text as markup, so names and titles typed by
    # users are escaped. A stray "<b>" would fail the build, and an <img>
    # tag would make reportlab open a file path named by the user.
    name = escape(user.full_name or user.email)
    story = [
        Paragraph(_("Record of volunteer hours"), _TITLE),
        Spacer(1, 4 * mm),
        Paragraph(_("Name: %(name)s") % {"name": name}, _BODY),
        Paragraph(
            _("Date issued: %(date)s") % {"date": date_format(issued_on, "Y-m-d")},
            _BODY,
        ),
        Paragraph(
            _("Total confirmed hours: %(hours)s") % {"hours": format_hours(total)},
            _BODY,
        ),
        Spacer(1, 4 * mm),
        _hours_table(rows, total),
        Spacer(1, 6 * mm),
        Paragraph(
            _(
                "This record lists the hours that civic groups confirmed on the "
                "Yamaguchi Civic Activity Portal. The portal records hours only. "
                "The school principal recommends students, and the Yamaguchi "
                "Prefectural Board of Education certifies them."
            ),
            _BODY,
        ),
    ]
    document.build(story)
    return buffer.getvalue()
