"""What every coordinator decision on a tool shares: the review checklist, the stale-decision
check's exception and the message to the organisation's members. Both first reviews
(`review`) and update reviews (`updates`) use it, so neither imports the other's module for it."""

from __future__ import annotations

from django.urls import reverse

from notifications.inbox import notify_many
from notifications.models import Kind
from providers.selectors import active_members

from .models import Tool

# What a coordinator confirms before publishing; the review form has one box per item.
CHECKLIST = ("no_advertising", "answers_plausible", "attachments_genuine", "human_rights_screened")


class StaleDecision(Exception):
    """The tool changed, or was decided, since the coordinator loaded it."""


def notify_members(tool: Tool, template: str, context: dict, *, detail: str = "") -> None:
    """Each active member of the organisation gets an inbox entry and (per their settings) an email."""
    members = active_members(tool.organisation_id)
    params = {"tool": tool.name}
    if detail:
        params["detail"] = detail
    notify_many(
        members,
        Kind.TOOL_REVIEW,
        message=template,
        params=params,
        link=reverse("catalogue:provider_tool", kwargs={"slug": tool.slug}),
        email_template=f"catalogue/review/email/{template}",
        email_context={"tool": tool, **context},
    )


def clean_checklist(checklist: dict | None) -> dict:
    checklist = checklist or {}
    return {item: bool(checklist.get(item)) for item in CHECKLIST}
