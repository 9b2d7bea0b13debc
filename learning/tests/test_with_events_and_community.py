"""The Learning Centre links the recordings and slides of past events; the directory offers the
Learning Centre's topics as areas of expertise."""

import pytest
from django.test import Client
from django.urls import reverse

from community import expertise
from events.tests.factories import EventFactory
from learning.models import Topic
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db


def test_past_events_with_materials_are_linked_from_the_learning_centre():
    recorded = EventFactory(past=True, title="Triage webinar", recording_url="https://video.example.org/triage")
    EventFactory(past=True, title="Unrecorded talk")
    EventFactory(title="Upcoming training", recording_url="https://video.example.org/later")
    officer = factories.OfficerProfileFactory(verified=True).user
    html = sign_in(Client(), officer).get(reverse("learning:index")).content.decode()
    assert "Triage webinar" in html and reverse("events:detail", args=[recorded.public_id]) in html
    assert "https://video.example.org/triage" in html
    assert "Unrecorded talk" not in html and "Upcoming training" not in html


def test_learning_topics_are_areas_of_expertise_in_the_directory():
    Topic.objects.update_or_create(slug="hash-matching", defaults={"names": {"en": "Hash matching"}})
    assert ("topic:hash-matching", "Hash matching") in expertise.labels().items()
