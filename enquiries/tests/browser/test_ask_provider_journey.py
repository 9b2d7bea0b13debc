"""An officer asks a provider for a trial sharing only their agency and country, in a real browser
(issue 14); the provider sees only what was shared, and answers.

The officer opens the tool's page, asks the provider, ticks two of the four details, checks the
preview and sends. The provider's member finds the request under "Requests from officers": the
agency, the country and the message are there, the officer's name and email address are nowhere
on the page. Both pages are watched for console errors, CSP violations and failed requests.
"""

import re

import pytest

from core.tests.browser.test_catalogue_journey import build_tools_form, published_tool
from core.tests.browser.test_journeys import sign_in, sign_out
from enquiries.models import Enquiry, EnquiryMessage
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOOL_NAME = "Harbour Triage Assistant"
OFFICER_NAME = "Demo Nightshift Analyst"
OFFICER_EMAIL = "nightshift.analyst@police.demo-agency.invalid"
AGENCY = "Demo Harbour Police Cyber Unit"
MESSAGE = "We would like to try the triage features on our test material for two weeks."


def test_officer_asks_for_a_trial_sharing_some_details_and_the_provider_sees_only_those(new_page, totp):
    version = build_tools_form()
    organisation, provider = factories.provider_admin_under_terms("Northwind Forensics GmbH")
    officer = factories.OfficerProfileFactory(
        verified=True, user__full_name=OFFICER_NAME, user__email=OFFICER_EMAIL, agency=AGENCY, country="NO"
    ).user
    secrets = {user.pk: factories.add_totp(user) for user in (provider, officer)}
    tool = published_tool(version, TOOL_NAME, deployment="on-premises", summary="Ranks seized images.")
    tool.organisation = organisation
    tool.save()

    # --- the officer asks, sharing only the agency and the country --------------------------------
    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[officer.pk]))
    page.goto(f"/tools/{tool.slug}/")
    page.get_by_role("link", name="Ask the provider").click()
    page.wait_for_url(re.compile(rf"/enquiries/tools/{tool.slug}/ask/$"))
    page.get_by_label("A trial").check()
    page.fill("textarea[name=body]", MESSAGE)
    page.get_by_label(f"Share my agency: {AGENCY}").check()
    page.get_by_label("Share my country: Norway").check()
    page.get_by_role("button", name="Preview what the provider receives").click()
    page.get_by_role("heading", name="Check your request before sending it").wait_for()
    preview = page.locator(".enquiry-copy").inner_text()
    assert AGENCY in preview and "Norway" in preview and MESSAGE in preview
    assert OFFICER_NAME not in preview and OFFICER_EMAIL not in preview
    assert not Enquiry.objects.exists()
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r"/enquiries/mine/[0-9a-f-]+/$"))
    known = page.locator(".shared-fields").inner_text()
    assert AGENCY in known and "Norway" in known and OFFICER_EMAIL not in known
    sign_out(page)

    # --- the provider reads it and answers -----------------------------------------------------------
    page = new_page()
    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[provider.pk]))
    page.get_by_role("link", name="Requests from officers").first.click()
    page.wait_for_url(re.compile(r"/enquiries/received/$"))
    page.get_by_role("link", name=TOOL_NAME).click()
    page.wait_for_url(re.compile(r"/enquiries/received/[0-9a-f-]+/$"))
    whole = page.content()
    shared = page.locator(".shared-fields").inner_text()
    assert AGENCY in shared and "Norway" in shared
    assert MESSAGE in page.locator(".message-list").inner_text()
    assert OFFICER_NAME not in whole and OFFICER_EMAIL not in whole and "nightshift" not in whole.lower()
    page.fill("textarea[name=body]", "Gladly: we can open a two-week trial from Monday.")
    page.get_by_role("button", name="Send").click()
    page.locator(".message-item").filter(has_text="two-week trial").wait_for()
    assert EnquiryMessage.objects.filter(from_officer=False, sender=provider).count() == 1
