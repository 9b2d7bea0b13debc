"""Who may see, follow and review tools, and save catalogue searches."""

from accounts.rules import is_coordinator, is_officer, is_verified_officer, use_hub
from core import policy
from providers.rules import is_org_member

policy.register("tools.review", lambda user, obj=None: is_coordinator(user))
policy.register("catalogue.exposure_report", lambda user, obj=None: is_coordinator(user))
# Exposure (who was shown which tool where) is counted for officers' searches only.
policy.register("catalogue.count_exposure", lambda user, obj=None: is_officer(user))


@policy.rule("tool.view")
def view_tool(user, tool) -> bool:
    """A tool's page: officers and coordinators; only coordinators see unpublished tools."""
    return use_hub(user) and (tool.is_published or is_coordinator(user))


@policy.rule("tool.view_files")
def _view_tool_files(user, tool) -> bool:
    """A tool's attachments and logo: whoever sees the tool, and its own organisation's members."""
    return view_tool(user, tool) or is_org_member(user, tool.organisation)


@policy.rule("tool.follow")
def _follow_tool(user, tool=None) -> bool:
    """Following tools (and unfollowing): verified officers; only published tools can be followed."""
    return is_verified_officer(user) and (tool is None or tool.is_published)


@policy.rule("catalogue.save_search")
def _save_search(user, obj=None) -> bool:
    """Saved catalogue searches: verified officers, each for their own searches."""
    return is_verified_officer(user) and (obj is None or obj.user_id == user.pk)
