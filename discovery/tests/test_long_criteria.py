"""Long criteria (the countries) show only their chosen values until the officer asks for all:
the page stays light, the GET search works and nothing chosen is ever lost (issue 12)."""

import re

import pytest
from django.urls import reverse

from questionnaires.models import Question
from testkit import factories

from .test_search_helpers import tool_with

URL = reverse("discovery:catalogue")
COUNTRIES = [f"country-{n:03d}" for n in range(40)]


@pytest.fixture
def tools_form(db):
    factories.clear_questionnaires()
    return factories.make_questionnaire(
        "tools-form",
        [
            {"key": "countries", "type": Question.Type.MULTIPLE_CHOICE, "criterion": True, "options": COUNTRIES},
            {"key": "offline", "type": Question.Type.YES_NO, "criterion": True},
        ],
        order=0,
    )


def checkboxes(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*>', html)


def checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*\bchecked\b[^>]*>', html)


def test_a_long_list_shows_only_the_chosen_values_and_a_button_for_all(signed_in, verified_officer, tools_form):
    client = signed_in(verified_officer)
    html = client.get(URL).content.decode()
    assert checkboxes(html, "countries") == []
    assert "Show all 40 options" in html
    assert 'name="expand" value="countries"' in html
    # A short list is shown whole, without a button.
    assert len(checkboxes(html, "offline")) == 2

    chosen = client.get(URL, {"countries": ["country-007", "country-031"]}).content.decode()
    assert checkboxes(chosen, "countries") == ["country-007", "country-031"]
    assert checked(chosen, "countries") == ["country-007", "country-031"]


def test_the_search_still_filters_by_a_collapsed_criterion(signed_in, verified_officer, tools_form):
    tool_with(tools_form, {"countries": ["country-007"]}, name="Sold In Seven")
    tool_with(tools_form, {"countries": ["country-001"]}, name="Sold In One")
    client = signed_in(verified_officer)
    html = client.get(URL, {"countries": "country-007"}).content.decode()
    assert "Sold In Seven" in html and "Sold In One" not in html


def test_show_all_without_javascript_renders_the_whole_list_keeping_the_choices(
    signed_in, verified_officer, tools_form
):
    """The button submits the form (GET) with expand=<key>: the page comes back with the list
    whole, the choices checked, and keeps it whole on the next search."""
    client = signed_in(verified_officer)
    html = client.get(URL, {"countries": "country-012", "q": "kept words", "expand": "countries"}).content.decode()
    assert checkboxes(html, "countries") == COUNTRIES
    assert checked(html, "countries") == ["country-012"]
    assert 'value="kept words"' in html
    assert "Show all 40 options" not in html
    assert '<input type="hidden" name="expand" value="countries">' in html


def test_show_all_with_htmx_returns_only_that_criterion(signed_in, verified_officer, tools_form):
    client = signed_in(verified_officer)
    response = client.get(
        URL,
        {"countries": "country-003", "criterion": "countries", "expand": "countries"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.count("<fieldset") == 1 and 'id="criterion-countries"' in html
    assert checkboxes(html, "countries") == COUNTRIES
    assert checked(html, "countries") == ["country-003"]
    # Focus moves to the list that replaced the button.
    assert re.search(r'value="country-000"[^>]* autofocus', html)


def test_an_unknown_criterion_is_a_clear_400(signed_in, verified_officer, tools_form):
    client = signed_in(verified_officer)
    response = client.get(URL, {"criterion": "nonsense"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "no such criterion" in response.content.decode()


def test_an_invalid_value_shows_the_list_whole_with_its_error(signed_in, verified_officer, tools_form):
    client = signed_in(verified_officer)
    response = client.get(URL, {"countries": "atlantis"})
    html = response.content.decode()
    assert response.status_code == 400
    assert checkboxes(html, "countries") == COUNTRIES
