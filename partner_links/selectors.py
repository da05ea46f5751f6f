"""Reads for health-points exports and the teachers' view of hours records.

`shareable_participation` is the single query behind the CSV export, the
partner API and the resident's preview, so all three show the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404

from civic_portal.accounts import ages
from civic_portal.accounts.models import User
from civic_portal.fiscal import JAPAN
from civic_portal.types import AnyUser
from groups.permissions import is_prefectural_staff
from partner_links.consent import guardian_rule_q
from partner_links.models import PointsProgramme, ProgrammeEnrolment, SchoolLink
from volunteering.hours_record import format_hours
from volunteering.models import Application, Attendance

# Column names of the CSV export and the field names of the API, in order.
# They are a format the partner imports, so they are not translated.
EXPORT_COLUMNS = (
    "record_id",
    "membership_id",
    "activity_date",
    "activity_title",
    "hours",
)

# The register's fields behind EXPORT_COLUMNS, for the access log.
EXPORT_REGISTER_FIELDS = (
    "partner_links.ProgrammeEnrolment.membership_id",
    "volunteering.Application.activity_date",
    "volunteering.Application.post",
    "volunteering.Attendance.hours",
)


@dataclass(frozen=True)
class ParticipationRow:
    """One confirmed participation as a partner receives it.

    `record_id` is the attendance record's id. It stays the same in every
    export, so a partner can skip rows it has already imported.
    """

    record_id: int
    membership_id: str
    activity_date: dt.date
    activity_title: str
    hours: str

    def as_cells(self) -> tuple[int, str, dt.date, str, str]:
        return (
            self.record_id,
            self.membership_id,
            self.activity_date,
            self.activity_title,
            self.hours,
        )


def _activity_day() -> Coalesce:
    # A session's day is the day it starts in Japan time. An application
    # to a year-round post carries the day itself.
    return Coalesce(
        TruncDate("application__session__starts_at", tzinfo=JAPAN),
        F("application__activity_date"),
    )


def shareable_participation(
    programme: PointsProgramme,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Attendance]:
    """Return the confirmed participation that may go to *programme*'s partner.

    A row is included when all of these hold:

    - the attendance and its application are confirmed;
    - the activity day lies in [*since*, *until*] (either may be None);
    - the resident's enrolment in *programme* is not withdrawn, and its
      consent is dated on or before the activity day (Japan time);
    - the account is active, and the resident is of age or has a guardian's
      agreement on record.

    Each row carries `activity_day` and `membership_id` annotations.
    """
    consenting = (
        ProgrammeEnrolment.objects.filter(
            programme=programme,
            withdrawn_at__isnull=True,
            resident=OuterRef("application__applicant"),
        )
        .annotate(consent_day=TruncDate("consented_at", tzinfo=JAPAN))
        .filter(consent_day__lte=OuterRef("activity_day"))
    )
    rows = (
        Attendance.objects.filter(
            status=Attendance.Status.CONFIRMED,
            application__status=Application.Status.CONFIRMED,
            application__applicant__is_active=True,
        )
        .filter(guardian_rule_q("application__applicant", ages.today_in_japan()))
        .annotate(activity_day=_activity_day())
    )
    if since is not None:
        rows = rows.filter(activity_day__gte=since)
    if until is not None:
        rows = rows.filter(activity_day__lte=until)
    return (
        rows.annotate(membership_id=Subquery(consenting.values("membership_id")[:1]))
        .filter(membership_id__isnull=False)
        .select_related("application__post")
        .order_by("activity_day", "id")
    )


def participation_rows(attendances: Iterable[Attendance]) -> Iterator[ParticipationRow]:
    """Turn annotated rows of `shareable_participation` into export rows."""
    for attendance in attendances:
        yield ParticipationRow(
            record_id=attendance.pk,
            membership_id=attendance.membership_id,  # type: ignore[attr-defined]
            activity_date=attendance.activity_day,  # type: ignore[attr-defined]
            activity_title=attendance.application.post.title,
            hours=format_hours(attendance.hours),
        )


# --- residents -------------------------------------------------------------


def programmes_for_resident(user: User) -> list[PointsProgramme]:
    """Return active programmes and those *user* still consents to, by name.

    Each programme has `consenting_enrolment`: *user*'s enrolment that is
    not withdrawn, or None.
    """
    enrolments = {
        enrolment.programme_id: enrolment
        for enrolment in ProgrammeEnrolment.objects.filter(
            resident=user, withdrawn_at__isnull=True
        )
    }
    programmes = list(
        PointsProgramme.objects.filter(
            Q(is_active=True) | Q(pk__in=list(enrolments))
        ).select_related("partner")
    )
    for programme in programmes:
        programme.consenting_enrolment = enrolments.get(programme.pk)  # type: ignore[attr-defined]
    return programmes


def consenting_enrolment(
    user: User, programme: PointsProgramme
) -> ProgrammeEnrolment | None:
    return ProgrammeEnrolment.objects.filter(
        resident=user, programme=programme, withdrawn_at__isnull=True
    ).first()


def own_enrolment_or_404(user: User, pk: int) -> ProgrammeEnrolment:
    enrolment = (
        ProgrammeEnrolment.objects.filter(pk=pk, resident=user)
        .select_related("programme", "programme__partner")
        .first()
    )
    if enrolment is None:
        raise Http404(f"No enrolment {pk} of this user.")
    return enrolment


def own_shareable_participation(enrolment: ProgrammeEnrolment) -> QuerySet[Attendance]:
    """Return the rows of *enrolment*'s resident that an export would contain now."""
    return shareable_participation(enrolment.programme).filter(
        application__applicant_id=enrolment.resident_id
    )


# --- partners and prefectural staff ----------------------------------------


def exportable_programmes(user: AnyUser) -> QuerySet[PointsProgramme]:
    """Return the programmes whose participation *user* may export.

    Prefectural staff export every programme, and a partner account the
    programmes it is listed on.
    """
    if not isinstance(user, User):
        return PointsProgramme.objects.none()
    programmes = PointsProgramme.objects.select_related("partner")
    if is_prefectural_staff(user):
        return programmes.all()
    return programmes.filter(partner_accounts=user)


def can_export(user: AnyUser, programme: PointsProgramme) -> bool:
    return exportable_programmes(user).filter(pk=programme.pk).exists()


def is_partner_account(user: AnyUser) -> bool:
    if not isinstance(user, User):
        return False
    return PointsProgramme.objects.filter(partner_accounts=user).exists()


@dataclass(frozen=True)
class DashboardRoles:
    """Whether My page links the partner's exports and the teacher's list."""

    is_partner_account: bool
    is_teacher: bool


def dashboard_roles(user: AnyUser) -> DashboardRoles:
    """Return whether *user* is a partner account and a teacher, in one query.

    A teacher is named by at least one consenting school link that
    links_for_teacher() returns.
    """
    if not isinstance(user, User):
        return DashboardRoles(is_partner_account=False, is_teacher=False)
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            partner=Exists(PointsProgramme.objects.filter(partner_accounts=user)),
            teacher=Exists(links_for_teacher(user).order_by().values("pk")),
        )
        .values("partner", "teacher")
        .first()
    )
    if flags is None:
        return DashboardRoles(is_partner_account=False, is_teacher=False)
    return DashboardRoles(
        is_partner_account=flags["partner"], is_teacher=flags["teacher"]
    )


# --- schools ---------------------------------------------------------------


def consenting_school_link(user: User) -> SchoolLink | None:
    return SchoolLink.objects.filter(student=user, withdrawn_at__isnull=True).first()


def _confirmed_hours_of_student() -> Subquery:
    # The same rule as volunteering.services.attendance.confirmed_hours.
    totals = (
        Attendance.objects.filter(
            application__applicant=OuterRef("student"),
            application__status=Application.Status.CONFIRMED,
            status=Attendance.Status.CONFIRMED,
        )
        .values("application__applicant")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Subquery(totals, output_field=DecimalField(max_digits=9, decimal_places=2))


def links_for_teacher(user: AnyUser) -> QuerySet[SchoolLink]:
    """Return the consenting school links that name *user* as the teacher.

    The account's address must be confirmed, because the link names the
    teacher by address only. Each link has `total_hours`.
    """
    if not isinstance(user, User) or not user.email_confirmed:
        return SchoolLink.objects.none()
    return (
        SchoolLink.objects.filter(
            teacher_email__iexact=user.email,
            withdrawn_at__isnull=True,
            student__is_active=True,
        )
        .filter(guardian_rule_q("student", ages.today_in_japan()))
        .select_related("student")
        .annotate(
            total_hours=Coalesce(
                _confirmed_hours_of_student(),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=9, decimal_places=2),
            )
        )
        .order_by("school_name", "student__name_kana", "id")
    )


def link_for_teacher_or_404(user: AnyUser, pk: int) -> SchoolLink:
    link = links_for_teacher(user).filter(pk=pk).first()
    if link is None:
        raise Http404(f"No school link {pk} for this teacher.")
    return link
