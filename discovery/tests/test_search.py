"""Criteria search: OR within a criterion, AND across, ranking, fair order, paging, the page."""

import datetime

import pytest
from django.urls import reverse

from catalogue.models import ToolState
from discovery import search
from discovery.models import ExposureCount
from discovery.search import PREFERRED, REQUIRED, Criterion
from testkit import factories
from testkit.personas import sign_in

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

URL = reverse("discovery:catalogue")


@pytest.fixture
def forms():
    return make_questionnaires()


def slugs(results):
    return {result.slug for result in results}


def run(selection, seed="officer:2026-01-01", **kwargs):
    return search.search(
        {key: Criterion(mode, frozenset(values)) for key, (mode, values) in selection.items()}, seed=seed, **kwargs
    )


def test_values_of_one_criterion_are_or(forms):
    tools_form, _rai = forms
    triage = tool_with(tools_form, {"workflow": ["triage"]})
    victim = tool_with(tools_form, {"workflow": ["victim-id", "review"]})
    tool_with(tools_form, {"workflow": ["review"]})
    tool_with(tools_form, {})
    assert slugs(run({"workflow": (REQUIRED, {"triage", "victim-id"})})) == {triage.slug, victim.slug}


def test_different_criteria_are_and(forms):
    tools_form, _rai = forms
    both = tool_with(tools_form, {"workflow": ["triage"], "offline": True})
    tool_with(tools_form, {"workflow": ["triage"], "offline": False})
    tool_with(tools_form, {"workflow": ["review"], "offline": True})
    result = run({"workflow": (REQUIRED, {"triage"}), "offline": (REQUIRED, {"yes"})})
    assert slugs(result) == {both.slug}


def test_yes_no_and_single_choice_values(forms):
    tools_form, _rai = forms
    offline_no = tool_with(tools_form, {"offline": False, "deployment": "cloud"})
    on_prem = tool_with(tools_form, {"offline": True, "deployment": "on-premises"})
    assert slugs(run({"offline": (REQUIRED, {"no"})})) == {offline_no.slug}
    assert slugs(run({"deployment": (REQUIRED, {"on-premises"})})) == {on_prem.slug}


def test_preferred_ranks_by_number_met_with_matched_and_missed(forms):
    tools_form, _rai = forms
    none = tool_with(tools_form, {"workflow": ["review"]})
    one = tool_with(tools_form, {"workflow": ["triage"]})
    two = tool_with(tools_form, {"workflow": ["triage"], "offline": True})
    results = run({"workflow": (PREFERRED, {"triage"}), "offline": (PREFERRED, {"yes"})})
    assert [result.slug for result in results] == [two.slug, one.slug, none.slug]
    by_slug = {result.slug: result for result in results}
    assert by_slug[two.slug].matched == ["workflow", "offline"] and by_slug[two.slug].missed == []
    assert by_slug[one.slug].matched == ["workflow"] and by_slug[one.slug].missed == ["offline"]
    assert by_slug[none.slug].matched == [] and by_slug[none.slug].missed == ["workflow", "offline"]


def test_required_and_preferred_together(forms):
    tools_form, _rai = forms
    fits = tool_with(tools_form, {"workflow": ["triage"], "offline": True})
    fits_less = tool_with(tools_form, {"workflow": ["triage"], "offline": False})
    tool_with(tools_form, {"workflow": ["review"], "offline": True})
    results = run({"workflow": (REQUIRED, {"triage"}), "offline": (PREFERRED, {"yes"})})
    assert [result.slug for result in results] == [fits.slug, fits_less.slug]


def test_newest_answer_counts(forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"workflow": ["triage"]})
    # A newer version of the same questionnaire; the answer given to it wins.
    newer = factories.make_questionnaire(
        "tools-form",
        [{"key": "workflow", "type": "multiple_choice", "criterion": True, "options": ["triage", "review"]}],
        number=2,
    )
    answer(tool, newer, "workflow", ["review"], answered_at=tool.published_at + datetime.timedelta(days=1))
    assert slugs(run({"workflow": (REQUIRED, {"review"})})) == {tool.slug}
    assert slugs(run({"workflow": (REQUIRED, {"triage"})})) == set()


def test_only_published_tools(forms):
    tools_form, _rai = forms
    published = tool_with(tools_form, {"offline": True})
    for state in (ToolState.DRAFT, ToolState.SUBMITTED, ToolState.CHANGES_REQUESTED, ToolState.REJECTED):
        tool_with(tools_form, {"offline": True}, published=False, state=state)
    assert slugs(run({"offline": (REQUIRED, {"yes"})})) == {published.slug}
    assert slugs(run({})) == {published.slug}


def test_completeness_filter_uses_the_threshold(forms):
    tools_form, rai = forms
    full = tool_with(tools_form, {})
    four_of_five = tool_with(tools_form, {})
    three_of_five = tool_with(tools_form, {})
    for tool, count in ((full, 5), (four_of_five, 4), (three_of_five, 3)):
        for n in range(1, count + 1):
            answer(tool, rai, f"rai-{n}", "Yes, documented.")
    assert search.COMPLETENESS_THRESHOLD == 0.8
    assert slugs(run({}, complete=["responsible-ai"])) == {full.slug, four_of_five.slug}
    assert len(run({})) == 3


# --- fair order -----------------------------------------------------------------------
def test_ties_follow_a_seeded_permutation_not_names_or_dates(forms):
    tools_form, _rai = forms
    for _ in range(12):
        tool_with(tools_form, {"offline": True})
    day = datetime.date(2026, 3, 1)
    first = [r.slug for r in run({}, seed=f"officer-a:{day}")]
    assert first == [r.slug for r in run({}, seed=f"officer-a:{day}")]  # stable
    other_officer = [r.slug for r in run({}, seed=f"officer-b:{day}")]
    next_day = [r.slug for r in run({}, seed=f"officer-a:{day + datetime.timedelta(days=1)}")]
    assert sorted(first) == sorted(other_officer) == sorted(next_day)
    assert first != other_officer
    assert first != next_day
    assert first != sorted(first) and first != sorted(first, reverse=True)


def test_fairness_seed_is_per_officer_and_utc_day(verified_officer):
    day = datetime.date(2026, 3, 1)
    seed = search.fairness_seed(verified_officer, day)
    assert seed == f"{verified_officer.public_id}:2026-03-01"
    assert search.fairness_seed(factories.OfficerProfileFactory(verified=True).user, day) != seed


# --- the page ---------------------------------------------------------------------------
def test_page_lists_cards_with_matched_and_missed(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"workflow": ["triage"], "offline": True}, name="Both Tool")
    tool_with(tools_form, {"workflow": ["triage"]}, name="Triage Tool")
    tool_with(tools_form, {"workflow": ["review"]}, name="Other Tool")
    client = signed_in(verified_officer)
    response = client.get(URL, {"workflow": "triage", "offline": "yes", "mode.offline": "preferred"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Both Tool" in body and "Triage Tool" in body and "Other Tool" not in body
    assert body.index("Both Tool") < body.index("Triage Tool")
    results = response.context["results"]
    # The values met or wanted, not only the question.
    assert [(fact.label, fact.values) for fact in results[0].matched_values] == [("Question offline?", ["Yes"])]
    assert [(fact.label, fact.values) for fact in results[1].missed_values] == [("Question offline?", ["Yes"])]
    assert "Preferred criteria missed" in body
    assert reverse("catalogue:tool_detail", args=[results[0].tool.slug]) in body
    assert 'class="tool-card-logo"' not in body  # no empty logo box when a tool has no logo


def test_mode_defaults_to_required(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {"offline": True}, name="Offline Tool")
    tool_with(tools_form, {"offline": False}, name="Online Tool")
    body = signed_in(verified_officer).get(URL, {"offline": "yes"}).content.decode()
    assert "Offline Tool" in body and "Online Tool" not in body


def test_bad_values_answer_400_and_keep_input(signed_in, verified_officer, forms):
    response = signed_in(verified_officer).get(URL, {"offline": "maybe", "q": "kept words"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "kept words" in body
    assert "maybe" in body  # Django's "Select a valid choice. maybe is not one of ..." next to the field


def test_refused_search_starts_with_the_error_summary_linking_to_the_criterion(signed_in, verified_officer, forms):
    client = signed_in(verified_officer)
    for headers, full_page in (({}, True), ({"HX-Request": "true"}, False)):
        response = client.get(URL, {"offline": "maybe", "q": "kept words"}, headers=headers)
        assert response.status_code == 400
        body = response.content.decode()
        assert ("<html" in body) is full_page
        # htmx swaps in the results only: the fragment brings the summary, once, focused on arrival.
        assert body.count('class="error-summary"') == 1 and "autofocus" in body
        assert '<a href="#id_offline_0">' in body
        if full_page:
            assert 'id="id_offline_0"' in body


def test_bad_mode_answers_400(signed_in, verified_officer, forms):
    response = signed_in(verified_officer).get(URL, {"offline": "yes", "mode.offline": "sponsored"})
    assert response.status_code == 400


def test_htmx_gets_only_the_results(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {}, name="Listed Tool")
    client = signed_in(verified_officer)
    partial = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    full = client.get(URL).content.decode()
    assert "Listed Tool" in partial and "Listed Tool" in full
    assert "<html" not in partial and "<html" in full
    assert 'hx-target="#catalogue-results"' in full and 'hx-push-url="true"' in full


def test_paging_is_stable_for_one_officer_and_differs_between_officers(client, signed_in, forms):
    tools_form, _rai = forms
    for n in range(45):
        tool_with(tools_form, {}, name=f"Paged Tool {n}")
    officer_a = factories.OfficerProfileFactory(verified=True).user
    officer_b = factories.OfficerProfileFactory(verified=True).user

    def pages(user):
        signed_in(user)
        seen = []
        for number in (1, 2, 3):
            response = client.get(URL, {"page": number})
            seen.append([result.tool.slug for result in response.context["results"]])
        client.logout()
        return seen

    a_pages = pages(officer_a)
    assert [len(page) for page in a_pages] == [20, 20, 5]
    flat = [slug for page in a_pages for slug in page]
    assert len(set(flat)) == 45  # no tool twice, none left out
    assert pages(officer_a) == a_pages  # the same order when paging again the same day
    assert pages(officer_b)[0] != a_pages[0]


def test_page_records_aggregate_exposure(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    for _ in range(25):
        tool_with(tools_form, {})
    client = signed_in(verified_officer)
    client.get(URL)
    client.get(URL, {"page": 2})
    counts = {}
    for row in ExposureCount.objects.all():
        counts[row.position_bucket] = counts.get(row.position_bucket, 0) + row.count
    assert counts == {1: 1, 2: 2, 3: 7, 4: 10, 5: 5}
    assert not any(field.name in ("user", "officer") for field in ExposureCount._meta.get_fields())


def test_providers_and_pending_officers_are_refused(signed_in, provider_admin, pending_officer, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {}, name="Hidden Tool")
    for user in (provider_admin, pending_officer):
        response = signed_in(user).get(URL)
        assert response.status_code == 403
        assert b"Hidden Tool" not in response.content


def test_anonymous_is_sent_to_sign_in(client, forms):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_query_count_does_not_grow_with_tools(signed_in, verified_officer, forms, django_assert_max_num_queries):
    tools_form, _rai = forms
    client = signed_in(verified_officer)
    params = {
        "workflow": "triage",
        "offline": "yes",
        "mode.offline": "preferred",
        "complete": "tools-form",
        "q": "summary",
    }
    client.get(URL, params)  # warm the session
    counts = []
    for total in (10, 60):
        while search.Tool.objects.count() < total:
            n = search.Tool.objects.count()
            answers = {"workflow": ["triage"], "offline": n % 2 == 0, "deployment": "cloud", "summary": f"Summary {n}"}
            tool_with(tools_form, answers)
        with django_assert_max_num_queries(30) as queries:
            response = client.get(URL, params)
        assert response.status_code == 200
        assert len(response.context["results"]) == min(total, 20)
        # The page's own queries (sessions and MFA checks belong to the middleware).
        own = [q["sql"] for q in queries.captured_queries if "catalogue_" in q["sql"] or "questionnaires_" in q["sql"]]
        assert len(own) <= 12, own
        counts.append(len(own))
    assert counts[0] == counts[1]


# --- free text -----------------------------------------------------------------------
def test_free_text_searches_names_descriptions_and_answers(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    by_name = tool_with(tools_form, {}, name="Hashmatcher Pro")
    by_description = tool_with(tools_form, {}, short_description="Detects grooming in chat logs")
    by_answer = tool_with(tools_form, {"summary": "Works on seized Android handsets"})
    translated = tool_with(tools_form, {})
    answer(translated, tools_form, "cost", "Free", translations={"fr": "Gratuit pour les forces de l'ordre"})
    tool_with(tools_form, {})
    assert slugs(run({}, q="hashmatcher")) == {by_name.slug}
    assert slugs(run({}, q="GROOMING chat")) == {by_description.slug}
    assert slugs(run({}, q="android seized")) == {by_answer.slug}  # every word, any order
    assert slugs(run({}, q="android iphone")) == set()  # all words must match
    assert slugs(run({}, q="hashm")) == {by_name.slug}  # prefix on the last word
    assert slugs(run({}, q="gratuit")) == {translated.slug}
    assert slugs(run({}, q="ÉCHANGE")) == set()
    assert slugs(run({}, q="!!!")) == set()


def test_free_text_ignores_accents_and_combines_with_criteria(forms):
    tools_form, _rai = forms
    offline = tool_with(tools_form, {"offline": True, "summary": "Analyse vidéo hors ligne"})
    tool_with(tools_form, {"offline": False, "summary": "Analyse vidéo en ligne"})
    assert slugs(run({"offline": (REQUIRED, {"yes"})}, q="video")) == {offline.slug}


def test_search_index_follows_publication_and_edits(forms):
    tools_form, _rai = forms
    tool = factories.ToolFactory(state=ToolState.SUBMITTED, name="Sleuthkit Helper")
    assert slugs(run({}, q="sleuthkit")) == set()
    tool.state = ToolState.PUBLISHED
    tool.save()
    assert slugs(run({}, q="sleuthkit")) == {tool.slug}
    tool.name = "Renamed Helper"
    tool.save()
    assert slugs(run({}, q="sleuthkit")) == set()
    assert slugs(run({}, q="renamed")) == {tool.slug}


def test_free_text_on_the_page(signed_in, verified_officer, forms):
    tools_form, _rai = forms
    tool_with(tools_form, {}, name="Needle Finder")
    tool_with(tools_form, {}, name="Haystack Sorter")
    body = signed_in(verified_officer).get(URL, {"q": "needle"}).content.decode()
    assert "Needle Finder" in body and "Haystack Sorter" not in body


def _checked_values(body: str, name: str) -> set[str]:
    inputs = [chunk.split(">", 1)[0] for chunk in body.split("<input")[1:]]
    return {
        chunk.split('value="', 1)[1].split('"', 1)[0]
        for chunk in inputs
        if f'name="{name}"' in chunk and "checked" in chunk
    }


def test_cached_criteria_inputs_keep_each_selection(client):
    """The criteria inputs are cached, yet every selection renders its own checked boxes."""
    factories.make_questionnaire(
        "cache-q", [{"key": "deploy", "type": "multiple_choice", "criterion": True, "options": ["cloud", "local"]}]
    )
    sign_in(client, factories.OfficerProfileFactory(verified=True).user)
    for _ in range(2):  # the second round is served from the cache
        assert _checked_values(client.get("/tools/", {"deploy": "cloud"}).content.decode(), "deploy") == {"cloud"}
        assert _checked_values(client.get("/tools/", {"deploy": "local"}).content.decode(), "deploy") == {"local"}
        assert _checked_values(client.get("/tools/").content.decode(), "deploy") == set()
