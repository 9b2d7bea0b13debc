"""Result cards are rendered once and kept (discovery/cards.py); what an officer sees is still the
tool as it is now, in their language, with their search's back link, criteria met and ticks."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discovery import cards, compare, search
from providers.models import Organisation
from questionnaires.selectors import current_versions

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

URL = reverse("discovery:catalogue")


@pytest.fixture
def forms():
    cards._kept.clear()
    cache.clear()
    return make_questionnaires()


@pytest.fixture
def officer_client(signed_in, verified_officer):
    return signed_in(verified_officer)


def card_of(body: str, slug: str) -> str:
    return re.search(
        rf'<li class="tool-card[^"]*" id="result-{slug}">.*?</li>\s*(?=<li class="tool-card|</ol>)', body, re.S
    ).group(0)


def test_a_kept_card_shows_the_tool_as_it_is_now(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"}, short_description="Sorts seized images.")
    assert "Sorts seized images." in card_of(officer_client.get(URL).content.decode(), tool.slug)
    tool.short_description = "Sorts and groups seized images."
    tool.save()
    assert "Sorts and groups seized images." in card_of(officer_client.get(URL).content.decode(), tool.slug)


def test_control_a_card_kept_by_the_tool_alone_would_show_the_old_text(officer_client, forms, monkeypatch):
    monkeypatch.setattr(cards, "card_key", lambda result: f"card-by-tool:{result.tool.pk}")
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"}, short_description="Sorts seized images.")
    officer_client.get(URL)
    tool.short_description = "Sorts and groups seized images."
    tool.save()
    assert "Sorts and groups seized images." not in card_of(officer_client.get(URL).content.decode(), tool.slug)


def test_the_card_is_in_the_readers_language(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"})
    english = card_of(officer_client.get(URL).content.decode(), tool.slug)
    arabic = card_of(officer_client.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode(), tool.slug)
    assert "By " in english and "By " not in arabic


def test_each_search_fills_its_own_back_link_criteria_met_and_ticks(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud", "offline": True})
    other = tool_with(tools_form, {"deployment": "cloud", "offline": False})
    session = officer_client.session
    session[compare.TRAY_KEY] = [tool.slug]
    session.save()
    plain = officer_client.get(URL).content.decode()
    preferred = officer_client.get(URL, {"offline": "yes", "mode.offline": "preferred"}).content.decode()
    assert f'href="/tools/{tool.slug}/?from=%2Ftools%2F"' in card_of(plain, tool.slug)
    assert "from=%2Ftools%2F%3Foffline%3Dyes%26mode.offline%3Dpreferred" in card_of(preferred, tool.slug)
    assert "tool-card-match" not in card_of(plain, tool.slug)
    assert "Preferred criteria met" in card_of(preferred, tool.slug)
    assert f'value="{tool.slug}" checked>' in card_of(plain, tool.slug)
    assert f'value="{other.slug}">' in card_of(plain, other.slug)
    assert "<!--" not in plain.split('class="tool-cards"')[1].split("</ol>")[0]


def test_text_that_looks_like_a_marker_stays_text(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"}, name="<!--checked--> Tool", short_description="<!--match-->")
    card = card_of(officer_client.get(URL).content.decode(), tool.slug)
    assert "&lt;!--checked--&gt; Tool" in card and "&lt;!--match--&gt;" in card
    assert f'value="{tool.slug}">' in card  # not ticked by the name


def test_a_card_rendered_by_another_app_server_is_not_rendered_again(officer_client, forms, monkeypatch):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"})
    first = card_of(officer_client.get(URL).content.decode(), tool.slug)
    cards._kept.clear()  # this process forgets; the shared cache (Redis in production) remembers
    rendered = []
    original = cards.render_to_string
    monkeypatch.setattr(
        cards,
        "render_to_string",
        lambda name, *args, **kwargs: rendered.append(name) or original(name, *args, **kwargs),
    )
    assert card_of(officer_client.get(URL).content.decode(), tool.slug) == first
    assert "discovery/catalogue_card.html" not in rendered


def matched_and_missed(card: str) -> tuple[str, str]:
    matched = card.split('<dd class="matched">')[1].split("</dd>")[0]
    missed = card.split('<dd class="missed">')[1].split("</dd>")[0]
    return matched, missed


def preferred_offline_cards(officer_client, tools_form, **headers):
    meets = tool_with(tools_form, {"offline": True})
    misses = tool_with(tools_form, {"offline": False})
    page = officer_client.get(URL, {"offline": "yes", "mode.offline": "preferred"}, **headers).content.decode()
    return matched_and_missed(card_of(page, meets.slug)), matched_and_missed(card_of(page, misses.slug))


def test_each_card_shows_its_own_criteria_met_and_missed(officer_client, forms):
    tools_form, _rai = forms
    meets, misses = preferred_offline_cards(officer_client, tools_form)
    assert "Yes" in meets[0] and meets[1] == "None"
    assert misses[0] == "None" and "Yes" in misses[1]


def test_control_criteria_met_kept_by_language_alone_are_the_same_on_every_card(officer_client, forms, monkeypatch):
    tools_form, _rai = forms
    kept = {}

    def keyed_by_language(result):
        key = cards.get_language()
        if key not in kept:
            kept[key] = cards.render_to_string("discovery/_card_match.html", {"result": result})
        return kept[key]

    monkeypatch.setattr(cards, "_match", keyed_by_language)
    meets, misses = preferred_offline_cards(officer_client, tools_form)
    assert meets == misses


# --- the card fields kept with the criteria index (search.CARD_FIELDS) ----------------------
def test_an_organisation_renamed_shows_its_new_name_on_cards_and_in_the_search(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"}, organisation__name="Harbour Labs")
    assert "By Harbour Labs" in card_of(officer_client.get(URL).content.decode(), tool.slug)
    organisation = tool.organisation
    organisation.name = "Lighthouse Analytics"
    organisation.save()  # as the provider's profile form saves it
    assert "By Lighthouse Analytics" in card_of(officer_client.get(URL).content.decode(), tool.slug)
    found = officer_client.get(URL, {"q": "lighthouse"}).content.decode()
    assert f'id="result-{tool.slug}"' in found, "the search text still holds the old name"


def test_control_without_reading_the_tools_again_a_rename_is_missed(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"}, organisation__name="Harbour Labs")
    officer_client.get(URL)
    post_save.disconnect(sender=Organisation, dispatch_uid="discovery.search.organisation_saved")
    try:
        tool.organisation.name = "Lighthouse Analytics"
        tool.organisation.save()
        assert "By Harbour Labs" in card_of(officer_client.get(URL).content.decode(), tool.slug)
    finally:
        post_save.connect(
            search._organisation_saved, sender=Organisation, dispatch_uid="discovery.search.organisation_saved"
        )


def test_a_page_of_results_reads_no_tool_rows(officer_client, forms):
    tools_form, _rai = forms
    tools = [tool_with(tools_form, {"deployment": "cloud"}, name=f"Tool {n}") for n in range(5)]
    officer_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        body = officer_client.get(URL).content.decode()
    assert all(f'id="result-{tool.slug}"' in body for tool in tools)
    assert not [query["sql"] for query in queries.captured_queries if 'FROM "catalogue_tool"' in query["sql"]]


def test_without_a_current_index_the_tools_are_read_with_the_same_fields(officer_client, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"deployment": "cloud"}, name="Read Tool", organisation__name="Read Labs")
    officer_client.get(URL)  # the index is read
    versions = list(current_versions())
    from_index = search.attach_card_tools([search.Result(tool_id=tool.pk, slug=tool.slug)], versions)
    read = search.attach_card_tools([search.Result(tool_id=tool.pk, slug=tool.slug)], versions[:-1])
    fields = ("pk", "slug", "name", "short_description", "text_language", "organisation_id")
    for shown in (from_index, read):
        (result,) = shown
        assert tuple(getattr(result.tool, name) for name in fields) == tuple(getattr(tool, name) for name in fields)
        assert result.tool.organisation.name == "Read Labs" and bool(result.tool.logo) == bool(tool.logo)
