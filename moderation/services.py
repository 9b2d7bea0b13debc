"""Writes about moderation: suspending, removing and reinstating tools; replies and answers.

Each decision locks the tool, checks that it is still the version the coordinator looked at
and that `catalogue.models.TRANSITIONS` allows the move, stores a `Notice`, writes its audit
event and tells the provider's members (inbox and email, through `notifications.inbox`), all
in one transaction. The tool's search text follows its state (discovery.search), so a
suspended tool leaves search and comparison at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from catalogue import updates
from catalogue.models import TRANSITIONS, Tool, ToolState
from core.links import absolute_url
from notifications.inbox import notify_many, register_message
from notifications.models import Kind
from providers.selectors import active_members

from . import signals
from .models import CaseMessage, Notice, NoticeAction, ReasonCode

# The state each decision leads to, and the audit event it writes.
DECISIONS = {
    NoticeAction.SUSPENDED: (ToolState.SUSPENDED, Action.TOOL_SUSPENDED),
    NoticeAction.REMOVED: (ToolState.REMOVED, Action.TOOL_REMOVED),
    NoticeAction.REINSTATED: (ToolState.PUBLISHED, Action.TOOL_REINSTATED),
}


class StaleDecision(Exception):
    """The tool changed, or was decided on, since the coordinator loaded it."""


class InvalidDecision(ValueError):
    """A decision that lacks what it needs (a summary, guidance) or uses a reason it cannot."""


def allowed_actions(tool: Tool) -> list[NoticeAction]:
    """The decisions a coordinator may take on the tool in its current state."""
    targets = TRANSITIONS.get(ToolState(tool.state), set())
    allowed = []
    for action, (target, _event) in DECISIONS.items():
        if target not in targets:
            continue
        # Publishing a suspended tool again is a reinstatement; publishing a submission is a review.
        if action == NoticeAction.REINSTATED and tool.state != ToolState.SUSPENDED:
            continue
        allowed.append(action)
    return allowed


# Inbox texts (translated when read); the emails use this app's templates.
register_message("moderation_tool_suspended", _("%(tool)s was suspended"))
register_message("moderation_tool_removed", _("%(tool)s was removed from the catalogue"))
register_message("moderation_tool_reinstated", _("%(tool)s was reinstated"))
register_message("moderation_provider_replied", _("The provider of %(tool)s replied to a decision"))
register_message("moderation_coordinator_answered", _("The coordinators answered on the case about %(tool)s"))


def members_of(tool: Tool):
    return active_members(tool.organisation_id)


def _notify(users, notice: Notice, template: str, link: str, context: dict, *, about_the_case: bool = False) -> None:
    """An inbox entry and an email for each user, queued in the caller's transaction.

    The decision itself is filed under its own kind (a safety notice unless it reinstates);
    a reply or an answer on the case is ordinary correspondence that users may mute by email.
    """
    notify_many(
        users,
        Kind.MODERATION_CASE if about_the_case else NoticeAction(notice.action).inbox_kind,
        message=f"moderation_{template}",
        params={"tool": notice.tool.name},
        link=link,
        email_template=f"moderation/email/{template}",
        email_context={"tool": notice.tool, "notice": notice, "url": absolute_url(link), **context},
    )


def _validate(action, reason_code, summary, officer_guidance, provider_guidance) -> None:
    if action not in DECISIONS:
        raise InvalidDecision("Unknown decision.")
    if reason_code not in ReasonCode.values or reason_code == ReasonCode.PROVIDER_WITHDREW:
        raise InvalidDecision("Unknown reason.")
    if reason_code == ReasonCode.CONCERNS_ADDRESSED and action != NoticeAction.REINSTATED:
        raise InvalidDecision("That reason is for reinstatements only.")
    if not summary.strip() or not officer_guidance.strip():
        raise InvalidDecision("A decision needs a summary and guidance for officers.")
    if action != NoticeAction.REINSTATED and not provider_guidance.strip():
        raise InvalidDecision("A suspension or removal needs guidance for the provider.")


def notice_language(language: str | None = None) -> str:
    """One of the hub's languages: `language`, else the active one, else the default."""
    known = {code for code, _name in settings.LANGUAGES}
    for code in (language, get_language()):
        code = (code or "").lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in known:
                return candidate
    return settings.LANGUAGE_CODE


@transaction.atomic
def decide(
    tool: Tool,
    *,
    action: NoticeAction | str,
    by: User,
    reason_code: str,
    summary: str,
    officer_guidance: str,
    provider_guidance: str = "",
    expected_version: int,
    language: str | None = None,
    request=None,
) -> Notice:
    """Apply one moderation decision; raises StaleDecision if the tool changed meanwhile."""
    summary, officer_guidance, provider_guidance = summary.strip(), officer_guidance.strip(), provider_guidance.strip()
    _validate(action, reason_code, summary, officer_guidance, provider_guidance)
    action = NoticeAction(action)
    target, event = DECISIONS[action]
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.version != expected_version or action not in allowed_actions(locked):
        raise StaleDecision
    now = timezone.now()
    before = {"state": locked.state, "version": locked.version}
    locked.state = target
    locked.version = F("version") + 1
    # Saved through the model so discovery.search drops (or restores) the tool's search text.
    locked.save(update_fields=["state", "version"])
    locked.refresh_from_db(fields=["state", "version"])
    notice = Notice.objects.create(
        tool=locked,
        action=action,
        reason_code=reason_code,
        summary=summary,
        officer_guidance=officer_guidance,
        provider_guidance=provider_guidance,
        # Coordinators write in the language they work in unless the caller says otherwise.
        language=notice_language(language),
        decided_by=by,
        decided_at=now,
    )
    record(
        event,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={
            "state": locked.state,
            "version": locked.version,
            "notice": str(notice.public_id),
            "reason_code": reason_code,
            "summary": summary,
        },
    )
    _notify(
        members_of(locked), notice, f"tool_{action}", reverse("moderation:provider_notice", args=[notice.public_id]), {}
    )
    signals.notice_decided.send(sender=Notice, notice=notice)
    if action == NoticeAction.REMOVED:
        updates.close_open_revisions(locked, by=by, request=request)
    tool.refresh_from_db()
    return notice


def _decision(action: NoticeAction, doc: str):
    """`decide` with its action fixed: the domain names callers use."""

    def apply(tool: Tool, **details) -> Notice:
        return decide(tool, action=action, **details)

    apply.__doc__ = doc
    return apply


suspend_tool = _decision(
    NoticeAction.SUSPENDED, "Take a published tool out of the catalogue until it is reinstated or removed."
)
remove_tool = _decision(NoticeAction.REMOVED, "Remove a published or suspended tool from the catalogue for good.")
reinstate_tool = _decision(NoticeAction.REINSTATED, "Publish a suspended tool again, with a notice saying so.")


# --- a provider's withdrawal -----------------------------------------------------------------
def announce_withdrawal(tool: Tool, *, by: User, reason: str = "", at=None) -> Notice:
    """The register's entry for a tool its provider withdrew (withdrawals.services moves the tool
    and writes the audit event, in the transaction this runs in). Followers and officers who
    declared use are told through `notice_decided`, as for a decision."""
    notice = Notice.objects.create(
        tool=tool,
        action=NoticeAction.WITHDRAWN,
        reason_code=ReasonCode.PROVIDER_WITHDREW,
        summary=reason.strip(),
        # The provider's reason is in the provider's language.
        language=tool.text_language,
        decided_by=by,
        decided_at=at or timezone.now(),
    )
    signals.notice_decided.send(sender=Notice, notice=notice)
    return notice


# --- the right of reply ----------------------------------------------------------------
@transaction.atomic
def reply(notice: Notice, *, by: User, text: str, request=None) -> CaseMessage:
    """A member of the tool's organisation replies to a decision; coordinators are told."""
    if not NoticeAction(notice.action).is_decision:
        raise InvalidDecision("A withdrawal is not a decision to reply to.")
    text = text.strip()
    if not text:
        raise InvalidDecision("A reply needs text.")
    message = CaseMessage.objects.create(notice=notice, role=CaseMessage.Role.PROVIDER, author=by, text=text)
    record(
        Action.NOTICE_REPLIED,
        actor=by,
        target=notice.tool,
        request=request,
        after={"notice": str(notice.public_id), "message": str(message.public_id)},
    )
    _notify(
        User.objects.active_coordinators(),
        notice,
        "provider_replied",
        reverse("moderation:case", args=[notice.public_id]),
        {},
        about_the_case=True,
    )
    return message


@transaction.atomic
def answer(notice: Notice, *, by: User, text: str, request=None) -> CaseMessage:
    """A coordinator answers on the case; the provider's members are told by email."""
    text = text.strip()
    if not text:
        raise InvalidDecision("An answer needs text.")
    message = CaseMessage.objects.create(notice=notice, role=CaseMessage.Role.COORDINATOR, author=by, text=text)
    record(
        Action.NOTICE_ANSWERED,
        actor=by,
        target=notice.tool,
        request=request,
        after={"notice": str(notice.public_id), "message": str(message.public_id)},
    )
    _notify(
        members_of(notice.tool),
        notice,
        "coordinator_answered",
        reverse("moderation:provider_notice", args=[notice.public_id]),
        {"text": text},
        about_the_case=True,
    )
    return message
