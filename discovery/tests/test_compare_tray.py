"""The selection tray: tools chosen on different result pages, kept in the session, at most 4,
never dropped when one too many is ticked, and never read by the catalogue's fair order."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from catalogue.models import Tool, ToolState
from discovery import compare, search, views
from discovery.models import ExposureCount
from testkit import factories
from testkit.personas import sign_in

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

TRAY = reverse("discovery:compare_tray")
CATALOGUE = reverse("discovery:catalogue")
COMPARE = reverse("discovery:compare")
CARD_LINK = re.compile(r'<h2 class="tool-card-name"><a href="/tools/([^"/?]+)/(?:\?[^"]*)?">')


@pytest.fixture
def tools(db):
    tools_form, _rai = make_questionnaires()
    return [tool_with(tools_form, {"offline": True}, name=f"Tool {n}") for n in range(6)]


def tray(client) -> list[str]:
    return client.session.get(compare.TRAY_KEY, [])


def page_post(client, shown, ticked, go="stay", next_url=CATALOGUE + "?page=2"):
    """What the results form of one page sends: every card shown, the ticked ones."""
    return client.post(
        TRAY,
        {
            "action": "update",
            "shown": [t.slug for t in shown],
            "tools": [t.slug for t in ticked],
            "go": go,
            "next": next_url,
        },
    )


def test_tools_chosen_on_different_pages_stay_chosen(signed_in, verified_officer, tools):
    client = signed_in(verified_officer)
    response = page_post(client, shown=tools[:3], ticked=[tools[0]], next_url=CATALOGUE + "?page=1")
    assert response.status_code == 302 and response["Location"] == CATALOGUE + "?page=1"
    page_post(client, shown=tools[3:], ticked=[tools[4]])
    assert tray(client) == [tools[0].slug, tools[4].slug]
    # Unticking on a page takes out only that page's tool; the one from the other page stays.
    page_post(client, shown=tools[3:], ticked=[])
    assert tray(client) == [tools[0].slug]
    # "Compare selected tools" goes on to the comparison of the whole tray.
    response = page_post(client, shown=tools[3:], ticked=[tools[5]], go="compare")
    assert response["Location"] == f"{COMPARE}?tools={tools[0].slug},{tools[5].slug}"


def test_the_catalogue_and_compare_pages_show_the_tray_by_name(signed_in, verified_officer, tools):
    client = signed_in(verified_officer)
    client.post(TRAY, {"action": "set", "tools": [tools[1].slug, tools[2].slug]})
    body = client.get(CATALOGUE).content.decode()
    tray_html = body[body.index('class="compare-tray') : body.index("</section>", body.index('class="compare-tray'))]
    assert "Tool 1" in tray_html and "Tool 2" in tray_html
    assert (
        re.search(r">Remove<span class=\"visually-hidden\"> Tool 1</span>", tray_html)
        and 'name="csrfmiddlewaretoken"' in tray_html
    )
    assert f'<input type="hidden" name="tools" value="{tools[1].slug}">' in tray_html
    # The cards of the chosen tools come ticked.
    assert f'value="{tools[1].slug}" checked>' in body and f'value="{tools[0].slug}">' in body
    compare_body = client.get(COMPARE, {"tools": tools[3].slug}).content.decode()
    assert "Your selection to compare" in compare_body and re.search(
        r">Remove<span class=\"visually-hidden\"> Tool 2</span>", compare_body
    )


def test_remove_from_the_tray(signed_in, verified_officer, tools):
    client = signed_in(verified_officer)
    client.post(TRAY, {"action": "set", "tools": [tools[1].slug, tools[2].slug]})
    response = client.post(TRAY, {"action": "remove", "tool": tools[1].slug, "go": "compare"})
    assert tray(client) == [tools[2].slug]
    assert response["Location"] == f"{COMPARE}?tools={tools[2].slug}"
    client.post(TRAY, {"action": "clear"})
    assert tray(client) == []


def test_a_fifth_tool_says_up_to_4_and_keeps_every_choice(signed_in, verified_officer, tools):
    client = signed_in(verified_officer)
    page_post(client, shown=tools[:4], ticked=tools[:4])
    response = page_post(client, shown=tools[4:], ticked=[tools[4]], go="compare")
    assert response.status_code == 400
    body = response.content.decode()
    assert "You can compare up to 4 tools. You chose 5" in body
    # All five come back ticked, by name, so the officer only unticks one.
    for tool in tools[:5]:
        assert f'<input type="checkbox" name="tools" value="{tool.slug}" checked> {tool.name}' in body
    assert tray(client) == [t.slug for t in tools[:4]]  # the earlier selection is not lost
    # Submitting four of them compares those four.
    chosen = [tools[0].slug, tools[2].slug, tools[3].slug, tools[4].slug]
    response = client.post(TRAY, {"action": "set", "tools": chosen, "go": "compare"})
    assert response.status_code == 302 and tray(client) == chosen


def test_a_link_with_five_tools_is_a_400_with_all_five_ticked(signed_in, verified_officer, tools):
    response = signed_in(verified_officer).get(COMPARE, {"tools": ",".join(t.slug for t in tools[:5])})
    assert response.status_code == 400
    assert "You can compare up to 4 tools" in response.content.decode()
    assert [tool.slug for tool in response.context["overflow"]] == [t.slug for t in tools[:5]]


def test_only_published_tools_enter_the_tray_and_bad_input_is_a_400(signed_in, verified_officer, tools):
    draft = factories.ToolFactory(state=ToolState.DRAFT, name="Secret Draft")
    client = signed_in(verified_officer)
    client.post(TRAY, {"action": "set", "tools": [tools[0].slug, draft.slug, "no-such-tool"]})
    assert tray(client) == [tools[0].slug]
    assert "Secret Draft" not in client.get(CATALOGUE).content.decode()
    for body in ({"action": "set", "tools": "a\x00b"}, {"action": "update", "shown": "<x>"}, {"action": "explode"}):
        response = client.post(TRAY, body)
        assert response.status_code == 400
    assert tray(client) == [tools[0].slug]
    assert client.get(TRAY).status_code == 405
    # A "next" pointing elsewhere is not followed.
    response = client.post(TRAY, {"action": "clear", "next": "https://evil.example/"})
    assert response["Location"] == CATALOGUE
    # Nor one that is not a path: a bare word was read as a view's name (a 500, found by Hypothesis).
    for next_url in ("2024-13-45", "catalogue", "//evil.example/", "/tools/\\x"):
        response = client.post(TRAY, {"action": "clear", "next": next_url})
        assert response.status_code == 302 and response["Location"] == CATALOGUE


def test_the_tray_needs_hub_access_and_a_csrf_token(
    signed_in, provider_admin, pending_officer, verified_officer, tools
):
    for user in (provider_admin, pending_officer):
        client = signed_in(user)
        assert client.post(TRAY, {"action": "set", "tools": tools[0].slug}).status_code == 403
        assert tray(client) == []
    anonymous = Client().post(TRAY, {"action": "set", "tools": tools[0].slug})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, verified_officer)
    assert strict.post(TRAY, {"action": "set", "tools": tools[0].slug}).status_code == 403


# --- the tray and the fair order --------------------------------------------------------------
def order_and_exposure(client) -> tuple[list[str], list[tuple]]:
    ExposureCount.objects.all().delete()
    body = client.get(CATALOGUE).content.decode()
    counts = sorted(ExposureCount.objects.values_list("tool__slug", "position_bucket", "count"))
    return CARD_LINK.findall(body), counts


def tray_changes_the_catalogue(client, tools) -> bool:
    """Whether filling the tray changes the order or the exposure counted for the same officer."""
    client.post(TRAY, {"action": "clear"})
    before = order_and_exposure(client)
    # The tools shown last are chosen: were the tray read, they would move up.
    client.post(TRAY, {"action": "set", "tools": before[0][-4:]})
    after = order_and_exposure(client)
    return before != after


def test_the_tray_never_changes_the_order_or_the_exposure(signed_in, verified_officer, tools):
    client = signed_in(verified_officer)
    assert order_and_exposure(client)[1]  # officers' pages are counted
    assert not tray_changes_the_catalogue(client, tools)


def test_control_a_tray_that_moved_its_tools_up_is_caught(signed_in, verified_officer, tools, monkeypatch):
    """The check above fails when the catalogue puts the officer's chosen tools first."""
    real_search = search.search

    def tray_first(*args, **kwargs):
        results = real_search(*args, **kwargs)
        chosen = set()
        for session in Session.objects.all():
            chosen |= set(session.get_decoded().get(compare.TRAY_KEY, []))
        slugs = dict(Tool.objects.values_list("pk", "slug"))
        return sorted(results, key=lambda result: slugs[result.tool_id] not in chosen)

    monkeypatch.setattr(views.search, "search", tray_first)
    client = signed_in(verified_officer)
    assert tray_changes_the_catalogue(client, tools)
