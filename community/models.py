"""Meet other officers: the opt-in directory, contact requests, private messages, blocks,
reports of messages to the coordinators and suspensions from the community features.

Nothing here is ever shown to providers or anonymous visitors. `__str__` of every model names
only its kind and public id: it ends up in audit labels, and those must carry no names and no
message content.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MAX = 80
NOTE_MAX = 500
MESSAGE_MAX = 2000
REASON_MAX = 1000


class DirectoryProfile(models.Model):
    """An officer's entry in the directory and what other verified officers may see of it.

    Hidden unless `listed`; each `show_*` flag opts one field in. The values themselves
    (agency, unit, country from the vetting record; languages, expertise and tools here) are kept
    whether shown or not, so an officer can hide a field and show it again without retyping.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_profile")
    listed = models.BooleanField(default=False)
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)
    # The display name casefolded in Python (the database's lower() is ASCII-only on SQLite).
    sort_key = models.CharField(max_length=DISPLAY_NAME_MAX * 3, blank=True, editable=False, db_index=True)
    show_agency = models.BooleanField(default=False)
    show_unit = models.BooleanField(default=False)
    show_country = models.BooleanField(default=False)
    show_languages = models.BooleanField(default=False)
    show_expertise = models.BooleanField(default=False)
    show_tools = models.BooleanField(default=False)
    tools = models.ManyToManyField("catalogue.Tool", blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Directory profile {self.public_id}"

    def save(self, *args, **kwargs):
        self.sort_key = self.display_name.casefold()
        if kwargs.get("update_fields") is not None and "display_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)


class DirectoryTag(models.Model):
    """One language or area of expertise of a directory profile (a row each, so the directory
    can filter on them with a join on every database)."""

    class Kind(models.TextChoices):
        LANGUAGE = "language", _("Language")
        EXPERTISE = "expertise", _("Area of expertise")

    profile = models.ForeignKey(DirectoryProfile, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A language code, or an expertise key "<source>:<slug>" (see community.expertise).
    value = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "kind", "value"], name="one_directory_tag")]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


class Connection(models.Model):
    """A contact request from one officer to another, and once accepted, their conversation.

    A declined request stays `declined` and its requester is never told: they see "pending"
    (the same as an ignored one). Blocking closes the connection."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Connected")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed")

    # Pending, declined and accepted are "live": at most one per pair of officers.
    LIVE_STATES = (State.PENDING, State.DECLINED, State.ACCEPTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "<lower pk>-<higher pk>": the pair whatever the direction, for the one-live-per-pair rule.
    pair = models.CharField(max_length=50, editable=False)
    note = models.CharField(max_length=NOTE_MAX)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    requester_shares_email = models.BooleanField(default=False)
    recipient_shares_email = models.BooleanField(default=False)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Set when the requester does not know who the recipient is (the author of a field report
    # signed "an officer in <region>"): the requester sees this name, not the recipient's entry,
    # until the recipient accepts.
    recipient_alias = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair"], condition=Q(state__in=["pending", "declined", "accepted"]), name="one_live_connection"
            ),
            models.CheckConstraint(condition=~Q(requester=models.F("recipient")), name="connection_not_to_self"),
        ]
        indexes = [models.Index(fields=["recipient", "state"]), models.Index(fields=["requester", "state"])]

    def __str__(self) -> str:
        return f"Connection {self.public_id}"

    def save(self, *args, **kwargs):
        self.pair = self.pair_of(self.requester, self.recipient)
        super().save(*args, **kwargs)

    def hides_recipient_from(self, user) -> bool:
        """The recipient stays unknown to the requester until they accept."""
        return bool(self.recipient_alias) and self.requester_id == user.pk and self.state != self.State.ACCEPTED

    @staticmethod
    def pair_of(first, second) -> str:
        low, high = sorted([first.pk, second.pk])
        return f"{low}-{high}"

    def involves(self, user) -> bool:
        return user.pk in (self.requester_id, self.recipient_id)

    def other(self, user):
        return self.recipient if user.pk == self.requester_id else self.requester

    def shares_email(self, user) -> bool:
        """Whether `user` shows their email address to the other officer of this connection."""
        return self.requester_shares_email if user.pk == self.requester_id else self.recipient_shares_email


class Message(models.Model):
    """A private message between the two officers of an accepted connection."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["connection", "-created_at"])]

    def __str__(self) -> str:
        return f"Private message {self.public_id}"


class Block(models.Model):
    """One officer blocked another: no requests or messages between them from then on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")]

    def __str__(self) -> str:
        return f"Block {self.public_id}"


class MessageReport(models.Model):
    """A private message its recipient reported to the coordinators, and their decision."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        DISMISSED = "dismissed", _("Dismissed")
        WARNED = "warned", _("Sender warned")
        SUSPENDED = "suspended", _("Sender suspended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="one_report_per_message")]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"Message report {self.public_id}"


class CommunitySuspensionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), starts_at__lte=now)


class CommunitySuspension(models.Model):
    """A coordinator suspended an officer's access to the community features (until `ends_at`,
    or until further notice)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_suspensions")
    reason = models.TextField(max_length=REASON_MAX)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    report = models.ForeignKey(MessageReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = CommunitySuspensionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Community suspension {self.public_id}"
