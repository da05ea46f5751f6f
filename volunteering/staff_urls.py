"""URLs of the staff pages, included under "manage/" in the volunteering namespace."""

import datetime as dt

from django.urls import path, register_converter

from volunteering.views import (
    staff,
    staff_applicants,
    staff_attendance,
    staff_reports,
    staff_sessions,
)


class IsoDateConverter:
    """A date in a URL, written as YYYY-MM-DD. Other text gives a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        # A ValueError here (for example 2026-02-30) makes the URL not match.
        return dt.date.fromisoformat(value)

    def to_url(self, value: dt.date | str) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


class DecisionConverter:
    """A staff decision on an application. Any other word gives a 404."""

    regex = "accept|decline|cancel"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(DecisionConverter, "decision")

urlpatterns = [
    path("", staff.staff_posts, name="staff_posts"),
    path("posts/new/", staff.staff_post_create, name="staff_post_create"),
    path("posts/<int:pk>/", staff.staff_post_detail, name="staff_post_detail"),
    path("posts/<int:pk>/edit/", staff.staff_post_edit, name="staff_post_edit"),
    path("posts/<int:pk>/status/", staff.staff_post_status, name="staff_post_status"),
    path(
        "posts/<int:pk>/history/", staff.staff_post_history, name="staff_post_history"
    ),
    path("posts/<int:pk>/photos/", staff.staff_photo_add, name="staff_photo_add"),
    path(
        "photos/<int:pk>/delete/", staff.staff_photo_delete, name="staff_photo_delete"
    ),
    path(
        "posts/<int:pk>/sessions/new/",
        staff_sessions.staff_session_create,
        name="staff_session_create",
    ),
    path(
        "posts/<int:pk>/sessions/series/",
        staff_sessions.staff_session_series,
        name="staff_session_series",
    ),
    path(
        "sessions/<int:pk>/edit/",
        staff_sessions.staff_session_edit,
        name="staff_session_edit",
    ),
    path(
        "sessions/<int:pk>/delete/",
        staff_sessions.staff_session_delete,
        name="staff_session_delete",
    ),
    path(
        "sessions/<int:pk>/call/",
        staff_sessions.staff_session_call,
        name="staff_session_call",
    ),
    path(
        "posts/<int:pk>/applications/",
        staff_applicants.post_applications,
        name="post_applications",
    ),
    path(
        "sessions/<int:pk>/applications/",
        staff_applicants.staff_session_applications,
        name="staff_session_applications",
    ),
    path(
        "applications/<int:pk>/<decision:decision>/",
        staff_applicants.staff_application_decide,
        name="staff_application_decide",
    ),
    path(
        "sessions/<int:pk>/attendance/",
        staff_attendance.staff_session_attendance,
        name="staff_session_attendance",
    ),
    path(
        "sessions/<int:pk>/attendance/confirm-planned/",
        staff_attendance.staff_attendance_confirm_planned,
        name="staff_attendance_confirm_planned",
    ),
    path(
        "posts/<int:pk>/attendance/",
        staff_attendance.staff_attendance_days,
        name="staff_attendance_days",
    ),
    path(
        "posts/<int:pk>/attendance/<isodate:day>/",
        staff_attendance.staff_day_attendance,
        name="staff_day_attendance",
    ),
    path(
        "posts/<int:pk>/attendance/<isodate:day>/confirm-hours/",
        staff_attendance.staff_day_attendance_confirm,
        name="staff_day_attendance_confirm",
    ),
    path(
        "attendance/<int:pk>/approve/",
        staff_attendance.staff_attendance_approve,
        name="staff_attendance_approve",
    ),
    path(
        "posts/<int:pk>/reports/new/",
        staff_reports.staff_report_create,
        name="staff_report_create",
    ),
    path(
        "reports/<int:pk>/delete/",
        staff_reports.staff_report_delete,
        name="staff_report_delete",
    ),
]
