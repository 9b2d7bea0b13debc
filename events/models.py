"""Trainings, webinars and conferences: who speaks and takes part, who registered, what was left after.

Times are stored in UTC; each event keeps the IANA zone it was planned in (`time_zone`) so its
page can say "10:00 in Europe/Paris" next to the reader's own time. A provider representative
taking part is linked to their organisation: the representation report (PRODUCT.md 3.4) counts
those links.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "conference", _("Conference")


class Audience(models.TextChoices):
    OFFICERS = "officers", _("Officers only")
    OFFICERS_AND_PROVIDERS = "officers_and_providers", _("Officers and providers")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


# The six languages of the hub (settings.LANGUAGES), as an event's spoken languages.
EVENT_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def slides_path(instance, filename):
    # Server-generated names only: nothing the uploader typed reaches the file system.
    return f"events/{uuid.uuid4().hex}.pdf"


class Event(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    # Codes from EVENT_LANGUAGES, in the order the coordinator gave them.
    languages = models.JSONField(_("languages"), default=list)
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices, default=Audience.OFFICERS)
    capacity = models.PositiveIntegerField(_("places"))
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True)
    slides = models.FileField(upload_to=slides_path, blank=True)
    slides_size = models.PositiveIntegerField(default=0)
    materials_updated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped on every change: the calendar entry's SEQUENCE, and a guard for two coordinators editing.
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_a_place"),
        ]

    def __str__(self) -> str:
        return f"Event {self.public_id}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def has_ended(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def is_open_to_providers(self) -> bool:
        return self.audience == Audience.OFFICERS_AND_PROVIDERS

    @property
    def has_materials(self) -> bool:
        return bool(self.recording_url or self.slides)


class Participant(models.Model):
    """Someone who speaks at or takes part in an event (as recorded by the coordinators).

    A provider representative names their organisation (and, optionally, their account); the
    others are coordinators, officers (an account) or external people (a name)."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        PARTICIPANT = "participant", _("Participant")

    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Provider representative")
        COORDINATOR = "coordinator", _("Coordinator")
        OFFICER = "officer", _("Officer")
        EXTERNAL = "external", _("External")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    kind = models.CharField(_("who"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        "providers.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="event_appearances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "id"]
        indexes = [models.Index(fields=["organisation", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="provider") | Q(organisation__isnull=False),
                name="provider_participant_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(kind="provider") | Q(organisation__isnull=True), name="only_providers_have_an_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_kind_display()})"


class Registration(models.Model):
    """An officer's place at an event, or their place in its waiting list (first come, first served)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=20, choices=Status.choices)
    # Place in the queue: when the officer (last) asked for a place.
    requested_at = models.DateTimeField(default=timezone.now)
    # When the officer got a place (at once, or promoted from the waiting list).
    registered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["event", "status", "requested_at"])]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_officer")]

    def __str__(self) -> str:
        return f"Registration {self.pk} ({self.status})"


class Reminder(models.Model):
    """A reminder sent for one registration: the unique pair makes the job send each at most once."""

    class Before(models.TextChoices):
        WEEK = "7d", _("7 days before")
        DAY = "1d", _("1 day before")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    before = models.CharField(max_length=4, choices=Before.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "before"], name="one_reminder_of_each_kind")]

    def __str__(self) -> str:
        return f"Reminder {self.before}"
