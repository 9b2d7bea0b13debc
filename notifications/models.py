"""The durable outbox: messages written with the change that causes them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email waiting for, in, or done with delivery (SECURITY.md REL-01/02)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CLAIMED = "claimed", _("Being delivered")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Gave up")

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # The serialised django EmailMessage (subject, body, alternatives, recipients).
    payload = models.JSONField()
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
