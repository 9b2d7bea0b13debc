"""Each role's start page (`/home/`) and the coordinators' back-office counts."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import OfficerProfile
from testkit import factories

pytestmark = pytest.mark.django_db


def vetting_figure(html: str) -> int:
    """The number shown on the start page's "Vetting queue" card."""
    match = re.search(r'<tr id="queue-vetting".*?<td class="home-count">(\d+)</td>', html, re.S)
    assert match, "the vetting card is missing from the coordinator's start page"
    return int(match.group(1))


def queue_rows(client) -> list:
    return client.get(reverse("accounts:vetting_queue")).context["rows"]


def test_home_keeps_its_address():
    assert reverse("home:home") == "/home/"


def test_coordinator_home_shows_back_office(signed_in, coordinator):
    response = signed_in(coordinator).get("/home/")
    assert response.status_code == 200
    assert b"Vetting queue" in response.content


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("pending_officer", "Welcome, Pending Officer"),
        ("verified_officer", "Welcome, Verified Officer"),
        ("provider_a", "Provider A Org"),
        ("coordinator", "Back office"),
    ],
)
def test_each_role_starts_on_its_own_page(signed_in, personas, persona, heading):
    html = signed_in(personas[persona]).get(reverse("home:home")).content.decode()
    assert f"<h1>{heading}</h1>" in html


def test_a_renewal_request_is_counted_on_the_coordinator_home(signed_in, coordinator):
    """A verified officer asking to renew waits in the vetting queue, so the start page counts them."""
    profile = factories.OfficerProfileFactory(verified=True)
    accounts_services.request_renewal(profile)
    client = signed_in(coordinator)

    html = client.get(reverse("home:home")).content.decode()

    assert vetting_figure(html) == 1
    assert [row["profile"] for row in queue_rows(client)] == [profile]


def test_the_home_count_and_the_vetting_queue_agree(signed_in, coordinator):
    """Only people the queue page lists are counted: email confirmed, account active, pending or renewing."""
    factories.OfficerProfileFactory()  # pending
    for _ in range(2):
        accounts_services.request_renewal(factories.OfficerProfileFactory(verified=True))
    factories.OfficerProfileFactory(verified=True)  # verified, nothing to decide
    factories.OfficerProfileFactory(user__verified_email=False)  # email not confirmed yet
    inactive = factories.OfficerProfileFactory()
    inactive.user.is_active = False
    inactive.user.save(update_fields=["is_active"])
    client = signed_in(coordinator)

    shown = vetting_figure(client.get(reverse("home:home")).content.decode())

    assert shown == len(queue_rows(client)) == 3


def test_the_home_page_shows_how_long_the_oldest_application_has_waited(signed_in, coordinator):
    older = factories.OfficerProfileFactory()
    OfficerProfile.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - dt.timedelta(days=5, hours=1))
    factories.OfficerProfileFactory()

    html = signed_in(coordinator).get(reverse("home:home")).content.decode()

    assert vetting_figure(html) == 2
    assert "Oldest waiting 5 days" in html


def test_an_empty_queue_shows_no_waiting_time(signed_in, coordinator):
    html = signed_in(coordinator).get(reverse("home:home")).content.decode()
    assert vetting_figure(html) == 0
    assert "Oldest waiting" not in html
