"""Writes of Meet other officers, each in one transaction with its audit event.

Audit events name connections, messages and reports by their public ids only: never a
message's text, a request's note or an officer's name (the audit log leaves the officers'
side of the hub). Emails and inbox entries say only that something arrived ("you have a new
message"), never what or from whom: an email can be read over a shoulder, or forwarded.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core import policy
from notifications.inbox import notify, notify_many, register_message
from notifications.models import Kind, Notification

from . import ratelimit
from .models import (
    DISPLAY_NAME_MAX,
    MESSAGE_MAX,
    NOTE_MAX,
    Block,
    CommunitySuspension,
    Connection,
    DirectoryProfile,
    DirectoryTag,
    Message,
    MessageReport,
)

register_message("community_contact_request", _("You have a new contact request"))
register_message("community_contact_accepted", _("A contact request of yours was accepted"))
register_message("community_new_message", _("You have a new message"))
register_message("community_message_reported", _("A private message was reported to the coordinators"))
register_message("community_warned", _("The coordinators warned you about a message you sent"))
register_message("community_suspended", _("The coordinators suspended your access to the community features"))

SHOWN_FIELDS = ("show_agency", "show_unit", "show_country", "show_languages", "show_expertise", "show_tools")


class NotAllowed(Exception):
    """The action is not possible between these officers now."""


class NeedsDisplayName(NotAllowed):
    """An officer needs a display name before asking anyone to connect."""


class AlreadyConnected(NotAllowed):
    """A request or connection between the two officers already exists."""

    def __init__(self, connection: Connection):
        super().__init__("already connected")
        self.connection = connection


class StaleDecision(Exception):
    """The report was decided by another coordinator meanwhile."""


# --- the directory listing --------------------------------------------------------------------
def _listing_snapshot(profile: DirectoryProfile | None) -> dict:
    if profile is None:
        return {"listed": False}
    snapshot = {"listed": profile.listed, **{name: getattr(profile, name) for name in SHOWN_FIELDS}}
    snapshot["languages"] = sorted(t.value for t in profile.tags.all() if t.kind == DirectoryTag.Kind.LANGUAGE)
    snapshot["expertise"] = sorted(t.value for t in profile.tags.all() if t.kind == DirectoryTag.Kind.EXPERTISE)
    snapshot["tools"] = sorted(str(pk) for pk in profile.tools.values_list("slug", flat=True))
    return snapshot


def _set_tags(profile: DirectoryProfile, kind: str, values) -> None:
    wanted = set(values)
    profile.tags.filter(kind=kind).exclude(value__in=wanted).delete()
    existing = set(profile.tags.filter(kind=kind).values_list("value", flat=True))
    DirectoryTag.objects.bulk_create(
        [DirectoryTag(profile=profile, kind=kind, value=value) for value in sorted(wanted - existing)]
    )


@transaction.atomic
def save_listing(
    user: User,
    *,
    listed: bool,
    display_name: str,
    shown: dict[str, bool],
    languages=(),
    expertise=(),
    tools=(),
    request=None,
) -> DirectoryProfile:
    """An officer chooses whether they are listed, under which name, and which fields show."""
    policy.require(user, "community.participate")
    display_name = " ".join(display_name.split())[:DISPLAY_NAME_MAX]
    if listed and not display_name:
        raise ValueError("A listed officer needs a display name.")
    profile, _created = DirectoryProfile.objects.select_for_update().get_or_create(user=user)
    before = _listing_snapshot(profile)
    profile.listed = listed
    profile.display_name = display_name
    for name in SHOWN_FIELDS:
        setattr(profile, name, bool(shown.get(name)))
    profile.updated_at = timezone.now()
    profile.save()
    _set_tags(profile, DirectoryTag.Kind.LANGUAGE, languages)
    _set_tags(profile, DirectoryTag.Kind.EXPERTISE, expertise)
    profile.tools.set(list(tools))
    after = _listing_snapshot(profile)
    record(
        Action.COMMUNITY_LISTING_CHANGED,
        actor=user,
        target=profile,
        request=request,
        before=before,
        after={**after, "display_name_changed": before.get("display_name") != display_name},
    )
    return profile


# --- contact requests ------------------------------------------------------------------------
def is_blocked(blocker: User, blocked: User) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def contacts_link() -> str:
    return reverse("community:contacts")


def conversation_link(connection: Connection) -> str:
    return reverse("community:conversation", args=[connection.public_id])


@transaction.atomic
def request_contact(
    requester: User, recipient: User, *, note: str, recipient_alias: str = "", request=None
) -> Connection:
    """`requester` asks `recipient` to connect, with a short note; the recipient decides.

    The discussions app calls this too ("contact the author of a field report"). If the
    recipient had asked the requester first, that request is accepted instead. A request to an
    officer who blocked the requester is kept as declined without telling anyone: to the
    requester it reads "pending", like any request not (yet) answered.
    """
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise ValueError(f"The note must be 1 to {NOTE_MAX} characters.")
    if requester.pk == recipient.pk:
        raise NotAllowed("An officer cannot connect with themself.")
    if not policy.can(requester, "community.participate") or not policy.can(recipient, "community.participate"):
        raise NotAllowed("Both officers must take part in the community.")
    own = DirectoryProfile.objects.filter(user=requester).exclude(display_name="").exists()
    if not own:
        raise NeedsDisplayName("Choose a display name first.")
    if is_blocked(requester, recipient):
        raise NotAllowed("Unblock this officer first.")
    existing = (
        Connection.objects.select_for_update()
        .filter(pair=Connection.pair_of(requester, recipient), state__in=Connection.LIVE_STATES)
        .first()
    )
    if existing is not None:
        if existing.recipient_id == requester.pk and existing.state != Connection.State.ACCEPTED:
            return _accept(existing, by=requester, request=request)
        raise AlreadyConnected(existing)
    ratelimit.hit("contact", requester)
    silently_declined = is_blocked(recipient, requester)
    now = timezone.now()
    try:
        with transaction.atomic():
            connection = Connection.objects.create(
                requester=requester,
                recipient=recipient,
                note=note,
                recipient_alias=recipient_alias[:120],
                state=Connection.State.DECLINED if silently_declined else Connection.State.PENDING,
                created_at=now,
                decided_at=now if silently_declined else None,
            )
    except IntegrityError as exc:  # the other officer asked at the same moment
        raise AlreadyConnected(connection_between_locked(requester, recipient)) from exc
    record(
        Action.CONTACT_REQUESTED,
        actor=requester,
        target=connection,
        request=request,
        after={"state": connection.state, "recipient": str(recipient.public_id)},
    )
    if not silently_declined:
        notify(
            recipient,
            Kind.COMMUNITY_CONTACT,
            message="community_contact_request",
            link=contacts_link(),
            email_template="community/email/contact_request",
        )
    return connection


def connection_between_locked(first: User, second: User) -> Connection:
    return Connection.objects.get(pair=Connection.pair_of(first, second), state__in=Connection.LIVE_STATES)


def _accept(connection: Connection, *, by: User, request=None) -> Connection:
    before = {"state": connection.state}
    connection.state = Connection.State.ACCEPTED
    connection.decided_at = timezone.now()
    connection.save(update_fields=["state", "decided_at"])
    record(
        Action.CONTACT_ACCEPTED,
        actor=by,
        target=connection,
        request=request,
        before=before,
        after={"state": connection.state},
    )
    notify(
        connection.requester,
        Kind.COMMUNITY_CONTACT,
        message="community_contact_accepted",
        link=conversation_link(connection),
        email_template="community/email/contact_accepted",
    )
    return connection


@transaction.atomic
def respond(connection: Connection, *, by: User, accept: bool, request=None) -> Connection:
    """The recipient accepts or declines a pending request. A decline is never announced."""
    locked = (
        Connection.objects.select_for_update(of=("self",))
        .select_related("requester", "recipient")
        .get(pk=connection.pk)
    )
    if locked.recipient_id != by.pk or locked.state != Connection.State.PENDING:
        raise NotAllowed("This request is not waiting for your answer.")
    if not policy.can(by, "community.participate"):
        raise NotAllowed("You cannot take part in the community now.")
    if accept:
        return _accept(locked, by=by, request=request)
    locked.state = Connection.State.DECLINED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decided_at"])
    record(
        Action.CONTACT_DECLINED,
        actor=by,
        target=locked,
        request=request,
        before={"state": Connection.State.PENDING},
        after={"state": locked.state},
    )
    return locked


# --- messages ---------------------------------------------------------------------------------
def can_message(connection: Connection, user: User) -> bool:
    return (
        connection.state == Connection.State.ACCEPTED
        and connection.involves(user)
        and policy.can(user, "community.participate")
    )


@transaction.atomic
def send_message(connection: Connection, *, sender: User, body: str, request=None) -> Message:
    """A message in an accepted connection; the other officer is told only that one arrived."""
    body = body.strip()
    if not body or len(body) > MESSAGE_MAX:
        raise ValueError(f"A message must be 1 to {MESSAGE_MAX} characters.")
    locked = (
        Connection.objects.select_for_update(of=("self",))
        .select_related("requester", "recipient")
        .get(pk=connection.pk)
    )
    if not can_message(locked, sender):
        raise NotAllowed("Messages can be sent only in an open connection.")
    ratelimit.hit("message", sender)
    now = timezone.now()
    message = Message.objects.create(connection=locked, sender=sender, body=body, created_at=now)
    locked.last_message_at = now
    locked.save(update_fields=["last_message_at"])
    # Ids and length only: the text stays between the two officers.
    record(
        Action.COMMUNITY_MESSAGE_SENT,
        actor=sender,
        target=message,
        request=request,
        after={"connection": str(locked.public_id), "length": len(body)},
    )
    recipient = locked.other(sender)
    link = conversation_link(locked)
    # One unread "new message" per conversation is enough: the inbox does not fill up with them.
    already_told = Notification.objects.filter(
        user=recipient, message_key="community_new_message", link=link, read_at__isnull=True
    ).exists()
    if not already_told:
        notify(
            recipient,
            Kind.COMMUNITY_MESSAGE,
            message="community_new_message",
            link=link,
            email_template="community/email/new_message",
        )
    return message


@transaction.atomic
def set_email_shared(connection: Connection, *, user: User, shared: bool, request=None) -> Connection:
    """An officer shows (or stops showing) their email address to the other officer of a connection."""
    locked = Connection.objects.select_for_update().get(pk=connection.pk)
    if not can_message(locked, user):
        raise NotAllowed("Only an open connection can share email addresses.")
    field_name = "requester_shares_email" if user.pk == locked.requester_id else "recipient_shares_email"
    if getattr(locked, field_name) == shared:
        return locked
    setattr(locked, field_name, shared)
    locked.save(update_fields=[field_name])
    record(
        Action.COMMUNITY_EMAIL_SHARED if shared else Action.COMMUNITY_EMAIL_UNSHARED,
        actor=user,
        target=locked,
        request=request,
        before={"shares_email": not shared},
        after={"shares_email": shared},
    )
    return locked


# --- blocking ---------------------------------------------------------------------------------
@transaction.atomic
def block(user: User, other: User, *, request=None) -> Block:
    """`user` blocks `other`: their live connection closes and nothing more passes between them.
    The blocked officer is not told; to them the conversation reads closed."""
    if user.pk == other.pk:
        raise NotAllowed("An officer cannot block themself.")
    blocked, created = Block.objects.get_or_create(blocker=user, blocked=other)
    now = timezone.now()
    closed = list(
        Connection.objects.filter(pair=Connection.pair_of(user, other), state__in=Connection.LIVE_STATES).values_list(
            "public_id", flat=True
        )
    )
    Connection.objects.filter(pair=Connection.pair_of(user, other), state__in=Connection.LIVE_STATES).update(
        state=Connection.State.CLOSED, closed_at=now, requester_shares_email=False, recipient_shares_email=False
    )
    if created or closed:
        record(
            Action.COMMUNITY_BLOCKED,
            actor=user,
            target=blocked,
            request=request,
            after={"blocked": str(other.public_id), "closed_connections": [str(pk) for pk in closed]},
        )
    return blocked


@transaction.atomic
def unblock(block_row: Block, *, by: User, request=None) -> None:
    if block_row.blocker_id != by.pk:
        raise NotAllowed("Only the officer who blocked can unblock.")
    record(
        Action.COMMUNITY_UNBLOCKED,
        actor=by,
        target=block_row,
        request=request,
        before={"blocked": str(block_row.blocked.public_id)},
    )
    block_row.delete()


# --- reports and moderation -------------------------------------------------------------------
@transaction.atomic
def report_message(message: Message, *, by: User, reason: str, request=None) -> MessageReport:
    """The recipient of a message reports it; coordinators will see that message only."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A report needs a reason.")
    connection = message.connection
    if message.sender_id == by.pk or not connection.involves(by):
        raise NotAllowed("Only the recipient of a message can report it.")
    report, created = MessageReport.objects.get_or_create(message=message, reporter=by, defaults={"reason": reason})
    if not created:
        return report
    record(
        Action.COMMUNITY_MESSAGE_REPORTED,
        actor=by,
        target=report,
        request=request,
        after={"message": str(message.public_id), "state": report.state},
    )
    notify_many(
        User.objects.active_coordinators(),
        Kind.COMMUNITY_MODERATION,
        message="community_message_reported",
        link=reverse("community:report_detail", args=[report.public_id]),
    )
    return report


DECISIONS = {
    MessageReport.State.DISMISSED: Action.COMMUNITY_REPORT_DISMISSED,
    MessageReport.State.WARNED: Action.COMMUNITY_SENDER_WARNED,
    MessageReport.State.SUSPENDED: Action.COMMUNITY_SENDER_SUSPENDED,
}


@transaction.atomic
def decide_report(
    report: MessageReport, *, by: User, decision: str, reason: str = "", ends_at=None, request=None
) -> MessageReport:
    """A coordinator dismisses a report, warns the sender, or suspends the sender's access to
    the community features (with a reason shown to them, until `ends_at` or further notice)."""
    policy.require(by, "community.moderate")
    decision = MessageReport.State(decision)
    if decision not in DECISIONS:
        raise ValueError(f"Not a decision: {decision!r}")
    reason = reason.strip()
    if decision != MessageReport.State.DISMISSED and not reason:
        raise ValueError("A warning or suspension needs a reason.")
    locked = MessageReport.objects.select_for_update(of=("self",)).select_related("message__sender").get(pk=report.pk)
    if locked.state != MessageReport.State.OPEN:
        raise StaleDecision
    now = timezone.now()
    locked.state = decision
    locked.decided_at = now
    locked.decided_by = by
    locked.decision_reason = reason
    locked.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
    sender = locked.message.sender
    after = {"state": decision, "sender": str(sender.public_id), "reason": reason}
    if decision == MessageReport.State.SUSPENDED:
        suspension = CommunitySuspension.objects.create(
            user=sender, reason=reason, starts_at=now, ends_at=ends_at, decided_by=by, report=locked
        )
        after.update({"suspension": str(suspension.public_id), "ends_at": ends_at.isoformat() if ends_at else None})
    record(
        DECISIONS[decision],
        actor=by,
        target=locked,
        request=request,
        before={"state": MessageReport.State.OPEN},
        after=after,
    )
    if decision == MessageReport.State.WARNED:
        notify(
            sender,
            Kind.COMMUNITY_MODERATION,
            message="community_warned",
            params={"detail": reason},
            link=contacts_link(),
        )
    elif decision == MessageReport.State.SUSPENDED:
        notify(
            sender,
            Kind.COMMUNITY_MODERATION,
            message="community_suspended",
            params={"detail": reason},
            link=reverse("community:directory"),
        )
    return locked
