import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import Certification, GroupStatusChange, SupportCentre
from indicators.definitions import INDICATOR_KEYS
from indicators.models import RecordedValue
from indicators.services.compute import (
    compute,
    compute_all,
    compute_by_year,
    volunteer_matches_by_year,
    young_majority_counts,
)
from probono.services.workers import delete_worker
from tests.factories import CivicGroupFactory, VolunteerSessionFactory, municipality
from tests.indicators.helpers import (
    bulk_groups,
    certify,
    confirm_match,
    dissolve,
    japan_time,
    register_worker,
    report,
)
from tests.indicators.rows_data import build_year_data
from volunteering.models import Application

pytestmark = pytest.mark.django_db


def test_centres_with_real_openings_fy2021():
    assert compute("municipalities_with_centre", 2021) == 11


def test_centres_with_real_openings_fy2020():
    # 阿武町's centre opened in May 2021, in fiscal 2021.
    assert compute("municipalities_with_centre", 2020) == 10


def test_centres_exclude_prefectural_and_duplicates():
    home = municipality("35201")
    SupportCentre.objects.create(
        name="下関第二センター",
        municipality=home,
        scope=SupportCentre.Scope.MUNICIPAL,
        operation=SupportCentre.Operation.PUBLIC_PUBLIC,
        opened_on=dt.date(2020, 4, 1),
    )

    assert compute("municipalities_with_centre", 2021) == 11


def test_centres_closed_centre_not_counted():
    SupportCentre.objects.filter(name="阿武町町民活動支援センター").update(
        closed_on=dt.date(2022, 3, 31)
    )

    assert compute("municipalities_with_centre", 2021) == 10


def test_centres_opening_month_after_year_end():
    SupportCentre.objects.create(
        name="美祢市市民活動センター",
        municipality=municipality("35213"),
        scope=SupportCentre.Scope.MUNICIPAL,
        operation=SupportCentre.Operation.PUBLIC_PUBLIC,
        opened_on=dt.date(2022, 4, 1),
    )

    assert compute("municipalities_with_centre", 2021) == 11
    assert compute("municipalities_with_centre", 2022) == 12


def test_recorded_matches_add_up_to_baseline():
    values = RecordedValue.objects.filter(
        indicator="volunteer_matches", fiscal_year__range=(2018, 2021)
    ).values_list("fiscal_year", "value")

    by_year = dict(values)
    assert sorted(by_year) == [2018, 2019, 2020, 2021]
    assert sum(by_year.values()) == Decimal(1292)


def test_recorded_baselines_loaded():
    by_key = dict(
        RecordedValue.objects.filter(fiscal_year=2021)
        .exclude(indicator="volunteer_matches")
        .values_list("indicator", "value")
    )

    assert by_key == {
        "civic_groups": Decimal("2445.00"),
        "young_majority_share": Decimal("16.50"),
        "municipalities_with_centre": Decimal("11.00"),
        "certified_npos": Decimal("10.00"),
    }


def test_plan_baselines_rebuilt_from_data():
    """Data made to match the plan's fiscal 2021 figures gives them back."""
    groups = bulk_groups(2445, dt.date(2019, 6, 1))
    for group in groups[:10]:
        certify(group, certified_on=dt.date(2019, 7, 1))
    # 33 of 200 reporting groups reach the share: 16.5%.
    for number, group in enumerate(groups[:200]):
        if number < 33:
            report(2021, young=3, older=7, group=group)
        else:
            report(2021, young=1, older=9, group=group)
    session = VolunteerSessionFactory(capacity=1000)
    confirm_match(japan_time(2021, 10, 1), party_size=100, session=session)
    confirm_match(japan_time(2022, 3, 1), party_size=21, session=session)

    values = compute_all(2021)

    assert values["civic_groups"] == 2445
    assert values["municipalities_with_centre"] == 11
    assert values["certified_npos"] == 10
    assert values["young_majority_share"] == Decimal("16.5")
    assert values["probono_registrants"] == 0
    assert values["volunteer_matches"] == 121


def test_civic_groups_baseline_rebuilt():
    bulk_groups(2445, dt.date(2020, 4, 1))
    bulk_groups(5, dt.date(2022, 4, 1))

    assert compute("civic_groups", 2021) == 2445
    assert compute("civic_groups", 2022) == 2450


def test_civic_groups_dissolution_by_effective_date():
    group = CivicGroupFactory(registered_on=dt.date(2018, 5, 1))
    other = CivicGroupFactory(registered_on=dt.date(2018, 5, 1))
    dissolve(group, dt.date(2022, 3, 31))
    dissolve(other, dt.date(2022, 4, 1))

    assert compute("civic_groups", 2020) == 2
    assert compute("civic_groups", 2021) == 1
    assert compute("civic_groups", 2022) == 0


def test_civic_groups_registered_on_year_end_day():
    CivicGroupFactory(registered_on=dt.date(2022, 3, 31))
    CivicGroupFactory(registered_on=dt.date(2022, 4, 1))

    assert compute("civic_groups", 2021) == 1


def test_civic_groups_unapproved_not_counted():
    CivicGroupFactory(registered_on=None, review_status="pending", approved_at=None)

    assert compute("civic_groups", 2021) == 0


def test_certified_npos_expiry():
    # A five-year certification from 2017-04-01 ends on 2022-03-31.
    certify(certified_on=dt.date(2017, 4, 1))
    # A special one from 2019-04-02 ends on 2022-04-01.
    certify(certified_on=dt.date(2019, 4, 2), kind=Certification.Kind.SPECIAL)
    # A special one from 2019-03-31 ended on 2022-03-30.
    certify(certified_on=dt.date(2019, 3, 31), kind=Certification.Kind.SPECIAL)

    assert compute("certified_npos", 2021) == 2
    assert compute("certified_npos", 2022) == 0


def test_certified_npos_renewal_counted_once():
    group = CivicGroupFactory(registered_on=dt.date(2015, 4, 1))
    first = certify(group, certified_on=dt.date(2017, 4, 1))
    Certification.objects.create(
        group=group,
        kind=Certification.Kind.CERTIFIED,
        certified_on=dt.date(2022, 4, 1),
        expires_on=dt.date(2027, 3, 31),
        renewal_of=first,
    )

    assert compute("certified_npos", 2021) == 1
    assert compute("certified_npos", 2022) == 1


def test_certified_npos_revoked_before_year_end():
    certify(certified_on=dt.date(2020, 4, 1), revoked_on=dt.date(2022, 3, 31))
    certify(certified_on=dt.date(2020, 4, 1), revoked_on=dt.date(2022, 4, 1))

    assert compute("certified_npos", 2021) == 1


def test_young_share_exactly_thirty_percent_counts():
    report(2021, young=3, older=7)
    report(2021, young=2, older=8)

    assert young_majority_counts(2021) == (2, 1)
    assert compute("young_majority_share", 2021) == Decimal("50.0")


def test_young_share_just_under_thirty_percent():
    # 299 of 1,000 is 29.9%.
    report(2021, young=299, older=701)

    assert compute("young_majority_share", 2021) == Decimal("0.0")


def test_young_share_ignores_reports_without_breakdown():
    report(2021, young=0, older=0)
    report(2021, young=5, older=5)
    report(2020, young=5, older=5)

    assert young_majority_counts(2021) == (1, 1)


def test_young_share_no_reports_is_none():
    assert compute("young_majority_share", 2021) is None


def test_young_share_counts_every_young_band():
    group_report = report(2021, young=0, older=7)
    group_report.participants_under_20 = 1
    group_report.participants_30s = 2
    group_report.save()

    assert young_majority_counts(2021) == (1, 1)


def test_probono_boundary_in_japan_time():
    register_worker(japan_time(2022, 3, 31, 23, 30))
    register_worker(japan_time(2022, 4, 1, 0, 30))

    assert compute("probono_registrants", 2021) == 1
    assert compute("probono_registrants", 2022) == 2


def test_probono_deleted_worker_still_counted():
    worker = register_worker(japan_time(2022, 6, 1))
    delete_worker(worker)
    worker.refresh_from_db()

    assert worker.status == "deleted"
    assert compute("probono_registrants", 2022) == 1


def test_matches_boundary_in_japan_time():
    session = VolunteerSessionFactory(capacity=100)
    # 23:30 JST on 31 March is 14:30 UTC the same day: fiscal 2021.
    confirm_match(japan_time(2022, 3, 31, 23, 30), session=session)
    # 00:30 JST on 1 April is 15:30 UTC on 31 March: fiscal 2022.
    confirm_match(japan_time(2022, 4, 1, 0, 30), session=session)

    assert compute("volunteer_matches", 2021) == 1
    assert compute("volunteer_matches", 2022) == 1


def test_matches_count_party_size():
    confirm_match(japan_time(2022, 5, 1), party_size=4)

    assert compute("volunteer_matches", 2022) == 4


def test_matches_cancellation_before_and_after_year_end():
    session = VolunteerSessionFactory(capacity=100)
    confirm_match(
        japan_time(2022, 5, 1),
        session=session,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
        cancelled_at=japan_time(2022, 5, 2),
    )
    confirm_match(
        japan_time(2023, 3, 20),
        session=session,
        status=Application.Status.CANCELLED_BY_VOLUNTEER,
        cancelled_at=japan_time(2023, 4, 2),
    )
    confirm_match(japan_time(2022, 6, 1), session=session)

    assert compute("volunteer_matches", 2022) == 2


def test_matches_pending_not_counted():
    confirm_match(japan_time(2022, 5, 1), status=Application.Status.PENDING)

    assert compute("volunteer_matches", 2022) == 0


def test_matches_by_year_one_query():
    session = VolunteerSessionFactory(capacity=100)
    confirm_match(japan_time(2022, 5, 1), session=session, party_size=2)
    confirm_match(japan_time(2024, 3, 31, 23, 30), session=session)

    with CaptureQueriesContext(connection) as queries:
        by_year = volunteer_matches_by_year(2022, 2024)

    assert by_year == {2022: 2, 2023: 1, 2024: 0}
    assert len(queries) == 1


def test_compute_all_bounded_queries(django_assert_max_num_queries):
    bulk_groups(50, dt.date(2020, 4, 1))
    for number in range(5):
        certify(certified_on=dt.date(2020, 4, 1))
        report(2021, young=number, older=5)
        register_worker(japan_time(2021, 5, 1))

    with django_assert_max_num_queries(6):
        values = compute_all(2021)

    assert set(values) == {
        "civic_groups",
        "young_majority_share",
        "municipalities_with_centre",
        "certified_npos",
        "probono_registrants",
        "volunteer_matches",
    }


def test_compute_unknown_key():
    with pytest.raises(KeyError):
        compute("no_such_indicator", 2021)


def test_civic_groups_reactivated_after_dissolution():
    group = CivicGroupFactory(registered_on=dt.date(2018, 5, 1))
    dissolve(group, dt.date(2021, 6, 1))
    GroupStatusChange.objects.create(
        group=group, status="active", effective_on=dt.date(2021, 9, 1)
    )

    assert compute("civic_groups", 2020) == 1
    assert compute("civic_groups", 2021) == 1


def test_civic_groups_same_day_changes_by_id():
    reopened = CivicGroupFactory(registered_on=dt.date(2018, 5, 1))
    closed = CivicGroupFactory(registered_on=dt.date(2018, 5, 1))
    day = dt.date(2021, 6, 1)
    GroupStatusChange.objects.create(
        group=reopened, status="dissolved", effective_on=day
    )
    GroupStatusChange.objects.create(group=reopened, status="active", effective_on=day)
    GroupStatusChange.objects.create(group=closed, status="active", effective_on=day)
    GroupStatusChange.objects.create(group=closed, status="dissolved", effective_on=day)

    assert compute("civic_groups", 2021) == 1


def test_civic_groups_dissolution_after_year_end_ignored():
    group = CivicGroupFactory(registered_on=dt.date(2018, 5, 1))
    GroupStatusChange.objects.create(
        group=group, status="active", effective_on=dt.date(2018, 5, 1)
    )
    dissolve(group, dt.date(2022, 4, 1))

    assert compute("civic_groups", 2021) == 1


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_compute_by_year_equals_compute(key):
    build_year_data()
    certify(certified_on=dt.date(2016, 4, 1))
    report(2021, young=1, older=1)
    register_worker(japan_time(2019, 3, 31, 23, 30))
    years = list(range(2018, 2026))

    with CaptureQueriesContext(connection) as queries:
        by_year = compute_by_year(key, years)

    assert len(queries) == 1
    for year in years:
        assert by_year[year] == compute(key, year), year


def test_compute_by_year_without_years():
    with CaptureQueriesContext(connection) as queries:
        by_year = compute_by_year("civic_groups", [])

    assert by_year == {}
    assert len(queries) == 0
