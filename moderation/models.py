"""Suspensions, removals and reinstatements of published tools, and the provider's right of reply.

A `Notice` is the record of one coordinator decision: what happened to which tool, on which
clause of the provider terms it rests, what officers are told and what the provider is told.
Officers see the summary and the officer guidance; the provider guidance is for the provider's
members only. Notices are never edited: a later decision is a new notice.

A provider that withdraws its tool (the withdrawals app) also leaves a notice, so that the
register and the tool's page say so: its action is `withdrawn`, its reason `provider_withdrew`,
its summary the provider's own (optional) reason, and `decided_by` the provider's admin. It is
not a sanction and carries no guidance.
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
    WITHDRAWN = "withdrawn", _("Withdrawn by the provider")

    @property
    def is_safety_notice(self) -> bool:
        """Suspensions and removals: they reach everyone who may still use the tool, and their
        inbox kinds are always emailed (notifications.inbox.ALWAYS_EMAILED)."""
        return self in (NoticeAction.SUSPENDED, NoticeAction.REMOVED)

    @property
    def is_decision(self) -> bool:
        """A coordinators' decision, with a case and a right of reply (not a provider's withdrawal)."""
        return self != NoticeAction.WITHDRAWN

    @property
    def inbox_kind(self) -> Kind:
        return {
            NoticeAction.SUSPENDED: Kind.TOOL_SUSPENDED,
            NoticeAction.REMOVED: Kind.TOOL_REMOVED,
            NoticeAction.REINSTATED: Kind.TOOL_REINSTATED,
            NoticeAction.WITHDRAWN: Kind.TOOL_WITHDRAWN,
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
    # Not a ground of a decision: the provider withdrew its tool itself (withdrawals app).
    PROVIDER_WITHDREW = "provider_withdrew", _("The provider withdrew the tool (not a sanction)")

    @classmethod
    def decision_choices(cls) -> list[tuple[str, str]]:
        """The grounds a coordinator can give for a decision."""
        return [(value, label) for value, label in cls.choices if value != cls.PROVIDER_WITHDREW]


class Notice(models.Model):
    """One moderation decision about a tool, as officers and the provider are told of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.ForeignKey("catalogue.Tool", on_delete=models.PROTECT, related_name="notices")
    action = models.CharField(_("decision"), max_length=20, choices=NoticeAction.choices, db_index=True)
    reason_code = models.CharField(_("reason"), max_length=40, choices=ReasonCode.choices)
    # Required for a coordinators' decision (moderation.services); a withdrawal's is optional.
    summary = models.TextField(_("reason summary for officers"), max_length=4000, blank=True)
    officer_guidance = models.TextField(_("guidance for officers"), max_length=8000, blank=True)
    provider_guidance = models.TextField(_("guidance for the provider"), max_length=8000, blank=True)
    # The language the texts above were written in (the coordinator's, or the provider's for a
    # withdrawal): readers of another language get them marked with it (lang/dir).
    language = models.CharField(_("language of the texts"), max_length=10, choices=settings.LANGUAGES, default="en")
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
    """Kept for moderation's migrations 0002–0004, written before concerns had an app of their own
    (its `concerns.models.concern_file_path` names the files the same way)."""
    return f"concerns/{uuid.uuid4().hex}.pdf"
