"""Officers' discussions (spaces, threads, posts), field reports on tools and private
declarations that an officer's agency uses a tool (issue 11, PRODUCT.md 4).

Nothing here is ever shown to providers or anonymous visitors, nor counted for them: every
page and read is behind the `discussions.*`, `field_reports.*` and `agency_use.*` rules.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Tool
from questionnaires.models import translated

# How long an author may edit a post after writing it (checked by the service, not the form).
EDIT_WINDOW = timedelta(minutes=30)


class Space(models.Model):
    """Where threads live: a topic (named and ordered by coordinators) or one tool's space.

    Topic spaces are found by `slug` (a workflow step's option value, or a topic of the hub's
    own); a tool's space by its tool, and it is created with its first thread or subscription.
    """

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        TOOL = "tool", _("Tool")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TOPIC)
    slug = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    tool = models.OneToOneField(Tool, null=True, blank=True, on_delete=models.CASCADE, related_name="discussion_space")
    # {"en": ..., "fr": ...}; a missing language falls back to English (questionnaires.translated).
    names = models.JSONField(default=dict, blank=True)
    descriptions = models.JSONField(default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Locked by a coordinator (with the reason shown on the space).
    is_locked = models.BooleanField(default=False)
    lock_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="topic", tool__isnull=True, slug__isnull=False) | Q(kind="tool", tool__isnull=False)),
                name="space_is_a_topic_or_a_tool",
            )
        ]

    def __str__(self) -> str:
        return f"Space {self.slug or self.tool_id}"

    @property
    def name(self) -> str:
        if self.kind == self.Kind.TOOL and self.tool_id:
            return self.tool.name
        return translated(self.names)

    @property
    def description(self) -> str:
        return translated(self.descriptions)


class Thread(models.Model):
    """A conversation in a space: a title and its posts, oldest first."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A tool is never deleted by the hub (it is removed); if the data admin deletes one, its
    # space and discussions go with it, like its answers, follows and field reports.
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_locked = models.BooleanField(default=False)
    lock_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [models.Index(fields=["space", "-last_post_at"])]

    def __str__(self) -> str:
        return f"Thread {self.public_id}"


class Post(models.Model):
    """One message of a thread, in Markdown (rendered through core.markdown's allow-list)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=20000)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True, max_length=2000)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"Post {self.public_id}"

    def edit_window_open(self, now=None) -> bool:
        return (now or timezone.now()) - self.created_at <= EDIT_WINDOW


class Subscription(models.Model):
    """Someone wants to hear of new posts in a thread, or in any thread of a space."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, space__isnull=True) | Q(thread__isnull=True, space__isnull=False),
                name="subscription_to_a_thread_or_a_space",
            ),
            models.UniqueConstraint(fields=["user", "thread"], name="one_subscription_per_thread"),
            models.UniqueConstraint(fields=["user", "space"], name="one_subscription_per_space"),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk}"


class PostReport(models.Model):
    """An officer asks the coordinators to look at a post; closed when they hide it or dismiss it."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for the coordinators")
        HIDDEN = "hidden", _("Post hidden")
        DISMISSED = "dismissed", _("No action needed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what is wrong with this post?"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Post report {self.public_id}"


class FieldReport(models.Model):
    """An officer's structured account of using a tool. Experience, never a rating: there is
    no score here and nothing that could sort or rank tools."""

    class Attribution(models.TextChoices):
        NAME = "name", _("Under my display name")
        REGION = "region", _("As “an officer in <region>”")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="field_reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attribution = models.CharField(
        _("show this report"), max_length=10, choices=Attribution.choices, default=Attribution.NAME
    )
    used_in = models.DateField(_("month of use"))
    context = models.TextField(_("context of use"), max_length=4000)
    data = models.TextField(_("data types and volumes"), max_length=4000)
    hurdles = models.TextField(_("legal or procurement hurdles"), max_length=4000, blank=True)
    integration = models.TextField(_("integration effort"), max_length=4000, blank=True)
    worked = models.TextField(_("what worked"), max_length=4000, blank=True)
    did_not_work = models.TextField(_("what did not work"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tool", "-created_at"])]

    def __str__(self) -> str:
        return f"Field report {self.public_id}"


class AgencyUse(models.Model):
    """An officer privately declares that their agency uses a tool: never shown to providers,
    never used for ordering; it makes suspension and removal notices reach them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="agency_uses")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tool"], name="one_agency_use_per_tool")]

    def __str__(self) -> str:
        return f"Agency use {self.pk}"
