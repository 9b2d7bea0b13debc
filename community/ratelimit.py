"""Rate limits of the community features, counted in the shared cache (Redis in production);
`count` serves the officers' other per-day limits too (enquiries to providers).

A fixed window per officer and action: the count lives under a key naming the window, so
every app server counts the same hits. If the cache cannot be reached the limit fails closed
(SECURITY.md REL-03): the action is refused as if the limit were reached.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

HOUR = 3600
DAY = 24 * HOUR

# action -> (name of the setting holding the limit, window in seconds)
LIMITS = {
    "contact": ("COMMUNITY_CONTACT_REQUESTS_PER_DAY", DAY),
    "message": ("COMMUNITY_MESSAGES_PER_HOUR", HOUR),
    "directory": ("COMMUNITY_DIRECTORY_PAGES_PER_HOUR", HOUR),
}


class RateLimited(Exception):
    """Too many of one action in the current window."""

    def __init__(self, action: str, retry_after: int):
        super().__init__(action)
        self.action = action
        self.retry_after = retry_after


def hit(action: str, user) -> None:
    """Count one `action` by `user`; raise RateLimited when it is one too many."""
    setting, window = LIMITS[action]
    count(action, user, limit=getattr(settings, setting), window=window)


def count(action: str, user, *, limit: int, window: int) -> None:
    """Count one `action` by `user` in the current fixed window of `window` seconds; raise
    RateLimited past `limit`. Apps above the community count their own limits with it (enquiries:
    requests to providers per officer per day), so every limit fails closed the same way."""
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


# What an officer is told when a limit refuses them (the pages keep what they typed).
REFUSALS = {
    "directory": _(
        "You have looked at many directory pages in a short time. To protect the officers listed, "
        "please wait a while before searching again."
    ),
    "contact": _(
        "You have sent many contact requests today. Please wait until tomorrow before asking more officers "
        "to connect. Your note is kept below."
    ),
    "message": _(
        "You have sent many messages in a short time. Please wait a while before sending more. "
        "Your message is kept below."
    ),
}


def refusal(action: str) -> str:
    return str(REFUSALS[action])
