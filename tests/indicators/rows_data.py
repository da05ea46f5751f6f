"""Made-up data for the drill-down, breakdown and dashboard tests.

build_year_data() places rows of every indicator on both sides of the end
of fiscal 2023 (31 March 2024) and in several municipalities. It adds the
cases that each count leaves out: a dissolved group, an expired
certification, a report without participants and a match cancelled
before the year end.
"""

import datetime as dt
from decimal import Decimal

from groups.models import CivicGroup, SupportCentre
from probono.models import ProbonoWorker
from tests.factories import (
    CivicGroupFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
    municipality,
)
from tests.indicators.helpers import (
    certify,
    confirm_match,
    dissolve,
    japan_time,
    register_worker,
    report,
)
from volunteering.models import Application

FISCAL_YEAR = 2023
SHIMONOSEKI = "35201"
UBE = "35202"
YAMAGUCHI = "35203"
# A municipality without a support centre at the end of fiscal 2023.
MINE = "35213"

# The computed values of fiscal 2023. Two of the three reports with
# participants reach 30% under 40.
EXPECTED = {
    "civic_groups": Decimal(5),
    "young_majority_share": Decimal("66.7"),
    "municipalities_with_centre": Decimal(11),
    "certified_npos": Decimal(2),
    "probono_registrants": Decimal(4),
    "volunteer_matches": Decimal(7),
}


def _groups() -> list[CivicGroup]:
    day = dt.date(2022, 6, 1)
    counted = [
        CivicGroupFactory(municipality=municipality(SHIMONOSEKI), registered_on=day),
        CivicGroupFactory(municipality=municipality(SHIMONOSEKI), registered_on=day),
        CivicGroupFactory(municipality=municipality(UBE), registered_on=day),
        CivicGroupFactory(municipality=municipality(YAMAGUCHI), registered_on=day),
        # Registered on the year-end day itself.
        CivicGroupFactory(
            municipality=municipality(MINE), registered_on=dt.date(2024, 3, 31)
        ),
    ]
    dissolved = CivicGroupFactory(
        municipality=municipality(UBE), registered_on=day, name="解散した会"
    )
    dissolve(dissolved, dt.date(2024, 3, 1))
    CivicGroupFactory(
        municipality=municipality(UBE),
        registered_on=dt.date(2024, 4, 1),
        name="翌年度に登録された会",
    )
    CivicGroupFactory(
        registered_on=None,
        review_status=CivicGroup.ReviewStatus.PENDING,
        approved_at=None,
        name="審査中の会",
    )
    return counted


def _certifications(groups: list[CivicGroup]) -> None:
    certify(groups[0], certified_on=dt.date(2021, 7, 1))
    certify(groups[2], certified_on=dt.date(2023, 1, 10))
    # A special certification from 2020-04-01 ended on 2023-03-31.
    certify(groups[3], certified_on=dt.date(2020, 4, 1), kind="special")


def _reports(groups: list[CivicGroup]) -> None:
    report(FISCAL_YEAR, young=3, older=7, group=groups[0])
    report(FISCAL_YEAR, young=5, older=5, group=groups[1])
    report(FISCAL_YEAR, young=1, older=9, group=groups[2])
    report(FISCAL_YEAR, young=0, older=0, group=groups[3])
    report(FISCAL_YEAR - 1, young=9, older=1, group=groups[4])


def _centres() -> None:
    # A second centre in a municipality that has one already counts once.
    SupportCentre.objects.create(
        name="下関第二センター",
        municipality=municipality(SHIMONOSEKI),
        scope=SupportCentre.Scope.MUNICIPAL,
        operation=SupportCentre.Operation.PUBLIC_PUBLIC,
        opened_on=dt.date(2023, 4, 1),
    )


def _workers() -> None:
    register_worker(japan_time(2022, 5, 1))
    outside = register_worker(japan_time(2023, 6, 1))
    ProbonoWorker.objects.filter(pk=outside.pk).update(
        lives_in_prefecture=False, municipality=None, home_region="東京都"
    )
    deleted = register_worker(japan_time(2023, 7, 1))
    ProbonoWorker.objects.filter(pk=deleted.pk).update(
        status=ProbonoWorker.Status.DELETED, municipality=None, user=None
    )
    # 23:30 on 31 March in Japan still belongs to fiscal 2023.
    register_worker(japan_time(2024, 3, 31, 23, 30))
    register_worker(japan_time(2024, 4, 1, 0, 0))


def _matches() -> None:
    shimonoseki = VolunteerSessionFactory(
        capacity=100, post=VolunteerPostFactory(municipality=municipality(SHIMONOSEKI))
    )
    ube = VolunteerSessionFactory(
        capacity=100,
        post=VolunteerPostFactory(municipality=municipality(UBE), title="海岸清掃"),
    )
    confirm_match(japan_time(2023, 5, 1), party_size=3, session=shimonoseki)
    confirm_match(japan_time(2023, 9, 1), party_size=1, session=ube)
    confirm_match(japan_time(2024, 3, 31, 23, 30), party_size=2, session=ube)
    # Cancelled after the year end: still a match of fiscal 2023.
    confirm_match(
        japan_time(2023, 10, 1),
        session=shimonoseki,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
        cancelled_at=japan_time(2024, 4, 10),
    )
    # Cancelled before the year end, and confirmed in the next year.
    confirm_match(
        japan_time(2023, 10, 1),
        session=ube,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
        cancelled_at=japan_time(2023, 11, 1),
    )
    confirm_match(japan_time(2024, 4, 1, 0, 0), party_size=4, session=ube)


def build_year_data() -> None:
    """Write the rows whose fiscal 2023 counts are EXPECTED."""
    groups = _groups()
    _certifications(groups)
    _reports(groups)
    _centres()
    _workers()
    _matches()
