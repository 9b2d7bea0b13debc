"""An officer compares two tools and downloads their decision pack in Arabic, in a real browser."""

import pytest

from core.tests.browser.test_catalogue_journey import CLOUD_NAME, TOOL_NAME, build_tools_form, published_tool
from core.tests.browser.test_journeys import sign_in
from packs import fonts
from testkit import factories

from ..helpers import arabic_letters, pdf_fonts, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_SUMMARY = "يصنف الصور المضبوطة حسب الأولوية"


def test_officer_downloads_a_pack_in_arabic_from_the_comparison(new_page, totp):
    version = build_tools_form()
    first = published_tool(version, TOOL_NAME, deployment="on-premises", summary="Ranks seized images.")
    first.answers.filter(question_key="summary").update(translations={"ar": ARABIC_SUMMARY})
    second = published_tool(version, CLOUD_NAME, deployment="cloud", summary="Classifies material in the cloud.")
    officer = factories.OfficerProfileFactory(verified=True).user
    secret = factories.add_totp(officer)

    page = new_page(accept_downloads=True)
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))
    page.goto(f"/tools/compare/?tools={first.slug},{second.slug}")
    chooser = page.locator(".pack-chooser")
    chooser.get_by_label("Language of the pack").select_option("ar")
    with page.expect_download() as download_info:
        chooser.get_by_role("button", name="Download the pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-ar.pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert TOOL_NAME in text and CLOUD_NAME in text
    assert arabic_letters(ARABIC_SUMMARY) in arabic_letters(text)  # the provider's Arabic answer
    assert fonts.ARABIC_FONT in pdf_fonts(data)
