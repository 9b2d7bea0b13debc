"""Tools described by providers, their answers and attachments, and coordinators' reviews.

There is deliberately no field that could favour one tool over another (no featured,
sponsored, premium or popularity flag): equal visibility is a rule of the product.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ToolState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    # The provider took the tool out of the catalogue (withdrawals app): not a sanction.
    WITHDRAWN = "withdrawn", _("Withdrawn by the provider")
    # An update request (a revision) whose changes were applied to the published tool.
    APPLIED = "applied", _("Update applied")


# Which state may follow which; checked by the service functions that move a tool.
# Withdrawal (withdrawals.services): a provider admin withdraws a published tool; an organisation
# that leaves the hub withdraws every tool that is not removed or rejected, drafts and submissions
# included. A withdrawn tool goes back to the catalogue only through review (submitted again).
TRANSITIONS = {
    ToolState.DRAFT: {ToolState.SUBMITTED, ToolState.WITHDRAWN},
    ToolState.CHANGES_REQUESTED: {ToolState.SUBMITTED, ToolState.WITHDRAWN},
    # A submitted revision is not published itself: catalogue.updates applies it (APPLIED).
    ToolState.SUBMITTED: {
        ToolState.PUBLISHED,
        ToolState.CHANGES_REQUESTED,
        ToolState.REJECTED,
        ToolState.APPLIED,
        ToolState.WITHDRAWN,
    },
    ToolState.PUBLISHED: {ToolState.SUSPENDED, ToolState.REMOVED, ToolState.WITHDRAWN},
    ToolState.REJECTED: set(),
    # Moderation (moderation.services): a suspended tool is reinstated or removed; removal is final.
    ToolState.SUSPENDED: {ToolState.PUBLISHED, ToolState.REMOVED, ToolState.WITHDRAWN},
    ToolState.REMOVED: set(),
    ToolState.WITHDRAWN: {ToolState.SUBMITTED},
    ToolState.APPLIED: set(),
}


def logo_path(instance, filename):
    # Server-generated names only: nothing the uploader typed reaches the file system.
    return f"logos/{uuid.uuid4().hex}.png"


def attachment_path(instance, filename):
    return f"attachments/{uuid.uuid4().hex}.pdf"


class Tool(models.Model):
    """An AI tool as its provider describes it."""

    slug = models.SlugField(max_length=80, unique=True)
    organisation = models.ForeignKey("providers.Organisation", on_delete=models.PROTECT, related_name="tools")
    name = models.CharField(_("name"), max_length=120)
    short_description = models.CharField(_("short description"), max_length=300)
    long_description = models.TextField(_("long description"), max_length=10000, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    # The language the provider wrote the name, descriptions and original answers in: pages in
    # another language mark that text with it (lang/dir) so it is read and laid out correctly, and
    # name it where an answer has no translation into the reader's language (catalogue.translations).
    text_language = models.CharField(
        _("language of the description"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    logo = models.ImageField(upload_to=logo_path, blank=True)
    state = models.CharField(max_length=20, choices=ToolState.choices, default=ToolState.DRAFT, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change; lets two coordinators acting at once detect each other.
    version = models.PositiveIntegerField(default=1)
    # A pending update of a published tool is a separate draft row pointing at it: the provider
    # edits the copy while the published entry stays as it is until a coordinator approves.
    revision_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    # When the provider last confirmed the published entry is still accurate (publication counts).
    last_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the last "please confirm" reminder went out; reset by a confirmation.
    confirmation_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.state == ToolState.PUBLISHED

    @property
    def is_editable_by_provider(self) -> bool:
        # A withdrawn tool is out of the catalogue: its provider may correct it before submitting
        # it again, and the review publishes it as a new version.
        return self.state in (ToolState.DRAFT, ToolState.CHANGES_REQUESTED, ToolState.WITHDRAWN)

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    @property
    def confirmed_at(self):
        """When the entry was last confirmed accurate: by its provider, by an approved update, or at
        publication (both set `last_confirmed_at`; older entries count from their publication)."""
        return self.last_confirmed_at or self.published_at or self.created_at


class Answer(models.Model):
    """A provider's answer to one question (of the version it was given for).

    `value` holds the typed answer: text, list of option values, bool, number or ISO date.
    `translations` holds per-language versions of free-text answers.
    """

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("questionnaires.Question", on_delete=models.PROTECT, related_name="answers")
    question_key = models.SlugField(max_length=80, db_index=True)
    value = models.JSONField(null=True, blank=True)
    translations = models.JSONField(default=dict, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tool", "question"], name="unique_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.tool} / {self.question_key}"


class Attachment(models.Model):
    """A PDF attached to a tool (for example an independent assessment report)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="attachments")
    question_key = models.SlugField(max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=attachment_path)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """A coordinator's decision on a submission; providers see the comment."""

    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Published")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        REJECT = "reject", _("Rejected")

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tool} {self.decision}"


class ToolVersion(models.Model):
    """One published version of a tool: what officers saw from `published_at` on.

    `snapshot` holds the tool's fields, its answers by question key and its attachments;
    `changed` lists what differs from the previous version (question keys, and "name",
    "short_description", "long_description", "website", "logo", "attachments").
    """

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField(default=dict)
    changed = models.JSONField(default=list)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["tool", "number"], name="unique_tool_version_number")]

    def __str__(self) -> str:
        return f"{self.tool} v{self.number}"
