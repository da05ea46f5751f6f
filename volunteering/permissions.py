"""Permission-checked fetches for the pages of group staff.

Staff of a civic group may see and change only their own group's posts,
sessions, applicants, attendance, photos and reports. Each helper here
returns the object only when *user* is staff of the group that owns it
and raises Http404 otherwise, so another group's objects look the same
as objects that do not exist. Every staff view fetches through these.
applicant_for_staff decides which of an applicant's contact details the
staff may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civic_portal.privacy.minors import (
    APPLICANT_PLACEHOLDER,
    group_can_see_personal_data,
    hidden_name,
    is_minor,
)
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


def _for_staff(queryset: QuerySet, membership_lookup: str, user: AnyUser) -> QuerySet:
    """Filter *queryset* to rows whose group has *user* as staff."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{membership_lookup: user.pk})


def get_session_for_staff(user: AnyUser, pk: int) -> VolunteerSession:
    sessions = _for_staff(
        VolunteerSession.objects.select_related("post__group"),
        "post__group__memberships__user_id",
        user,
    )
    return _get_or_404(sessions, pk, "session")


def get_application_for_staff(user: AnyUser, pk: int) -> Application:
    applications = _for_staff(
        Application.objects.select_related("post__group", "session", "applicant"),
        "post__group__memberships__user_id",
        user,
    )
    return _get_or_404(applications, pk, "application")


def get_attendance_for_staff(user: AnyUser, pk: int) -> Attendance:
    records = _for_staff(
        Attendance.objects.select_related("application__session", "application__post"),
        "application__post__group__memberships__user_id",
        user,
    )
    return _get_or_404(records, pk, "attendance record")


def get_photo_for_staff(user: AnyUser, pk: int) -> PostPhoto:
    photos = _for_staff(
        PostPhoto.objects.select_related("post"),
        "post__group__memberships__user_id",
        user,
    )
    return _get_or_404(photos, pk, "photo")


def get_report_for_staff(user: AnyUser, pk: int) -> PostReport:
    reports = _for_staff(
        PostReport.objects.select_related("post"),
        "post__group__memberships__user_id",
        user,
    )
    return _get_or_404(reports, pk, "report")


@dataclass(frozen=True)
class ApplicantForStaff:
    """The part of one applicant that group staff see on the applicant list.

    `email` and `phone` are None unless the application is confirmed.
    `personal_data_visible` is False for a minor whom the staff's group has
    not accepted (civic_portal.privacy.minors), and for a deleted account:
    the name is then replaced by a placeholder and the contact details are
    None.
    """

    application: Application
    email: str | None
    phone: str | None
    personal_data_visible: bool = True

    @property
    def name(self) -> str:
        # Translated when read, so that a mail renders it in its language.
        if not self.personal_data_visible:
            return hidden_name(self.application.applicant, APPLICANT_PLACEHOLDER)
        full_name = self.application.applicant.full_name
        return full_name or self.email or _("(no name given)")

    @property
    def shows_contact(self) -> bool:
        return self.email is not None

    @property
    def is_minor(self) -> bool:
        return is_minor(self.application.applicant)


def applicant_for_staff(
    application: Application, *, personal_data_visible: bool | None = None
) -> ApplicantForStaff:
    """Return the applicant as the group's staff may see them.

    Staff need an applicant's e-mail address and phone number only to
    arrange an activity the applicant is confirmed for. For a pending,
    waitlisted, declined or cancelled application they see the name and
    the message only, and a missing name is not replaced by the address.
    A minor's name and contact details are left out unless the group
    accepted the minor. A list passes *personal_data_visible* decided in
    bulk by a MinorsPolicy; without it the group is checked here.
    """
    if personal_data_visible is None:
        personal_data_visible = group_can_see_personal_data(
            application.post.group_id, application.applicant
        )
    if not personal_data_visible or application.status != Application.Status.CONFIRMED:
        return ApplicantForStaff(
            application=application,
            email=None,
            phone=None,
            personal_data_visible=personal_data_visible,
        )
    applicant = application.applicant
    return ApplicantForStaff(
        application=application, email=applicant.email, phone=applicant.phone
    )
