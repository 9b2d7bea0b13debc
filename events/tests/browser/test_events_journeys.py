"""Events in a real browser (issue 10).

1. An officer registers for a full event, lands on the waiting list, and gets the place when the
   officer holding it cancels: the event page and the inbox say so.
2. A coordinator opens the representation report on the demo data and sees the imbalance: the
   warning, the chart and the providers that never appeared.
"""

import io
import re

import pytest
from django.core.management import call_command

from accounts.models import User
from core.tests.browser.test_journeys import sign_in, sign_out
from demo.events import OVER_REPRESENTED
from demo.people import DEMO_PASSWORD, stored_totp_secret
from events import services
from events.models import Registration
from events.tests.factories import EventFactory
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_on_the_waiting_list_is_promoted_when_the_holder_cancels(new_page, totp):
    event = EventFactory(capacity=1, title="Fictitious webinar on triage scores")
    holder = factories.OfficerProfileFactory(verified=True).user
    waiting = factories.OfficerProfileFactory(verified=True).user
    secrets = {user.pk: factories.add_totp(user) for user in (holder, waiting)}
    services.register(event, user=holder)

    page = new_page()
    sign_in(page, waiting.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[waiting.pk]))
    page.goto("/events/")
    page.get_by_role("link", name=event.title).click()
    page.get_by_role("button", name="Join the waiting list").click()
    page.wait_for_url(re.compile(rf"/events/{event.public_id}/$"))
    assert "You are on the waiting list (number 1)" in page.locator("#registration-status").inner_text()
    sign_out(page)

    page = new_page()
    sign_in(page, holder.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[holder.pk]))
    page.goto(f"/events/{event.public_id}/")
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_url(re.compile(rf"/events/{event.public_id}/$"))
    assert "You are not registered." in page.locator("#registration-status").inner_text()
    sign_out(page)

    assert Registration.objects.get(event=event, user=waiting).status == Registration.Status.REGISTERED
    page = new_page()
    sign_in(page, waiting.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[waiting.pk]))
    page.goto(f"/events/{event.public_id}/")
    assert "You have a place" in page.locator("#registration-status").inner_text()
    page.get_by_role("link", name=re.compile(r"^Inbox")).click()
    assert page.get_by_text(f"A place became free: you are now registered for {event.title}").first.is_visible()


def test_the_representation_report_shows_the_demo_imbalance(new_page, totp, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    coordinator = User.objects.get(email="coordinator@demo.saferhub.invalid")
    page = new_page()
    sign_in(page, coordinator.email, DEMO_PASSWORD, lambda: totp.code(stored_totp_secret(coordinator)))
    page.goto("/reports/")
    assert OVER_REPRESENTED in page.locator("#event-balance").inner_text()
    page.get_by_role("link", name="Representation of providers at events").click()
    page.wait_for_url(re.compile(r"/events/representation/$"))
    warning = page.locator("#representation-warning")
    assert warning.is_visible() and OVER_REPRESENTED in warning.inner_text()
    chart = page.locator("svg#chart-representation")
    assert chart.is_visible()
    assert chart.locator("title").first.text_content() == "Appearances at events per provider organisation"
    assert OVER_REPRESENTED[:20] in chart.text_content()
    assert page.locator("#never-appeared").is_visible()
    # The same page right to left, in Arabic: the chart is still drawn left to right inside it.
    page.select_option("#language-select", "ar")
    page.locator("form.language-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/events/representation/$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("svg#chart-representation").get_attribute("direction") == "ltr"
