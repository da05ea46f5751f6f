import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections
from kombu import pools

from civic_portal.celery import app as celery_app
from tests.browser.conftest import REFERENCE_LOADERS
from tests.faults.postgres_cluster import ENVIRONMENT_VARIABLES, PostgresCluster
from tests.faults.redis_server import REDIS_SERVER, RedisServer, free_port


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Put back the reference data that the transactional tests flush."""
    for module, function in REFERENCE_LOADERS:
        getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture
def redis_server(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port(), str(tmp_path))
    yield server
    server.stop()


def _drop_connections() -> None:
    # The app and kombu's global registry keep a pool per broker; a new
    # broker URL needs new pools, and later tests must not get closed ones.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_broker(redis_server, settings):
    """Send tasks to *redis_server* instead of running them eagerly.

    The cache points at the same server, so stopping it takes both away,
    as a Redis outage does.
    """
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    _drop_connections()
    celery_app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    settings.CACHES = {
        "default": {
            "BACKEND": "civic_portal.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield redis_server
    _drop_connections()
    celery_app.conf.update(saved)


@pytest.fixture
def postgres_cluster(transactional_db):
    """The PostgreSQL cluster of the test database, to stop and start.

    Whatever the test does, the cluster runs again afterwards, and this
    process's connections, which the restart broke, are closed.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    cluster = PostgresCluster.from_environment()
    if cluster is None:
        pytest.skip(
            f"set {', '.join(ENVIRONMENT_VARIABLES)} to the cluster of "
            "DATABASE_URL, as .ci/run does, to restart PostgreSQL"
        )
    try:
        yield cluster
    finally:
        if not cluster.is_running():
            cluster.start()
        connections.close_all()
