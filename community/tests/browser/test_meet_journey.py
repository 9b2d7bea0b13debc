"""Two officers connect and exchange messages, in a real browser (issue 11).

Officer A lists themself from the navigation's "Meet other officers", finds officer B in the
directory and asks to connect; B accepts from the contacts page and writes (htmx sends the
message without a page load); A reads it and answers. Both pages are watched for console
errors, CSP violations and failed requests.
"""

import re

import pytest

from community import services
from community.models import Connection, Message
from core.tests.browser.test_journeys import sign_in
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_officers_connect_and_exchange_messages(new_page, totp):
    first = factories.OfficerProfileFactory(verified=True).user
    second = factories.OfficerProfileFactory(verified=True).user
    secrets = {user.pk: factories.add_totp(user) for user in (first, second)}
    services.save_listing(second, listed=True, display_name="Demo Harbour Analyst", shown={"show_country": True})

    page_a = new_page()
    sign_in(page_a, first.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[first.pk]))
    page_a.get_by_role("link", name="Meet other officers").click()
    page_a.wait_for_url(re.compile(r"/community/$"))
    page_a.get_by_role("link", name="My directory entry").click()
    page_a.check("input[name=listed]")
    page_a.fill("input[name=display_name]", "Demo Night Reviewer")
    page_a.check("input[name=show_agency]")
    page_a.get_by_role("button", name="Save my choices").click()
    page_a.get_by_text("Your choices are saved.").wait_for()

    page_a.get_by_role("link", name="Directory", exact=True).click()
    page_a.get_by_role("link", name="Demo Harbour Analyst").click()
    page_a.fill("textarea[name=note]", "We both review seized media; could we compare routines?")
    page_a.get_by_role("button", name="Send the request").click()
    page_a.get_by_text("Request pending").wait_for()
    assert Connection.objects.get(requester=first).state == Connection.State.PENDING

    page_b = new_page()
    sign_in(page_b, second.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[second.pk]))
    assert "Inbox (1)" in page_b.locator("a.inbox-link").inner_text()
    page_b.goto("/community/contacts/")
    received = page_b.locator(".contact-item").first
    assert "Demo Night Reviewer" in received.inner_text()
    assert "could we compare routines?" in received.inner_text()
    received.get_by_role("button", name="Accept").click()
    page_b.wait_for_url(re.compile(r"/community/contacts/[0-9a-f-]+/$"))
    conversation_url = page_b.url
    page_b.fill("textarea[name=body]", "Gladly. We keep review sessions to one hour.")
    page_b.get_by_role("button", name="Send").click()
    # htmx swaps the conversation in place: the message shows, the form is empty again.
    page_b.locator(".message-item").filter(has_text="one hour").wait_for()
    assert page_b.url == conversation_url
    assert page_b.input_value("textarea[name=body]") == ""

    page_a.goto("/community/contacts/")
    page_a.get_by_role("link", name="Demo Harbour Analyst").click()
    page_a.locator(".message-item").filter(has_text="one hour").wait_for()
    page_a.fill("textarea[name=body]", "Thank you, that helps our unit.")
    page_a.get_by_role("button", name="Send").click()
    page_a.locator(".message-item").filter(has_text="that helps").wait_for()
    texts = page_a.locator(".message-body").all_inner_texts()
    assert texts == ["Gladly. We keep review sessions to one hour.", "Thank you, that helps our unit."]
    assert Message.objects.count() == 2
