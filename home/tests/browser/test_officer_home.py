"""The officer's start page in a real browser: a tool published since the last visit and a saved
search with a new match, in English and in Arabic (right to left), on a phone and a desktop.

Screenshots go to test-artifacts/ (home-officer-<language>-<width>.png)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.browser import axe
from core.tests.browser.test_catalogue_journey import build_tools_form, published_tool
from following.models import SavedSearch
from home.models import HomeVisit
from testkit import factories
from testkit.personas import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOOL_NAME = "Harbour Triage Assistant"
SEARCH_NAME = "Harbour tools for triage"
WIDTHS = (390, 1280)


def session_cookie(user, live_server_url: str) -> dict:
    client = sign_in(Client(), user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_server_url}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_officer_sees_a_new_tool_and_a_saved_search_with_a_new_match(new_page, live_server, language):
    version = build_tools_form()
    officer = factories.OfficerProfileFactory(verified=True, user__full_name="Demo Nightshift Analyst").user
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    HomeVisit.objects.create(user=officer, seen_at=timezone.now() - datetime.timedelta(days=1))
    saved = SavedSearch.objects.create(user=officer, name=SEARCH_NAME, query="q=harbour", created_at=two_days_ago)
    older = published_tool(version, "Quayside Mapper", deployment="cloud", summary="Maps ports.")
    type(older).objects.filter(pk=older.pk).update(published_at=two_days_ago)
    tool = published_tool(version, TOOL_NAME, deployment="on-premises", summary="Ranks seized images.")
    cookie = session_cookie(officer, live_server.url)
    artifacts = settings.BASE_DIR / "test-artifacts"
    artifacts.mkdir(exist_ok=True)

    for width in WIDTHS:
        page = new_page(locale=language, viewport={"width": width, "height": 900})
        page.context.add_cookies([cookie])
        page.goto(reverse("home:home"))
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

        new_tools = page.locator("#home-new-tools")
        new_tools.get_by_role("link", name=TOOL_NAME).wait_for()
        assert "Quayside Mapper" not in new_tools.inner_text()
        searches = page.locator("#home-searches")
        link = searches.get_by_role("link", name=SEARCH_NAME)
        assert link.get_attribute("href") == f"{reverse('discovery:catalogue')}?{saved.query}"
        assert "1" in searches.locator(".help").first.inner_text()

        # Nothing sticks out of a phone screen, whichever way the page reads.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box, main = new_tools.bounding_box(), page.locator("main").bounding_box()
        assert box["x"] >= main["x"] - 1 and box["x"] + box["width"] <= main["x"] + main["width"] + 1
        assert axe.failures(axe.scan(page), f"home [{language}, {width}]") == []
        page.screenshot(path=str(artifacts / f"home-officer-{language}-{width}.png"), full_page=True)

    # The saved search opens the catalogue with its criteria, and the new tool is there.
    link.click()
    page.wait_for_url(f"**{reverse('discovery:catalogue')}?q=harbour")
    page.get_by_role("link", name=TOOL_NAME).first.wait_for()
    assert tool.slug in page.content()
