"""A Redis cache that reports a cache miss while Redis is unreachable.

The cache only speeds pages up, so when Redis is down every read is a
miss, every write is dropped, and counters start again from zero: pages
still serve, more slowly, and rate limits fail open until Redis is back.
The outage is logged at most once a minute per process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_INTERVAL_SECONDS = 60
_last_logged = 0.0

T = TypeVar("T")


def _guarded(call: Callable[[], T], fallback: T) -> T:
    global _last_logged
    try:
        return call()
    except (RedisError, ConnectionError, TimeoutError) as error:
        now = time.monotonic()
        if now - _last_logged >= LOG_INTERVAL_SECONDS:
            _last_logged = now
            logger.warning("Cache unreachable (%s); serving without it", error)
        return fallback


class ResilientRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        read = super().get
        return _guarded(lambda: read(key, default, version), default)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict:
        read = super().get_many
        return _guarded(lambda: read(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        read = super().has_key
        return _guarded(lambda: read(key, version), False)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        write = super().set
        _guarded(lambda: write(key, value, timeout, version), None)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        write = super().add
        return _guarded(lambda: write(key, value, timeout, version), False)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        write = super().set_many
        return _guarded(lambda: write(data, timeout, version), list(data))

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        write = super().touch
        return _guarded(lambda: write(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        write = super().delete
        return _guarded(lambda: write(key, version), False)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        write = super().delete_many
        _guarded(lambda: write(keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        write = super().incr
        return _guarded(lambda: write(key, delta, version), delta)

    def clear(self) -> None:
        _guarded(super().clear, None)
