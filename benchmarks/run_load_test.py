"""Load test: residents searching, reading posts and applying, on PostgreSQL.

The script starts a PostgreSQL cluster and a Redis server on 127.0.0.1
(unless --database-url names a loaded database), migrates, loads the
prefecture-scale demo data, and serves the portal with gunicorn and the
benchmark settings (production settings over plain HTTP), with one Celery
worker taking the mail tasks through Redis. It gives --users demo residents
a password, picks published posts to read and nearly full sessions to apply
to, and runs locust (benchmarks/locustfile.py) headless for --duration
seconds. It prints requests, error rate and latency percentiles per kind of
request, then checks that no session holds more people than its capacity.
Exits non-zero on more than 1% errors or an over-filled session.

Usage: benchmarks/run_load_test.sh [--users 40] [--duration 180]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.run_search_benchmark import (
    BENCHMARK_SECRET,
    BIN,
    ROOT,
    gunicorn,
    load_average,
    manage,
    postgres_cluster,
    redis_server,
)

LOAD_TEST_PASSWORD = "load-test-password-2026"  # noqa: S105
APPLY_SESSIONS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database, do not start one")
    parser.add_argument("--users", type=int, default=40, help="concurrent residents")
    parser.add_argument("--spawn-rate", type=float, default=4, help="new users/s")
    parser.add_argument("--duration", type=int, default=180, help="seconds of load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    if args.database_url:
        sys.exit(run(args, args.database_url))
    with postgres_cluster() as database_url:
        sys.exit(run(args, database_url))


def run(args: argparse.Namespace, database_url: str) -> int:
    with redis_server() as redis_url:
        if redis_url is None:
            sys.exit("redis-server is needed: apt-get install redis-server")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_SECRET_KEY": BENCHMARK_SECRET,
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(ROOT),
            # Every simulated resident comes from 127.0.0.1, so the
            # per-address limits would measure the limiter, not the portal.
            "RATE_LIMIT_ENABLED": "False",
        }
        os.environ.update(env)
        manage(env, "migrate", "--no-input", "-v", "0")
        seconds = manage(env, "load_demo_data", "--size", "prefecture")
        print(f"load_demo_data --size prefecture took {seconds:.0f} s", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            data_path = Path(folder) / "data.json"
            data_path.write_text(json.dumps(prepare(args.users)), encoding="utf-8")
            env["LOAD_TEST_DATA"] = str(data_path)
            with (
                celery_worker(env, Path(folder) / "worker.log"),
                gunicorn(env, args.workers) as port,
            ):
                stats = run_locust(args, env, port, Path(folder) / "locust")
        return report(args, stats)


def prepare(users: int) -> dict[str, object]:
    """Give *users* demo residents a password; pick posts and sessions."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from civic_portal.accounts.models import User
    from groups.models import Municipality
    from volunteering.models import VolunteerPost, VolunteerSession

    emails = [f"resident{index:05d}@demo.example.jp" for index in range(users)]
    User.objects.filter(email__in=emails).update(
        password=make_password(LOAD_TEST_PASSWORD)
    )
    now = timezone.now()
    posts = list(
        VolunteerPost.objects.filter(status=VolunteerPost.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    sessions = list(
        VolunteerSession.objects.filter(
            post__status=VolunteerPost.Status.PUBLISHED,
            post__kind=VolunteerPost.Kind.SESSIONS,
            starts_at__gt=now,
            capacity__isnull=False,
            places_taken__lt=F("capacity"),
            places_taken__gte=F("capacity") - 5,
        )
        .order_by("starts_at")
        .values_list("post_id", "pk")[:APPLY_SESSIONS]
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    print(
        f"{len(emails)} residents, {len(posts)} posts, {len(sessions)} sessions",
        flush=True,
    )
    return {
        "emails": emails,
        "password": LOAD_TEST_PASSWORD,
        "posts": posts,
        "sessions": sessions,
        "municipalities": list(Municipality.objects.values_list("code", flat=True)),
    }


@contextmanager
def celery_worker(env: dict[str, str], log: Path) -> Iterator[None]:
    """Run a Celery worker process for the duration of a with block."""
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "celery"),
            "-A",
            "civic_portal",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def run_locust(
    args: argparse.Namespace, env: dict[str, str], port: int, prefix: Path
) -> list[dict[str, str]]:
    print(f"Load average before: {load_average()}", flush=True)
    subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    print(f"Load average after: {load_average()}", flush=True)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
        return list(csv.DictReader(stats_file))


def report(args: argparse.Namespace, stats: list[dict[str, str]]) -> int:
    print(
        f"\n{args.users} users, {args.duration} s, gunicorn --workers {args.workers}\n"
    )
    print(
        "| request | count | errors | error % | median ms | p95 ms | p99 ms | req/s |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    failed = False
    for row in stats:
        count = int(row["Request Count"])
        errors = int(row["Failure Count"])
        share = 100 * errors / count if count else 0.0
        name = row["Name"] if row["Type"] else "all requests"
        print(
            f"| {name} | {count} | {errors} | {share:.2f} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
        if name == "all requests" and share > 1.0:
            failed = True
    overfilled = overfilled_sessions()
    print(f"\nSessions holding more people than their capacity: {overfilled}")
    return 1 if failed or overfilled else 0


def overfilled_sessions() -> int:
    """Count sessions whose holding applications or counter exceed capacity."""
    from django.db.models import F, Q, Sum

    from volunteering.models import Application, VolunteerSession

    held = (
        Application.objects.holding_places()
        .filter(session__isnull=False)
        .values("session")
        .annotate(total=Sum("party_size"))
        .filter(total__gt=F("session__capacity"))
    )
    counters = VolunteerSession.objects.filter(
        Q(places_taken__gt=F("capacity")), capacity__isnull=False
    )
    return held.count() + counters.count()


if __name__ == "__main__":
    main()
