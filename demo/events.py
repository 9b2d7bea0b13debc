"""Demo events: past ones with a visible imbalance, upcoming ones with a full waiting list.

Every title says "Demo", every description starts "Demo text:" and every place is fictitious.
In the past year the first demo organisation (Lumensift) speaks at every event, two others appear
once each, and every other provider with published tools never appears: the representation
report (/events/representation/) shows the warning. Upcoming: a full webinar with a waiting list,
an in-person training, and a conference open to providers.

Idempotent: each event has a fixed public id derived from its key and is created only if missing,
with its participants and registrations.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import OfficerProfile, User
from catalogue.models import ToolState
from events.models import Audience, Event, EventKind, Participant, Registration
from providers.models import Organisation

from . import data

NAMESPACE = uuid.UUID("0c1f6a1e-5b2d-4e8a-9f3c-7d4b2a6e8c10")
OVER_REPRESENTED = data.ORGANISATIONS[0].name

S, P = Participant.Role.SPEAKER, Participant.Role.PARTICIPANT


@dataclass(frozen=True)
class DemoEvent:
    key: str
    kind: str
    title: str
    description: str
    days_from_now: int
    hours: int
    time_zone: str
    place: str = ""
    online: bool = False
    audience: str = Audience.OFFICERS
    capacity: int = 40
    languages: tuple[str, ...] = ("en",)
    # (role, which organisation): "loud" = OVER_REPRESENTED, 1 and 2 = other demo providers with tools.
    providers: tuple[tuple[str, str], ...] = ()
    externals: tuple[tuple[str, str, str], ...] = ()  # (role, name, affiliation)
    registered: int = 0  # how many verified demo officers take a place, in order
    waiting: int = 0  # and how many wait after them
    materials: bool = False
    extra: dict = field(default_factory=dict)


EVENTS = (
    DemoEvent(
        "past-triage-webinar",
        EventKind.WEBINAR,
        "Demo webinar: triage of large seizures",
        "Demo text: how triage tools rank seized media for review, and where a human must decide.",
        -300,
        2,
        "Europe/Amsterdam",
        online=True,
        providers=((S, "loud"), (P, "loud")),
        materials=True,
    ),
    DemoEvent(
        "past-victim-id-training",
        EventKind.TRAINING,
        "Demo training: victim identification workflows",
        "Demo text: a hands-on day on victim identification, with fictitious case material only.",
        -200,
        7,
        "Africa/Nairobi",
        place="Demo Regional Training Centre, Nairobi (fictitious)",
        languages=("en", "fr"),
        providers=((S, "loud"), (S, 1)),
        externals=((S, "Demo Dr Aiko Tanaka", "Demo Institute of Digital Evidence (fictitious)"),),
    ),
    DemoEvent(
        "past-wellbeing-webinar",
        EventKind.WEBINAR,
        "Demo webinar: investigator wellbeing and exposure limits",
        "Demo text: practical ways units limit exposure to distressing material.",
        -120,
        2,
        "America/Sao_Paulo",
        online=True,
        languages=("es", "en"),
        providers=((S, "loud"), (P, 2)),
        materials=True,
    ),
    DemoEvent(
        "past-annual-conference",
        EventKind.CONFERENCE,
        "Demo conference: responsible AI in child protection investigations",
        "Demo text: two days of talks on the responsible use of AI tools by investigators.",
        -45,
        16,
        "Asia/Manila",
        place="Demo Convention Hall, Manila (fictitious)",
        audience=Audience.OFFICERS_AND_PROVIDERS,
        capacity=200,
        languages=("en", "zh-hans", "ar"),
        providers=((S, "loud"), (P, "loud")),
    ),
    DemoEvent(
        "upcoming-full-webinar",
        EventKind.WEBINAR,
        "Demo webinar: reading a classifier's confidence score",
        "Demo text: what a confidence score says about a result, and what it does not.",
        10,
        1,
        "Europe/Paris",
        online=True,
        capacity=2,
        languages=("fr", "en"),
        externals=((S, "Demo Prof. Lucía Ortega", "Demo University of Valdoria (fictitious)"),),
        registered=2,
        waiting=1,
    ),
    DemoEvent(
        "upcoming-training",
        EventKind.TRAINING,
        "Demo training: questions to ask a provider before a trial",
        "Demo text: data protection, human oversight and what inclusion in the catalogue does not mean.",
        25,
        6,
        "America/Toronto",
        place="Demo Police College, Ottawa (fictitious)",
        capacity=25,
        languages=("en", "fr"),
        registered=1,
    ),
    DemoEvent(
        "upcoming-open-conference",
        EventKind.CONFERENCE,
        "Demo conference: providers and officers on responsible deployment",
        "Demo text: providers and officers discuss deployment, audits and redress, open to provider members.",
        40,
        8,
        "Asia/Dubai",
        place="Demo Exhibition Centre, Dubai (fictitious)",
        audience=Audience.OFFICERS_AND_PROVIDERS,
        capacity=150,
        languages=("ar", "en", "ru"),
        providers=((S, 1), (S, 2)),
    ),
)


def _providers() -> dict:
    loud = Organisation.objects.filter(name=OVER_REPRESENTED, is_demo=True).first()
    others = list(
        Organisation.objects.filter(is_demo=True, tools__state=ToolState.PUBLISHED)
        .exclude(name=OVER_REPRESENTED)
        .distinct()
        .order_by("name")[:2]
    )
    return {"loud": loud, 1: others[0] if others else None, 2: others[1] if len(others) > 1 else None}


def _officers() -> list[User]:
    return list(User.objects.filter(is_demo=True, officer__status=OfficerProfile.Status.VERIFIED).order_by("email"))


@transaction.atomic
def seed_events(coordinator: User) -> int:
    """Create the missing demo events; returns how many were created."""
    providers = _providers()
    officers = _officers()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for spec in EVENTS:
        public_id = uuid.uuid5(NAMESPACE, spec.key)
        if Event.objects.filter(public_id=public_id).exists():
            continue
        starts = now + timedelta(days=spec.days_from_now)
        event = Event.objects.create(
            public_id=public_id,
            kind=spec.kind,
            title=spec.title,
            description=spec.description,
            starts_at=starts,
            ends_at=starts + timedelta(hours=spec.hours),
            time_zone=spec.time_zone,
            place=spec.place,
            online_url=f"https://meet.example/demo-{spec.key}" if spec.online else "",
            languages=list(spec.languages),
            audience=spec.audience,
            capacity=spec.capacity,
            recording_url=f"https://video.example/demo-{spec.key}" if spec.materials else "",
            materials_updated_at=starts + timedelta(days=2) if spec.materials else None,
            created_by=coordinator,
            is_demo=True,
        )
        for role, which in spec.providers:
            organisation = providers.get(which)
            if organisation is not None:
                Participant.objects.create(
                    event=event, role=role, kind=Participant.Kind.PROVIDER, organisation=organisation
                )
        for role, name, affiliation in spec.externals:
            Participant.objects.create(
                event=event, role=role, kind=Participant.Kind.EXTERNAL, name=name, affiliation=affiliation
            )
        Participant.objects.create(event=event, role=S, kind=Participant.Kind.COORDINATOR, user=coordinator)
        for index, officer in enumerate(officers[: spec.registered + spec.waiting]):
            has_place = index < spec.registered
            requested = now - timedelta(days=5, minutes=-index)
            Registration.objects.create(
                event=event,
                user=officer,
                status=Registration.Status.REGISTERED if has_place else Registration.Status.WAITING,
                requested_at=requested,
                registered_at=requested if has_place else None,
            )
        created += 1
    return created
