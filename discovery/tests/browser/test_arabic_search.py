"""An officer reading the hub in Arabic types an Arabic word and finds a tool its provider
described only in English: the Arabic labels of the tool's answers are in the search index."""

import re

import pytest

from core.tests.browser.test_catalogue_journey import CLOUD_NAME, TOOL_NAME, build_tools_form, published_tool
from core.tests.browser.test_journeys import sign_in
from discovery import search
from questionnaires.models import Option
from questionnaires.selectors import bump_generation
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_in_arabic_finds_an_english_only_tool_by_an_arabic_word(new_page, totp):
    version = build_tools_form()
    Option.objects.filter(question__version=version, value="triage").update(
        labels={"en": "Triage of seized media", "ar": "فرز الصور والوسائط المضبوطة"}
    )
    bump_generation()
    triage = published_tool(version, TOOL_NAME, deployment="on-premises", summary="Ranks seized media by priority.")
    triage.answers.filter(question_key="workflow-steps").update(value=["triage"])
    published_tool(version, CLOUD_NAME, deployment="cloud", summary="Classifies material in the cloud.")
    search.rebuild_index()  # the answer changed above through update(), which sends no signal
    officer = factories.OfficerProfileFactory(verified=True).user
    secret = factories.add_totp(officer)

    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))
    page.locator("#language-select").select_option("ar")
    page.locator("form.language-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto("/tools/")
    page.locator("form.catalogue-filters input[name=q]").fill("صور")
    page.locator("form.catalogue-filters input[name=q]").press("Enter")
    page.wait_for_url(re.compile(r"q="))
    results = page.locator("#catalogue-results")
    results.get_by_text(TOOL_NAME).first.wait_for()
    assert results.get_by_text(CLOUD_NAME).count() == 0
