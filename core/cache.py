"""The cache is a cache (SECURITY.md REL-03): when Redis cannot be reached, reads miss, writes are
dropped and the database answers instead, at some cost in speed but never with a 500.

What must not run without the shared records (the used TOTP codes, failed sign-ins and the
sign-in rate limits) asks `shared_records_available()` and refuses with a clear message
(`core.middleware.CacheOutageMiddleware`); the community's rate limits refuse by themselves,
since `incr` fails. `/health/` reports the outage.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("saferhub.cache")

# How long a failed ping keeps the cache counted as down, so a dead Redis costs one ping per
# process every few seconds, not one per request.
PROBE_INTERVAL_SECONDS = 5.0


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` (with its table of some 200 reply handlers) for
    every command, a tenth of a millisecond each, five or more times a page. One client per
    connection pool serves every thread: commands take their own connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now >= getattr(self, "_down_until", 0.0):  # once per interval, not once per call
            logger.warning("cache unavailable (%s: %s); reading from the database", operation, exc.__class__.__name__)
        self._down_until = now + PROBE_INTERVAL_SECONDS

    def _call(self, operation: str, default, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._failed(operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not added: whoever relies on add() to claim something (a used code, a job lock) is refused.
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as exc:
            self._failed("incr", exc)
            # As for a missing key: counters (rate limits) cannot count, so they refuse.
            raise ValueError("The cache is unavailable.") from exc

    def is_reachable(self) -> bool:
        if time.monotonic() < getattr(self, "_down_until", 0.0):
            return False
        try:
            self._cache.get_client(write=False).ping()
        except (RedisError, OSError) as exc:
            self._failed("ping", exc)
            return False
        return True


def shared_records_available() -> bool:
    """Whether the shared cache answers (always, for a single process's memory cache)."""
    probe = getattr(caches["default"], "is_reachable", None)
    return probe() if probe is not None else True
