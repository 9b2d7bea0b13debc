"""Rate limits of the community features (core.ratelimit counts them in the shared cache and
fails closed when it is down), and what an officer is told when one refuses them."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.ratelimit import DAY, HOUR, RateLimited, count

__all__ = ["DAY", "HOUR", "LIMITS", "RateLimited", "count", "hit", "refusal"]

# action -> (name of the setting holding the limit, window in seconds)
LIMITS = {
    "contact": ("COMMUNITY_CONTACT_REQUESTS_PER_DAY", DAY),
    "message": ("COMMUNITY_MESSAGES_PER_HOUR", HOUR),
    "directory": ("COMMUNITY_DIRECTORY_PAGES_PER_HOUR", HOUR),
}


def hit(action: str, user) -> None:
    """Count one `action` by `user`; raise RateLimited when it is one too many."""
    setting, window = LIMITS[action]
    count(action, user, limit=getattr(settings, setting), window=window)


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
