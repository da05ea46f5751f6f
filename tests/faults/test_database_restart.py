"""The database lost mid-request: a 503 page, and nothing half-written.

The last test restarts the PostgreSQL server itself while gunicorn serves
a stream of page views and writes.
"""

import itertools
import queue
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import LogEntry
from django.db import OperationalError, connection, connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from civic_portal.accounts.models import SentNotification
from civic_portal.errors import RETRY_AFTER_SECONDS
from facilitation.models import TrainingCourse
from tests.factories import UserFactory, VolunteerSessionFactory
from tests.faults.portal_processes import (
    start_gunicorn,
    start_worker,
    stop_process,
    wait_for,
)
from tests.faults.redis_server import free_port
from tests.faults.request_stream import Call, Outcome, RequestStream
from tests.faults.smtp_sink import SmtpSink
from tests.volunteering.test_staff_posts import form_data
from volunteering.models import Application, PostRevision

# Serialized rollback, as the other transactional tests use: a plain
# flush followed by theirs would load the content types twice.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def visitor(resident):
    # The portal's error handler, not the test client, handles a view's exception.
    client = Client(raise_request_exception=False)
    client.force_login(resident)
    return client


def apply(client, session):
    url = reverse("volunteering:apply_session", args=[session.pk])
    return client.post(url, {})


def terminate_own_backend() -> None:
    """Drop this process's database connection from the server side."""
    settings = connection.settings_dict
    pid = connection.connection.info.backend_pid
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_database_error_returns_503_page(visitor, session, monkeypatch):
    def reject(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(
        "volunteering.services.applications.application_create_for_session", reject
    )

    response = apply(visitor, session)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "一時的にご利用いただけません" in body
    assert "Temporarily unavailable" in body


def test_driver_error_returns_503_page(visitor, session, monkeypatch):
    # Raised unwrapped by a server-side cursor's close() when the server is gone.
    def reject(*args, **kwargs):
        raise psycopg.OperationalError("consuming input failed")

    monkeypatch.setattr(
        "volunteering.services.applications.application_create_for_session", reject
    )

    response = apply(visitor, session)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_other_error_returns_500_page(visitor, session, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(
        "volunteering.services.applications.application_create_for_session", fail
    )

    response = apply(visitor, session)

    assert response.status_code == 500
    assert "サーバーエラーが発生しました" in response.content.decode()


@pytest.mark.postgres
def test_dropped_connection_writes_nothing(visitor, session):
    def drop_on_insert(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "volunteering_application"'):
            terminate_own_backend()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_on_insert):
        response = apply(visitor, session)
    # A real server closes the broken connection at the end of the request;
    # the test client does not, so the test does.
    connection.close()

    assert response.status_code == 503
    assert not Application.objects.exists()
    # After the restart the same request succeeds.
    assert apply(visitor, session).status_code == 302
    assert Application.objects.count() == 1


# Residents who may apply during the restart test, one application each.
APPLICANTS = 80
# Seconds the server stays down between the stop and the start.
DOWN_SECONDS = 3.0
# Seconds to wait for every kind of request to succeed: after gunicorn
# starts (its first requests load templates and code) and after an outage.
SETTLE_SECONDS = 30
SUCCESS_STATUS = {"page": 200, "apply": 302, "post_edit": 302, "admin_edit": 302}
UNAVAILABLE_TEXTS = ("一時的にご利用いただけません", "Temporarily unavailable")


@dataclass
class Outage:
    """The time from the pg_ctl call that stops the server until it is back."""

    started: float
    ended: float


def session_cookies(user, csrf_token: str) -> dict[str, str]:
    """Sign *user* in, as force_login does, and return the browser's cookies."""
    client = Client()
    client.force_login(user)
    session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        django_settings.SESSION_COOKIE_NAME: session_key,
        django_settings.CSRF_COOKIE_NAME: csrf_token,
    }


def page_calls(urls: list[str]) -> Iterator[Call]:
    for url in itertools.cycle(urls):
        yield Call("page", url)


def applicant_calls(applicants: queue.Queue, csrf_token: str) -> Iterator[Call]:
    """Apply with the next waiting resident, then open their applications."""
    while True:
        try:
            resident_id, session_id, cookies = applicants.get_nowait()
        except queue.Empty:
            return
        yield Call(
            "apply",
            reverse("volunteering:apply_session", args=[session_id]),
            target=(resident_id, session_id),
            data={"csrfmiddlewaretoken": csrf_token},
            cookies=cookies,
        )
        yield Call("page", reverse("volunteering:my_applications"), cookies=cookies)


def post_edit_calls(
    url: str, fields: dict[str, str], cookies: dict[str, str]
) -> Iterator[Call]:
    for number in itertools.count(1):
        title = f"Post edit {number}"
        data = {**fields, "title": title}
        yield Call("post_edit", url, target=title, data=data, cookies=cookies)


def admin_edit_calls(
    url: str, csrf_token: str, cookies: dict[str, str]
) -> Iterator[Call]:
    for number in itertools.count(1):
        title = f"Admin edit {number}"
        data = {
            "csrfmiddlewaretoken": csrf_token,
            "title": title,
            "fiscal_year": "2026",
            "description": "",
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        }
        yield Call("admin_edit", url, target=title, data=data, cookies=cookies)


def wait_for_successes(stream: RequestStream, since: float) -> None:
    """Wait until each kind of request has succeeded since *since*."""

    def succeeded() -> bool:
        outcomes = stream.snapshot()
        return all(
            sum(
                o.call.kind == kind and o.status == status and o.started > since
                for o in outcomes
            )
            > 0
            for kind, status in SUCCESS_STATUS.items()
        )

    assert wait_for(succeeded, SETTLE_SECONDS), summary(stream.snapshot(), [])


def in_flight(outcomes: list[Outcome], moment: float) -> list[Outcome]:
    return [outcome for outcome in outcomes if outcome.overlaps(moment, moment)]


def summary(outcomes: list[Outcome], outages: list[Outage]) -> str:
    answers = Counter(f"{o.call.kind} {o.status or 'no answer'}" for o in outcomes)
    in_flight_writes = [
        sum(o.call.kind != "page" for o in in_flight(outcomes, outage.started))
        for outage in outages
    ]
    return (
        f"{len(outcomes)} requests: {dict(sorted(answers.items()))}; "
        f"in flight at each stop: "
        f"{[len(in_flight(outcomes, o.started)) for o in outages]}, "
        f"writes among them: {in_flight_writes}; "
        f"outages: {[round(o.ended - o.started, 2) for o in outages]} s"
    )


def describe(outcome: Outcome) -> str:
    answer = outcome.error or f"{outcome.status}: {outcome.body[:300]}"
    return f"{outcome.call.kind} {outcome.call.url} -> {answer}"


def first_server_error(server_log: Path) -> str:
    """Return the log from the first 500's traceback on, or the log's end."""
    text = server_log.read_text()
    start = text.find("Internal Server Error")
    return text[start : start + 5000] if start >= 0 else text[-3000:]


def check_answers(
    outcomes: list[Outcome], outages: list[Outage], server_log: Path
) -> None:
    """Check that every request got a success or the 503 page, and when."""
    wrong = [
        describe(o)
        for o in outcomes
        if o.status not in (SUCCESS_STATUS[o.call.kind], 503)
    ]
    assert wrong == [], first_server_error(server_log)
    unavailable = [o for o in outcomes if o.status == 503]
    for outcome in unavailable:
        assert outcome.retry_after == str(RETRY_AFTER_SECONDS)
        for text in UNAVAILABLE_TEXTS:
            assert text in outcome.body
    # Each stop hit requests in flight, and the long outage returned 503.
    for outage in outages:
        assert len(in_flight(outcomes, outage.started)) >= 3
    long_outage = outages[-1]
    assert any(o.overlaps(long_outage.started, long_outage.ended) for o in unavailable)
    # Outside the outages every request succeeded: gunicorn's persistent
    # connections recovered without a restart of gunicorn.
    outside = [
        o
        for o in outcomes
        if not any(o.overlaps(outage.started, outage.ended) for outage in outages)
    ]
    assert [describe(o) for o in outside if o.status == 503] == []


def check_applications(outcomes: list[Outcome], sessions: list) -> None:
    """Check that a success is stored and a 503 left all or nothing."""
    for outcome in outcomes:
        if outcome.call.kind != "apply":
            continue
        resident_id, session_id = outcome.call.target
        stored = Application.objects.filter(
            applicant_id=resident_id, session_id=session_id
        ).count()
        if outcome.status == 302:
            assert stored == 1, describe(outcome)
        else:
            assert stored in (0, 1), describe(outcome)
    # The counter of each session matches the places its applications hold.
    for session in sessions:
        session.refresh_from_db()
        holding = Application.objects.holding_places().filter(session=session)
        places = holding.aggregate(total=Sum("party_size"))["total"] or 0
        assert session.places_taken == places


def check_post_revisions(outcomes: list[Outcome], post) -> None:
    """Check that each saved title has its revision, in one unbroken chain."""
    changes = [
        revision.changes["title"]
        for revision in PostRevision.objects.filter(post=post).order_by("pk")
    ]
    saved = {
        o.call.target
        for o in outcomes
        if o.call.kind == "post_edit" and o.status == 302
    }
    assert saved <= {change["new"] for change in changes}
    for previous, change in itertools.pairwise(changes):
        assert change["old"] == previous["new"]
    post.refresh_from_db()
    assert post.title == changes[-1]["new"]


def check_admin_log(outcomes: list[Outcome], course) -> None:
    """Check that each saved title has its log entry, and the last one stays."""
    logged = list(
        LogEntry.objects.filter(object_id=str(course.pk))
        .order_by("pk")
        .values_list("object_repr", flat=True)
    )
    saved = {
        f"{o.call.target} (2026)"
        for o in outcomes
        if o.call.kind == "admin_edit" and o.status == 302
    }
    assert saved <= set(logged)
    course.refresh_from_db()
    assert str(course) == logged[-1]


def expected_mail_keys(post, staff) -> set[str]:
    """Return the keys of the mails owed for the post's stored applications."""
    keys = set()
    for application in Application.objects.filter(post=post):
        confirmed = application.status == Application.Status.CONFIRMED
        event = "confirmed" if confirmed else "received"
        keys.add(f"volunteering.application.{event}:{application.pk}")
        keys.add(f"volunteering.application.received.staff:{application.pk}:{staff.pk}")
    return keys


@pytest.mark.postgres
def test_requests_through_database_restart(
    postgres_cluster, redis_server, settings, tmp_path, group_staff, post
):
    # The test signs users in for gunicorn, so both sign with one key.
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    csrf_token = secrets.token_hex(16)
    redis_server.start()
    # The staff member's address is the post's contact: one staff mail each.
    post.contact_email = group_staff.email
    post.save(update_fields=["contact_email"])
    sessions = [VolunteerSessionFactory(post=post, capacity=10) for _ in range(3)]
    applicants: queue.Queue = queue.Queue()
    for number in range(APPLICANTS):
        resident = UserFactory()
        session = sessions[number % len(sessions)]
        cookies = session_cookies(resident, csrf_token)
        applicants.put((resident.pk, session.pk, cookies))
    course = TrainingCourse.objects.create(title="Course", fiscal_year=2026)
    admin = UserFactory(is_staff=True, is_superuser=True)
    post_fields = {
        **form_data(place=post.place, contact_email=group_staff.email),
        "csrfmiddlewaretoken": csrf_token,
    }
    clients = [
        page_calls(["/", reverse("volunteering:search")]),
        page_calls([reverse("volunteering:post_detail", args=[post.pk])]),
        applicant_calls(applicants, csrf_token),
        applicant_calls(applicants, csrf_token),
        post_edit_calls(
            reverse("volunteering:staff_post_edit", args=[post.pk]),
            post_fields,
            session_cookies(group_staff, csrf_token),
        ),
        admin_edit_calls(
            reverse("admin:facilitation_trainingcourse_change", args=[course.pk]),
            csrf_token,
            session_cookies(admin, csrf_token),
        ),
    ]

    port = free_port()
    server_log = tmp_path / "gunicorn.log"
    worker_log = tmp_path / "worker.log"
    worker = None
    outages: list[Outage] = []
    with SmtpSink() as sink:
        server = start_gunicorn(port, redis_server.url, settings.SECRET_KEY, server_log)
        try:
            with RequestStream(f"http://127.0.0.1:{port}", clients) as stream:
                wait_for_successes(stream, since=0)
                started = time.monotonic()
                postgres_cluster.restart()
                outages.append(Outage(started, time.monotonic()))
                wait_for_successes(stream, since=outages[-1].ended)

                # A restart while no request runs leaves every idle persistent
                # connection broken; the health check must replace each one.
                stream.pause()
                postgres_cluster.restart()
                stream.resume()
                wait_for_successes(stream, since=time.monotonic())

                started = time.monotonic()
                postgres_cluster.stop()
                time.sleep(DOWN_SECONDS)
                postgres_cluster.start()
                outages.append(Outage(started, time.monotonic()))
                # The worker starts only now: a mail task that meets an outage
                # is retried after up to 30 s (RETRY_OPTIONS in
                # civic_portal/tasks.py, tested in tests/volunteering), which
                # would only lengthen this test.
                worker = start_worker(redis_server.url, sink.port, worker_log)
                wait_for_successes(stream, since=outages[-1].ended)
            stop_process(server)
            # The restarts broke this process's connections too.
            connections.close_all()
            outcomes = stream.snapshot()
            print(summary(outcomes, outages))

            check_answers(outcomes, outages, server_log)
            check_applications(outcomes, sessions)
            check_post_revisions(outcomes, post)
            check_admin_log(outcomes, course)

            # The worker sends each stored application's mails once, and
            # none for the applications that were rolled back.
            expected_keys = expected_mail_keys(post, group_staff)
            sent = lambda: len(sink.deliveries) >= len(expected_keys)  # noqa: E731
            assert wait_for(sent), worker_log.read_text()
            # Time for a second copy of any mail to arrive.
            time.sleep(1)
        finally:
            stop_process(server)
            if worker is not None:
                stop_process(worker)
    assert len(sink.deliveries) == len(expected_keys)
    assert set(SentNotification.objects.values_list("key", flat=True)) == expected_keys
