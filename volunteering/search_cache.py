"""Versioned cache of the public search results, for the page and the API list.

An entry is keyed by the query string, the language and a version number.
Every saved or deleted post, session, application, photo, group,
municipality or activity field increases the version, right away and again
when the transaction commits, so the next request renders afresh. A reader
that rendered data from before the commit stored it under the older
version, which later requests no longer read. Writes that skip Django's
signals (queryset.update, bulk_create, bulk_update) must call
bump_version themselves. Time passing changes results too, because
sessions start. So entries expire after SEARCH_CACHE_SECONDS, and the
periodic next-session refresh bumps the version when it changes a post.

Only data that every visitor sees is cached: the search page's content
block (filter form and results) and the API list's response data. The
layout around it, with the user's menu and CSRF token, is rendered for
every request. SEARCH_CACHE_SECONDS = 0 turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict

VERSION_KEY = "volunteering:search:version"
KEY_PREFIX = "volunteering:search"


def is_enabled() -> bool:
    return settings.SEARCH_CACHE_SECONDS > 0


def current_version() -> int:
    """Return the version, starting one from the clock when the key is missing."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Starting from nanoseconds since the epoch never reuses a version
        # that was in use before the key was evicted or flushed.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version or 0)


def _increment_version() -> None:
    # A missing key raises ValueError; the next current_version() starts anew.
    with contextlib.suppress(ValueError):
        cache.incr(VERSION_KEY)


def bump_version() -> None:
    """Make every cached search result stale, now and when the transaction commits."""
    if not is_enabled():
        return
    _increment_version()
    transaction.on_commit(_increment_version)


def make_key(kind: str, query: QueryDict, language: str, *extra: str) -> str:
    """Return the cache key of one search; the parameters' order does not matter."""
    items = sorted((name, value) for name in query for value in query.getlist(name))
    raw = repr((kind, language, items, extra))
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"{KEY_PREFIX}:{current_version()}:{digest}"


def cached(key: str) -> Any:
    """Return the value stored under *key*, or None on a miss or with the cache off."""
    return cache.get(key) if is_enabled() else None


def store(key: str, value: Any) -> None:
    if is_enabled():
        cache.set(key, value, timeout=settings.SEARCH_CACHE_SECONDS)


def _bump_on_change(sender: type, **kwargs: Any) -> None:
    bump_version()


def connect_signals() -> None:
    """Bump the version whenever a row that search results show is saved or deleted."""
    from groups.models import ActivityField, CivicGroup, Municipality
    from volunteering.models import (
        Application,
        PostPhoto,
        VolunteerPost,
        VolunteerSession,
    )

    models = (
        VolunteerPost,
        VolunteerSession,
        Application,
        PostPhoto,
        CivicGroup,
        Municipality,
        ActivityField,
    )
    for model in models:
        uid = f"search-cache-{model._meta.label_lower}"
        post_save.connect(_bump_on_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_bump_on_change, sender=model, dispatch_uid=uid + "-delete")
