"""Coordinators' decisions on submitted tools: publish, request changes, reject.

Each decision locks the tool, checks it is still the version the coordinator looked at and
that the move is allowed by `TRANSITIONS`, stores a `Review`, writes its audit event and
queues the emails to the organisation's members, all in one transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from notifications.inbox import register_message

from . import history, signals
from .decisions import CHECKLIST, StaleDecision, clean_checklist, notify_members
from .models import TRANSITIONS, Review, Tool, ToolState
from .updates import apply_revision

__all__ = ["CHECKLIST", "StaleDecision", "publish_tool", "request_changes", "reject_tool"]

register_message("tool_publish", _("%(tool)s is now published in the catalogue"))
register_message("tool_request_changes", _("Changes requested for %(tool)s"))
register_message("tool_reject", _("%(tool)s was not accepted into the catalogue"))


def _decide(
    tool: Tool,
    *,
    by: User,
    target: ToolState,
    decision: str,
    action: Action,
    expected_version: int,
    comment: str = "",
    checklist: dict | None = None,
    request=None,
) -> Tool:
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.version != expected_version:
        raise StaleDecision
    # Review decides submissions only; suspension and reinstatement go through moderation.
    if locked.state != ToolState.SUBMITTED or target not in TRANSITIONS.get(ToolState(locked.state), set()):
        raise StaleDecision
    now = timezone.now()
    before = {"state": locked.state, "version": locked.version}
    locked.state = target
    fields = ["state", "version"]
    if target == ToolState.PUBLISHED:
        locked.published_at = now
        locked.updated_at = now
        locked.last_confirmed_at = now
        fields += ["published_at", "updated_at", "last_confirmed_at"]
    locked.version = F("version") + 1
    locked.save(update_fields=fields)
    locked.refresh_from_db()
    if target == ToolState.PUBLISHED:
        history.record_version(locked, by=by, at=now)
        signals.tool_published.send(sender=Tool, tool=locked)
    checklist = clean_checklist(checklist)
    review = Review.objects.create(
        tool=locked, reviewer=by, decision=decision, comment=comment, checklist=checklist, created_at=now
    )
    record(
        action,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"state": locked.state, "version": locked.version, "comment": comment, "checklist": checklist},
    )
    notify_members(locked, f"tool_{decision}", {"comment": comment, "review": review}, detail=comment)
    tool.refresh_from_db()
    return locked


@transaction.atomic
def publish_tool(
    tool: Tool, *, by: User, expected_version: int, checklist: dict | None = None, comment: str = "", request=None
) -> Tool:
    """A coordinator publishes a submitted tool: officers can find it from now on.

    An update request (a revision of a published tool) is applied to that tool instead."""
    if tool.is_revision:
        return apply_revision(
            tool, by=by, expected_version=expected_version, checklist=checklist, comment=comment, request=request
        )
    return _decide(
        tool,
        by=by,
        target=ToolState.PUBLISHED,
        decision=Review.Decision.PUBLISH,
        action=Action.TOOL_PUBLISHED,
        expected_version=expected_version,
        comment=comment.strip(),
        checklist=checklist,
        request=request,
    )


@transaction.atomic
def request_changes(
    tool: Tool, *, by: User, comment: str, expected_version: int, checklist: dict | None = None, request=None
) -> Tool:
    """A coordinator sends a submission back to its provider with comments the provider sees."""
    if not comment.strip():
        raise ValueError("Requesting changes needs a comment.")
    return _decide(
        tool,
        by=by,
        target=ToolState.CHANGES_REQUESTED,
        decision=Review.Decision.REQUEST_CHANGES,
        action=Action.TOOL_CHANGES_REQUESTED,
        expected_version=expected_version,
        comment=comment.strip(),
        checklist=checklist,
        request=request,
    )


@transaction.atomic
def reject_tool(
    tool: Tool, *, by: User, reason: str, expected_version: int, checklist: dict | None = None, request=None
) -> Tool:
    """A coordinator rejects a submission with a reason sent to the provider."""
    if not reason.strip():
        raise ValueError("A rejection needs a reason.")
    return _decide(
        tool,
        by=by,
        target=ToolState.REJECTED,
        decision=Review.Decision.REJECT,
        action=Action.TOOL_REJECTED,
        expected_version=expected_version,
        comment=reason.strip(),
        checklist=checklist,
        request=request,
    )
