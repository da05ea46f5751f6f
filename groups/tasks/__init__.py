"""Celery tasks of the group registry, one module per area."""

from . import consultations, directory, events, registration, reports  # noqa: F401
