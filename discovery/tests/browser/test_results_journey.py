"""Results an officer can read, in a real browser (issue 12).

An officer opens a search that nothing fits: the page says so, with the count and which
criterion to drop ("without X, N tools match"). They remove that criterion with one click in the
list of active criteria: the results, the address and the form follow. They open the tool that
now fits and come back with "Back to results": the focus is on that result's link. Every page is
watched for console errors, CSP violations and failed requests.
"""

import re

import pytest
from playwright.sync_api import expect

from core.tests.browser.test_catalogue_journey import OPTIONS, QUESTIONS, build_tools_form, published_tool
from core.tests.browser.test_journeys import sign_in
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_search_says_what_to_drop_and_one_click_removes_a_criterion(new_page, totp):
    version = build_tools_form()
    published_tool(version, "Harbour Triage Assistant", deployment="on-premises", summary="Ranks seized images.")
    published_tool(version, "Lantern Media Sorter", deployment="on-premises", summary="Sorts media.")
    cloud = published_tool(version, "Skyline Cloud Classifier", deployment="cloud", summary="Classifies.")
    officer = factories.OfficerProfileFactory(verified=True).user
    secret = factories.add_totp(officer)

    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))
    # As the form sends it without JavaScript: every default mode rides along; the address is cleaned.
    page.goto(
        "/tools/?deployment-model=cloud&workflow-steps=triage&mode.deployment-model=required&mode.offline=required"
    )
    page.wait_for_url(re.compile(r"/tools/\?deployment-model=cloud&workflow-steps=triage$"))

    # --- nothing fits: the count, the message, the criterion to drop -----------------------------
    assert page.locator("#results-count").inner_text() == "0 tools fit."
    results = page.locator("#catalogue-results")
    assert "No tool fits this search" in results.inner_text()
    suggestion = results.locator(".no-results-suggestions li")
    assert suggestion.count() == 1
    assert suggestion.inner_text() == f"Without “{QUESTIONS['workflow-steps']}: {OPTIONS['triage']}”, 1 tool matches"
    assert results.locator(".save-search-form").count() == 1

    # --- one click removes the criterion: results, address and form follow -------------------------
    active = results.locator(".active-criteria-list li", has_text=QUESTIONS["workflow-steps"])
    active.get_by_role("link", name=re.compile("^Remove")).click()
    page.wait_for_url(re.compile(r"/tools/\?deployment-model=cloud$"))
    page.locator("#results-count", has_text="1 tool fits.").wait_for()
    results = page.locator("#catalogue-results")
    assert results.locator(".tool-card-name").all_inner_texts() == ["Skyline Cloud Classifier"]
    assert results.locator(".active-criteria-list li").count() == 1
    assert not page.locator("input[name=workflow-steps][value=triage]").is_checked()
    assert page.locator("input[name=deployment-model][value=cloud]").is_checked()
    # The card's key facts stand where an empty logo box was.
    card = results.locator(f"#result-{cloud.slug}")
    assert card.locator(".tool-card-logo").count() == 0
    assert OPTIONS["cloud"] in card.locator(".tool-card-facts").inner_text()

    # --- to the tool and back to that result, focused ----------------------------------------------
    card.get_by_role("link", name="Skyline Cloud Classifier").click()
    page.wait_for_url(re.compile(rf"/tools/{cloud.slug}/\?from="))
    assert page.locator("nav.tool-contents").get_by_role("link", name="Tools Form").count() == 1
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(rf"/tools/\?deployment-model=cloud#result-{cloud.slug}$"))
    expect(page.locator(f"#result-{cloud.slug} .tool-card-name a")).to_be_focused()

    # --- "Skip to the results" moves the focus to them ------------------------------------------------
    page.get_by_role("link", name="Skip to the results").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#catalogue-results")).to_be_focused()
