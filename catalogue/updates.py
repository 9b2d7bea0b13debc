"""Changes to published tools: update requests reviewed by coordinators, and confirmations.

A provider who wants to change a published tool gets a revision: a draft copy of the tool
(`Tool.revision_of`) edited with the same pages as any draft, while officers keep seeing the
published entry. A coordinator reviews the submitted revision as a question-by-question diff;
approving it applies the copy to the published tool and records the new published version
(catalogue.history); requesting changes or rejecting uses the ordinary review decisions.

Confirming that an entry is still accurate needs no review. The worker reminds providers whose
entries have not been confirmed for `settings.CONFIRMATION_INTERVAL_DAYS`.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core.links import absolute_url
from notifications.inbox import notify_many, register_message
from notifications.models import Kind
from providers.selectors import active_members

from . import history, signals
from .decisions import StaleDecision, clean_checklist, notify_members
from .models import Answer, Attachment, Review, Tool, ToolState
from .services import delete_file_after_commit

register_message("tool_update_applied", _("The update of %(tool)s was approved and published"))
register_message("tool_confirmation_due", _("Please confirm that the entry of %(tool)s is still accurate"))

# The states of a revision that is still being worked on or reviewed.
OPEN_REVISION_STATES = (ToolState.DRAFT, ToolState.SUBMITTED, ToolState.CHANGES_REQUESTED)


class NotUpdatable(Exception):
    """Only a published tool can be updated or confirmed."""


def open_revision(tool: Tool) -> Tool | None:
    """The update request of `tool` still being drafted or reviewed, if any."""
    return tool.revisions.filter(state__in=OPEN_REVISION_STATES).order_by("-pk").first()


def _revision_slug(tool: Tool) -> str:
    # Never shown to officers: the revision is reached through its provider's pages only.
    return f"{tool.slug[:60]}-update-{uuid.uuid4().hex[:8]}"


@transaction.atomic
def start_update(tool: Tool, *, by: User, slug: str | None = None, request=None) -> Tool:
    """The open revision of a published tool, made (as a copy of the entry) if there is none.
    `slug` names a new revision (the demo data wants a fixed one); by default it is random."""
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.state != ToolState.PUBLISHED or locked.is_revision:
        raise NotUpdatable
    existing = open_revision(locked)
    if existing is not None:
        return existing
    revision = Tool.objects.create(
        organisation_id=locked.organisation_id,
        slug=slug or _revision_slug(locked),
        name=locked.name,
        short_description=locked.short_description,
        long_description=locked.long_description,
        website=locked.website,
        text_language=locked.text_language,
        logo=locked.logo.name if locked.logo else "",
        state=ToolState.DRAFT,
        created_by=by,
        revision_of=locked,
    )
    # The copy shares the stored files; catalogue.services deletes a file only once nothing uses it.
    copies = {}
    for attachment in locked.attachments.all():
        copy = Attachment.objects.create(
            tool=revision,
            question_key=attachment.question_key,
            title=attachment.title,
            file=attachment.file.name,
            size=attachment.size,
            uploaded_at=attachment.uploaded_at,
            uploaded_by=attachment.uploaded_by,
        )
        copies[str(attachment.public_id)] = str(copy.public_id)
    Answer.objects.bulk_create(
        Answer(
            tool=revision,
            question_id=answer.question_id,
            question_key=answer.question_key,
            # A file answer names its attachment: point it at the copy.
            value=copies.get(answer.value, answer.value) if isinstance(answer.value, str) else answer.value,
            translations=answer.translations,
            answered_at=answer.answered_at,
        )
        for answer in locked.answers.all()
    )
    record(
        Action.TOOL_UPDATE_STARTED,
        actor=by,
        target=locked,
        request=request,
        after={"revision": revision.slug},
    )
    return revision


def _apply_fields(tool: Tool, revision: Tool) -> list[str]:
    fields = ["name", "short_description", "long_description", "website", "text_language"]
    for name in fields:
        setattr(tool, name, getattr(revision, name))
    old_logo = tool.logo.name if tool.logo else ""
    new_logo = revision.logo.name if revision.logo else ""
    if old_logo != new_logo:
        if old_logo:
            delete_file_after_commit(tool.logo)
        tool.logo = new_logo
    return [*fields, "logo"]


def _apply_attachments(tool: Tool, revision: Tool) -> None:
    """The published tool ends with the revision's attachments; unchanged files keep their links."""
    kept = {attachment.file.name: attachment for attachment in tool.attachments.all()}
    renamed = {}
    for attachment in revision.attachments.all():
        original = kept.pop(attachment.file.name, None)
        if original is not None:
            original.title, original.question_key = attachment.title, attachment.question_key
            original.save(update_fields=["title", "question_key"])
            renamed[str(attachment.public_id)] = str(original.public_id)
            attachment.delete()
        else:
            attachment.tool = tool
            attachment.save(update_fields=["tool"])
    for attachment in kept.values():
        delete_file_after_commit(attachment.file)
        attachment.delete()
    # File answers of the revision name the copies: point them at the published attachments.
    for answer in revision.answers.all():
        if isinstance(answer.value, str) and answer.value in renamed:
            answer.value = renamed[answer.value]
            answer.save(update_fields=["value"])


@transaction.atomic
def apply_revision(
    revision: Tool,
    *,
    by: User,
    expected_version: int,
    checklist: dict | None = None,
    comment: str = "",
    request=None,
) -> Tool:
    """A coordinator approves an update request: the published tool becomes the revision."""
    locked_revision = Tool.objects.select_for_update().get(pk=revision.pk)
    if (
        not locked_revision.is_revision
        or locked_revision.version != expected_version
        or locked_revision.state != ToolState.SUBMITTED
    ):
        raise StaleDecision
    tool = Tool.objects.select_for_update().get(pk=locked_revision.revision_of_id)
    if tool.state not in (ToolState.PUBLISHED, ToolState.SUSPENDED):
        raise StaleDecision
    now = timezone.now()
    history.ensure_first_version(tool)
    before = history.snapshot(tool)

    _apply_attachments(tool, locked_revision)
    tool.answers.all().delete()
    locked_revision.answers.update(tool=tool)
    fields = _apply_fields(tool, locked_revision)
    tool.updated_at = now
    tool.last_confirmed_at = now
    tool.confirmation_reminded_at = None
    tool.version = F("version") + 1
    # Saved through the model so discovery.search indexes the new text and criteria.
    tool.save(update_fields=[*fields, "updated_at", "last_confirmed_at", "confirmation_reminded_at", "version"])
    tool.refresh_from_db()
    version = history.record_version(tool, by=by, at=now, previous=before)

    locked_revision.state = ToolState.APPLIED
    locked_revision.logo = ""
    locked_revision.version = F("version") + 1
    locked_revision.save(update_fields=["state", "logo", "version"])
    checklist = clean_checklist(checklist)
    Review.objects.create(
        tool=locked_revision,
        reviewer=by,
        decision=Review.Decision.PUBLISH,
        comment=comment.strip(),
        checklist=checklist,
        created_at=now,
    )
    record(
        Action.TOOL_UPDATE_APPLIED,
        actor=by,
        target=tool,
        request=request,
        after={"revision": locked_revision.slug, "version": version.number, "changed": version.changed},
    )
    notify_members(tool, "tool_update_applied", {"comment": comment.strip(), "version": version})
    if tool.state == ToolState.PUBLISHED:
        # Followers of a suspended tool hear of it at its reinstatement; its page marks the changes then.
        signals.tool_update_published.send(sender=Tool, tool=tool, version=version)
    revision.refresh_from_db()
    return tool


def close_open_revisions(tool: Tool, *, by: User, request=None) -> list[str]:
    """A removed tool takes no more updates: its open update request is closed (rejected), so it
    leaves the review queue and the provider's pages. Runs in the removal's transaction."""
    closed = []
    for revision in Tool.objects.select_for_update().filter(revision_of=tool, state__in=OPEN_REVISION_STATES):
        before = revision.state
        revision.state = ToolState.REJECTED
        revision.version = F("version") + 1
        revision.save(update_fields=["state", "version"])
        record(
            Action.TOOL_UPDATE_CLOSED,
            actor=by,
            target=tool,
            request=request,
            before={"revision": revision.slug, "state": before},
            after={"revision": revision.slug, "state": ToolState.REJECTED},
        )
        closed.append(revision.slug)
    return closed


# --- confirmation ------------------------------------------------------------------------
def confirmation_interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CONFIRMATION_INTERVAL_DAYS)


def confirmation_due_at(tool: Tool):
    return tool.confirmed_at + confirmation_interval()


def is_overdue(tool: Tool, now=None) -> bool:
    """A published entry not confirmed within the interval (as `overdue_for_confirmation` selects)."""
    published = tool.state == ToolState.PUBLISHED and not tool.is_revision
    return published and confirmation_due_at(tool) <= (now or timezone.now())


@transaction.atomic
def confirm_accuracy(tool: Tool, *, by: User, request=None) -> Tool:
    """The provider confirms the published entry is still accurate (no review needed)."""
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.state != ToolState.PUBLISHED or locked.is_revision:
        raise NotUpdatable
    before = {"last_confirmed_at": locked.last_confirmed_at.isoformat() if locked.last_confirmed_at else None}
    locked.last_confirmed_at = timezone.now()
    locked.confirmation_reminded_at = None
    # Not through the model: a confirmation changes nothing officers search on.
    Tool.objects.filter(pk=locked.pk).update(last_confirmed_at=locked.last_confirmed_at, confirmation_reminded_at=None)
    record(
        Action.TOOL_CONFIRMED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"last_confirmed_at": locked.last_confirmed_at.isoformat()},
    )
    tool.last_confirmed_at = locked.last_confirmed_at
    tool.confirmation_reminded_at = None
    return tool


def overdue_for_confirmation(now=None):
    """Published entries not confirmed within the interval, the longest overdue first."""
    now = now or timezone.now()
    return (
        Tool.objects.filter(state=ToolState.PUBLISHED, revision_of__isnull=True)
        # The same rule as Tool.confirmed_at, in SQL.
        .alias(confirmed=Coalesce("last_confirmed_at", "published_at", "created_at"))
        .filter(confirmed__lte=now - confirmation_interval())
        .select_related("organisation")
        .order_by("confirmed", "pk")
    )


def send_confirmation_reminders(now=None) -> int:
    """Periodic: each overdue entry's provider is reminded once per interval (conditional update)."""
    now = now or timezone.now()
    count = 0
    for tool_id in list(overdue_for_confirmation(now).values_list("pk", flat=True)):
        with transaction.atomic():
            # Two workers racing: only the one whose update matched sends the reminder.
            claimed = (
                Tool.objects.filter(pk=tool_id)
                .filter(
                    Q(confirmation_reminded_at__isnull=True)
                    | Q(confirmation_reminded_at__lte=now - confirmation_interval())
                )
                .update(confirmation_reminded_at=now)
            )
            if not claimed:
                continue
            tool = Tool.objects.select_related("organisation").get(pk=tool_id)
            link = reverse("catalogue:provider_tool", kwargs={"slug": tool.slug})
            notify_many(
                active_members(tool.organisation_id),
                Kind.TOOL_CONFIRMATION,
                message="tool_confirmation_due",
                params={"tool": tool.name},
                link=link,
                email_template="catalogue/provider/email/confirmation_due",
                email_context={
                    "tool": tool,
                    "confirmed_at": tool.confirmed_at,
                    "url": absolute_url(link),
                    "interval_days": settings.CONFIRMATION_INTERVAL_DAYS,
                },
            )
            record(
                Action.TOOL_CONFIRMATION_REMINDED, target=tool, after={"confirmed_at": tool.confirmed_at.isoformat()}
            )
            count += 1
    return count
