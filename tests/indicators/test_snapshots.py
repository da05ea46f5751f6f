import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from indicators.models import IndicatorSnapshot
from indicators.services.snapshots import (
    compare_year,
    current_fiscal_year,
    freeze_year,
    has_ended,
    store_snapshots,
)
from indicators.services.summary import indicator_series, year_summary
from indicators.tasks import (
    prefectural_staff,
    recompute_snapshots,
    send_freeze_reminders,
)
from tests.factories import CivicGroupFactory, UserFactory, centre_staff
from tests.indicators.helpers import (
    bulk_groups,
    certify,
    confirm_match,
    dissolve,
    japan_time,
    register_worker,
    report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():
    return centre_staff(UserFactory(email="pref@example.jp"), scope="prefecture")


def snapshot_values(fiscal_year):
    return dict(
        IndicatorSnapshot.objects.filter(fiscal_year=fiscal_year).values_list(
            "indicator", "value"
        )
    )


def test_has_ended_at_japan_midnight():
    assert has_ended(2021, japan_time(2022, 4, 1, 0, 0))
    assert not has_ended(2021, japan_time(2022, 3, 31, 23, 59))


def test_store_snapshots_writes_six():
    bulk_groups(7, dt.date(2020, 4, 1))

    written = store_snapshots(2021)

    assert written == 6
    assert snapshot_values(2021)["civic_groups"] == 7


def test_store_snapshots_updates_unfrozen():
    store_snapshots(2021)
    bulk_groups(2, dt.date(2020, 4, 1))

    store_snapshots(2021)

    assert snapshot_values(2021)["civic_groups"] == 2
    assert IndicatorSnapshot.objects.filter(fiscal_year=2021).count() == 6


def test_frozen_year_unchanged_after_edits(staff_user):
    groups = bulk_groups(5, dt.date(2020, 4, 1))
    certify(groups[0], certified_on=dt.date(2021, 1, 1))
    report(2022, young=3, older=7, group=groups[1])
    register_worker(japan_time(2022, 6, 1))
    confirm_match(japan_time(2022, 7, 1), party_size=3)
    freeze_year(2022, staff_user)
    frozen = snapshot_values(2022)

    # Edits after freezing: more groups, a back-dated dissolution, a new
    # certification, report and worker, and another match in the year.
    bulk_groups(4, dt.date(2022, 1, 1))
    dissolve(groups[2], dt.date(2022, 6, 1))
    certify(groups[3], certified_on=dt.date(2022, 2, 1))
    report(2022, young=0, older=10, group=groups[4])
    register_worker(japan_time(2022, 8, 1))
    confirm_match(japan_time(2022, 9, 1), party_size=2)
    store_snapshots(2022)
    recompute_snapshots()

    assert snapshot_values(2022) == frozen
    shown = {row.indicator.key: row.computed_value for row in year_summary(2022)}
    assert shown["civic_groups"] == 5
    assert shown["certified_npos"] == 1
    assert shown["young_majority_share"] == Decimal("100.0")
    assert shown["probono_registrants"] == 1
    assert shown["volunteer_matches"] == 3
    series = {row.fiscal_year: row for row in indicator_series("civic_groups", 2023)}
    assert series[2022].computed_value == 5
    assert series[2022].is_frozen
    assert not series[2023].is_frozen
    assert series[2023].computed_value == 8


def test_compare_shows_difference_without_writing(staff_user):
    bulk_groups(3, dt.date(2020, 4, 1))
    freeze_year(2021, staff_user)
    bulk_groups(2, dt.date(2020, 4, 1))

    by_key = {row.indicator.key: row for row in compare_year(2021)}

    assert by_key["civic_groups"].stored == 3
    assert by_key["civic_groups"].recomputed == 5
    assert by_key["civic_groups"].difference == 2
    assert by_key["civic_groups"].differs
    assert not by_key["municipalities_with_centre"].differs
    assert snapshot_values(2021)["civic_groups"] == 3


def test_freeze_records_who_and_when(staff_user):
    snapshots = freeze_year(2021, staff_user)

    assert len(snapshots) == 6
    for snapshot in IndicatorSnapshot.objects.filter(fiscal_year=2021):
        assert snapshot.frozen_by == staff_user
        assert snapshot.frozen_at is not None


def test_freeze_twice_rejected(staff_user):
    freeze_year(2021, staff_user)

    with pytest.raises(ValidationError, match="frozen already"):
        freeze_year(2021, staff_user)


def test_freeze_current_year_rejected(staff_user):
    with pytest.raises(ValidationError, match="has not ended"):
        freeze_year(current_fiscal_year(), staff_user)

    assert not IndicatorSnapshot.objects.filter(frozen_at__isnull=False).exists()


def test_plan_sum_uses_frozen_years(staff_user):
    session_match = confirm_match(japan_time(2022, 6, 1), party_size=5)
    freeze_year(2022, staff_user)
    confirm_match(japan_time(2022, 7, 1), party_size=4, session=session_match.session)
    confirm_match(japan_time(2023, 7, 1), party_size=2, session=session_match.session)

    rows = {row.indicator.key: row for row in year_summary(2023)}

    assert rows["volunteer_matches"].computed_value == 2
    assert rows["volunteer_matches"].plan_period_sum == 7


def test_recompute_task_current_and_last_year():
    CivicGroupFactory(registered_on=dt.date(2020, 4, 1))
    year = current_fiscal_year()

    written = recompute_snapshots()

    assert written == 12
    assert snapshot_values(year)["civic_groups"] == 1
    assert snapshot_values(year - 1)["civic_groups"] == 1


def test_recompute_task_skips_frozen_last_year(staff_user):
    year = current_fiscal_year()
    freeze_year(year - 1, staff_user)

    assert recompute_snapshots() == 6


def test_freeze_reminder_once_per_staff(staff_user):
    UserFactory(email="admin@example.jp", is_staff=True)
    UserFactory(email="resident-only@example.jp")
    centre_staff(UserFactory(email="city@example.jp"), scope="municipal")

    first = send_freeze_reminders()
    second = send_freeze_reminders()

    assert first == 2
    assert second == 0
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["admin@example.jp", "pref@example.jp"]
    assert "/indicators/years/" in mail.outbox[0].body


def test_freeze_reminder_subject_in_japanese(staff_user):
    staff_user.preferred_language = "ja"
    staff_user.save()

    send_freeze_reminders()

    assert "年度" in mail.outbox[0].subject


def test_prefectural_staff_query():
    staff = UserFactory(email="admin@example.jp", is_staff=True)
    UserFactory(email="inactive@example.jp", is_staff=True, is_active=False)

    assert list(prefectural_staff()) == [staff]
