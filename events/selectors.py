"""Reads for events: lists per reader, one officer's registration, materials, the representation report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from catalogue.models import Tool, ToolState
from core import policy
from providers.models import Organisation

from . import fairness
from .models import Event, EventStatus, Participant, Registration


def visible_events(user):
    return policy.scoped("events.visible", user)


def with_places(queryset, user, *, counts: bool):
    """Annotate each event with the reader's own registration status and, when the reader may see
    them (`counts`), the places taken and the length of the waiting list: one query in all."""
    mine = Registration.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1]
    queryset = queryset.annotate(my_status=Subquery(mine))
    if counts:
        queryset = queryset.annotate(
            taken=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        )
    return queryset


def upcoming_events(user, now=None):
    """Events that have not ended yet, soonest first (cancelled ones stay listed, marked)."""
    now = now or timezone.now()
    return visible_events(user).filter(ends_at__gt=now).order_by("starts_at", "id")


def past_events(user, now=None):
    now = now or timezone.now()
    return visible_events(user).filter(ends_at__lte=now).order_by("-starts_at", "-id")


def events_with_materials(user, now=None):
    """Past, held events with a recording or slides that `user` may see, newest first.

    For the Learning Centre to link to (each event's page is `events:detail`, the slides
    `events:slides`); empty for anyone who may not see events."""
    now = now or timezone.now()
    return (
        past_events(user, now)
        .filter(status=EventStatus.SCHEDULED)
        .filter(~Q(recording_url="") | ~Q(slides=""))
        .order_by("-starts_at", "-id")
    )


def registration_of(event: Event, user) -> Registration | None:
    return Registration.objects.filter(event=event, user=user).first()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration is None or registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        Q(requested_at__lt=registration.requested_at)
        | Q(requested_at=registration.requested_at, pk__lt=registration.pk),
        event_id=registration.event_id,
        status=Registration.Status.WAITING,
    ).count()
    return ahead + 1


def place_counts(event: Event) -> dict:
    counts = Registration.objects.filter(event=event).aggregate(
        taken=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
    )
    counts["left"] = max(event.capacity - counts["taken"], 0)
    return counts


def registrations_for(event: Event):
    return (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "user__officer")
        .order_by("status", "requested_at", "id")
    )


def participants_of(event: Event):
    return event.participants.select_related("organisation", "user").order_by("role", "id")


# --- the representation report (PRODUCT.md 3.4) ------------------------------------------------
@dataclass
class ProviderRow:
    organisation: Organisation
    speaker: int = 0
    participant: int = 0
    has_published_tools: bool = False
    share: Fraction = Fraction(0)
    over: bool = False

    @property
    def total(self) -> int:
        return self.speaker + self.participant

    @property
    def percent(self) -> str:
        return _percent(self.share)


@dataclass
class Representation:
    since: date
    until: date
    multiple: float
    rows: list[ProviderRow] = field(default_factory=list)
    events: int = 0

    @property
    def appearances(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def values(self) -> list[int]:
        return [row.total for row in self.rows]

    @property
    def equal_share(self) -> Fraction | None:
        return fairness.equal_share(len(self.rows))

    @property
    def equal_percent(self) -> str:
        return _percent(self.equal_share) if self.equal_share is not None else ""

    @property
    def gini(self) -> Fraction | None:
        return fairness.gini(self.values)

    @property
    def gini_text(self) -> str:
        return f"{float(self.gini):.2f}" if self.gini is not None else ""

    @property
    def ratio(self) -> Fraction | None:
        return fairness.max_min_ratio(self.values)

    @property
    def ratio_among_appeared(self) -> Fraction | None:
        return fairness.max_min_ratio([value for value in self.values if value])

    @staticmethod
    def ratio_text(ratio) -> str:
        return f"{float(ratio):.1f}".removesuffix(".0") if ratio is not None else ""

    @property
    def ratio_all_text(self) -> str:
        return self.ratio_text(self.ratio)

    @property
    def ratio_appeared_text(self) -> str:
        return self.ratio_text(self.ratio_among_appeared)

    @property
    def never_appeared(self) -> list[ProviderRow]:
        return [row for row in self.rows if row.total == 0]

    @property
    def over_represented(self) -> list[ProviderRow]:
        return [row for row in self.rows if row.over]

    @property
    def limit_percent(self) -> str:
        if self.equal_share is None:
            return ""
        return _percent(self.equal_share * Fraction(str(self.multiple)))


def _percent(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}".removesuffix(".0")


def period_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """From the start of `since` to the end of `until`, in UTC (the hub's days)."""
    return datetime.combine(since, time.min, tzinfo=UTC), datetime.combine(until, time.min, tzinfo=UTC) + timedelta(
        days=1
    )


def representation(since: date, until: date, *, multiple: float | None = None) -> Representation:
    """Appearances per provider organisation at events held (not cancelled) that started in the
    period, as speaker and as participant.

    The population is every organisation that appeared in the period plus every organisation with
    a published tool now (those that never appeared count with 0): the equal share is 1 / that
    number. An appearance is one representative listed at one event (two speakers from one
    organisation at one event are two appearances)."""
    multiple = settings.EVENTS_OVERREPRESENTATION_MULTIPLE if multiple is None else multiple
    start, end = period_bounds(since, until)
    held = Q(event__status=EventStatus.SCHEDULED, event__starts_at__gte=start, event__starts_at__lt=end)
    counted = (
        Participant.objects.filter(held, kind=Participant.Kind.PROVIDER)
        .values("organisation_id", "role")
        .annotate(n=Count("pk"))
        .order_by()
    )
    published = set(Tool.objects.filter(state=ToolState.PUBLISHED).values_list("organisation_id", flat=True).distinct())
    counts: dict[int, dict[str, int]] = {}
    for row in counted:
        counts.setdefault(row["organisation_id"], {})[row["role"]] = row["n"]
    organisations = Organisation.objects.filter(pk__in=set(counts) | published).order_by("name", "pk")
    report = Representation(since=since, until=until, multiple=multiple)
    report.events = Event.objects.filter(status=EventStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end).count()
    for organisation in organisations:
        own = counts.get(organisation.pk, {})
        report.rows.append(
            ProviderRow(
                organisation=organisation,
                speaker=own.get(Participant.Role.SPEAKER, 0),
                participant=own.get(Participant.Role.PARTICIPANT, 0),
                has_published_tools=organisation.pk in published,
            )
        )
    for row, share in zip(report.rows, fairness.shares(report.values), strict=True):
        row.share = share
    for index in fairness.over_represented(report.values, multiple):
        report.rows[index].over = True
    # Most appearances first; ties by name (the order in which they were read).
    report.rows.sort(key=lambda row: -row.total)
    return report
