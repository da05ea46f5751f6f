import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from civic_portal.fiscal import JAPAN
from probono.models import ProbonoWorker, RequestState, Skill
from probono.services import statistics as stats
from probono.services.workers import delete_worker, pause_worker
from tests.factories import ProbonoWorkerFactory, SupportRequestFactory
from tests.probono.factories_case_studies import (
    CaseStudyFactory,
    WorkLogFactory,
    history,
)

pytestmark = pytest.mark.django_db


def japan(*args):
    return dt.datetime(*args, tzinfo=JAPAN)


def registered(moment, **fields):
    worker = ProbonoWorkerFactory(**fields)
    ProbonoWorker.objects.filter(pk=worker.pk).update(registered_at=moment)
    worker.refresh_from_db()
    return worker


def test_fiscal_year_end_in_japan_time():
    assert stats.fiscal_year_end(2024) == japan(2025, 3, 31, 23, 59, 59, 999999)


def test_registrants_boundary_at_march_end():
    registered(japan(2025, 3, 31, 23, 30))
    registered(japan(2025, 4, 1, 0, 0))

    counts = stats.registrants_by_fiscal_year(2024, 2025)

    assert counts == {2024: 1, 2025: 2}


def test_registrants_utc_date_is_not_used():
    # 1 April 08:00 in Japan is 31 March 23:00 UTC, and it belongs to the
    # next fiscal year.
    registered(japan(2025, 4, 1, 8, 0))

    assert stats.registrants_by_fiscal_year(2024, 2025) == {2024: 0, 2025: 1}


def test_deleted_worker_still_counted():
    kept = registered(japan(2023, 5, 1))
    deleted = registered(japan(2023, 6, 1))
    delete_worker(deleted)

    counts = stats.registrants_by_fiscal_year(2022, 2024)

    assert counts == {2022: 0, 2023: 2, 2024: 2}
    assert stats.registrants_at(japan(2024, 1, 1)) == 2
    assert kept.status == ProbonoWorker.Status.ACTIVE


def test_registrants_at_moment():
    registered(japan(2024, 10, 1, 12, 0))

    assert stats.registrants_at(japan(2024, 10, 1, 11, 59)) == 0
    assert stats.registrants_at(japan(2024, 10, 1, 12, 0)) == 1


def test_registrants_empty_range():
    assert stats.registrants_by_fiscal_year(2025, 2024) == {}


def test_registrants_one_query(django_assert_num_queries):
    registered(japan(2022, 5, 1))

    with django_assert_num_queries(1):
        stats.registrants_by_fiscal_year(2022, 2026)


def test_active_by_skill_inside_and_outside():
    now = timezone.now()
    registered(now - dt.timedelta(days=3), skill_keys=["it_web", "accounting"])
    registered(
        now - dt.timedelta(days=3),
        lives_in_prefecture=False,
        municipality=None,
        home_region="東京都",
    )
    paused = registered(now - dt.timedelta(days=3))
    pause_worker(paused)
    delete_worker(registered(now - dt.timedelta(days=3)))
    now = timezone.now()

    rows = {row.skill.key: row for row in stats.active_registrants_by_skill(now)}

    assert (rows["it_web"].inside, rows["it_web"].outside) == (1, 1)
    assert rows["it_web"].total == 2
    assert (rows["accounting"].inside, rows["accounting"].outside) == (1, 0)
    assert rows["writing"].total == 0
    assert stats.active_registrants(now) == (1, 1)


def test_active_at_past_year_end():
    worker = registered(japan(2024, 5, 1))
    delete_worker(worker)
    later = registered(japan(2025, 5, 1))

    assert stats.active_registrants(stats.fiscal_year_end(2024)) == (1, 0)
    assert stats.active_registrants(timezone.now()) == (1, 0)
    assert later.status == ProbonoWorker.Status.ACTIVE


def test_requests_by_state_at_moment():
    first = SupportRequestFactory()
    history(
        first,
        [
            ("", "received", japan(2025, 3, 1)),
            ("received", "hearing", japan(2025, 3, 31, 23, 30)),
            ("hearing", "searching", japan(2025, 4, 2)),
        ],
    )
    second = SupportRequestFactory()
    history(second, [("", "received", japan(2025, 4, 5))])

    at_year_end = stats.requests_by_state(stats.fiscal_year_end(2024))
    later = stats.requests_by_state(japan(2025, 4, 10))

    assert at_year_end["hearing"] == 1
    assert at_year_end["received"] == 0
    assert sum(at_year_end.values()) == 1
    assert later["searching"] == 1
    assert later["received"] == 1
    assert list(later) == RequestState.values


def test_median_days_odd_and_even():
    start, end = japan(2025, 4, 1), japan(2026, 4, 1)
    for days in (1, 3, 10):
        request = SupportRequestFactory()
        history(
            request,
            [
                ("", "received", japan(2025, 5, 1)),
                ("received", "hearing", japan(2025, 5, 1) + dt.timedelta(days=days)),
            ],
        )
    for days in (2, 6):
        request = SupportRequestFactory()
        history(
            request,
            [
                ("", "received", japan(2025, 5, 1)),
                ("received", "hearing", japan(2025, 5, 2)),
                ("hearing", "searching", japan(2025, 5, 2) + dt.timedelta(days=days)),
            ],
        )

    medians = {row.state: row for row in stats.median_days_by_state(start, end)}

    # Received steps last 1, 3 and 10 days, and 1 day twice more, so the
    # middle of the five is 1.
    assert medians["received"].steps == 5
    assert medians["received"].median_days == 1.0
    # Hearing steps last 2 and 6 days. The hearing steps still running are
    # left out.
    assert medians["hearing"].steps == 2
    assert medians["hearing"].median_days == 4.0
    assert "searching" not in medians


def test_median_days_of_hours():
    request = SupportRequestFactory()
    history(
        request,
        [
            ("", "received", japan(2025, 6, 1, 9, 0)),
            ("received", "hearing", japan(2025, 6, 1, 21, 0)),
            ("hearing", "on_hold", japan(2025, 6, 3, 21, 0)),
            ("on_hold", "hearing", japan(2025, 6, 4, 21, 0)),
            ("hearing", "searching", japan(2025, 6, 8, 21, 0)),
        ],
    )

    medians = {
        row.state: row
        for row in stats.median_days_by_state(japan(2025, 4, 1), japan(2026, 4, 1))
    }

    assert medians["received"].median_days == 0.5
    # Two stays in hearing, 2 and 4 days.
    assert medians["hearing"].steps == 2
    assert medians["hearing"].median_days == 3.0
    assert medians["on_hold"].median_days == 1.0


def test_median_counts_steps_ending_in_year():
    request = SupportRequestFactory()
    history(
        request,
        [
            ("", "received", japan(2025, 3, 20)),
            ("received", "hearing", japan(2025, 3, 31, 23, 30)),
            ("hearing", "searching", japan(2025, 4, 3, 23, 30)),
        ],
    )

    fy2024 = stats.median_days_by_state(japan(2024, 4, 1), japan(2025, 4, 1))
    fy2025 = stats.median_days_by_state(japan(2025, 4, 1), japan(2026, 4, 1))

    assert [(row.state, row.median_days) for row in fy2024] == [("received", 12.0)]
    assert [(row.state, row.median_days) for row in fy2025] == [("hearing", 3.0)]


def test_steps_at_same_moment_ordered_by_id():
    request = SupportRequestFactory()
    moment = japan(2025, 7, 1)
    history(
        request,
        [
            ("", "received", moment),
            ("received", "hearing", moment),
            ("hearing", "searching", moment + dt.timedelta(days=2)),
        ],
    )

    medians = {
        row.state: row.median_days
        for row in stats.median_days_by_state(japan(2025, 4, 1), japan(2026, 4, 1))
    }

    assert medians == {"received": 0.0, "hearing": 2.0}


def test_hours_and_value_by_skill():
    web = Skill.objects.get(key="it_web")
    accounting = Skill.objects.get(key="accounting")
    Skill.objects.filter(pk=web.pk).update(hourly_value=3000)
    Skill.objects.filter(pk=accounting.pk).update(hourly_value=5000)
    WorkLogFactory(skill=web, hours=Decimal("2.5"), worked_on=dt.date(2025, 4, 1))
    WorkLogFactory(skill=web, hours=Decimal("1.5"), worked_on=dt.date(2026, 3, 31))
    WorkLogFactory(
        skill=accounting, hours=Decimal("0.5"), worked_on=dt.date(2025, 9, 9)
    )
    WorkLogFactory(skill=accounting, hours=8, worked_on=dt.date(2026, 4, 1))

    rows = {row.skill.key: row for row in stats.hours_by_skill(2025)}

    assert rows["it_web"].hours == Decimal("4.0")
    assert rows["it_web"].value == Decimal("12000")
    assert rows["accounting"].hours == Decimal("0.5")
    assert rows["accounting"].value == Decimal("2500")
    assert set(rows) == {"it_web", "accounting"}


def test_year_totals_of_hours_and_value():
    web = Skill.objects.get(key="it_web")
    accounting = Skill.objects.get(key="accounting")
    Skill.objects.filter(pk=web.pk).update(hourly_value=3000)
    Skill.objects.filter(pk=accounting.pk).update(hourly_value=5000)
    WorkLogFactory(skill=web, hours=Decimal("2.5"), worked_on=dt.date(2025, 5, 1))
    WorkLogFactory(skill=accounting, hours=3, worked_on=dt.date(2025, 5, 1))

    figures = stats.year_statistics(2025, 2025, now=japan(2026, 6, 1))

    assert figures.total_hours == Decimal("5.5")
    assert figures.total_value == Decimal("22500")


def test_hours_without_work_date_use_japan_day():
    log = WorkLogFactory(hours=2, worked_on=None)
    # 31 March 16:00 UTC is 1 April 01:00 in Japan: fiscal 2025.
    type(log).objects.filter(pk=log.pk).update(
        created_at=dt.datetime(2025, 3, 31, 16, 0, tzinfo=dt.UTC)
    )

    assert stats.hours_by_skill(2024) == []
    assert [row.hours for row in stats.hours_by_skill(2025)] == [Decimal("2.0")]


def test_case_studies_published_in_year():
    in_year = CaseStudyFactory()
    earlier = CaseStudyFactory()
    CaseStudyFactory()
    type(in_year).objects.filter(pk=in_year.pk).update(
        published_at=japan(2025, 3, 31, 23, 30)
    )
    type(earlier).objects.filter(pk=earlier.pk).update(published_at=japan(2023, 7, 1))

    assert stats.case_studies_published(japan(2024, 4, 1), japan(2025, 4, 1)) == (1, 2)
    assert stats.case_studies_published(japan(2025, 4, 1), japan(2026, 4, 1)) == (0, 2)


def test_available_years_from_first_data():
    registered(japan(2020, 6, 1))

    assert stats.available_years(japan(2025, 4, 1)) == [
        2020,
        2021,
        2022,
        2023,
        2024,
        2025,
    ]


def test_available_years_start_with_plan():
    assert stats.available_years(japan(2024, 4, 1)) == [2022, 2023, 2024]


def test_year_statistics_current_year_as_of_now():
    now = japan(2025, 8, 1, 12, 0)

    figures = stats.year_statistics(2025, 2022, now=now)

    assert figures.as_of == now
    assert figures.is_empty


def test_year_statistics_query_count(django_assert_max_num_queries):
    for index in range(5):
        worker = registered(japan(2024, 5, index + 1))
        request = SupportRequestFactory()
        history(
            request,
            [
                ("", "received", japan(2024, 6, 1)),
                ("received", "hearing", japan(2024, 6, 2 + index)),
            ],
        )
        WorkLogFactory(request=request, worker=worker, worked_on=dt.date(2024, 7, 1))

    with django_assert_max_num_queries(8):
        figures = stats.year_statistics(2024, 2022, now=japan(2025, 8, 1))

    assert figures.registrants == {2022: 0, 2023: 0, 2024: 5}
    assert figures.requests_by_state["hearing"] == 5
    assert figures.total_hours == Decimal("5.0")
