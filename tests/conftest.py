from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import translation

from civic_portal.audit.triggers import create_triggers, drop_triggers
from tests.factories import (
    CivicGroupFactory,
    GroupMembershipFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` when the suite runs on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _flush_access_log():
    """Let the flush after a transactional test empty the access log on SQLite.

    SQLite flushes with DELETE, which the access log's append-only trigger
    rejects, so the trigger is dropped for the flush and created again.
    PostgreSQL flushes with TRUNCATE, which row triggers do not see.
    """
    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    original = operations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        drop_triggers(self.connection)
        try:
            original(self, sql_list)
        finally:
            create_triggers(self.connection)

    with mock.patch.object(operations, "execute_sql_flush", execute_sql_flush):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    """Run tests in English so that they can compare English messages.

    Japanese stays the portal's default; tests about it ask for it with
    `translation.override("ja")` or the `japanese_client` fixture.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """Return a test client whose browser requests English pages."""
    test_client = Client()
    test_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return test_client


@pytest.fixture
def japanese_client() -> Client:
    """A test client with no language preference: it gets the default."""
    return Client()


@pytest.fixture
def resident(db):
    return UserFactory(email="resident@example.jp")


@pytest.fixture
def other_resident(db):
    return UserFactory(email="other@example.jp")


@pytest.fixture
def group(db):
    return CivicGroupFactory()


@pytest.fixture
def group_staff(group):
    return GroupMembershipFactory(group=group, user__email="staff@example.jp").user


@pytest.fixture
def other_group_staff(db):
    return GroupMembershipFactory(user__email="outsider@example.jp").user


@pytest.fixture
def post(group):
    return VolunteerPostFactory(group=group)


@pytest.fixture
def session(post):
    return VolunteerSessionFactory(post=post, capacity=5)
