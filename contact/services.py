"""Writes of the contact point, each in one transaction with its audit event and notifications.

open (waiting for the coordinators ⇄ answered) → closed. The author writes and writes again;
coordinators assign a conversation (to themselves or another coordinator), answer and close it.
Assigning and closing check the `version` the coordinator saw (another coordinator may have
acted: `StaleConversation`); posts are appended and need no such check.

Audit events name the conversation and its posts by public id, with lengths and whether a file
came: never the text. Inbox entries and emails say only that something arrived, and link to it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core import policy, ratelimit
from notifications.inbox import notify, notify_many, register_message
from notifications.models import Kind

from .models import MESSAGE_MAX, Conversation, Post

State = Conversation.State
Awaiting = Conversation.Awaiting

register_message("contact_point_new", _("A new message to the coordinators"))
register_message("contact_point_reply", _("The author of a message to the coordinators wrote again"))
register_message("contact_point_assigned", _("A message to the coordinators was assigned to you"))
register_message("contact_point_answered", _("The coordinators answered your message"))
register_message("contact_point_closed", _("The coordinators closed your conversation with them"))


class StaleConversation(Exception):
    """The conversation changed (another coordinator acted) since the coordinator loaded it."""


class NotAllowed(Exception):
    """The action does not apply to this conversation now (it is closed, or the person may not)."""


def author_link(conversation: Conversation) -> str:
    return reverse("contact:conversation", args=[conversation.public_id])


def queue_link(conversation: Conversation) -> str:
    return reverse("contact:detail", args=[conversation.public_id])


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body or len(body) > MESSAGE_MAX:
        raise ValueError(f"A message must be 1 to {MESSAGE_MAX} characters.")
    return body


def _post(conversation: Conversation, *, by: User, body: str, file_content: bytes | None, coordinators: bool, now):
    post = Post(conversation=conversation, author=by, by_coordinators=coordinators, body=body, created_at=now)
    if file_content:
        # The stored name is generated (contact.models.post_file_path), never the uploader's.
        post.file.save("message.pdf", ContentFile(file_content), save=False)
    post.save()
    return post


def _snapshot(conversation: Conversation) -> dict:
    assignee = conversation.assignee
    return {
        "state": conversation.state,
        "awaiting": conversation.awaiting,
        "assignee": str(assignee.public_id) if assignee else None,
        "version": conversation.version,
    }


def _lock(conversation: Conversation, expected_version: int | None = None) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleConversation
    locked.author = User.objects.get(pk=locked.author_id)
    locked.assignee = User.objects.get(pk=locked.assignee_id) if locked.assignee_id else None
    return locked


def _save(locked: Conversation, fields: list[str]) -> None:
    locked.version = F("version") + 1
    locked.save(update_fields=[*fields, "version"])
    locked.refresh_from_db(fields=["version"])


def _sync(conversation: Conversation, locked: Conversation) -> None:
    """The caller's object shows what was saved."""
    for name in ("state", "awaiting", "assignee_id", "last_post_at", "closed_at", "version"):
        setattr(conversation, name, getattr(locked, name))


def _tell_author(conversation: Conversation, message: str) -> None:
    if conversation.author.is_active:
        notify(conversation.author, Kind.CONTACT_POINT, message=message, link=author_link(conversation))


RATE_LIMIT_ACTION = "contact_point"


def rate_limit_refusal() -> str:
    return str(
        _(
            "You have written to the coordinators many times today. Please wait until tomorrow before "
            "starting another conversation, or add to one of your existing ones. Your message is kept below."
        )
    )


# --- the author ----------------------------------------------------------------------------------
@transaction.atomic
def write(author: User, *, category: str, body: str, file_content: bytes | None = None, request=None) -> Conversation:
    """Someone signed in writes to the coordinators; every active coordinator is told. Counted
    against the writer's daily limit (`CONTACT_POINT_MESSAGES_PER_DAY`): raises
    core.ratelimit.RateLimited past it or when the cache is down."""
    policy.require(author, "contact.write")
    if category not in Conversation.Category.values:
        raise ValueError(f"Not a category: {category!r}")
    body = _clean_body(body)
    ratelimit.count(RATE_LIMIT_ACTION, author, limit=settings.CONTACT_POINT_MESSAGES_PER_DAY, window=ratelimit.DAY)
    now = timezone.now()
    conversation = Conversation.objects.create(author=author, category=category, created_at=now, last_post_at=now)
    post = _post(conversation, by=author, body=body, file_content=file_content, coordinators=False, now=now)
    record(
        Action.CONTACT_POINT_WRITTEN,
        actor=author,
        target=conversation,
        request=request,
        after={**_snapshot(conversation), "category": category, "post": str(post.public_id), **_post_facts(post)},
    )
    notify_many(
        User.objects.active_coordinators(),
        Kind.CONTACT_POINT,
        message="contact_point_new",
        link=queue_link(conversation),
    )
    return conversation


def _post_facts(post: Post) -> dict:
    return {"length": len(post.body), "file": bool(post.file)}


@transaction.atomic
def reply(conversation: Conversation, *, by: User, body: str, file_content: bytes | None = None, request=None) -> Post:
    """The author writes again in their open conversation; the assignee (or, with none, every
    coordinator) is told."""
    body = _clean_body(body)
    locked = _lock(conversation)
    if not policy.can(by, "contact.reply", locked):
        raise NotAllowed("Only the author can write again, and only while the conversation is open.")
    before = _snapshot(locked)
    now = timezone.now()
    post = _post(locked, by=by, body=body, file_content=file_content, coordinators=False, now=now)
    locked.awaiting = Awaiting.COORDINATORS
    locked.last_post_at = now
    _save(locked, ["awaiting", "last_post_at"])
    record(
        Action.CONTACT_POINT_REPLIED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={**_snapshot(locked), "post": str(post.public_id), **_post_facts(post)},
    )
    assignee = locked.assignee
    told = [assignee] if assignee is not None and assignee.is_active else User.objects.active_coordinators()
    notify_many(told, Kind.CONTACT_POINT, message="contact_point_reply", link=queue_link(locked))
    _sync(conversation, locked)
    return post


# --- the coordinators ----------------------------------------------------------------------------
def assignable_coordinators():
    """Whom a conversation can be assigned to: the active coordinators."""
    return User.objects.active_coordinators()


@transaction.atomic
def answer(conversation: Conversation, *, by: User, body: str, file_content: bytes | None = None, request=None) -> Post:
    """A coordinator answers; the author is told. An unassigned conversation becomes the answering
    coordinator's, so the next message from the author reaches them."""
    policy.require(by, "contact.work")
    body = _clean_body(body)
    locked = _lock(conversation)
    if not locked.is_open:
        raise NotAllowed("A closed conversation takes no answer.")
    before = _snapshot(locked)
    now = timezone.now()
    post = _post(locked, by=by, body=body, file_content=file_content, coordinators=True, now=now)
    locked.awaiting = Awaiting.AUTHOR
    locked.last_post_at = now
    fields = ["awaiting", "last_post_at"]
    if locked.assignee is None:
        locked.assignee = by
        fields.append("assignee")
    _save(locked, fields)
    record(
        Action.CONTACT_POINT_ANSWERED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={**_snapshot(locked), "post": str(post.public_id), **_post_facts(post)},
    )
    _tell_author(locked, "contact_point_answered")
    _sync(conversation, locked)
    return post


@transaction.atomic
def assign(conversation: Conversation, *, by: User, to: User | None, expected_version: int, request=None):
    """A coordinator takes a conversation, gives it to another coordinator, or leaves it to the
    whole team (`to` None). Another coordinator given it is told."""
    policy.require(by, "contact.work")
    if to is not None and not (to.is_active and policy.can(to, "contact.work")):
        raise NotAllowed("Conversations are assigned to active coordinators only.")
    locked = _lock(conversation, expected_version)
    if not locked.is_open:
        raise StaleConversation
    if locked.assignee_id == (to.pk if to else None):
        return locked
    before = _snapshot(locked)
    locked.assignee = to
    _save(locked, ["assignee"])
    record(
        Action.CONTACT_POINT_ASSIGNED, actor=by, target=locked, request=request, before=before, after=_snapshot(locked)
    )
    if to is not None and to.pk != by.pk:
        notify(to, Kind.CONTACT_POINT, message="contact_point_assigned", link=queue_link(locked))
    _sync(conversation, locked)
    return locked


@transaction.atomic
def close(conversation: Conversation, *, by: User, expected_version: int, request=None) -> Conversation:
    """A coordinator closes the conversation; the author is told and can start a new one."""
    policy.require(by, "contact.work")
    locked = _lock(conversation, expected_version)
    if not locked.is_open:
        raise StaleConversation
    before = _snapshot(locked)
    locked.state = State.CLOSED
    locked.closed_at = timezone.now()
    _save(locked, ["state", "closed_at"])
    record(
        Action.CONTACT_POINT_CLOSED, actor=by, target=locked, request=request, before=before, after=_snapshot(locked)
    )
    _tell_author(locked, "contact_point_closed")
    _sync(conversation, locked)
    return locked
