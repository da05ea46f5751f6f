"""Builders of dated rows for the indicator tests.

Each builder writes the dates the indicators read (registration, status,
certification, registration and confirmation times) directly, so a test
can place a row on either side of a fiscal-year end.
"""

import datetime as dt

from django.utils import timezone

from civic_portal.fiscal import JAPAN
from groups.models import (
    AnnualGroupReport,
    Certification,
    CivicGroup,
    GroupStatusChange,
)
from probono.models import ProbonoWorker
from tests.factories import (
    ApplicationFactory,
    CivicGroupFactory,
    ProbonoWorkerFactory,
    VolunteerSessionFactory,
    municipality,
)
from volunteering.models import Application


def japan_time(year: int, month: int, day: int, hour: int = 12, minute: int = 0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=JAPAN)


def bulk_groups(count: int, registered_on: dt.date) -> list[CivicGroup]:
    """Create *count* approved groups registered on a day, in one query."""
    home = municipality()
    groups = [
        CivicGroup(
            name=f"一括登録団体{registered_on:%Y%m%d}-{number}",
            legal_form=CivicGroup.LegalForm.VOLUNTARY,
            municipality=home,
            review_status=CivicGroup.ReviewStatus.APPROVED,
            registered_on=registered_on,
        )
        for number in range(count)
    ]
    return CivicGroup.objects.bulk_create(groups)


def dissolve(group: CivicGroup, day: dt.date) -> None:
    GroupStatusChange.objects.create(
        group=group, status=CivicGroup.Status.DISSOLVED, effective_on=day
    )
    CivicGroup.objects.filter(pk=group.pk).update(
        status=CivicGroup.Status.DISSOLVED, dissolved_on=day
    )


def certify(
    group: CivicGroup | None = None,
    certified_on: dt.date = dt.date(2020, 4, 1),
    kind: str = Certification.Kind.CERTIFIED,
    revoked_on: dt.date | None = None,
) -> Certification:
    group = group or CivicGroupFactory(registered_on=dt.date(2015, 4, 1))
    return Certification.objects.create(
        group=group,
        kind=kind,
        certified_on=certified_on,
        expires_on=Certification.expiry_for(kind, certified_on),
        revoked_on=revoked_on,
    )


def report(fiscal_year: int, young: int, older: int, group=None) -> AnnualGroupReport:
    """File an annual report with *young* participants in their 20s, *older* in 50s."""
    return AnnualGroupReport.objects.create(
        group=group or CivicGroupFactory(),
        fiscal_year=fiscal_year,
        participants_20s=young,
        participants_50s=older,
        main_activities="里山の保全",
        self_evaluation=AnnualGroupReport.SelfEvaluation.AS_PLANNED,
    )


def register_worker(registered_at: dt.datetime) -> ProbonoWorker:
    worker = ProbonoWorkerFactory()
    ProbonoWorker.objects.filter(pk=worker.pk).update(registered_at=registered_at)
    worker.refresh_from_db()
    return worker


def confirm_match(
    confirmed_at: dt.datetime,
    party_size: int = 1,
    session=None,
    status: str = Application.Status.CONFIRMED,
    cancelled_at: dt.datetime | None = None,
) -> Application:
    session = session or VolunteerSessionFactory(capacity=100)
    return ApplicationFactory(
        session=session,
        party_size=party_size,
        confirmed_at=confirmed_at,
        status=status,
        cancelled_at=cancelled_at,
    )


def now() -> dt.datetime:
    return timezone.now()
