"""What withdrawals adds to the catalogue's tool pages (registered in WithdrawalsConfig.ready())."""

from django.template.loader import render_to_string

from catalogue import tool_panels
from catalogue.models import ToolState
from core import policy
from moderation import selectors as moderation_selectors
from moderation.models import NoticeAction

from . import views


def provider_panel(request, tool) -> str | None:
    """On the provider's page of its own tool: withdraw a published tool (admins), or what a
    withdrawn tool's state means and how it comes back (through review)."""
    if tool.is_revision:
        return None
    if tool.state == ToolState.PUBLISHED:
        if not policy.can(request.user, "tool.withdraw", tool):
            return None
        return render_to_string("withdrawals/_provider_tool_panel.html", {"tool": tool}, request=request)
    if tool.state == ToolState.WITHDRAWN:
        latest = moderation_selectors.latest_notice(tool)
        withdrawal = latest if latest is not None and latest.action == NoticeAction.WITHDRAWN else None
        return render_to_string(
            "withdrawals/_provider_tool_panel.html", {"tool": tool, "withdrawal": withdrawal}, request=request
        )
    return None


def register() -> None:
    tool_panels.replace_page([ToolState.WITHDRAWN], views.tool_withdrawn)
    # After moderation's notice of a suspension (10): the two never show together.
    tool_panels.add_panel(tool_panels.PROVIDERS, order=20, render=provider_panel)
