"""The durable outbox: messages written with the change that causes them."""

import uuid
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def message_id_domain() -> str:
    """The domain of our Message-IDs: the sender's, else the hub's host name."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain or urlsplit(settings.SITE_URL).hostname or "saferhub.invalid"


def new_message_id() -> str:
    """A fresh RFC 5322 Message-ID, e.g. <176...@hub.example.org>."""
    return make_msgid(domain=message_id_domain())


class OutboxMessage(models.Model):
    """One email waiting for, in, or done with delivery (SECURITY.md REL-01/02).

    Delivery is at least once: `message_id` is fixed when the row is created and sent
    with every attempt, so a receiving server can drop a repeated delivery (see
    `notifications.services.deliver`).
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("state of an email", "Waiting")
        CLAIMED = "claimed", _("Being delivered")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Gave up")

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # The serialised django EmailMessage (subject, body, alternatives, recipients).
    payload = models.JSONField()
    # The Message-ID header of every delivery attempt of this row.
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"])]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Outbox message {self.pk} ({self.state})"

    @property
    def recipient_count(self) -> int:
        """How many addresses the message goes to (the addresses themselves stay hidden)."""
        payload = self.payload or {}
        return sum(len(payload.get(kind) or []) for kind in ("to", "cc", "bcc"))


# --- the in-app inbox -----------------------------------------------------------------
class Kind(models.TextChoices):
    """What a notification is about; preferences are kept per kind. Append as needed."""

    VETTING_DECISION = "vetting_decision", _("Decisions on my registration")
    ORGANISATION_DECISION = "organisation_decision", _("Decisions on my organisation")
    TOOL_REVIEW = "tool_review", _("Reviews of our tools")
    TOOL_UPDATE = "tool_update", _("Updates to tools I follow")
    TOOL_SUSPENDED = "tool_suspended", _("Tool suspended")
    TOOL_REMOVED = "tool_removed", _("Tool removed")
    TOOL_REINSTATED = "tool_reinstated", _("Tool reinstated")
    SAVED_SEARCH_MATCH = "saved_search_match", _("New tools matching my saved searches")
    CONCERN_UPDATE = "concern_update", _("Concerns about tools")
    EMBLEM_UPDATE = "emblem_update", _("Use of the name and emblem")
    ACCOUNT_SECURITY = "account_security", _("Security of my account")
    TOOL_CONFIRMATION = "tool_confirmation", _("Reminders to confirm our catalogue entries")
    MODERATION_CASE = "moderation_case", _("Replies and answers on suspension and removal cases")
    COMMUNITY_CONTACT = "community_contact", _("Contact requests from other officers")
    COMMUNITY_MESSAGE = "community_message", _("Private messages from other officers")
    COMMUNITY_MODERATION = "community_moderation", _("Moderation of private messages")
    EVENT_UPDATE = "event_update", _("Events I registered for")
    DISCUSSION_POST = "discussion_post", _("New posts in discussions I subscribed to")
    DISCUSSION_MODERATION = "discussion_moderation", _("Coordinators' decisions on my discussion posts")
    DISCUSSION_REPORT = "discussion_report", _("Discussion posts reported to the coordinators")
    LEARNING_REVIEW = "learning_review", _("Learning content due for review")
    TOOL_WITHDRAWN = "tool_withdrawn", _("Tools withdrawn by their provider")
    ORGANISATION_LEFT = "organisation_left", _("Provider organisations leaving the hub")
    TERMS_UPDATE = "terms_update", _("New versions of the terms that apply to me")
    CONTACT_POINT = "contact_point", _("My messages with the coordinators")
    ENQUIRY = "enquiry", _("Requests between officers and technology providers")


class KindField(models.CharField):
    """A CharField whose choices stay out of migrations, so appending a Kind needs none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("choices", Kind.choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs


class Notification(models.Model):
    """One thing a user was told, in their inbox until they read it.

    The text is not stored: `message_key` names a translatable template in
    `notifications.inbox.MESSAGES` and `params` fills it, so each reader sees it in the
    language they use at the time.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = KindField()
    message_key = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.public_id} ({self.kind})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether a user wants email for one kind of notification (no row: yes)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = KindField()
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"Preference {self.kind}: {'email' if self.email else 'inbox only'}"


class UserSettings(models.Model):
    """Per-user notification settings: the language emails are written in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("Language of emails"), max_length=10, choices=settings.LANGUAGES, default="en")

    class Meta:
        verbose_name_plural = "user settings"

    def __str__(self) -> str:
        return f"Settings ({self.language})"
