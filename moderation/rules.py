"""Who may decide on notices, read cases and notices about their own tools."""

from accounts.rules import is_coordinator
from core import policy
from providers.rules import is_org_member, is_provider

policy.register("moderation.decide", lambda user, obj=None: is_coordinator(user))
policy.register("moderation.view_case", lambda user, obj=None: is_coordinator(user))
policy.register("moderation.provider_notices", lambda user, obj=None: is_provider(user))


@policy.rule("moderation.provider_notice")
def _own_tool_notice(user, tool) -> bool:
    """Notices about a tool, with the provider guidance and the right of reply: its organisation's members."""
    return is_org_member(user, tool.organisation)
