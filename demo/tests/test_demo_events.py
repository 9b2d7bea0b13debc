"""The demo events show what the events pages are for: an imbalance and a waiting list."""

import pytest
from django.utils import timezone

from demo import data
from demo.events import EVENTS, OVER_REPRESENTED
from events import selectors
from events.forms import last_twelve_months
from events.models import Audience, Event, Registration

from .test_demo_commands import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_demo_events_show_an_imbalance_and_a_waiting_list(debug):
    seed()
    assert Event.objects.filter(is_demo=True).count() == len(EVENTS)
    assert all(event.title.startswith("Demo") for event in Event.objects.all())
    assert all(event.description.startswith("Demo text:") for event in Event.objects.all())
    report = selectors.representation(*last_twelve_months())
    # With every provider of the catalogue counted, anyone who appears at all is above twice the
    # equal share; the demo's point is the one provider far ahead of the rest.
    assert report.rows[0].organisation.name == OVER_REPRESENTED and report.rows[0].over
    assert report.rows[0].total >= 3 * report.rows[1].total
    assert report.never_appeared
    now = timezone.now()
    upcoming = Event.objects.filter(starts_at__gt=now)
    full = [
        event
        for event in upcoming
        if event.registrations.filter(status=Registration.Status.REGISTERED).count() == event.capacity
        and event.registrations.filter(status=Registration.Status.WAITING).exists()
    ]
    assert len(full) == 1
    assert upcoming.filter(audience=Audience.OFFICERS_AND_PROVIDERS).exists()
    assert Event.objects.filter(starts_at__lt=now).exclude(recording_url="").exists()
    assert data.ORGANISATIONS[0].name == OVER_REPRESENTED


def test_seeding_twice_adds_no_event(debug):
    seed()
    counts = (Event.objects.count(), Registration.objects.count())
    seed()
    assert (Event.objects.count(), Registration.objects.count()) == counts
