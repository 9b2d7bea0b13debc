"""Concerns about tools: what signed-in users report, and the coordinators' triage of it.

A concern may end in a suspension or removal, which is a moderation `Notice` (the app below).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import Notice


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
        db_table = "moderation_concern"  # the table kept its name when concerns left moderation
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
        db_table = "moderation_concernnote"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.concern_id}"
