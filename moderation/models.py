"""Suspensions, removals and reinstatements of published tools, and the provider's right of reply.

A `Notice` is the record of one coordinator decision: what happened to which tool, on which
clause of the provider terms it rests, what officers are told and what the provider is told.
Officers see the summary and the officer guidance; the provider guidance is for the provider's
members only. Notices are never edited: a later decision is a new notice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind


class NoticeAction(models.TextChoices):
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    REINSTATED = "reinstated", _("Reinstated")

    @property
    def is_safety_notice(self) -> bool:
        """Suspensions and removals: they reach everyone who may still use the tool, and their
        inbox kinds are always emailed (notifications.inbox.ALWAYS_EMAILED)."""
        return self != NoticeAction.REINSTATED

    @property
    def inbox_kind(self) -> Kind:
        return {
            NoticeAction.SUSPENDED: Kind.TOOL_SUSPENDED,
            NoticeAction.REMOVED: Kind.TOOL_REMOVED,
            NoticeAction.REINSTATED: Kind.TOOL_REINSTATED,
        }[self]


class ReasonCode(models.TextChoices):
    """The grounds of a decision, each tied to a part of the provider terms (paraphrased)."""

    HUMAN_RIGHTS_DEVELOPMENT = (
        "human_rights_development",
        _("Credible grounds of serious human-rights violations in the tool's development (terms, part 3)"),
    )
    HUMAN_RIGHTS_USE = (
        "human_rights_use",
        _("Real risk of grave human-rights violations in the tool's use, not mitigated (terms, part 3)"),
    )
    DATA_PROTECTION = (
        "data_protection",
        _("Breach of applicable law or of personal-data protection commitments (terms, part 3)"),
    )
    MISLEADING_INFORMATION = (
        "misleading_information",
        _("Inaccurate or misleading information about the tool (terms, part 4)"),
    )
    OUTDATED_INFORMATION = (
        "outdated_information",
        _("Information not kept accurate and up to date (terms, part 4)"),
    )
    ENDORSEMENT_CLAIM = (
        "endorsement_claim",
        _(
            "Claims of support or verification by the initiative, or unannounced use of its name or emblem (terms, part 1)"
        ),
    )
    ADVERTISING = (
        "advertising",
        _("Use of the hub for publicity or business advantage (terms, parts 1 and 2)"),
    )
    CONCERNS_ADDRESSED = "concerns_addressed", _("The concerns were addressed (reinstatement only)")
    OTHER = "other", _("Other grounds (explained in the summary)")


class Notice(models.Model):
    """One moderation decision about a tool, as officers and the provider are told of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.ForeignKey("catalogue.Tool", on_delete=models.PROTECT, related_name="notices")
    action = models.CharField(_("decision"), max_length=20, choices=NoticeAction.choices, db_index=True)
    reason_code = models.CharField(_("reason"), max_length=40, choices=ReasonCode.choices)
    summary = models.TextField(_("reason summary for officers"), max_length=4000)
    officer_guidance = models.TextField(_("guidance for officers"), max_length=8000, blank=True)
    provider_guidance = models.TextField(_("guidance for the provider"), max_length=8000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["tool", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.tool} {self.action} {self.decided_at:%Y-%m-%d}"


class CaseMessage(models.Model):
    """The right of reply: a provider member's reply to a notice, or a coordinator's answer."""

    class Role(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        COORDINATOR = "coordinator", _("Coordinators")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="messages")
    role = models.CharField(max_length=20, choices=Role.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("message"), max_length=8000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.role} message on {self.notice_id}"


def concern_file_path(instance, filename):
    return f"concerns/{uuid.uuid4().hex}.pdf"


class Concern(models.Model):
    """A signed-in user's concern about a tool, triaged by coordinators.

    The reporter sees the status; the provider, when asked to respond, sees only the
    category and the coordinators' summary (`provider_request`), never who reported or
    the reporter's own words and file, which could identify them.
    """

    class Category(models.TextChoices):
        HUMAN_RIGHTS_DEVELOPMENT = (
            "human_rights_development",
            _("Credible grounds of human-rights violations in the tool's development"),
        )
        HUMAN_RIGHTS_USE = "human_rights_use", _("Credible grounds of human-rights violations in the tool's use")
        INACCURATE_INFORMATION = "inaccurate_information", _("Inaccurate or outdated information")
        ENDORSEMENT_CLAIM = "endorsement_claim", _("Misleading claims of endorsement by the initiative")
        DATA_PROTECTION = "data_protection", _("Personal-data protection or legal concerns")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", _("No action")
        PROVIDER_ASKED = "provider_asked", _("Provider asked to respond")
        SUSPENSION = "suspension", _("Suspension")
        REMOVAL = "removal", _("Removal")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.ForeignKey("catalogue.Tool", on_delete=models.PROTECT, related_name="concerns")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns")
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    description = models.TextField(_("description"), max_length=8000)
    sources = models.TextField(_("sources and links"), max_length=4000, blank=True)
    file = models.FileField(upload_to=concern_file_path, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # What the provider is asked, written by coordinators: the provider never sees the report itself.
    provider_request = models.TextField(_("request to the provider"), max_length=8000, blank=True)
    # Kept when a later decision replaces "provider asked" (decided_at then moves on).
    provider_asked_at = models.DateTimeField(null=True, blank=True)
    provider_response = models.TextField(_("provider's response"), max_length=8000, blank=True)
    provider_responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The suspension or removal the concern was decided with, if any (its case links back here).
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns")
    # Bumped on every change: two coordinators acting at once detect each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # The tool's name when it is already loaded (the audit log's label); never a query of its own.
        about = self.tool.name if Concern.tool.is_cached(self) else f"tool {self.tool_id}"
        return f"Concern about {about} ({self.status})"

    @property
    def awaits_provider_response(self) -> bool:
        """The coordinators asked the provider to respond, and are still waiting for it."""
        return (
            self.outcome == self.Outcome.PROVIDER_ASKED
            and self.status == self.Status.DECIDED
            and self.provider_responded_at is None
        )


class ConcernNote(models.Model):
    """A coordinator's note on a concern (internal: neither reporter nor provider sees it)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=8000)
    # The status the concern was moved to with this note, if any.
    status = models.CharField(max_length=20, choices=Concern.Status.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.concern_id}"
