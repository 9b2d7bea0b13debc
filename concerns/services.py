"""Concerns about tools: reported by signed-in users, triaged by coordinators.

received → under assessment → decided (no action, provider asked to respond, suspension,
removal) → closed; a concern whose provider was asked to respond is decided again once the
response is in (no action, suspension or removal). Each change locks the concern, checks the `version` the coordinator saw
(another coordinator may have acted: `StaleConcern`), bumps it, keeps a note in its history,
writes the audit event and tells the people concerned (inbox and email), in one transaction.

What each side learns:
- the reporter: the status and the outcome of their own concerns, never the coordinators' notes;
- the provider, when asked to respond: the tool, the category and the coordinators' request,
  never who reported, the reporter's words or file;
- coordinators: everything.

A suspension or removal decided on a concern is a moderation decision
(`moderation.services.decide`), taken in the same transaction: either both are saved or neither.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from catalogue.models import Tool, ToolState
from core import policy
from core.links import absolute_url
from moderation import services as moderation
from moderation.models import Notice, NoticeAction
from notifications.inbox import notify_many, register_message
from notifications.models import Kind

from .models import Concern, ConcernNote

Status = Concern.Status
Outcome = Concern.Outcome

# The tool states a concern can be reported about.
REPORTABLE_STATES = (ToolState.PUBLISHED, ToolState.SUSPENDED)
OPEN_STATUSES = (Status.RECEIVED, Status.UNDER_ASSESSMENT, Status.DECIDED)
DECIDABLE_STATUSES = (Status.RECEIVED, Status.UNDER_ASSESSMENT)
# The moderation decision each outcome takes, if any.
MODERATION_OUTCOMES = {Outcome.SUSPENSION: NoticeAction.SUSPENDED, Outcome.REMOVAL: NoticeAction.REMOVED}

register_message("concern_reported", _("A concern about %(tool)s was reported"))
register_message("concern_assessing", _("Your concern about %(tool)s is being assessed"))
register_message("concern_decided", _("The coordinators decided on your concern about %(tool)s"))
register_message("concern_closed", _("Your concern about %(tool)s was closed"))
register_message("concern_provider_asked", _("The coordinators ask you to respond to a concern about %(tool)s"))
register_message("concern_provider_responded", _("The provider of %(tool)s responded to a concern"))


def outcomes_open_to(concern: Concern) -> list[Outcome]:
    """The outcomes a coordinator may decide now; empty when the concern takes no decision.

    Once the provider was asked to respond, the coordinators decide again in the light of the
    response (or of its absence): no action, suspension or removal.
    """
    if concern.status in DECIDABLE_STATUSES:
        return list(Outcome)
    if concern.status == Status.DECIDED and concern.outcome == Outcome.PROVIDER_ASKED:
        return [outcome for outcome in Outcome if outcome != Outcome.PROVIDER_ASKED]
    return []


class StaleConcern(Exception):
    """The concern changed (another coordinator acted) since the coordinator loaded it."""


class InvalidConcern(ValueError):
    """An action that lacks what it needs, or that the concern (or its tool) does not allow now.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _site(link: str) -> str:
    return absolute_url(link)


def _notify(users, template: str, concern: Concern, link: str, **context) -> None:
    notify_many(
        users,
        Kind.CONCERN_UPDATE,
        message=f"concern_{template}",
        params={"tool": concern.tool.name},
        link=link,
        email_template=f"concerns/email/{template}",
        email_context={"tool": concern.tool, "concern": concern, "url": _site(link), **context},
    )


def _tell_reporter(concern: Concern, template: str) -> None:
    reporter = concern.reporter
    if reporter.is_active:
        _notify([reporter], template, concern, reverse("concerns:mine"))


def _snapshot(concern: Concern) -> dict:
    return {"status": concern.status, "outcome": concern.outcome, "version": concern.version}


def _lock(concern: Concern, expected_version: int) -> Concern:
    locked = Concern.objects.select_for_update(of=("self",)).select_related("tool").get(pk=concern.pk)
    if locked.version != expected_version:
        raise StaleConcern
    # The tool and the reporter are read for the notifications (not locked).
    locked.tool = Tool.objects.select_related("organisation").get(pk=locked.tool_id)
    locked.reporter = User.objects.get(pk=locked.reporter_id)
    return locked


def _save(locked: Concern, fields: list[str], now) -> None:
    locked.version = F("version") + 1
    locked.updated_at = now
    locked.save(update_fields=[*fields, "version", "updated_at"])
    locked.refresh_from_db(fields=["version"])


def _sync(concern: Concern, locked: Concern) -> None:
    """The caller's object shows what was saved."""
    for name in ("status", "outcome", "provider_request", "decided_at", "closed_at", "updated_at", "version"):
        setattr(concern, name, getattr(locked, name))


# --- reporting ---------------------------------------------------------------------------
def reportable_tool_named(name: str, *, by: User) -> Tool | None:
    """The tool of that exact name (any case) that `by` may report a concern about, if any."""
    candidates = Tool.objects.filter(
        name__iexact=name.strip(), state__in=REPORTABLE_STATES, revision_of__isnull=True
    ).select_related("organisation")
    return next((tool for tool in candidates if policy.can(by, "concern.report", tool)), None)


@transaction.atomic
def report(
    tool: Tool,
    *,
    by: User,
    category: str,
    description: str,
    sources: str = "",
    file_content: bytes | None = None,
    request=None,
) -> Concern:
    """Someone signed in reports a concern about a tool; coordinators are told."""
    description, sources = description.strip(), sources.strip()
    if category not in Concern.Category.values:
        raise InvalidConcern(_("Choose a category."), field="category")
    if not description:
        raise InvalidConcern(_("Describe your concern."), field="description")
    current_tool = Tool.objects.select_related("organisation").get(pk=tool.pk)
    if current_tool.state not in REPORTABLE_STATES:
        raise InvalidConcern(_("Concerns can only be reported about tools in the catalogue."))
    now = timezone.now()
    concern = Concern(
        tool=current_tool,
        reporter=by,
        category=category,
        description=description,
        sources=sources,
        created_at=now,
        updated_at=now,
    )
    if file_content:
        from django.core.files.base import ContentFile

        # The stored name is generated (concerns.models.concern_file_path), never the uploader's.
        concern.file.save("concern.pdf", ContentFile(file_content), save=False)
    concern.save()
    record(
        Action.CONCERN_REPORTED,
        actor=by,
        target=concern,
        request=request,
        after={
            "tool": current_tool.slug,
            "category": category,
            "status": concern.status,
            "file": bool(concern.file),
            "version": concern.version,
        },
    )
    _notify(
        User.objects.active_coordinators(), "reported", concern, reverse("concerns:detail", args=[concern.public_id])
    )
    return concern


# --- coordinators ------------------------------------------------------------------------
@transaction.atomic
def start_assessment(concern: Concern, *, by: User, note: str = "", expected_version: int, request=None) -> Concern:
    """received → under assessment; the reporter is told."""
    locked = _lock(concern, expected_version)
    if locked.status != Status.RECEIVED:
        raise StaleConcern
    before = _snapshot(locked)
    now = timezone.now()
    locked.status = Status.UNDER_ASSESSMENT
    _save(locked, ["status"], now)
    ConcernNote.objects.create(
        concern=locked, author=by, text=note.strip(), status=Status.UNDER_ASSESSMENT, created_at=now
    )
    record(Action.CONCERN_ASSESSING, actor=by, target=locked, request=request, before=before, after=_snapshot(locked))
    _tell_reporter(locked, "assessing")
    _sync(concern, locked)
    return locked


@transaction.atomic
def add_note(concern: Concern, *, by: User, text: str, expected_version: int, request=None) -> ConcernNote:
    """An internal note (coordinators only see it); not on a closed concern."""
    text = text.strip()
    if not text:
        raise InvalidConcern(_("Write the note."), field="text")
    locked = _lock(concern, expected_version)
    if locked.status == Status.CLOSED:
        raise StaleConcern
    before = {"version": locked.version}
    now = timezone.now()
    # A note is news for a coordinator about to decide: it counts as a change.
    _save(locked, [], now)
    note = ConcernNote.objects.create(concern=locked, author=by, text=text, created_at=now)
    record(
        Action.CONCERN_NOTE_ADDED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"version": locked.version, "note": note.pk},
    )
    _sync(concern, locked)
    return note


def moderation_problem(tool: Tool, outcome: str) -> str | None:
    """Why the tool cannot be suspended or removed in its current state, or None."""
    action = MODERATION_OUTCOMES.get(outcome)
    if action is None or action in moderation.allowed_actions(tool):
        return None
    if action == NoticeAction.SUSPENDED:
        return _("Only a published tool can be suspended; this tool is %(state)s.") % {
            "state": ToolState(tool.state).label
        }
    return _("Only a published or suspended tool can be removed; this tool is %(state)s.") % {
        "state": ToolState(tool.state).label
    }


@transaction.atomic
def decide(
    concern: Concern,
    *,
    by: User,
    outcome: str,
    expected_version: int,
    note: str = "",
    provider_request: str = "",
    reason_code: str = "",
    summary: str = "",
    officer_guidance: str = "",
    provider_guidance: str = "",
    tool_version: int | None = None,
    request=None,
) -> tuple[Concern, Notice | None]:
    """received / under assessment → decided, with an outcome; provider asked → decided again.

    - no action: a note saying why is required;
    - provider asked: `provider_request` (what the provider is asked) is required; the
      provider's members are told and answer on their own page;
    - suspension / removal: the notice fields are required and the tool is suspended or
      removed (`moderation.services.decide`) in the same transaction.
    Raises StaleConcern (concern or tool changed meanwhile) or InvalidConcern.
    """
    note, provider_request = note.strip(), provider_request.strip()
    if outcome not in Outcome.values:
        raise InvalidConcern(_("Choose an outcome."), field="outcome")
    if outcome == Outcome.NO_ACTION and not note:
        raise InvalidConcern(_("Say why no action is taken."), field="note")
    if outcome == Outcome.PROVIDER_ASKED and not provider_request:
        raise InvalidConcern(_("Write what the provider is asked."), field="provider_request")
    locked = _lock(concern, expected_version)
    open_outcomes = outcomes_open_to(locked)
    if not open_outcomes:
        raise StaleConcern
    if outcome not in open_outcomes:
        raise InvalidConcern(_("The provider was already asked to respond."), field="outcome")
    notice = None
    if outcome in MODERATION_OUTCOMES:
        problem = moderation_problem(locked.tool, outcome)
        if problem:
            raise InvalidConcern(problem, field="outcome")
        try:
            notice = moderation.decide(
                locked.tool,
                action=MODERATION_OUTCOMES[outcome],
                by=by,
                reason_code=reason_code,
                summary=summary,
                officer_guidance=officer_guidance,
                provider_guidance=provider_guidance,
                expected_version=locked.tool.version if tool_version is None else tool_version,
                request=request,
            )
        except moderation.InvalidDecision as exc:
            raise InvalidConcern(str(exc)) from exc
        except moderation.StaleDecision as exc:
            raise StaleConcern from exc
    before = _snapshot(locked)
    now = timezone.now()
    locked.status = Status.DECIDED
    locked.outcome = outcome
    locked.decided_at = now
    fields = ["status", "outcome", "decided_at"]
    if outcome == Outcome.PROVIDER_ASKED:
        locked.provider_request = provider_request
        locked.provider_asked_at = now
        fields += ["provider_request", "provider_asked_at"]
    if notice is not None:
        locked.notice = notice
        fields.append("notice")
    _save(locked, fields, now)
    ConcernNote.objects.create(concern=locked, author=by, text=note, status=Status.DECIDED, created_at=now)
    after = _snapshot(locked)
    if notice is not None:
        after["notice"] = str(notice.public_id)
    if outcome == Outcome.PROVIDER_ASKED:
        after["provider_request"] = provider_request
    record(Action.CONCERN_DECIDED, actor=by, target=locked, request=request, before=before, after=after)
    _tell_reporter(locked, "decided")
    if outcome == Outcome.PROVIDER_ASKED:
        # Only the tool, the category and the request: nothing that could identify the reporter.
        _notify(
            moderation.members_of(locked.tool),
            "provider_asked",
            locked,
            reverse("concerns:provider_detail", args=[locked.public_id]),
            request_text=provider_request,
        )
    _sync(concern, locked)
    return locked, notice


@transaction.atomic
def close(concern: Concern, *, by: User, note: str, expected_version: int, request=None) -> Concern:
    """decided → closed, with a closing note; the reporter is told."""
    note = note.strip()
    if not note:
        raise InvalidConcern(_("Write a closing note."), field="note")
    locked = _lock(concern, expected_version)
    if locked.status != Status.DECIDED:
        raise StaleConcern
    before = _snapshot(locked)
    now = timezone.now()
    locked.status = Status.CLOSED
    locked.closed_at = now
    _save(locked, ["status", "closed_at"], now)
    ConcernNote.objects.create(concern=locked, author=by, text=note, status=Status.CLOSED, created_at=now)
    record(Action.CONCERN_CLOSED, actor=by, target=locked, request=request, before=before, after=_snapshot(locked))
    _tell_reporter(locked, "closed")
    _sync(concern, locked)
    return locked


# --- the provider --------------------------------------------------------------------------
class AlreadyResponded(Exception):
    """The provider already responded to this concern, or it no longer takes a response."""


def may_respond(concern: Concern) -> bool:
    return concern.awaits_provider_response


@transaction.atomic
def respond(concern: Concern, *, by: User, text: str, request=None) -> Concern:
    """A member of the tool's organisation answers the coordinators' request; coordinators are told."""
    text = text.strip()
    if not text:
        raise InvalidConcern(_("Write your response."), field="text")
    locked = Concern.objects.select_for_update(of=("self",)).select_related("tool").get(pk=concern.pk)
    if not may_respond(locked):
        raise AlreadyResponded
    locked.tool = concern.tool
    before = {"version": locked.version, "responded": False}
    now = timezone.now()
    locked.provider_response = text
    locked.provider_responded_at = now
    _save(locked, ["provider_response", "provider_responded_at"], now)
    record(
        Action.CONCERN_PROVIDER_RESPONDED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"version": locked.version, "responded": True},
    )
    _notify(
        User.objects.active_coordinators(),
        "provider_responded",
        locked,
        reverse("concerns:detail", args=[locked.public_id]),
    )
    concern.provider_response, concern.provider_responded_at = locked.provider_response, now
    concern.version = locked.version
    return locked
