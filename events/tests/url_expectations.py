"""URL table of the events pages (/events/).

Verified officers and coordinators see every event; provider A (terms accepted) sees the events
open to providers only (an officers-only event answers 404) and never the registrations; provider
B (terms not accepted) and pending officers get 403; anonymous visitors are sent to sign in.
"""

from django.core.files.base import ContentFile

from catalogue.tests.test_provider_helpers import pdf_bytes
from events.models import Event, Participant, Registration
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, LOGIN, Expect, fresh, no_fields, same

from .factories import EventFactory, ParticipantFactory, RegistrationFactory

READERS = same(403, anonymous=LOGIN, verified_officer=200, provider_a=200, coordinator=200)
OFFICERS_ONLY_EVENT = same(403, anonymous=LOGIN, verified_officer=200, provider_a=404, coordinator=200)
OFFICER_POST = same(403, anonymous=LOGIN, verified_officer=302)


def build_world(world):
    officers_only = EventFactory(title="Officers-only triage training")
    open_event = EventFactory(for_providers=True, title="Webinar open to providers")
    past = EventFactory(past=True, for_providers=True, title="Past conference with slides")
    past.slides.save("slides.pdf", ContentFile(pdf_bytes()), save=False)
    past.slides_size = 100
    past.save()
    organisation = world.users["provider_a"].membership.organisation
    world.objects["event_participant"] = ParticipantFactory(event=open_event, organisation=organisation)
    RegistrationFactory(event=open_event, user=world.users["verified_officer"])
    world.objects.update(event_officers_only=officers_only, event_open=open_event, event_past=past)


def _officers_only(world):
    return {"public_id": world.event_officers_only.public_id}


def _open(world):
    return {"public_id": world.event_open.public_id}


def _past(world):
    return {"public_id": world.event_past.public_id}


def _event_body(world):
    return {
        "kind": "training",
        "title": "Triage for beginners",
        "description": "Hands-on triage of seized media.",
        "starts": "2031-03-30T10:00",
        "ends": "2031-03-30T12:00",
        "time_zone": "Europe/Paris",
        "online_url": "",
        "place": "Fictitious Training Centre, Lyon",
        "languages": ["en", "fr"],
        "audience": "officers",
        "capacity": "25",
        "version": str(fresh(world.event_officers_only).version),
    }


def _my_registration(world):
    return list(Registration.objects.filter(event=world.event_open).values_list("user_id", "status").order_by("pk"))


EXPECTATIONS = {
    "events:list": Expect(READERS),
    "events:past": Expect(READERS),
    "events:time_zone": Expect(
        READERS,
        body=lambda w: {"time_zone": "Asia/Manila"},
        posted=same(403, anonymous=LOGIN, verified_officer=302, provider_a=302, coordinator=302),
    ),
    "events:new": Expect(
        COORDINATOR_ONLY,
        body=_event_body,
        posted=COORDINATOR_POST,
        effect=lambda w: Event.objects.count(),
    ),
    "events:detail": Expect(OFFICERS_ONLY_EVENT, kwargs=_officers_only),
    "events:ics": Expect(READERS, kwargs=_open),
    "events:slides": Expect(READERS, kwargs=_past),
    "events:register": Expect(
        OFFICER_POST,
        kwargs=_officers_only,
        method="post",
        body=no_fields,
        effect=lambda w: Registration.objects.filter(event=w.event_officers_only).count(),
    ),
    "events:unregister": Expect(OFFICER_POST, kwargs=_open, method="post", body=no_fields, effect=_my_registration),
    "events:edit": Expect(
        COORDINATOR_ONLY,
        kwargs=_officers_only,
        body=_event_body,
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.event_officers_only).version,
    ),
    "events:cancel": Expect(
        COORDINATOR_POST,
        kwargs=_officers_only,
        method="post",
        body=no_fields,
        effect=lambda w: fresh(w.event_officers_only).status,
    ),
    "events:participants": Expect(
        COORDINATOR_ONLY,
        kwargs=_open,
        confirmed=True,
        body=lambda w: {
            "role": "speaker",
            "kind": "external",
            "name": "Dr Fictitious Expert",
            "affiliation": "A university",
        },
        posted=COORDINATOR_POST,
        effect=lambda w: Participant.objects.filter(event=w.event_open).count(),
    ),
    "events:participant_remove": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"public_id": w.event_open.public_id, "pk": w.event_participant.pk},
        method="post",
        body=no_fields,
        effect=lambda w: Participant.objects.filter(event=w.event_open).count(),
    ),
    "events:registrations": Expect(COORDINATOR_ONLY, kwargs=_open, confirmed=True),
    "events:materials": Expect(
        COORDINATOR_ONLY,
        kwargs=_past,
        body=lambda w: {"recording_url": "https://video.example/recording-42"},
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.event_past).recording_url,
    ),
    "events:representation": Expect(COORDINATOR_ONLY),
    "events:representation_csv": Expect(COORDINATOR_ONLY),
}
