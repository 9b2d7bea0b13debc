"""The hub's contact point: anyone signed in writes to the coordinators, who answer from a shared queue.

`__str__` names only the kind and the public id: it ends up in audit labels, which carry no
names and no message text.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX = 8000


def post_file_path(instance, filename):
    # Never the uploader's file name (SECURITY.md UP-02).
    return f"contact/{uuid.uuid4().hex}.pdf"


class Conversation(models.Model):
    """A signed-in user's conversation with the coordinators, worked in their shared queue."""

    class Category(models.TextChoices):
        ACCOUNT = "account", _("My account, sign-in or vetting")
        CATALOGUE = "catalogue", _("The catalogue and its tools")
        TERMS = "terms", _("The terms of engagement and their updates")
        PERSONAL_DATA = "personal_data", _("Personal data and privacy")
        COMMUNITY = "community", _("Learning, events and the community")
        TECHNICAL = "technical", _("A technical problem")
        OTHER = "other", _("Something else")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Awaiting(models.TextChoices):
        COORDINATORS = "coordinators", _("Waiting for the coordinators")
        AUTHOR = "author", _("Answered")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # Whose turn it is: the queue shows first what waits for the coordinators.
    awaiting = models.CharField(max_length=20, choices=Awaiting.choices, default=Awaiting.COORDINATORS)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change: two coordinators assigning or closing at once detect each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["state", "awaiting", "last_post_at"]),
            models.Index(fields=["author", "-last_post_at"]),
        ]

    def __str__(self) -> str:
        return f"Conversation with the coordinators {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Post(models.Model):
    """One message of a conversation: the author's, or a coordinator's answer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_coordinators = models.BooleanField(default=False)
    body = models.TextField(max_length=MESSAGE_MAX)
    file = models.FileField(upload_to=post_file_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return f"Message to or from the coordinators {self.public_id}"
