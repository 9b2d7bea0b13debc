"""A provider fills a questionnaire section by section in a real browser (issue 12).

The provider opens the Tools Form, answers the first section and continues to the next, is
warned before the idle limit and stays signed in, loses the session while typing in the
second section, signs in again and finds what was typed restored (from this tab's storage),
saves it, and submits after a confirmation that shows how complete the entry is. Every page is
watched for console errors, CSP violations and failed requests (the script is a static file).
"""

import re

import pytest
from django.contrib.sessions.models import Session

from catalogue.models import Answer, Tool, ToolState
from core.tests.browser.test_journeys import sign_in
from questionnaires.models import Question, Section
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = {
    "summary": "What does the tool do?",
    "vendor": "Who maintains the tool?",
    "hosting": "Where does the tool run?",
    "users": "How many agencies use it?",
}


def build_form():
    version = factories.make_questionnaire(
        "tools-form",
        [
            {"key": "summary", "section": "about", "type": Question.Type.LONG_TEXT, "required": True},
            {"key": "vendor", "section": "about"},
            {"key": "hosting", "section": "deployment", "required": True},
            {"key": "users", "section": "deployment", "type": Question.Type.NUMBER},
        ],
    )
    version.questionnaire.names = {"en": "Tools Form"}
    version.questionnaire.save(update_fields=["names"])
    Section.objects.filter(version=version, key="about").update(titles={"en": "About the tool"})
    Section.objects.filter(version=version, key="deployment").update(titles={"en": "Deployment"})
    for key, label in LABELS.items():
        Question.objects.filter(version=version, key=key).update(labels={"en": label})
    return version


def test_provider_fills_two_sections_keeps_a_draft_over_the_idle_limit_and_submits(new_page, totp):
    build_form()
    organisation, provider = factories.provider_admin_under_terms("Northwind Forensics GmbH")
    tool = factories.ToolFactory(organisation=organisation, name="Harbour Sorter", slug="harbour-sorter")
    secret = factories.add_totp(provider)

    page = new_page(viewport={"width": 390, "height": 844})
    page.clock.install()
    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))

    # --- the overview lists both sections, nothing answered ------------------------------------
    page.goto(f"/tools/mine/{tool.slug}/")
    page.get_by_role("link", name="Tools Form").click()
    page.wait_for_url(re.compile(r"/questionnaires/tools-form/$"))
    contents = page.locator(".section-contents")
    assert "About the tool — 0 of 2 answered" in contents.inner_text()
    assert "Deployment — 0 of 2 answered" in contents.inner_text()

    # --- first section, saved and continued ----------------------------------------------------
    page.get_by_role("link", name="Start with the first section").click()
    page.wait_for_url(re.compile(r"/questionnaires/tools-form/about/$"))
    page.get_by_label(LABELS["summary"]).fill("Sorts seized images so the likely victims come first.")
    page.get_by_label(LABELS["vendor"]).fill("Northwind")
    page.get_by_role("button", name="Save and continue to next section").click()
    page.wait_for_url(re.compile(r"/questionnaires/tools-form/deployment/$"))
    assert "were saved" in page.locator(".messages").inner_text()
    assert "About the tool — 2 of 2 answered" in page.locator(".section-contents").inner_text()
    assert page.locator(".section-contents .section-complete").count() == 1
    assert no_sideways_scroll(page)

    # --- warned before the idle limit, the provider stays signed in -----------------------------
    warning = page.locator("#session-warning")
    assert warning.is_hidden()
    page.clock.fast_forward("27:30")
    warning.wait_for(state="visible")
    assert "You will be signed out in about 3 minutes" in warning.inner_text()
    with page.expect_response(re.compile(r"/account/session/keep-alive/$")) as pinged:
        warning.get_by_role("button", name="Stay signed in").click()
    assert pinged.value.status == 204
    warning.wait_for(state="hidden")

    # --- the session ends while typing: nothing typed is lost ----------------------------------
    page.get_by_label(LABELS["hosting"]).fill("On the agency's own workstation")
    page.get_by_label(LABELS["users"]).fill("14")
    page.clock.fast_forward("30:30")
    warning.wait_for(state="visible")
    assert "Your session has probably ended" in warning.inner_text()
    Session.objects.all().delete()  # what the idle limit does on the server
    page.get_by_role("button", name="Save this section").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert not Answer.objects.filter(tool=tool, question_key="hosting").exists()

    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))
    page.goto(f"/tools/mine/{tool.slug}/questionnaires/tools-form/deployment/")
    restored = page.locator("#draft-restored")
    restored.wait_for(state="visible")
    assert "We restored answers you typed" in restored.inner_text()
    assert page.get_by_label(LABELS["hosting"]).input_value() == "On the agency's own workstation"
    assert page.get_by_label(LABELS["users"]).input_value() == "14"
    page.get_by_role("button", name="Save and go to the overview").click()
    page.wait_for_url(re.compile(r"/questionnaires/tools-form/$"))
    assert "Deployment — 2 of 2 answered" in page.locator(".section-contents").inner_text()
    answers = {answer.question_key: answer.value for answer in Answer.objects.filter(tool=tool)}
    assert answers["hosting"] == "On the agency's own workstation" and answers["users"] == 14
    # Saved: the kept copy is gone, the section page shows no restore notice.
    page.goto(f"/tools/mine/{tool.slug}/questionnaires/tools-form/deployment/")
    assert page.locator("#draft-restored").is_hidden()

    # --- clearing one answer, then submitting with the confirmation -----------------------------
    page.get_by_label(LABELS["users"]).fill("")
    page.get_by_role("button", name="Save this section").click()
    page.wait_for_load_state()
    page.goto(f"/tools/mine/{tool.slug}/")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/submit/"))
    summary = page.locator(".submission-summary").inner_text()
    assert "3 of 4 questions answered." in summary
    assert "Officers will see “No reply provided by the provider” for 1 question." in summary
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Yes, submit for review").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/$"))
    assert page.locator(".status-submitted").is_visible()
    assert Tool.objects.get(pk=tool.pk).state == ToolState.SUBMITTED


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
