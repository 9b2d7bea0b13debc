"""Providers' writes to their tools: create, update, answers, attachments, submit.

Every function takes the acting user, checks the tool's state inside its transaction
(the row is locked), and records an audit event in that same transaction.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from notifications.inbox import notify_many, register_message
from notifications.models import Kind
from questionnaires.models import Question
from questionnaires.selectors import current_versions

from .answers import answers_by_key, is_answered
from .models import TRANSITIONS, Answer, Attachment, Tool, ToolState

SLUG_MAX = 70
# Paths of the catalogue that a tool's slug must not shadow (/tools/<slug>/).
RESERVED_SLUGS = {
    "mine", "review", "files", "logos", "compare", "exposure", "search", "export", "api", "new", "criteria",
    "confirmations", "followed", "saved", "thesaurus",
}  # fmt: skip


class ToolNotEditable(Exception):
    """The tool is under review, published or rejected: providers cannot change it."""


class MissingRequiredAnswers(Exception):
    """Submission refused: these required questions of the current versions have no answer."""

    def __init__(self, missing: list[Question]):
        super().__init__(f"{len(missing)} required questions unanswered")
        self.missing = missing


def _locked(tool: Tool) -> Tool:
    """The tool's row, locked, re-read: state checks see what other people just did."""
    fresh = Tool.objects.select_for_update().get(pk=tool.pk)
    for field in ("state", "version", "logo", "updated_at", "submitted_at"):
        setattr(tool, field, getattr(fresh, field))
    return tool


def _require_editable(tool: Tool) -> None:
    if not tool.is_editable_by_provider:
        raise ToolNotEditable


def _touch(tool: Tool, fields: list[str]) -> None:
    tool.updated_at = timezone.now()
    tool.version += 1
    tool.save(update_fields=[*fields, "updated_at", "version"])


def file_in_use(name: str) -> bool:
    """Whether a stored file is still referenced: an update request shares its tool's files."""
    return Attachment.objects.filter(file=name).exists() or Tool.objects.filter(logo=name).exists()


def delete_file_after_commit(field_file) -> None:
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name

    def delete():
        if not file_in_use(name):
            storage.delete(name)

    transaction.on_commit(delete)


def new_slug(name: str) -> str:
    """A slug for a new tool: its name and a random suffix ("lighthouse-triage-3f9a2c").

    The suffix is always there and never depends on other tools: a slug derived from whether a
    name is taken ("-2") would tell one organisation the names of another's unpublished tools."""
    base = slugify(name)[: SLUG_MAX - 7].strip("-") or "tool"
    return f"{base}-{secrets.token_hex(3)}"


def _snapshot(tool: Tool) -> dict:
    return {
        "name": tool.name,
        "short_description": tool.short_description,
        "long_description": tool.long_description,
        "website": tool.website,
        "text_language": tool.text_language,
        "logo": bool(tool.logo),
    }


# --- the tool itself ------------------------------------------------------------------
def create_tool(organisation, *, by: User, data: dict, logo: ContentFile | None = None, request=None) -> Tool:
    """A new draft tool of `organisation`, with a slug made from its name."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                slug = new_slug(data["name"])
                tool = Tool(
                    organisation=organisation,
                    slug=slug,
                    created_by=by,
                    state=ToolState.DRAFT,
                    **data,
                )
                if logo is not None:
                    tool.logo.save("logo.png", logo, save=False)
                tool.save()
                record(Action.TOOL_CREATED, actor=by, target=tool, request=request, after=_snapshot(tool))
                return tool
        except IntegrityError:
            # The random suffix was taken (one chance in millions): try another.
            continue
    raise IntegrityError("Could not find a free slug")


@transaction.atomic
def update_tool(
    tool: Tool, *, by: User, data: dict, logo: ContentFile | None = None, remove_logo: bool = False, request=None
) -> bool:
    """Change the tool's own fields; returns whether anything changed. The slug stays."""
    _locked(tool)
    _require_editable(tool)
    before = _snapshot(tool)
    fields = [name for name, value in data.items() if getattr(tool, name) != value]
    for name in fields:
        setattr(tool, name, data[name])
    if (logo is not None or remove_logo) and tool.logo:
        delete_file_after_commit(tool.logo)  # the old file, once the new state is committed
    if logo is not None:
        tool.logo.save("logo.png", logo, save=False)
        fields.append("logo")
    elif remove_logo and tool.logo:
        tool.logo = ""
        fields.append("logo")
    if not fields:
        return False
    _touch(tool, fields)
    record(Action.TOOL_UPDATED, actor=by, target=tool, request=request, before=before, after=_snapshot(tool))
    return True


# --- answers ----------------------------------------------------------------------------
def _same(answer: Answer | None, value, translations: dict) -> bool:
    if not is_answered(answer):
        return value is None
    return answer.value == value and (answer.translations or {}) == translations


@transaction.atomic
def save_answers(tool: Tool, version, *, by: User, values: dict, files: dict | None = None, request=None) -> list[str]:
    """Store the answers to one (current) questionnaire version.

    `values` maps question keys to (value or None, translations); None removes the answer.
    `files` maps file questions' keys to PDF bytes (a new file) or None (remove the file).
    An answer is stored against the question row of `version`; earlier answers with the same
    key (given to older versions) are replaced. Returns the keys that changed.
    """
    _locked(tool)
    _require_editable(tool)
    questions = {question.key: question for question in version.questions.all()}
    existing = answers_by_key(tool)
    changed: list[str] = []
    now = timezone.now()

    for key, (value, translations) in values.items():
        question = questions.get(key)
        if question is None or question.type == Question.Type.FILE:
            continue
        if _same(existing.get(key), value, translations):
            continue
        tool.answers.filter(question_key=key).delete()
        if value is not None:
            Answer.objects.create(
                tool=tool, question=question, question_key=key, value=value, translations=translations, answered_at=now
            )
        changed.append(key)

    attachments_by_id = {str(a.public_id): a for a in tool.attachments.filter(question_key__in=list(files or {}))}
    for key, data in (files or {}).items():
        question = questions.get(key)
        if question is None or question.type != Question.Type.FILE:
            continue
        previous = existing.get(key)
        if previous is not None and is_answered(previous):
            old = attachments_by_id.get(str(previous.value))
            if old is not None:
                delete_file_after_commit(old.file)
                old.delete()
        tool.answers.filter(question_key=key).delete()
        if data is not None:
            attachment = _store_pdf(tool, by=by, title=question.label[:200], data=data, question_key=key)
            Answer.objects.create(
                tool=tool, question=question, question_key=key, value=str(attachment.public_id), answered_at=now
            )
        changed.append(key)

    if changed:
        _touch(tool, [])
        record(
            Action.TOOL_ANSWERS_SAVED,
            actor=by,
            target=tool,
            request=request,
            after={"questionnaire": version.questionnaire.key, "version": version.number, "changed": changed},
        )
    return changed


# --- attachments ------------------------------------------------------------------------
def _store_pdf(tool: Tool, *, by: User, title: str, data: bytes, question_key: str = "") -> Attachment:
    attachment = Attachment(tool=tool, title=title, question_key=question_key, size=len(data), uploaded_by=by)
    attachment.file.save("document.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def add_attachment(tool: Tool, *, by: User, title: str, data: bytes, request=None) -> Attachment:
    """A general attachment of the tool (not tied to a question)."""
    _locked(tool)
    _require_editable(tool)
    attachment = _store_pdf(tool, by=by, title=title, data=data)
    _touch(tool, [])
    record(
        Action.TOOL_ATTACHMENT_ADDED,
        actor=by,
        target=tool,
        request=request,
        after={"attachment": str(attachment.public_id), "title": title, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by: User, request=None) -> None:
    tool = _locked(attachment.tool)
    _require_editable(tool)
    if attachment.question_key:
        tool.answers.filter(question_key=attachment.question_key, value=str(attachment.public_id)).delete()
    before = {"attachment": str(attachment.public_id), "title": attachment.title}
    delete_file_after_commit(attachment.file)
    attachment.delete()
    _touch(tool, [])
    record(Action.TOOL_ATTACHMENT_REMOVED, actor=by, target=tool, request=request, before=before)


# --- submission -------------------------------------------------------------------------
def missing_required(tool: Tool, versions=None) -> list[Question]:
    """Required questions of the current versions that have no answer yet."""
    versions = versions if versions is not None else current_versions()
    answers = answers_by_key(tool)
    return [
        question
        for version in versions
        for question in version.questions.all()
        if question.required and not is_answered(answers.get(question.key))
    ]


register_message("tool_submitted", _("%(organisation)s submitted %(tool)s for review"))
register_message("tool_update_submitted", _("%(organisation)s asked to update %(tool)s"))


@transaction.atomic
def submit_tool(tool: Tool, *, by: User, request=None) -> Tool:
    """Send the tool to the coordinators' review (draft or changes requested → submitted)."""
    _locked(tool)
    if ToolState.SUBMITTED not in TRANSITIONS.get(ToolState(tool.state), set()):
        raise ToolNotEditable
    missing = missing_required(tool)
    if missing:
        raise MissingRequiredAnswers(missing)
    before = {"state": tool.state}
    tool.state = ToolState.SUBMITTED
    tool.submitted_at = timezone.now()
    _touch(tool, ["state", "submitted_at"])
    record(Action.TOOL_SUBMITTED, actor=by, target=tool, request=request, before=before, after={"state": tool.state})
    _notify_coordinators(tool)
    return tool


def _notify_coordinators(tool: Tool) -> None:
    """Every coordinator finds the submission in the inbox and (unless muted) by email."""
    notify_many(
        User.objects.active_coordinators(),
        Kind.TOOL_REVIEW,
        message="tool_update_submitted" if tool.is_revision else "tool_submitted",
        params={"tool": tool.name, "organisation": tool.organisation.name},
        link=reverse("catalogue:review_detail", kwargs={"slug": tool.slug}),
        email_template="catalogue/provider/email/submitted",
        email_context={"tool": tool, "organisation": tool.organisation},
    )
