"""Permission-checked fetches for the pages of group staff.

Staff of a civic group may see and change only their own group's posts,
sessions, applicants, attendance, photos and reports. Each helper here
returns the object only when *user* is staff of the group that owns it
and raises Http404 otherwise, so another group's objects look the same
as objects that do not exist. Every staff view fetches through these.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from civic_portal.types import AnyUser
from groups.models import CivicGroup
from volunteering.models import (
    Application,
    Attendance,
    PostPhoto,
    PostReport,
    VolunteerPost,
    VolunteerSession,
)


def managed_groups(user: AnyUser) -> QuerySet[CivicGroup]:
    """Return the groups that *user* is staff of."""
    return CivicGroup.objects.managed_by(user).order_by("name_kana", "name", "pk")


def is_group_staff(user: AnyUser) -> bool:
    return managed_groups(user).exists()


def _get_or_404(queryset: QuerySet, pk: int, label: str):  # type: ignore[no-untyped-def]
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No {label} {pk} for this user.")
    return obj


def get_group_for_staff(user: AnyUser, pk: int) -> CivicGroup:
    return _get_or_404(managed_groups(user), pk, "group")


def get_post_for_staff(user: AnyUser, pk: int) -> VolunteerPost:
    posts = VolunteerPost.objects.managed_by(user).select_related(
        "group", "activity_field", "municipality"
    )
    return _get_or_404(posts, pk, "post")


def get_session_for_staff(user: AnyUser, pk: int) -> VolunteerSession:
    sessions = VolunteerSession.objects.filter(
        post__group__memberships__user=user
    ).select_related("post__group")
    if not user.is_authenticated:
        sessions = sessions.none()
    return _get_or_404(sessions, pk, "session")


def get_application_for_staff(user: AnyUser, pk: int) -> Application:
    applications = Application.objects.filter(
        post__group__memberships__user=user
    ).select_related("post__group", "session", "applicant")
    if not user.is_authenticated:
        applications = applications.none()
    return _get_or_404(applications, pk, "application")


def get_attendance_for_staff(user: AnyUser, pk: int) -> Attendance:
    records = Attendance.objects.filter(
        application__post__group__memberships__user=user
    ).select_related("application__session", "application__post")
    if not user.is_authenticated:
        records = records.none()
    return _get_or_404(records, pk, "attendance record")


def get_photo_for_staff(user: AnyUser, pk: int) -> PostPhoto:
    photos = PostPhoto.objects.filter(post__group__memberships__user=user)
    if not user.is_authenticated:
        photos = photos.none()
    return _get_or_404(photos.select_related("post"), pk, "photo")


def get_report_for_staff(user: AnyUser, pk: int) -> PostReport:
    reports = PostReport.objects.filter(post__group__memberships__user=user)
    if not user.is_authenticated:
        reports = reports.none()
    return _get_or_404(reports.select_related("post"), pk, "report")
