"""Results people can read (issue 12): the empty result, the active criteria, the cards, clean
addresses, the way to a tool and back, and the keyboard."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from discovery import results as results_module
from discovery import search
from discovery.search import PREFERRED, REQUIRED, Criterion

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

URL = reverse("discovery:catalogue")


@pytest.fixture
def forms():
    return make_questionnaires()


@pytest.fixture
def client_for(signed_in, verified_officer):
    return signed_in(verified_officer)


def pairs_of(url):
    return sorted(parse_qsl(urlsplit(url).query))


# --- 1. an empty result says so, and what to loosen ------------------------------------
def test_zero_results_say_so_with_the_count_the_criteria_to_drop_and_the_save_form(client_for, forms):
    tools_form, _rai = forms
    for _n in range(3):
        tool_with(tools_form, {"workflow": ["triage"], "offline": False, "deployment": "cloud"})
    tool_with(tools_form, {"workflow": ["review"], "offline": True, "deployment": "cloud"})
    response = client_for.get(URL, {"workflow": "triage", "offline": "yes", "deployment": "cloud"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "0 tools fit." in body
    assert "No tool fits this search" in body
    # Dropping "offline" alone lets 3 tools in; dropping "workflow" alone lets 1 in; "deployment" none.
    assert "Without “Question offline?: Yes”, 3 tools match" in body
    assert "Without “Question workflow?: Triage”, 1 tool matches" in body
    assert "Question deployment?: Cloud”" not in body.split("These criteria shut out")[1].split("</ul>")[0]
    suggestions = response.context["suggestions"]
    assert [(s.criterion.key, s.count) for s in suggestions] == [("offline", 3), ("workflow", 1)]
    # Each suggestion is the same search without that criterion.
    assert pairs_of(suggestions[0].criterion.url) == [("deployment", "cloud"), ("workflow", "triage")]
    assert 'class="save-search-form' in body


def test_zero_results_for_words_alone_advise_on_the_words_not_the_criteria(client_for, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage"], "offline": False, "deployment": "cloud"})
    body = client_for.get(URL, {"q": "zzqxwv"}).content.decode()
    assert "No published tool matches these words" in body and "required criterion" not in body
    body = client_for.get(URL, {"q": "zzqxwv", "offline": "yes"}).content.decode()
    assert "required criterion" in body


def test_suggestion_counts_equal_searching_without_each_criterion(client_for, forms):
    """The counts from set operations agree with actually running each search without it."""
    tools_form, rai = forms
    for n in range(12):
        tool = tool_with(
            tools_form,
            {
                "workflow": [["triage"], ["review"], ["victim-id", "triage"]][n % 3],
                "offline": n % 2 == 0,
                "deployment": ["cloud", "on-premises"][n % 4 // 2],
                "summary": "handset extraction" if n % 5 else "cloud review",
            },
        )
        # The victim-id tools (n % 3 == 2) never answered the questionnaire: nothing fits them all.
        for key in range(1, 6 if n % 3 == 1 else 2):
            answer(tool, rai, f"rai-{key}", "Yes")
    params = {
        "workflow": "victim-id",
        "offline": "no",
        "deployment": "on-premises",
        "q": "handset",
        "complete": "responsible-ai",
    }
    response = client_for.get(URL, params)
    assert response.context["count"] == 0
    got = {s.criterion.key: s.count for s in response.context["suggestions"]}
    full = {"workflow": {"victim-id"}, "offline": {"no"}, "deployment": {"on-premises"}}
    expected = {}
    for dropped in ["q", "complete", *full]:
        selection = {key: Criterion(REQUIRED, frozenset(v)) for key, v in full.items() if key != dropped}
        found = search.search(
            selection,
            seed="x",
            q="" if dropped == "q" else "handset",
            complete=[] if dropped == "complete" else ["responsible-ai"],
        )
        if len(found):
            expected[dropped] = len(found)
    best = dict(sorted(expected.items(), key=lambda item: -item[1])[: results_module.MAX_SUGGESTIONS])
    assert got == best and got


def test_suggestions_read_a_fixed_number_of_queries(client_for, forms, django_assert_max_num_queries):
    tools_form, _rai = forms
    params = {"workflow": "triage", "offline": "yes", "q": "summary"}
    counts = []
    for total in (5, 30):
        while search.Tool.objects.count() < total:
            tool_with(tools_form, {"workflow": ["triage"], "offline": False, "summary": "Summary text"})
        client_for.get(URL, params)  # the session and this process's criteria index are read
        with django_assert_max_num_queries(30) as queries:
            response = client_for.get(URL, params)
        assert response.context["count"] == 0 and response.context["suggestions"]
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


# --- 2. the active criteria above the results, each removable --------------------------
def test_active_criteria_are_listed_each_with_a_link_without_it_and_clear_all(client_for, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage"], "offline": True})
    response = client_for.get(
        URL, {"q": "fictitious", "workflow": ["triage", "review"], "offline": "yes", "mode.offline": PREFERRED}
    )
    assert response.status_code == 200
    body = response.content.decode()
    active = {criterion.key: criterion for criterion in response.context["active_criteria"]}
    assert list(active) == ["q", "workflow", "offline"]
    assert active["workflow"].values == ["Triage", "Review"] and active["offline"].preferred
    assert "Question workflow?: Triage, Review" in body and "“fictitious”" in body
    assert pairs_of(active["workflow"].url) == [("mode.offline", "preferred"), ("offline", "yes"), ("q", "fictitious")]
    assert pairs_of(active["q"].url) == [
        ("mode.offline", "preferred"),
        ("offline", "yes"),
        ("workflow", "review"),
        ("workflow", "triage"),
    ]
    for criterion in active.values():
        assert f'href="{criterion.url.replace("&", "&amp;")}"' in body  # a plain link: works without JS
    assert 'class="active-criteria-clear" href="/tools/"' in body.replace(URL, "/tools/")
    # Following the link runs the search without that criterion.
    again = client_for.get(active["workflow"].url)
    assert [c.key for c in again.context["active_criteria"]] == ["q", "offline"]


# --- 3. cards: values met, key facts, no empty logo box ----------------------------------
def test_cards_show_values_met_and_key_facts_without_an_empty_logo_box(client_for, forms, monkeypatch):
    monkeypatch.setattr(results_module, "FACT_KEYS", ("workflow", "deployment", "offline"))
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage", "review"], "deployment": "on-premises", "offline": True})
    tool_with(tools_form, {"workflow": ["review"]})
    response = client_for.get(URL, {"workflow": ["triage", "victim-id"], "mode.workflow": PREFERRED})
    body = response.content.decode()
    first, second = response.context["results"]
    assert [(f.label, f.values) for f in first.matched_values] == [("Question workflow?", ["Triage"])]
    assert [(f.label, f.values) for f in second.missed_values] == [("Question workflow?", ["Triage", "Victim Id"])]
    assert [(f.label, f.values) for f in first.facts] == [
        ("Question workflow?", ["Triage", "Review"]),
        ("Question deployment?", ["On Premises"]),
        ("Question offline?", ["Yes"]),
    ]
    assert [(f.label, f.values) for f in second.facts][1:] == [("Question deployment?", []), ("Question offline?", [])]
    assert "Question workflow?: Triage" in body  # the value met, not only the question
    assert 'class="tool-card-logo"' not in body and "tool-card-logo-placeholder" not in body


def test_the_shipped_questionnaire_asks_the_key_facts():
    """The card's facts are questions of the Tools Form as shipped (questionnaires/data)."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parents[2] / "questionnaires/data/tools-form.json").read_text())
    keys = set(re.findall(r'"key": "([^"]+)"', json.dumps(data)))
    assert set(results_module.FACT_KEYS) <= keys


# --- 4. addresses carry only what the officer chose ------------------------------------------
def test_a_form_submission_with_default_modes_is_sent_to_the_clean_address(client_for, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage"]})
    # What the form sends without JS: every mode radio, empty words.
    params = {"q": "", "workflow": "triage", "mode.workflow": REQUIRED, "mode.offline": REQUIRED}
    params["mode.deployment"] = PREFERRED  # a mode without values means nothing
    response = client_for.get(URL, params)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?workflow=triage"
    clean = client_for.get(response["Location"])
    assert clean.status_code == 200 and clean.context["count"] == 1


def test_a_saved_search_link_with_modes_keeps_working(client_for, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage"], "offline": True})
    tool_with(tools_form, {"workflow": ["triage"], "offline": False})
    # As following.query_of wrote them: the mode of every chosen criterion, "required" included.
    response = client_for.get(f"{URL}?workflow=triage&mode.workflow=required&offline=yes&mode.offline=preferred")
    assert response.status_code == 200 and response.context["count"] == 2
    assert [c.key for c in response.context["active_criteria"]] == ["workflow", "offline"]


def test_htmx_gets_the_results_and_the_clean_address_to_show(client_for, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage"]})
    response = client_for.get(
        URL, {"workflow": "triage", "mode.workflow": REQUIRED, "mode.offline": REQUIRED}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert response["HX-Push-Url"] == f"{URL}?workflow=triage"
    clean = client_for.get(URL, {"workflow": "triage"}, headers={"HX-Request": "true"})
    assert "HX-Push-Url" not in clean


def test_the_page_links_carry_only_the_search(client_for, forms):
    tools_form, _rai = forms
    for _n in range(25):
        tool_with(tools_form, {"workflow": ["triage"]})
    response = client_for.get(URL, {"workflow": "triage", "page": "2"})
    assert response.status_code == 200
    assert response.context["previous_url"] == f"{URL}?workflow=triage"
    assert "mode." not in response.content.decode().split('class="pagination"')[1].split("</nav>")[0]


def test_a_refused_search_is_not_redirected(client_for, forms):
    response = client_for.get(URL, {"offline": "maybe", "mode.workflow": REQUIRED})
    assert response.status_code == 400


# --- 6. keyboard --------------------------------------------------------------------------
def test_results_have_ids_and_only_the_count_is_live(client_for, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {})
    body = client_for.get(URL).content.decode()
    assert f'id="result-{tool.slug}"' in body
    assert body.count("aria-live") == 1
    assert re.search(r'<p id="results-count"[^>]*aria-live="polite"[^>]*>1 tool fits.</p>', body)
    assert re.search(r'<a [^>]*href="#catalogue-results"[^>]*>Skip to the results</a>', body)
    assert re.search(r'<div id="catalogue-results" tabindex="-1">', body)
    assert "js/catalogue-results" in body
    # An htmx swap gives the count its new text out of band.
    partial = client_for.get(URL, {"offline": "yes"}, headers={"HX-Request": "true"}).content.decode()
    assert '<p id="results-count" hx-swap-oob="innerHTML">0 tools fit.</p>' in partial


# --- 5. the tool page ----------------------------------------------------------------------
def test_card_links_carry_the_search_and_the_tool_page_leads_back_to_that_result(client_for, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"workflow": ["triage"]})
    response = client_for.get(URL, {"workflow": "triage", "q": "fictitious"})
    link = re.search(rf'<a href="([^"]*{tool.slug}/\?from=[^"]+)">', response.content.decode()).group(1)
    page = client_for.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    back = page.context["back_url"]
    assert urlsplit(back).path == URL and urlsplit(back).fragment == f"result-{tool.slug}"
    assert pairs_of(back) == [("q", "fictitious"), ("workflow", "triage")]
    assert "Back to results" in page.content.decode()


@pytest.mark.parametrize(
    "given",
    [
        "https://evil.example/tools/",
        "//evil.example/tools/?q=x",
        "/admin/",
        "javascript:alert(1)",
        "/tools/\\evil",
        "https:/tools/",
    ],
)
def test_back_to_results_is_only_ever_the_catalogue(client_for, forms, given):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {})
    page = client_for.get(reverse("catalogue:tool_detail", args=[tool.slug]), {"from": given})
    assert page.status_code == 200 and page.context["back_url"] == ""
    body = page.content.decode()
    assert "Back to results" not in body and "Back to the catalogue" in body
    assert not re.search(r'href="[^"]*(evil|javascript|admin)', body.split('class="back-to-results"')[1][:300])


def test_tool_page_lists_its_sections_and_links_to_the_provider_for_details_on_request(client_for, forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"cost": "Pricing details on request.", "summary": "Reads seized phones."})
    body = client_for.get(reverse("catalogue:tool_detail", args=[tool.slug])).content.decode()
    contents = body.split('class="tool-contents"')[1].split("</nav>")[0]
    for anchor in re.findall(r'href="#([^"]+)"', contents):
        assert f'id="{anchor}"' in body
    assert 'href="#questionnaire-tools-form"' in contents and 'href="#tool-attachments"' in contents
    website = tool.organisation.website
    assert body.count(f'<a href="{website}"') == 1  # next to the "on request" answer only
    assert f"Ask {tool.organisation.name} for the details" in body
