"""Writes for events: planning them, who takes part, registration with a waiting list, materials.

Each function takes the acting user, runs in one transaction, writes its audit event and tells the
people concerned (inbox and email through `notifications.inbox`) in that transaction.

Registration is first come, first served and race-safe: every change to an event's places locks
the event's row first (`select_for_update`; on SQLite the write transaction itself is exclusive),
and a promotion from the waiting list is a conditional update that only succeeds on a
registration still waiting, so two cancellations at once never give one place twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core.time_zones import DEFAULT_ZONE, get_zone
from notifications.inbox import notify, register_message
from notifications.models import Kind

from .models import Event, EventStatus, Participant, Registration, Reminder


class EventClosed(Exception):
    """The event was cancelled or has started: registrations no longer change."""


class StaleEdit(Exception):
    """The event changed since the coordinator loaded it."""


class MaterialsTooEarly(Exception):
    """Materials are attached after the event has ended."""


EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "online_url",
    "place",
    "languages",
    "audience",
    "capacity",
)
# A change to one of these is news for the people registered.
PRACTICAL_FIELDS = ("starts_at", "ends_at", "time_zone", "online_url", "place")

REMINDERS = {Reminder.Before.WEEK: timedelta(days=7), Reminder.Before.DAY: timedelta(days=1)}

# Inbox texts (translated when read); the emails are the same text and a link.
register_message("event_promoted", _("A place became free: you are now registered for %(title)s (%(start)s)"))
register_message("event_reminder", _("Reminder: %(title)s starts %(start)s"))
register_message("event_cancelled", _("The event %(title)s (%(start)s) was cancelled"))
register_message("event_changed", _("The time or place of %(title)s changed: now %(start)s"))


def local_time_label(moment, zone_name: str) -> str:
    """A time in a zone as "2025-06-03 14:00 (Europe/Paris)": the same in every language."""
    zone_name = zone_name or DEFAULT_ZONE
    local = moment.astimezone(get_zone(zone_name))
    return f"{local:%Y-%m-%d %H:%M} ({zone_name})"


def _snapshot(event: Event) -> dict:
    values = {}
    for field in EDITABLE_FIELDS:
        value = getattr(event, field)
        values[field] = value.isoformat() if hasattr(value, "isoformat") else value
    values["status"] = event.status
    values["version"] = event.version
    return values


def _tell(users, message: str, event: Event) -> None:
    """Inbox and email for each user, the event's start in that user's own time zone."""
    link = reverse("events:detail", args=[event.public_id])
    for user in users:
        notify(
            user,
            Kind.EVENT_UPDATE,
            message=message,
            params={"title": event.title, "start": local_time_label(event.starts_at, user.time_zone)},
            link=link,
        )


def _people_concerned(event: Event):
    """Officers with a place or on the waiting list."""
    return User.objects.filter(
        event_registrations__event=event,
        event_registrations__status__in=(Registration.Status.REGISTERED, Registration.Status.WAITING),
    ).order_by("pk")


# --- planning ----------------------------------------------------------------------------------
@transaction.atomic
def create_event(*, by: User, request=None, **fields) -> Event:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an event field: {', '.join(sorted(unknown))}")
    event = Event.objects.create(created_by=by, **fields)
    record(Action.EVENT_CREATED, actor=by, target=event, request=request, after=_snapshot(event))
    return event


@transaction.atomic
def update_event(event: Event, *, by: User, expected_version: int, request=None, **changes) -> Event:
    """A coordinator changes an event. More places move the waiting list up; a new time or place
    is told to everyone registered or waiting."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an event field: {', '.join(sorted(unknown))}")
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.version != expected_version or locked.is_cancelled:
        raise StaleEdit
    before = _snapshot(locked)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    locked.version = F("version") + 1
    locked.save(update_fields=[*changed, "version"])
    locked.refresh_from_db()
    after = _snapshot(locked)
    record(
        Action.EVENT_UPDATED,
        actor=by,
        target=locked,
        request=request,
        before={field: before[field] for field in [*changed, "version"]},
        after={field: after[field] for field in [*changed, "version"]},
    )
    if any(field in PRACTICAL_FIELDS for field in changed):
        _tell(_people_concerned(locked), "event_changed", locked)
    if "capacity" in changed and not locked.has_started():
        _promote_waiting(locked)
    return locked


@transaction.atomic
def cancel_event(event: Event, *, by: User, request=None) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        return locked
    before = _snapshot(locked)
    concerned = list(_people_concerned(locked))
    locked.status = EventStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "cancelled_at", "version"])
    locked.refresh_from_db()
    record(
        Action.EVENT_CANCELLED,
        actor=by,
        target=locked,
        request=request,
        before={"status": before["status"]},
        after={"status": locked.status, "told": len(concerned)},
    )
    _tell(concerned, "event_cancelled", locked)
    return locked


@transaction.atomic
def add_participant(
    event: Event,
    *,
    by: User,
    role: str,
    kind: str,
    organisation=None,
    user: User | None = None,
    name: str = "",
    affiliation: str = "",
    request=None,
) -> Participant:
    if kind == Participant.Kind.PROVIDER and organisation is None:
        raise ValueError("A provider representative needs an organisation.")
    if kind != Participant.Kind.PROVIDER:
        organisation = None
    participant = Participant.objects.create(
        event=event,
        role=role,
        kind=kind,
        organisation=organisation,
        user=user,
        name=name.strip(),
        affiliation=affiliation.strip(),
    )
    record(
        Action.EVENT_PARTICIPANT_ADDED,
        actor=by,
        target=event,
        request=request,
        # The organisation is public; a person is named by account id only (names stay off the log).
        after={
            "participant": participant.pk,
            "role": role,
            "kind": kind,
            "organisation": str(organisation.public_id) if organisation else None,
            "user": str(user.public_id) if user else None,
        },
    )
    return participant


@transaction.atomic
def remove_participant(participant: Participant, *, by: User, request=None) -> None:
    event = participant.event
    before = {
        "participant": participant.pk,
        "role": participant.role,
        "kind": participant.kind,
        "organisation": str(participant.organisation.public_id) if participant.organisation_id else None,
    }
    participant.delete()
    record(Action.EVENT_PARTICIPANT_REMOVED, actor=by, target=event, request=request, before=before)


@transaction.atomic
def save_materials(
    event: Event, *, by: User, recording_url: str, slides=None, remove_slides: bool = False, request=None
) -> Event:
    """The recording link and slides (a checked PDF, see forms.MaterialsForm), once the event has ended."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not locked.has_ended():
        raise MaterialsTooEarly
    before = {"recording_url": locked.recording_url, "slides_size": locked.slides_size}
    locked.recording_url = recording_url
    if slides is not None:
        locked.slides.save("slides.pdf", slides, save=False)
        locked.slides_size = slides.size
    elif remove_slides:
        locked.slides = ""
        locked.slides_size = 0
    locked.materials_updated_at = timezone.now()
    locked.save(update_fields=["recording_url", "slides", "slides_size", "materials_updated_at"])
    record(
        Action.EVENT_MATERIALS_SAVED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"recording_url": locked.recording_url, "slides_size": locked.slides_size},
    )
    return locked


# --- registration --------------------------------------------------------------------------------
def _lock_open_event(event: Event) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled or locked.has_started():
        raise EventClosed
    return locked


def _places_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()


@transaction.atomic
def register(event: Event, *, user: User, request=None) -> Registration:
    """A place if one is free, otherwise the end of the waiting list. Registering again while
    registered or waiting changes nothing."""
    locked = _lock_open_event(event)
    registration = Registration.objects.select_for_update().filter(event=locked, user=user).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    now = timezone.now()
    has_place = _places_taken(locked) < locked.capacity and not _waiting(locked).exists()
    status = Registration.Status.REGISTERED if has_place else Registration.Status.WAITING
    if registration is None:
        registration = Registration(event=locked, user=user)
    registration.status = status
    registration.requested_at = now
    registration.registered_at = now if has_place else None
    registration.cancelled_at = None
    registration.save()
    record(
        Action.EVENT_REGISTERED if has_place else Action.EVENT_WAITLISTED,
        actor=user,
        target=locked,
        request=request,
        after={"registration": registration.pk, "status": status},
    )
    return registration


@transaction.atomic
def cancel_registration(event: Event, *, user: User, request=None) -> Registration | None:
    """The officer gives up their place (or leaves the waiting list); the first one waiting gets the place."""
    locked = _lock_open_event(event)
    registration = Registration.objects.select_for_update().filter(event=locked, user=user).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return registration
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    record(
        Action.EVENT_REGISTRATION_CANCELLED,
        actor=user,
        target=locked,
        request=request,
        before={"registration": registration.pk, "status": before},
        after={"status": registration.status},
    )
    if before == Registration.Status.REGISTERED:
        _promote_waiting(locked)
    return registration


def _waiting(event: Event):
    return Registration.objects.filter(event=event, status=Registration.Status.WAITING).order_by("requested_at", "id")


def next_waiting_ids(event: Event, count: int) -> list[int]:
    """The first `count` registrations on the waiting list (a seam the tests use to simulate a race)."""
    return list(_waiting(event).values_list("pk", flat=True)[:count])


def _promote_waiting(locked_event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. The caller holds the
    event's lock; each promotion is still conditional on the registration waiting, so one that
    left the list meanwhile is skipped and the next one gets the place."""
    promoted = []
    while True:
        free = locked_event.capacity - _places_taken(locked_event)
        if free <= 0:
            break
        candidates = next_waiting_ids(locked_event, free)
        if not candidates:
            break
        for pk in candidates:
            now = timezone.now()
            changed = Registration.objects.filter(pk=pk, status=Registration.Status.WAITING).update(
                status=Registration.Status.REGISTERED, registered_at=now
            )
            if not changed:
                continue
            registration = Registration.objects.select_related("user").get(pk=pk)
            record(
                Action.EVENT_PROMOTED,
                target=locked_event,
                after={"registration": registration.pk, "status": registration.status},
            )
            _tell([registration.user], "event_promoted", locked_event)
            promoted.append(registration)
    return promoted


# --- reminders ----------------------------------------------------------------------------------
def send_reminders(now=None) -> int:
    """Remind registrants 7 days and 1 day before their event (the periodic job). Idempotent: a
    `Reminder` row per registration and kind is written with the inbox entry and email, so neither
    is ever sent twice. A reminder whose moment had passed when the officer got their place is not
    sent (they were just told), and the 7-day one is not sent once the 1-day one is due."""
    now = now or timezone.now()
    sent = 0
    for before, ahead in REMINDERS.items():
        nearer = min((delta for delta in REMINDERS.values() if delta < ahead), default=timedelta(0))
        due = (
            Registration.objects.filter(
                status=Registration.Status.REGISTERED,
                event__status=EventStatus.SCHEDULED,
                event__starts_at__gt=now + nearer,
                event__starts_at__lte=now + ahead,
                registered_at__lte=F("event__starts_at") - ahead,
            )
            .exclude(reminders__before=before)
            .select_related("event", "user")
            .order_by("pk")
        )
        for registration in due:
            try:
                with transaction.atomic():
                    Reminder.objects.create(registration=registration, before=before, sent_at=now)
                    _tell([registration.user], "event_reminder", registration.event)
                    record(
                        Action.EVENT_REMINDED,
                        target=registration.event,
                        after={"registration": registration.pk, "before": before},
                    )
            except IntegrityError:
                continue  # another worker sent it first
            sent += 1
    return sent
