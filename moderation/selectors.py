"""Reads about moderation, each scoped to what its reader may see."""

from __future__ import annotations

from datetime import date

from catalogue.models import Tool, ToolState
from core.dates import within_days

from .models import CaseMessage, Notice, NoticeAction

# The tool states whose page shows the notice instead of the entry.
MODERATED_STATES = (ToolState.SUSPENDED, ToolState.REMOVED)
# ...and with a provider's withdrawal (the withdrawals app shows that page): every state whose
# latest notice tells officers why the tool is not in the catalogue.
NOTICE_STATES = (*MODERATED_STATES, ToolState.WITHDRAWN)


def register(
    *,
    action: str = "",
    since: date | None = None,
    until: date | None = None,
    tool_name: str = "",
    reason: str = "",
    tool_slug: str = "",
):
    """The officers' notices register: every decision and every withdrawal by a provider, newest
    first (the caller paginates).

    `tool_name` matches part of the tool's name, whatever its case; `tool_slug` one tool exactly."""
    notices = Notice.objects.select_related("tool").order_by("-decided_at", "-id")
    if action:
        notices = notices.filter(action=action)
    if tool_name.strip():
        notices = notices.filter(tool__name__icontains=tool_name.strip())
    if tool_slug:
        notices = notices.filter(tool__slug=tool_slug)
    if reason:
        notices = notices.filter(reason_code=reason)
    return notices.filter(within_days("decided_at", since, until))


def latest_notice(tool: Tool) -> Notice | None:
    return Notice.objects.filter(tool=tool).order_by("-decided_at", "-id").first()


def history(tool: Tool) -> list[Notice]:
    """Every decision about the tool, newest first."""
    return list(Notice.objects.filter(tool=tool).order_by("-decided_at", "-id"))


def for_organisation(organisation):
    """The coordinators' decisions about an organisation's tools, for its members (their own
    withdrawals are on their tools' pages: there is nothing to reply to)."""
    return (
        Notice.objects.filter(tool__organisation=organisation)
        .exclude(action=NoticeAction.WITHDRAWN)
        .select_related("tool")
        .order_by("-decided_at", "-id")
    )


def messages_of(notice: Notice) -> list[CaseMessage]:
    return list(CaseMessage.objects.filter(notice=notice).select_related("author").order_by("created_at", "id"))


def api_item(notice: Notice) -> dict:
    """A notice as the API shows it to officers: never the provider guidance."""
    return {
        "tool": notice.tool.slug,
        "tool_name": notice.tool.name,
        "action": notice.action,
        "date": notice.decided_at.isoformat(),
        "reason": notice.summary,
        "guidance": notice.officer_guidance,
    }
