"""Time the six indicators for one fiscal year on PostgreSQL, beside hand-written SQL.

The script starts a PostgreSQL cluster on 127.0.0.1 in a temporary folder,
unless --database-url names a database. It migrates, loads a
prefecture-scale data set of its own (below) unless the database already
has it, and runs VACUUM ANALYZE. Then it checks that the portal's
compute_all() (the Django ORM aggregates in indicators/services/compute.py)
and the same six counts written by hand in SQL give the same figures. In
one process and on one connection it times both in turns, and prints the
median and p95 time of each. It also times series_by_indicator(), the
dashboard's series of every indicator from fiscal 2018 to the chosen
year, beside the same figures computed with one query per indicator and
year.

The data set has a fixed random seed. It adds to the 19 municipalities
and the real support centres from the migrations:

- 2,600 registered groups with dated status history (about 12% dissolved,
  5% dormant) and 150 pending ones;
- certification chains for 80 NPO corporations, and annual reports for
  fiscal 2021 to 2025;
- 1,200 pro bono workers (10% deleted) and 8,000 residents;
- 600 year-round posts and 60,000 applications over fiscal 2022 to 2026,
  in every status.

Usage: .venv/bin/python benchmarks/run_indicators_benchmark.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run_search_benchmark import (  # noqa: E402
    BENCHMARK_SECRET,
    manage,
    postgres_cluster,
)

SEED = 2026
GROUPS = 2600
PENDING_GROUPS = 150
CERTIFIED_GROUPS = 80
WORKERS = 1200
RESIDENTS = 8000
POSTS = 600
APPLICATIONS = 60000
GROUP_PREFIX = "指標ベンチ団体"
BATCH_SIZE = 2000

HAND_WRITTEN_SQL = {
    "civic_groups": """
        SELECT count(*)
        FROM groups_civicgroup g
        LEFT JOIN (
            SELECT DISTINCT ON (group_id) group_id, status
            FROM groups_groupstatuschange
            WHERE effective_on <= %(day)s
            ORDER BY group_id, effective_on DESC, id DESC
        ) s ON s.group_id = g.id
        WHERE g.review_status = 'approved'
          AND g.registered_on <= %(day)s
          AND s.status IS DISTINCT FROM 'dissolved'
    """,
    "young_majority_share": """
        SELECT count(*), count(*) FILTER (WHERE 10 * young >= 3 * total)
        FROM (
            SELECT participants_under_20 + participants_20s + participants_30s
                       AS young,
                   participants_under_20 + participants_20s + participants_30s
                   + participants_40s + participants_50s + participants_60s
                   + participants_70_plus AS total
            FROM groups_annualgroupreport
            WHERE fiscal_year = %(year)s
        ) r
        WHERE total > 0
    """,
    "municipalities_with_centre": """
        SELECT count(DISTINCT municipality_id)
        FROM groups_supportcentre
        WHERE scope = 'municipal'
          AND opened_on <= %(day)s
          AND (closed_on IS NULL OR closed_on > %(day)s)
    """,
    "certified_npos": """
        SELECT count(DISTINCT group_id)
        FROM groups_certification
        WHERE certified_on <= %(day)s
          AND expires_on >= %(day)s
          AND (revoked_on IS NULL OR revoked_on > %(day)s)
    """,
    "probono_registrants": """
        SELECT count(*) FROM probono_probonoworker WHERE registered_at < %(end)s
    """,
    "volunteer_matches": """
        SELECT coalesce(sum(party_size), 0)
        FROM volunteering_application
        WHERE confirmed_at >= %(start)s
          AND confirmed_at < %(end)s
          AND (status = 'confirmed' OR cancelled_at >= %(end)s)
    """,
}


def japan_moment(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    """Return a random aware time between two days, in Japan time."""
    from civic_portal.fiscal import JAPAN

    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    seconds = rng.randrange(24 * 3600)
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=JAPAN)
    return midnight + dt.timedelta(seconds=seconds)


def load_groups(rng: random.Random) -> list[int]:
    """Create the registered and pending groups with history; return registered ids."""
    from groups.models import (
        AnnualGroupReport,
        Certification,
        CivicGroup,
        GroupStatusChange,
        Municipality,
    )

    municipalities = list(Municipality.objects.all())
    groups = []
    for number in range(GROUPS + PENDING_GROUPS):
        pending = number >= GROUPS
        registered_on = None
        if not pending:
            registered_on = dt.date(1999, 4, 1) + dt.timedelta(
                days=rng.randrange(27 * 365)
            )
        groups.append(
            CivicGroup(
                name=f"{GROUP_PREFIX}{number:05d}",
                legal_form=(
                    CivicGroup.LegalForm.NPO
                    if number < CERTIFIED_GROUPS * 3
                    else CivicGroup.LegalForm.VOLUNTARY
                ),
                municipality=rng.choice(municipalities),
                review_status=(
                    CivicGroup.ReviewStatus.PENDING
                    if pending
                    else CivicGroup.ReviewStatus.APPROVED
                ),
                registered_on=registered_on,
            )
        )
    created = CivicGroup.objects.bulk_create(groups, batch_size=BATCH_SIZE)
    registered = [group for group in created if group.registered_on is not None]

    changes = []
    last_day = dt.date(2027, 3, 31)
    for group in registered:
        assert group.registered_on is not None
        changes.append(
            GroupStatusChange(
                group=group, status="active", effective_on=group.registered_on
            )
        )
        roll = rng.random()
        span = (last_day - group.registered_on).days
        if roll < 0.12 and span > 1:
            later = group.registered_on + dt.timedelta(days=rng.randrange(1, span))
            changes.append(
                GroupStatusChange(group=group, status="dissolved", effective_on=later)
            )
        elif roll < 0.17 and span > 1:
            later = group.registered_on + dt.timedelta(days=rng.randrange(1, span))
            changes.append(
                GroupStatusChange(group=group, status="dormant", effective_on=later)
            )
    GroupStatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)

    certifications = []
    for group in registered[:CERTIFIED_GROUPS]:
        assert group.registered_on is not None
        start = max(group.registered_on, dt.date(2012, 4, 1)) + dt.timedelta(
            days=rng.randrange(3 * 365)
        )
        kind = "special" if rng.random() < 0.2 else "certified"
        while start <= last_day:
            expires = Certification.expiry_for(kind, start)
            revoked = None
            if rng.random() < 0.05:
                revoked = start + dt.timedelta(days=rng.randrange(1, 365))
            certifications.append(
                Certification(
                    group=group,
                    kind=kind,
                    certified_on=start,
                    expires_on=expires,
                    revoked_on=revoked,
                )
            )
            if revoked is not None or rng.random() < 0.2:
                break
            start = expires + dt.timedelta(days=1)
            kind = "certified"
    Certification.objects.bulk_create(certifications, batch_size=BATCH_SIZE)

    reports = []
    for year in range(2021, 2026):
        for group in registered:
            assert group.registered_on is not None
            if group.registered_on > dt.date(year + 1, 3, 31) or rng.random() > 0.45:
                continue
            counts = {
                band: rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
                for band in ("under_20", "20s", "30s", "40s", "50s", "60s", "70_plus")
            }
            reports.append(
                AnnualGroupReport(
                    group=group,
                    fiscal_year=year,
                    main_activities="地域の清掃と見守り",
                    self_evaluation=3,
                    **{f"participants_{band}": n for band, n in counts.items()},
                )
            )
    AnnualGroupReport.objects.bulk_create(reports, batch_size=BATCH_SIZE)
    print(
        f"  groups: {len(created)}, status changes: {len(changes)}, "
        f"certifications: {len(certifications)}, reports: {len(reports)}",
        flush=True,
    )
    return [group.pk for group in registered]


def load_people_and_applications(rng: random.Random, group_ids: list[int]) -> None:
    from django.contrib.auth.hashers import make_password

    from civic_portal.accounts.models import User
    from groups.models import ActivityField, Municipality
    from probono.models import ProbonoWorker
    from volunteering.models import Application, VolunteerPost

    municipalities = list(Municipality.objects.all())
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{number}@example.jp",
                full_name=f"山口 花子{number}",
                municipality=rng.choice(municipalities),
                password=unusable,
            )
            for number in range(RESIDENTS)
        ],
        batch_size=BATCH_SIZE,
    )

    workers = []
    for number in range(WORKERS):
        deleted = rng.random() < 0.10
        workers.append(
            ProbonoWorker(
                user=None if deleted else users[number],
                status="deleted" if deleted else "active",
                profession="ウェブデザイナー",
            )
        )
    workers = ProbonoWorker.objects.bulk_create(workers, batch_size=BATCH_SIZE)
    # registered_at is auto_now_add, so the dates are written afterwards.
    for worker in workers:
        worker.registered_at = japan_moment(
            rng, dt.date(2022, 4, 1), dt.date(2026, 11, 30)
        )
    ProbonoWorker.objects.bulk_update(workers, ["registered_at"], batch_size=BATCH_SIZE)

    fields = list(ActivityField.objects.all())
    posts = VolunteerPost.objects.bulk_create(
        [
            VolunteerPost(
                group_id=rng.choice(group_ids),
                title=f"通年の見守り活動{number}",
                description="地域の見守りと清掃を行います。",
                activity_field=rng.choice(fields),
                municipality=rng.choice(municipalities),
                contact_name="山口 太郎",
                kind=VolunteerPost.Kind.YEAR_ROUND,
                status=VolunteerPost.Status.PUBLISHED,
            )
            for number in range(POSTS)
        ],
        batch_size=BATCH_SIZE,
    )

    applications = []
    seen: set[tuple[int, int, dt.date]] = set()
    statuses = [
        ("confirmed", 0.75),
        ("cancelled_by_volunteer", 0.08),
        ("cancelled_by_staff", 0.02),
        ("pending", 0.05),
        ("declined", 0.04),
        ("waitlisted", 0.06),
    ]
    names = [name for name, _weight in statuses]
    weights = [weight for _name, weight in statuses]
    while len(applications) < APPLICATIONS:
        applicant = rng.randrange(RESIDENTS)
        post = rng.randrange(POSTS)
        applied_at = japan_moment(rng, dt.date(2022, 4, 1), dt.date(2026, 11, 30))
        activity_date = (applied_at + dt.timedelta(days=rng.randrange(3, 40))).date()
        if (applicant, post, activity_date) in seen:
            continue
        seen.add((applicant, post, activity_date))
        status = rng.choices(names, weights)[0]
        confirmed_at = cancelled_at = None
        if status in ("confirmed", "cancelled_by_volunteer", "cancelled_by_staff"):
            confirmed_at = applied_at + dt.timedelta(hours=rng.randrange(1, 72))
        if status.startswith("cancelled"):
            assert confirmed_at is not None
            cancelled_at = confirmed_at + dt.timedelta(hours=rng.randrange(1, 240))
        applications.append(
            Application(
                post=posts[post],
                activity_date=activity_date,
                applicant=users[applicant],
                party_size=1 if rng.random() < 0.9 else rng.randrange(2, 11),
                status=status,
                confirmed_at=confirmed_at,
                cancelled_at=cancelled_at,
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)
    print(
        f"  residents: {len(users)}, workers: {len(workers)}, posts: {len(posts)}, "
        f"applications: {len(applications)}",
        flush=True,
    )


def load_data_set() -> None:
    """Load the benchmark's data set unless the database already has it."""
    from django.db import transaction

    from groups.models import CivicGroup

    if CivicGroup.objects.filter(name__startswith=GROUP_PREFIX).exists():
        print("The benchmark data set is loaded already.", flush=True)
        return
    rng = random.Random(SEED)
    started = time.monotonic()
    print("Loading the benchmark data set:", flush=True)
    with transaction.atomic():
        group_ids = load_groups(rng)
        load_people_and_applications(rng, group_ids)
    print(f"Loaded in {time.monotonic() - started:.0f} s", flush=True)


def _sql_params(fiscal_year: int) -> dict[str, object]:
    from civic_portal.fiscal import fiscal_year_bounds

    start, end = fiscal_year_bounds(fiscal_year)
    return {
        "day": dt.date(fiscal_year + 1, 3, 31),
        "year": fiscal_year,
        "start": start,
        "end": end,
    }


def hand_written_count(key: str, fiscal_year: int) -> Decimal | None:
    """Run the hand-written query of *key* and return its figure, as compute()."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN_SQL[key], _sql_params(fiscal_year))
        row = cursor.fetchone()
    if key != "young_majority_share":
        return Decimal(row[0])
    reporting, reaching = row
    if reporting == 0:
        return None
    share = Decimal(100 * reaching) / Decimal(reporting)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def hand_written_counts(fiscal_year: int) -> dict[str, Decimal | None]:
    """Run the six hand-written queries and return the figures, as compute_all()."""
    return {key: hand_written_count(key, fiscal_year) for key in HAND_WRITTEN_SQL}


def per_year_counts(last_year: int) -> dict[str, dict[int, Decimal | None]]:
    """Compute every indicator for every series year with one query each.

    The dashboard computed its series this way before series_by_indicator(),
    except the matches, which took one query for all years.
    """
    from indicators.definitions import FIRST_SERIES_YEAR
    from indicators.services.compute import compute

    years = range(FIRST_SERIES_YEAR, last_year + 1)
    return {
        key: {year: compute(key, year) for year in years} for key in HAND_WRITTEN_SQL
    }


def check_series(last_year: int) -> None:
    """Exit unless compute_by_year() gives compute()'s figure for every year."""
    from indicators.definitions import FIRST_SERIES_YEAR
    from indicators.services.compute import compute_by_year

    years = list(range(FIRST_SERIES_YEAR, last_year + 1))
    by_year = {key: compute_by_year(key, years) for key in HAND_WRITTEN_SQL}
    if by_year != per_year_counts(last_year):
        sys.exit("compute_by_year() and compute() disagree; timings are not shown.")
    print(f"compute_by_year() equals compute() for fiscal {years[0]} to {years[-1]}.")


def summarize(label: str, timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"  {label:<36} median {median:7.2f} ms   p95 {p95:7.2f} ms")
    return median, p95


def measure(fiscal_year: int, rounds: int, warmup: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.definitions import FIRST_SERIES_YEAR
    from indicators.services.compute import compute, compute_all, compute_by_year
    from indicators.services.summary import series_by_indicator, year_summary

    print(f"Load average at the start: {_load_average()}")
    orm_figures = compute_all(fiscal_year)
    sql_figures = hand_written_counts(fiscal_year)
    print(f"Figures of fiscal {fiscal_year}:")
    for key, value in orm_figures.items():
        print(f"  {key:<28} ORM {value!s:>8}   SQL {sql_figures[key]!s:>8}")
    if orm_figures != sql_figures:
        sys.exit("The ORM and the hand-written SQL disagree; timings are not shown.")
    with CaptureQueriesContext(connection) as queries:
        compute_all(fiscal_year)
    print(f"compute_all() ran {len(queries)} queries.")
    check_series(fiscal_year)
    keys = list(HAND_WRITTEN_SQL)
    with CaptureQueriesContext(connection) as queries:
        series_by_indicator(keys, fiscal_year)
    print(f"series_by_indicator() ran {len(queries)} queries.")
    with CaptureQueriesContext(connection) as queries:
        per_year_counts(fiscal_year)
    print(f"compute() per indicator and year ran {len(queries)} queries.")

    orm: dict[str, list[float]] = {key: [] for key in HAND_WRITTEN_SQL}
    series: dict[str, list[float]] = {key: [] for key in HAND_WRITTEN_SQL}
    per_year: dict[str, list[float]] = {key: [] for key in HAND_WRITTEN_SQL}
    series_years = list(range(FIRST_SERIES_YEAR, fiscal_year + 1))
    sql: dict[str, list[float]] = {key: [] for key in HAND_WRITTEN_SQL}
    totals: dict[str, list[float]] = {
        "compute_all() (ORM)": [],
        "six hand-written SQL queries": [],
        "year_summary() (the API's work)": [],
        "series_by_indicator() (dashboard)": [],
        "compute() per indicator and year": [],
    }
    for index in range(warmup + rounds):
        started = time.perf_counter()
        compute_all(fiscal_year)
        orm_total = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        hand_written_counts(fiscal_year)
        sql_total = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        year_summary(fiscal_year)
        summary_total = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        series_by_indicator(keys, fiscal_year)
        series_total = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        per_year_counts(fiscal_year)
        per_year_total = (time.perf_counter() - started) * 1000
        # The same queries once more, one at a time, for the breakdown.
        for key in HAND_WRITTEN_SQL:
            started = time.perf_counter()
            compute_by_year(key, series_years)
            series_one = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            for year in series_years:
                compute(key, year)
            per_year_one = (time.perf_counter() - started) * 1000
            if index >= warmup:
                series[key].append(series_one)
                per_year[key].append(per_year_one)
            started = time.perf_counter()
            compute(key, fiscal_year)
            orm_one = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            hand_written_count(key, fiscal_year)
            sql_one = (time.perf_counter() - started) * 1000
            if index >= warmup:
                orm[key].append(orm_one)
                sql[key].append(sql_one)
        if index >= warmup:
            totals["compute_all() (ORM)"].append(orm_total)
            totals["six hand-written SQL queries"].append(sql_total)
            totals["year_summary() (the API's work)"].append(summary_total)
            totals["series_by_indicator() (dashboard)"].append(series_total)
            totals["compute() per indicator and year"].append(per_year_total)
    load = _load_average()
    print(f"\n{rounds} timed rounds after {warmup} untimed, taking turns:")
    results = {label: summarize(label, values) for label, values in totals.items()}
    print("\nPer indicator (median ms): ORM, hand-written SQL, ratio")
    for key in HAND_WRITTEN_SQL:
        orm_median = statistics.median(orm[key])
        sql_median = statistics.median(sql[key])
        print(
            f"  {key:<28} {orm_median:7.2f} {sql_median:7.2f} "
            f"{orm_median / sql_median:6.2f}x"
        )
    print(
        f"\nSeries of fiscal {series_years[0]} to {series_years[-1]} (median ms): "
        "compute_by_year() in one query, compute() once per year, ratio"
    )
    for key in HAND_WRITTEN_SQL:
        series_median = statistics.median(series[key])
        per_year_median = statistics.median(per_year[key])
        print(
            f"  {key:<28} {series_median:7.2f} {per_year_median:7.2f} "
            f"{series_median / per_year_median:6.2f}x"
        )
    orm_median = results["compute_all() (ORM)"][0]
    sql_median = results["six hand-written SQL queries"][0]
    print(f"\nRatio of medians, ORM / SQL: {orm_median / sql_median:.2f}x")
    print(f"Load average at the end: {load}")


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database, do not start one")
    parser.add_argument(
        "--fiscal-year", type=int, default=2025, help="the fiscal year to compute"
    )
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first")
    args = parser.parse_args()
    if args.database_url:
        run(args, args.database_url)
        return
    with postgres_cluster() as database_url:
        run(args, database_url)


def run(args: argparse.Namespace, database_url: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_SECRET_KEY": BENCHMARK_SECRET,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    os.environ.update(env)
    manage(env, "migrate", "--no-input", "-v", "0")

    import django

    django.setup()
    from django.db import connection

    load_data_set()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    measure(args.fiscal_year, args.rounds, args.warmup)


if __name__ == "__main__":
    main()
