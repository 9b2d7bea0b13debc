"""A coordinator suspends a tool an officer follows, in a real browser (issue 4).

The officer follows the tool from its page. A coordinator suspends it from the same page with
a reason, officer guidance and provider guidance. The officer then finds the notification in
the inbox, the entry in the notices register and the notice page where the entry was, with the
officer guidance and never the provider's; the tool is gone from search and comparison. The
provider's member sees the notice with the provider guidance. Every step is in the audit log.
"""

import re

import pytest

from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from following.models import Follow
from moderation.models import Notice
from notifications.models import Kind, Notification
from testkit import factories

from .test_catalogue_journey import CLOUD_NAME, build_tools_form, published_tool
from .test_journeys import reauthenticate_if_asked, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOOL_NAME = "Harbour Triage Assistant"
SUMMARY = "Independent testing could not reproduce the published accuracy figures."
OFFICER_GUIDANCE = "Keep a human review of every result until the assessment ends."
PROVIDER_GUIDANCE = "Publish the test set behind your accuracy figures and reply to this notice."


def test_coordinator_suspends_a_followed_tool_and_everyone_sees_the_notice(new_page, totp):
    version = build_tools_form()
    organisation, provider = factories.provider_admin_under_terms("Northwind Forensics GmbH")
    coordinator = factories.CoordinatorFactory()
    officer = factories.OfficerProfileFactory(verified=True).user
    secrets = {user.pk: factories.add_totp(user) for user in (provider, coordinator, officer)}
    tool = published_tool(version, TOOL_NAME, deployment="on-premises", summary="Ranks seized images.")
    tool.organisation = organisation
    tool.save()
    other = published_tool(version, CLOUD_NAME, deployment="cloud", summary="Classifies material in the cloud.")

    def code_for(user):
        return lambda: totp.code(secrets[user.pk])

    # --- the officer follows the tool from its page -------------------------------------------
    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, code_for(officer))
    page.goto(f"/tools/{tool.slug}/")
    assert page.locator("h1#tool-name").inner_text() == TOOL_NAME
    page.get_by_role("button", name="Follow this tool").click()
    page.get_by_role("button", name="Stop following").wait_for()
    assert Follow.objects.filter(user=officer, tool=tool).exists()
    sign_out(page)

    # --- a coordinator suspends it from the tool's page ---------------------------------------
    page = new_page()
    sign_in(page, coordinator.email, factories.DEFAULT_PASSWORD, code_for(coordinator))
    page.goto(f"/tools/{tool.slug}/")
    page.get_by_role("link", name="Suspend or remove this tool").click()
    page.wait_for_url(re.compile(rf"/moderation/tools/{tool.slug}/decide/$"))
    page.check("input[name=action][value=suspended]")
    page.select_option("select[name=reason_code]", "misleading_information")
    page.fill("textarea[name=summary]", SUMMARY)
    page.fill("textarea[name=officer_guidance]", OFFICER_GUIDANCE)
    page.fill("textarea[name=provider_guidance]", PROVIDER_GUIDANCE)
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    reauthenticate_if_asked(page, factories.DEFAULT_PASSWORD, code_for(coordinator))
    page.wait_for_url(re.compile(rf"/tools/{tool.slug}/$|/moderation/"))
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED
    notice = Notice.objects.get(tool=tool)
    assert notice.summary == SUMMARY and notice.decided_by == coordinator
    sign_out(page)

    # --- the officer: inbox, notices register, notice page, gone from search and comparison ----
    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, code_for(officer))
    inbox_link = page.locator("a.inbox-link")
    assert "Inbox (1)" in inbox_link.inner_text()
    inbox_link.click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    item = page.locator(".inbox-item").first
    title = f"{TOOL_NAME}, a tool you follow, was suspended"
    assert title in item.inner_text() and SUMMARY in item.inner_text()
    assert PROVIDER_GUIDANCE not in item.inner_text()
    item.locator("button.inbox-title").click()
    page.wait_for_url(re.compile(rf"/tools/{tool.slug}/$"))
    body = page.locator("main").inner_text()
    assert "This tool is suspended" in body
    assert SUMMARY in body and OFFICER_GUIDANCE in body
    assert PROVIDER_GUIDANCE not in body
    assert page.locator("dl.answers").count() == 0  # the notice replaces the entry

    page.goto("/moderation/")
    register = page.locator("main").inner_text()
    assert TOOL_NAME in register and SUMMARY in register and PROVIDER_GUIDANCE not in register

    page.goto("/tools/")
    results = page.locator("#catalogue-results")
    page.locator("#results-count").wait_for()
    names = results.locator(".tool-card-name").all_inner_texts()
    assert TOOL_NAME not in names and CLOUD_NAME in names
    page.goto(f"/tools/?q={TOOL_NAME.split()[0]}")
    assert TOOL_NAME not in page.locator("#catalogue-results").inner_text()
    page.goto(f"/tools/compare/?tools={tool.slug}&tools={other.slug}")
    # The comparison keeps the other tool and says this one is not shown (by name only when a
    # published version recorded one; this tool was made published by the factory).
    main = page.locator("main").inner_text()
    assert "One tool is not available." in main or f"{TOOL_NAME} is no longer in the catalogue" in main
    assert page.locator("table.compare-table thead").inner_text().count(TOOL_NAME) == 0
    sign_out(page)

    # --- the provider sees the notice with its guidance ------------------------------------------
    page = new_page()
    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, code_for(provider))
    page.locator("a.inbox-link").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    item = page.locator(".inbox-item").first
    assert f"{TOOL_NAME} was suspended" in item.inner_text()
    item.locator("button.inbox-title").click()
    page.wait_for_url(re.compile(rf"/moderation/mine/{notice.public_id}/$"))
    body = page.locator("main").inner_text()
    assert SUMMARY in body and PROVIDER_GUIDANCE in body
    assert officer.email not in body and officer.full_name not in body  # followers stay unknown
    sign_out(page)

    # --- everything is in the audit log -------------------------------------------------------------
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.TOOL_FOLLOWED, Action.TOOL_SUSPENDED} <= actions
    assert Notification.objects.filter(user=officer, kind=Kind.TOOL_SUSPENDED).count() == 1
