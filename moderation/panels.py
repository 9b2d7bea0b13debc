"""What moderation adds to the catalogue's tool pages (registered in ModerationConfig.ready())."""

from django.template.loader import render_to_string

from catalogue import tool_panels
from core import policy

from . import selectors, views
from .selectors import MODERATED_STATES


def officer_actions(request, tool) -> str | None:
    """Under a published entry, for coordinators: suspend or remove the tool."""
    if not (tool.is_published and policy.can(request.user, "moderation.decide")):
        return None
    return render_to_string("moderation/_tool_actions.html", {"tool": tool}, request=request)


def provider_notice(request, tool) -> str | None:
    """On the provider's page of a suspended or removed tool: the decision and its guidance."""
    if tool.state not in MODERATED_STATES:
        return None
    notice = selectors.latest_notice(tool)
    if notice is None:
        return None
    return render_to_string("moderation/_provider_tool_notice.html", {"tool": tool, "notice": notice}, request=request)


def register() -> None:
    tool_panels.replace_page(MODERATED_STATES, views.tool_notice)
    tool_panels.add_panel(tool_panels.OFFICERS, order=90, render=officer_actions)
    tool_panels.add_panel(tool_panels.PROVIDERS, order=10, render=provider_notice)
