"""A provider withdraws its tool, in a real browser (issue 14), and an officer who follows it sees
the notice.

The provider's admin opens the tool from "Our tools", chooses "Withdraw this tool", reads what
happens, gives a reason and confirms (with the password when asked). The officer who follows the
tool finds the message in the inbox, and the tool's page shows "Withdrawn by the provider", not a
sanction, with the provider's reason; the tool is gone from the catalogue.
"""

import re

import pytest

from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from following.models import Follow
from moderation.models import Notice, NoticeAction
from testkit import factories

from .test_catalogue_journey import CLOUD_NAME, build_tools_form, published_tool
from .test_journeys import reauthenticate_if_asked, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOOL_NAME = "Harbour Triage Assistant"
REASON = "We no longer maintain this product; contact us about a migration."


def test_provider_withdraws_a_tool_and_the_officer_sees_the_notice(new_page, totp):
    version = build_tools_form()
    organisation, provider = factories.provider_admin_under_terms("Northwind Forensics GmbH")
    officer = factories.OfficerProfileFactory(verified=True).user
    secrets = {user.pk: factories.add_totp(user) for user in (provider, officer)}
    tool = published_tool(version, TOOL_NAME, deployment="on-premises", summary="Ranks seized images.")
    tool.organisation = organisation
    tool.save()
    published_tool(version, CLOUD_NAME, deployment="cloud", summary="Classifies material in the cloud.")
    Follow.objects.create(user=officer, tool=tool)

    def code_for(user):
        return lambda: totp.code(secrets[user.pk])

    # --- the provider withdraws the tool from its own page -------------------------------------
    page = new_page()
    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, code_for(provider))
    page.locator("nav.main-nav").get_by_role("link", name="Our tools").click()
    page.wait_for_url(re.compile(r"/tools/mine/$"))
    page.get_by_role("link", name=TOOL_NAME).click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/$"))
    page.get_by_role("link", name="Withdraw this tool").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/withdraw/$"))
    assert "What happens" in page.locator("main").inner_text()
    page.fill("textarea[name=reason]", REASON)
    page.get_by_role("button", name="Withdraw the tool").click()
    page.wait_for_load_state()
    reauthenticate_if_asked(page, factories.DEFAULT_PASSWORD, code_for(provider))
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/$"))
    body = page.locator("main").inner_text()
    assert "The tool was withdrawn from the catalogue." in body
    assert page.locator(".status-withdrawn").first.is_visible()
    tool.refresh_from_db()
    assert tool.state == ToolState.WITHDRAWN
    notice = Notice.objects.get(tool=tool)
    assert notice.action == NoticeAction.WITHDRAWN and notice.summary == REASON
    sign_out(page)

    # --- the officer: the inbox, then the notice where the entry was ---------------------------
    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, code_for(officer))
    page.locator("a.inbox-link").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    item = page.locator(".inbox-item").first
    assert f"{TOOL_NAME}, a tool you follow, was withdrawn from the catalogue by its provider" in item.inner_text()
    item.locator("button.inbox-title").click()
    page.wait_for_url(re.compile(rf"/tools/{tool.slug}/$"))
    assert page.locator("h1").inner_text() == TOOL_NAME
    notice_box = page.locator("section.tool-notice")
    text = notice_box.inner_text()
    assert "Withdrawn by the provider" in text and "This is not a sanction" in text and REASON in text
    assert "suspended" not in page.locator("main").inner_text().lower()
    assert page.locator("dl.answers").count() == 0  # the notice replaces the entry

    page.goto("/tools/")
    results = page.locator("#catalogue-results")
    page.locator("#results-count").wait_for()
    names = results.locator(".tool-card-name").all_inner_texts()
    assert TOOL_NAME not in names and CLOUD_NAME in names
    page.goto("/moderation/?action=withdrawn")
    register = page.locator("main").inner_text()
    assert TOOL_NAME in register and REASON in register
    sign_out(page)

    assert AuditEvent.objects.filter(action=Action.TOOL_WITHDRAWN, actor=provider).count() == 1
