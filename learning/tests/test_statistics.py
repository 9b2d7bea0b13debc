"""Coordinators see aggregates only: views and completions per item and country, small counts hidden."""

import pytest
from django.urls import reverse

from learning import selectors, services
from testkit import factories

from .helpers import publish_item

pytestmark = pytest.mark.django_db


def officers(count, country):
    return [factories.OfficerProfileFactory(verified=True, country=country).user for _ in range(count)]


def test_counts_below_five_read_fewer_than_five(signed_in, coordinator):
    item = publish_item("counted", title="Counted item")
    for user in officers(4, "KE"):
        services.record_view(item, user)
    for user in officers(6, "BR"):
        services.record_view(item, user)
        services.mark_lesson_done(item, user, lesson=0, lessons=0)
    html = signed_in(coordinator).get(reverse("learning:statistics")).content.decode()
    kenya = html[html.index("Kenya") :].split("</tr>")[0]
    brazil = html[html.index("Brazil") :].split("</tr>")[0]
    assert "fewer than 5" in kenya and ">4<" not in kenya
    # Control: at five and above the number shows.
    assert "<td>6</td><td>6</td>" in brazil


def test_the_threshold_is_what_hides_the_count(monkeypatch):
    assert selectors.small(4) != 4 and selectors.small(5) == 5
    monkeypatch.setattr(selectors, "SMALL_COUNT", 1)
    assert selectors.small(4) == 4  # control: without the threshold the small count would show


def test_officers_never_see_the_statistics(signed_in, verified_officer):
    assert signed_in(verified_officer).get(reverse("learning:statistics")).status_code == 403
