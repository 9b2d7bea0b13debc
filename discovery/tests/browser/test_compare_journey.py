"""An officer builds a comparison across result pages on a 390 px screen, in a real browser.

The tray keeps tools ticked on page 1 while the officer moves to page 2; ticking a fifth tool
says "You can compare up to 4 tools" and brings all five back ticked; the comparison has equal
tool columns under a header that stays in view, "Show only differences" without a script, and
a printed page stamped with the date and the page's address.
"""

import re

import pytest

from core.tests.browser.test_catalogue_journey import build_tools_form, published_tool
from core.tests.browser.test_journeys import sign_in
from discovery import views
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Long answers make the table taller than its box, as real comparisons are.
LONG = "It sorts seized media by priority and explains each step to the examiner. " * 12
NAMES = ["Amber Sorter", "Birch Finder", "Cedar Triage", "Delta Review", "Elm Classifier", "Fern Matcher"]


def card_names(page) -> list[str]:
    return page.locator("#catalogue-results .tool-card-name").all_inner_texts()


def tick(page, name):
    page.locator("#catalogue-results").get_by_label(f"Compare {name}", exact=True).check()


def tray_names(page) -> list[str]:
    return page.locator(".compare-tray .compare-tray-name").all_inner_texts()


def test_officer_compares_tools_from_two_result_pages(new_page, totp, monkeypatch, expected_failures):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    version = build_tools_form()
    for index, name in enumerate(NAMES):
        published_tool(
            version, name, deployment="cloud" if index % 2 else "on-premises", summary=f"Summary of {name}. " + LONG
        )
    officer = factories.OfficerProfileFactory(verified=True).user
    secret = factories.add_totp(officer)
    # Submitting five tools is refused with a 400 on purpose (the message and the ticks come back).
    expected_failures.append(r"/tools/compare/selection/$")

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, lambda: totp.code(secret))
    page.goto("/tools/")
    first_page = card_names(page)
    assert len(first_page) == 3
    for name in first_page:
        tick(page, name)
    page.locator("#catalogue-results").get_by_role("button", name="Save selection").click()
    page.wait_for_load_state()
    assert tray_names(page) == first_page

    # Page 2 (through htmx): the tray stays; two more ticked make five.
    page.locator(".pagination a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    page.locator("#catalogue-results .pagination").get_by_text("Page 2 of 2").wait_for()
    second_page = card_names(page)
    assert not set(second_page) & set(first_page)
    assert tray_names(page) == first_page
    tick(page, second_page[0])
    limit = page.locator("#catalogue-results .compare-limit")
    assert not limit.is_visible()
    tick(page, second_page[1])
    # The page's script says so at once (three chosen on page 1, two ticked here); nothing is unticked.
    assert "You can compare up to 4 tools" in limit.inner_text()
    limit.wait_for(state="visible")
    page.locator("#catalogue-results").get_by_role("button", name="Compare selected tools").click()
    page.wait_for_url(re.compile(r"/tools/compare/selection/$"))
    assert "You can compare up to 4 tools" in page.get_by_role("alert").inner_text()
    chosen = page.locator(".compare-overflow input[type=checkbox]")
    assert chosen.count() == 5
    assert all(chosen.nth(i).is_checked() for i in range(5))  # nothing the officer chose is dropped
    assert tray_names(page) == first_page  # the earlier selection is kept too

    # Unticking one compares the other four.
    page.locator(".compare-overflow").get_by_label(first_page[1], exact=True).uncheck()
    page.locator(".compare-overflow").get_by_role("button", name="Compare selected tools").click()
    page.wait_for_url(re.compile(r"/tools/compare/\?tools="))
    expected = [first_page[0], first_page[2], second_page[0], second_page[1]]
    headers = page.locator(".compare-table thead th[scope=col] a")
    assert headers.all_inner_texts() == expected
    assert tray_names(page) == expected

    # Equal tool columns, in a box that scrolls sideways at 390 px, under a sticky header.
    widths = [headers.nth(i).locator("xpath=..").bounding_box()["width"] for i in range(4)]
    assert max(widths) - min(widths) < 1
    box = page.locator(".compare-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # only the box scrolls
    box.evaluate("el => el.scrollTo(0, 400)")
    page.wait_for_timeout(100)
    assert box.evaluate("el => el.scrollTop") > 0
    # Scrolled 400 px down, the tool names are still at the top of the box.
    assert abs(headers.first.bounding_box()["y"] - box.bounding_box()["y"]) < 12

    # Show only differences: a plain link re-rendering the page.
    all_rows = page.locator(".compare-table tbody th[scope=row]").count()
    page.get_by_role("link", name="Show only differences").click()
    page.wait_for_url(re.compile(r"differences=1"))
    fewer = page.locator(".compare-table tbody th[scope=row]").all_inner_texts()
    assert 0 < len(fewer) < all_rows
    assert "How is the tool deployed?" in fewer  # cloud and on-premises differ

    # On paper: within the page width, stamped with the date and the address, with the statement.
    page.emulate_media(media="print")
    stamp = page.locator(".compare-stamp td")
    assert stamp.is_visible()
    assert re.search(r"SaferHub tools comparison, \d{4}-\d{2}-\d{2} · http://", stamp.inner_text())
    assert "not an endorsement" in page.locator(".compare-table tfoot").inner_text()
    table_width = page.locator(".compare-table").bounding_box()["width"]
    assert table_width <= page.evaluate("document.documentElement.clientWidth")
    assert not page.locator(".compare-tray").is_visible()
