"""The database connection lost mid-request: a 503 page, and nothing half-written."""

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from volunteering.models import Application

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
