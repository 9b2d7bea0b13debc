"""Who may see and review tools (following and saved searches: following/rules.py; the exposure
report: discovery/rules.py)."""

from accounts.rules import is_coordinator, use_hub
from core import policy
from providers.rules import is_org_member

policy.register("tools.review", lambda user, obj=None: is_coordinator(user))


@policy.rule("tool.view")
def view_tool(user, tool) -> bool:
    """A tool's page: officers and coordinators; only coordinators see unpublished tools."""
    return use_hub(user) and (tool.is_published or is_coordinator(user))


@policy.rule("tool.view_files")
def _view_tool_files(user, tool) -> bool:
    """A tool's attachments and logo: whoever sees the tool, and its own organisation's members."""
    return view_tool(user, tool) or is_org_member(user, tool.organisation)
