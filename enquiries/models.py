"""Officers asking a tool's provider for a demonstration, a trial or contact, and the exchange
that follows between the officer and the provider's members.

The provider never reads the officer's account: what it may know of the officer is copied into
the `shared_*` fields when the request is sent, each one only if the officer chose to share it,
and the provider's pages and notifications are built from those copies alone
(`enquiries.selectors.provider_copy`). `__str__` names only the kind and the public id: it ends up
in audit labels, which carry no names and no message text.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

MESSAGE_MAX = 4000
REASON_MAX = 2000


class Enquiry(models.Model):
    """An officer's request to the provider of a published tool, and its exchange."""

    class Kind(models.TextChoices):
        DEMONSTRATION = "demonstration", _("A demonstration")
        TRIAL = "trial", _("A trial")
        CONTACT = "contact", _("Contact")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed by the coordinators")
        ENDED = "ended", _("Ended: the officer closed their account")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tool = models.ForeignKey("catalogue.Tool", on_delete=models.PROTECT, related_name="+")
    # The tool's organisation when the request was sent: whose members read and answer it.
    organisation = models.ForeignKey("providers.Organisation", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what you ask for"), max_length=20, choices=Kind.choices)
    # What the officer chose to share, copied when the request was sent; empty when not shared.
    shared_name = models.CharField(max_length=150, blank=True)
    shared_agency = models.CharField(max_length=200, blank=True)
    shared_country = CountryField(blank=True)
    shared_email = models.EmailField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-last_message_at"]),
            models.Index(fields=["officer", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return f"Request to a provider {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class EnquiryMessage(models.Model):
    """One message of the exchange: the officer's (the first is the request itself) or a provider member's."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_officer = models.BooleanField()
    body = models.TextField(max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["enquiry", "created_at"])]

    def __str__(self) -> str:
        return f"Message in a request to a provider {self.public_id}"


class AbuseReport(models.Model):
    """One side of an exchange reported it to the coordinators, who may then open it."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a coordinator")
        DISMISSED = "dismissed", _("Dismissed")
        CLOSED = "closed", _("Exchange closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_officer = models.BooleanField()
    reason = models.TextField(max_length=REASON_MAX)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry", "reporter"], condition=Q(state="open"), name="one_open_report_per_reporter"
            )
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"Report of a request to a provider {self.public_id}"
