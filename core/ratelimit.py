"""Per-user rate limits counted in the shared cache (Redis in production).

A fixed window per user and action: the count lives under a key naming the window, so every app
server counts the same hits. If the cache cannot be reached the limit fails closed (SECURITY.md
REL-03): the action is refused as if the limit were reached. Each app names its own actions and
limits (community, enquiries, the contact point) and says what the user is told.
"""

from __future__ import annotations

import time

from django.core.cache import cache

HOUR = 3600
DAY = 24 * HOUR


class RateLimited(Exception):
    """Too many of one action in the current window."""

    def __init__(self, action: str, retry_after: int):
        super().__init__(action)
        self.action = action
        self.retry_after = retry_after


def count(action: str, user, *, limit: int, window: int) -> None:
    """Count one `action` by `user` in the current fixed window of `window` seconds; raise
    RateLimited past `limit`."""
    now = time.time()
    window_index = int(now // window)
    retry_after = max(1, int((window_index + 1) * window - now))
    key = f"community:rate:{action}:{user.pk}:{window_index}"
    try:
        cache.add(key, 0, timeout=window + 60)
        hits = cache.incr(key)
    except Exception as exc:  # noqa: BLE001 - a cache outage must refuse, not let everything through
        raise RateLimited(action, retry_after) from exc
    if hits > limit:
        raise RateLimited(action, retry_after)
