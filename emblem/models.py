"""Notifications of an intended use of the initiative's name or emblem.

A provider organisation tells the coordinators before it uses the name or emblem (PRODUCT.md
§3.7); coordinators acknowledge or object, with a comment. Every submission, decision and
comment is kept as an `EmblemEntry`, so both sides see the whole history.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Medium(models.TextChoices):
    WEBSITE = "website", _("Website")
    PRINTED = "printed", _("Printed material")
    PRESENTATION = "presentation", _("Presentation")
    SOCIAL_MEDIA = "social_media", _("Social media")
    PRESS_RELEASE = "press_release", _("Press release")
    PRODUCT_INTERFACE = "product_interface", _("Product interface")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the coordinators")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    OBJECTED = "objected", _("Objected to")


# Which state may follow which; checked by the service that records a decision.
TRANSITIONS = {
    State.SUBMITTED: {State.ACKNOWLEDGED, State.OBJECTED},
    State.ACKNOWLEDGED: set(),
    State.OBJECTED: set(),
}


class SampleType(models.TextChoices):
    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


SAMPLE_EXTENSIONS = {SampleType.PDF: "pdf", SampleType.PNG: "png", SampleType.JPEG: "jpg"}
SAMPLE_CONTENT_TYPES = {SampleType.PDF: "application/pdf", SampleType.PNG: "image/png", SampleType.JPEG: "image/jpeg"}


def sample_path(instance, filename):
    # Server-generated names only: nothing the uploader typed reaches the file system.
    return f"emblem/{uuid.uuid4().hex}.{SAMPLE_EXTENSIONS[SampleType(instance.sample_type)]}"


class EmblemNotification(models.Model):
    """One intended use of the name or emblem, as the provider describes it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.PROTECT, related_name="emblem_notifications"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A new notification sent after an objection points to the one it replaces.
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions")
    intended_use = models.TextField(_("intended use"), max_length=3000)
    medium = models.CharField(_("medium"), max_length=20, choices=Medium.choices)
    audience = models.CharField(_("audience"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    sample = models.FileField(upload_to=sample_path)
    sample_type = models.CharField(max_length=10, choices=SampleType.choices)
    sample_size = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change; lets two coordinators acting at once detect each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="emblem_period_end_after_start")
        ]

    def __str__(self) -> str:
        return f"Emblem notification {self.public_id}"

    @property
    def is_decidable(self) -> bool:
        return bool(TRANSITIONS[State(self.state)])


class EmblemEntry(models.Model):
    """One line of a notification's history: the submission, a decision or a comment."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Notification sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        OBJECTED = "objected", _("Objection")
        COMMENT = "comment", _("Comment")

    notification = models.ForeignKey(EmblemNotification, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
