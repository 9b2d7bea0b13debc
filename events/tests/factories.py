"""Factories for the events tests (and the URL table's world)."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Audience, Event, EventKind, Participant, Registration


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = EventKind.WEBINAR
    title = factory.Sequence(lambda n: f"Fictitious webinar {n}")
    description = "An introduction to triage tools, for testing."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    time_zone = "Europe/Paris"
    online_url = "https://meet.example/room-1"
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    audience = Audience.OFFICERS
    capacity = 20

    class Params:
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)))
        for_providers = factory.Trait(audience=Audience.OFFICERS_AND_PROVIDERS)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    role = Participant.Role.SPEAKER
    kind = Participant.Kind.PROVIDER
    organisation = factory.SubFactory("testkit.factories.OrganisationFactory")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory("testkit.factories.OfficerFactory")
    status = Registration.Status.REGISTERED
    registered_at = factory.LazyFunction(timezone.now)
