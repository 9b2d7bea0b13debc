"""The Learning Centre in a real browser: an Arabic article published and read right to left, and
the notice a French reader sees on an item that exists only in English."""

import re

import pytest

from core.tests.browser.test_journeys import sign_in, sign_out
from learning.models import Item
from testkit import factories

from ..helpers import publish_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_TITLE = "التعامل الآمن مع الأدلة الرقمية"
ARABIC_BODY = "هذا نص تجريبي عن حفظ الأدلة.\n\n## الخطوة الأولى\n\nوثّق كل ما تفعله."


def test_a_coordinator_publishes_an_arabic_article_and_an_officer_reads_it_right_to_left(new_page, totp):
    coordinator = factories.CoordinatorFactory()
    officer = factories.OfficerProfileFactory(verified=True).user
    secrets = {user.pk: factories.add_totp(user) for user in (coordinator, officer)}

    page = new_page()
    sign_in(page, coordinator.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[coordinator.pk]))
    page.goto("/learn/write/new/")
    page.fill("input[name=slug]", "evidence-arabic")
    page.select_option("select[name=original_language]", "ar")
    page.fill("input[name=title]", ARABIC_TITLE)
    page.fill("textarea[name=body]", ARABIC_BODY)
    page.fill("input[name=reading_minutes]", "4")
    # The live preview (htmx) shows the text as readers will see it.
    page.locator("#preview .learning-body h3", has_text="الخطوة الأولى").wait_for()
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/learn/write/evidence-arabic/ar/$"))
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/learn/write/$"))
    page.goto("/learn/review/")
    page.get_by_role("link", name=ARABIC_TITLE).click()
    page.get_by_role("button", name="Publish this version").click()
    page.wait_for_url(re.compile(r"/learn/review/$"))
    assert Item.objects.get(slug="evidence-arabic").published_at is not None
    sign_out(page)

    reader = new_page(locale="ar")
    sign_in(reader, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secrets[officer.pk]))
    reader.goto("/learn/items/evidence-arabic/")
    assert reader.locator("html").get_attribute("dir") == "rtl"
    article = reader.locator("article.learning-item")
    assert article.get_attribute("lang") == "ar" and article.get_attribute("dir") == "rtl"
    assert reader.locator("h1#item-title").inner_text() == ARABIC_TITLE
    assert reader.locator("article.learning-item").evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert reader.locator(".fallback-notice").count() == 0


def test_a_french_reader_opening_an_english_only_item_sees_the_notice(new_page, totp):
    officer = factories.OfficerProfileFactory(verified=True).user
    secret = factories.add_totp(officer)
    publish_item("english-only-guide", title="Preserving chat logs", body="Export the logs before anything else.")

    page = new_page(locale="fr-FR")
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))
    page.goto("/learn/items/english-only-guide/")
    assert page.locator("html").get_attribute("lang") == "fr"
    notice = page.locator(".fallback-notice")
    assert notice.is_visible()
    assert notice.locator("bdi[lang=fr]").inner_text().lower() == "français"
    assert notice.locator("bdi[lang=en]").inner_text() == "English"
    assert page.locator("article.learning-item").get_attribute("lang") == "en"
    assert "Export the logs" in page.locator("article.learning-item").inner_text()
