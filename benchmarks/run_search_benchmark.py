"""Measure search latency on the prefecture-scale data set, served by gunicorn.

The script starts a PostgreSQL cluster on 127.0.0.1 in a temporary folder,
unless --database-url names a database. It migrates, runs `load_demo_data
--size prefecture` (idempotent, so a loaded database is reused) and VACUUM
ANALYZE. Then it serves the portal with gunicorn and benchmarks.settings
(production settings, DEBUG off) on 127.0.0.1, and times a fixed number of
requests per URL from one client after a warm-up, the URLs taking turns.
It prints the median and p95 latency and the ratio to a trivial Django
view served the same way. With --explain it also prints EXPLAIN ANALYZE for the search
queries.

It measures in rounds, each with its own gunicorn: "cache off" with
SEARCH_CACHE_SECONDS=0, so every request queries and renders; and "cache
warm", where the warm-up requests fill the versioned search cache and the
timed ones are served from it. The warm round uses a Redis server that it
starts on 127.0.0.1, as production does, or the per-process local-memory
cache when redis-server is not installed.

Usage: .venv/bin/python benchmarks/run_search_benchmark.py [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_USER = "postgres"
BENCHMARK_SECRET = "benchmark-only-secret-not-for-deployment-0123456789abcdef"  # noqa: S105

# Keywords: a five-character and a three-character one that the trigram
# index can serve, and a two-character one that it cannot.
KEYWORDS = {
    "keyword, 5 chars": "竹林の間伐",
    "keyword, 3 chars": "保護猫",
    "keyword, 2 chars": "清掃",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        sys.exit("PostgreSQL server binaries not found: apt-get install postgresql")
    return versions[-1]


def as_pg_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", PG_USER, "--", *command]
    return command


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a throwaway PostgreSQL on 127.0.0.1 and yield its DATABASE_URL."""
    bindir = pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="civic-bench-pg."))
    data = folder / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, PG_USER)
    print(f"Starting PostgreSQL in {data} on 127.0.0.1:{port}", flush=True)
    subprocess.run(  # noqa: S603 (fixed command lines)
        as_pg_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} "
        "-c shared_buffers=512MB -c work_mem=16MB"
    )
    subprocess.run(  # noqa: S603 (fixed command lines)
        as_pg_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
    )
    try:
        subprocess.run(  # noqa: S603 (fixed command lines)
            [
                str(bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-q",
                "-c",
                "CREATE DATABASE civic_portal",
            ],
            check=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/civic_portal"
    finally:
        subprocess.run(  # noqa: S603 (fixed command lines)
            as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[str | None]:
    """Start a throwaway Redis on 127.0.0.1 and yield its URL, or None without one."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (fixed command line)
        [
            binary,
            *("--bind", "127.0.0.1", "--port", str(port)),
            *("--save", "", "--appendonly", "no", "--dir", tempfile.gettempdir()),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("redis-server did not start listening within 30 s.")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)


def manage(env: dict[str, str], *args: str) -> float:
    started = time.monotonic()
    command = [PYTHON, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603
    return time.monotonic() - started


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "civic_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start listening within 60 s.")
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def time_requests(
    port: int, paths: dict[str, str], warmup: int, count: int
) -> dict[str, list[float]]:
    """Return the latency in milliseconds of *count* GET requests per path.

    The paths take turns, one request each, so that a burst of load from
    other jobs on the machine slows every URL alike.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "Accept-Language": "ja"}
    timings: dict[str, list[float]] = {label: [] for label in paths}
    for index in range(warmup + count):
        for label, path in paths.items():
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                sys.exit(f"GET {path} returned {response.status}: {body[:300]!r}")
            if index >= warmup:
                timings[label].append(elapsed)
    connection.close()
    return timings


def benchmark_paths() -> dict[str, str]:
    """Return the measured URLs by label; the search page only if it exists."""
    from django.urls import NoReverseMatch, reverse

    paths = {
        "trivial view (baseline)": reverse("benchmark-trivial"),
        "empty page (base.html)": reverse("benchmark-empty-page"),
    }
    try:
        search = reverse("volunteering:search")
    except NoReverseMatch:
        print("volunteering:search is not defined: the search page is skipped.")
    else:
        paths["search page, no keyword"] = search
        for label, keyword in KEYWORDS.items():
            paths[f"search page, {label}"] = f"{search}?{urlencode({'q': keyword})}"
    # The API lists posts through the same PostFilter as the search page.
    api = reverse("post-list")
    paths["API posts list, no keyword"] = api
    for label, keyword in KEYWORDS.items():
        paths[f"API posts list, {label}"] = f"{api}?{urlencode({'q': keyword})}"
    return paths


def explain_search() -> None:
    """Print EXPLAIN ANALYZE for the search page's queries, as the view runs them."""
    from volunteering import selectors

    cases: list[tuple[str, dict[str, str]]] = [("no keyword", {})]
    cases += [(label, {"q": keyword}) for label, keyword in KEYWORDS.items()]
    for label, data in cases:
        post_filter = selectors.post_search(data)
        if not post_filter.form.is_valid():
            sys.exit(f"Search filters {data} are invalid: {post_filter.form.errors}")
        queryset = selectors.annotate_next_session(
            post_filter.qs, post_filter.form.cleaned_data
        )
        print(f"\n--- EXPLAIN ANALYZE: first page, {label} ---")
        print(queryset[: selectors.SEARCH_PAGE_SIZE].explain(analyze=True))
        print(f"\n--- EXPLAIN ANALYZE: count, {label} ---")
        print(post_filter.qs.order_by().values("pk").explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database, do not start one")
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per URL"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed requests per URL first"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of the search"
    )
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
        # Persistent connections, as docker-compose.yml sets them; without
        # them each request also pays for a new PostgreSQL connection.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    }
    # Without a broker the portal runs tasks in-process and caches locally;
    # the warm round sets its own Redis.
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    manage(env, "migrate", "--no-input", "-v", "0")
    seconds = manage(env, "load_demo_data", "--size", "prefecture")
    print(f"load_demo_data --size prefecture took {seconds:.0f} s", flush=True)

    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    if args.explain:
        explain_search()

    paths = benchmark_paths()
    rounds: dict[str, dict[str, tuple[float, float]]] = {}
    cold_env = {**env, "SEARCH_CACHE_SECONDS": "0"}
    rounds["cache off"] = measure_round("cache off", cold_env, paths, args)
    with redis_server() as redis_url:
        warm_env = {**env, "SEARCH_CACHE_SECONDS": "60"}
        if redis_url is None:
            label = "cache warm, local memory"
        else:
            label = "cache warm, Redis"
            warm_env["REDIS_URL"] = redis_url
        rounds[label] = measure_round(label, warm_env, paths, args)
    print_table(args, rounds)


def measure_round(
    name: str, env: dict[str, str], paths: dict[str, str], args: argparse.Namespace
) -> dict[str, tuple[float, float]]:
    """Serve the portal with *env* and return the median and p95 ms per URL."""
    print(f"\nRound: {name}, load average {load_average()}", flush=True)
    results = {}
    with gunicorn(env, args.workers) as port:
        timings = time_requests(port, paths, args.warmup, args.requests)
    for label, values in timings.items():
        median = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1]
        results[label] = (median, p95)
        print(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms", flush=True)
    print(f"Round {name} finished, load average {load_average()}", flush=True)
    return results


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def print_table(
    args: argparse.Namespace, rounds: dict[str, dict[str, tuple[float, float]]]
) -> None:
    print(
        f"\n{args.requests} timed requests per URL after {args.warmup} warm-up "
        f"requests, one client, URLs in turn, gunicorn --workers {args.workers}, "
        f"{os.cpu_count()} cores\n"
    )
    header = "| URL |"
    rule = "| --- |"
    for name in rounds:
        header += f" {name}: median ms | p95 ms | median / trivial |"
        rule += " ---: | ---: | ---: |"
    print(header)
    print(rule)
    labels = next(iter(rounds.values())).keys()
    for label in labels:
        row = f"| {label} |"
        for results in rounds.values():
            baseline = results["trivial view (baseline)"][0]
            median, p95 = results[label]
            row += f" {median:.1f} | {p95:.1f} | {median / baseline:.1f}x |"
        print(row)


if __name__ == "__main__":
    main()
