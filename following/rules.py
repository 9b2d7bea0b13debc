"""Who may follow tools and save catalogue searches."""

from accounts.rules import is_verified_officer
from core import policy


@policy.rule("tool.follow")
def _follow_tool(user, tool=None) -> bool:
    """Following tools (and unfollowing): verified officers; only published tools can be followed."""
    return is_verified_officer(user) and (tool is None or tool.is_published)


@policy.rule("catalogue.save_search")
def _save_search(user, obj=None) -> bool:
    """Saved catalogue searches: verified officers, each for their own searches."""
    return is_verified_officer(user) and (obj is None or obj.user_id == user.pk)
