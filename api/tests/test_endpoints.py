"""The shapes scripts rely on: /criteria, /tools and /tools/<slug>."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discovery import search
from testkit import factories

from .helpers import api_client, build_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return build_catalogue()


@pytest.fixture
def officer_client(verified_officer):
    return api_client(factories.make_api_token(verified_officer))


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.json()


# --- criteria --------------------------------------------------------------------------
def test_criteria_list_every_criterion_with_its_values(catalogue, officer_client):
    body = get_json(officer_client, reverse("api:criteria"))
    mine = {item["key"]: item for item in body if item["key"].startswith("api-")}
    assert set(mine) == {"api-offline", "api-os", "api-licence"}  # text and number questions are no criteria
    assert mine["api-offline"] == {
        "key": "api-offline",
        "label": "Question api-offline?",
        "type": "yes_no",
        "questionnaire": "api-form",
        "values": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    }
    assert [value["value"] for value in mine["api-os"]["values"]] == ["linux", "windows", "macos"]
    assert mine["api-os"]["values"][0]["label"] == "Linux"


def test_criteria_labels_follow_accept_language(catalogue, verified_officer):
    question = catalogue["questions"]["api-offline"]
    question.labels = {"en": "Works offline?", "fr": "Fonctionne hors ligne ?"}
    question.save()
    secret = factories.make_api_token(verified_officer)
    english = get_json(api_client(secret), reverse("api:criteria"))
    french = get_json(api_client(secret, **{"Accept-Language": "fr"}), reverse("api:criteria"))

    def offline(body):
        return next(item for item in body if item["key"] == "api-offline")

    assert offline(english)["label"] == "Works offline?"
    assert offline(french)["label"] == "Fonctionne hors ligne ?"
    assert offline(french)["values"][0]["label"] == "Oui"


# --- tools -------------------------------------------------------------------------------
def test_tools_list_published_tools_only(catalogue, officer_client):
    body = get_json(officer_client, reverse("api:tools"))
    slugs = {result["slug"] for result in body["results"]}
    assert slugs == {"api-full", "api-partial"}
    assert body["count"] == 2 and body["next"] is None
    full = next(result for result in body["results"] if result["slug"] == "api-full")
    assert full["name"] == "Glacier Lens"
    assert full["provider"] == catalogue["full"].organisation.name
    assert full["short_description"] == catalogue["full"].short_description
    assert full["matched"] == [] and full["missed"] == []
    assert full["url"] == "http://testserver/api/v1/tools/api-full"
    assert full["page_url"] == "http://testserver/tools/api-full/"


def test_required_criteria_filter_and_values_of_one_criterion_mean_any(catalogue, officer_client):
    url = reverse("api:tools")
    only_full = get_json(officer_client, url, **{"api-offline": "yes"})
    assert [result["slug"] for result in only_full["results"]] == ["api-full"]
    either = get_json(officer_client, f"{url}?api-os=macos&api-os=windows")
    assert {result["slug"] for result in either["results"]} == {"api-full", "api-partial"}
    # Different criteria combine: both must hold.
    none = get_json(officer_client, f"{url}?api-os=windows&api-offline=no&api-licence=free")
    assert none["count"] == 0 and none["results"] == []


def test_preferred_criteria_rank_and_say_what_matched_and_missed(catalogue, officer_client):
    body = get_json(
        officer_client, f"{reverse('api:tools')}?prefer.api-offline=yes&prefer.api-licence=free&api-os=windows"
    )
    assert [result["slug"] for result in body["results"]] == ["api-full", "api-partial"]
    full, partial = body["results"]
    assert full["matched"] == ["api-offline", "api-licence"] and full["missed"] == []
    assert partial["matched"] == [] and partial["missed"] == ["api-offline", "api-licence"]


def test_free_text_search(catalogue, officer_client):
    body = get_json(officer_client, reverse("api:tools"), q="glacier")
    assert [result["slug"] for result in body["results"]] == ["api-full"]
    assert get_json(officer_client, reverse("api:tools"), q="scene")["count"] == 1  # words of answers count too
    assert get_json(officer_client, reverse("api:tools"), q="zzzunknownword")["count"] == 0


def test_equal_matches_come_in_the_catalogues_fair_order_and_pages_link_on(verified_officer, officer_client):
    factories.make_questionnaire("api-form", [{"key": "api-offline", "type": "yes_no", "criterion": True}])
    for _ in range(25):
        factories.ToolFactory(published=True)
    first = get_json(officer_client, reverse("api:tools"))
    assert first["count"] == 25 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/tools?page=2"
    second = get_json(officer_client, first["next"])
    assert len(second["results"]) == 5 and second["next"] is None
    slugs = [result["slug"] for result in first["results"] + second["results"]]
    expected = [result.slug for result in search.search({}, seed=search.fairness_seed(verified_officer))]
    assert slugs == expected
    assert slugs != sorted(slugs)  # no alphabetical order
    assert get_json(officer_client, reverse("api:tools"), page="9")["results"] == []


def test_next_keeps_the_query(catalogue, officer_client):
    for _ in range(21):
        factories.ToolFactory(published=True, name="Glacier Copy")
    body = get_json(officer_client, f"{reverse('api:tools')}?q=glacier&prefer.api-os=linux")
    assert body["count"] == 22
    assert "q=glacier" in body["next"] and "prefer.api-os=linux" in body["next"] and "page=2" in body["next"]


@pytest.mark.parametrize(
    ("query", "valid"),
    [
        ("colour=blue", ["api-licence", "api-offline", "api-os"]),
        ("prefer.colour=blue", ["api-licence", "api-offline", "api-os"]),
        ("api-summary=x", ["api-licence", "api-offline", "api-os"]),
        ("api-os=beos", ["linux", "macos", "windows"]),
        ("prefer.api-offline=maybe", ["no", "yes"]),
        ("api-os=", ["linux", "macos", "windows"]),
    ],
)
def test_unknown_criteria_or_values_answer_400_listing_the_valid_ones(catalogue, officer_client, query, valid):
    body = get_json(officer_client, f"{reverse('api:tools')}?{query}", status=400)
    assert body["error"]
    assert set(valid) <= set(body["valid"])


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=x", "page=1.5", "page=" + "9" * 5000, "complete=nope"])
def test_bad_paging_or_filters_answer_400(catalogue, officer_client, query):
    assert get_json(officer_client, f"{reverse('api:tools')}?{query}", status=400)["error"]


def test_a_criterion_cannot_be_both_required_and_preferred(catalogue, officer_client):
    get_json(officer_client, f"{reverse('api:tools')}?api-offline=yes&prefer.api-offline=no", status=400)


def test_the_endpoints_read_a_fixed_number_of_queries(catalogue, officer_client):
    urls = [
        f"{reverse('api:tools')}?q=tool&prefer.api-os=linux&api-offline=yes&complete=api-form",
        f"{reverse('api:tools')}?prefer.api-os=linux",
        reverse("api:tool", args=["api-full"]),
        reverse("api:criteria"),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                get_json(officer_client, url)
            result.append(len(queries.captured_queries))
        return result

    counts()  # the first request also records the token's use
    few = counts()
    for _ in range(40):
        factories.ToolFactory(published=True)
    # Once more for the search words, kept per criteria index and read again after the change.
    first = counts()
    assert [now - before for now, before in zip(first, few, strict=True)] == [1, 0, 0, 0]
    assert counts() == few
    # Lists: 12 plus the exposure upsert, which runs in a savepoint here (tests run in a transaction).
    assert max(few[:2]) <= 15 and max(few[2:]) <= 12


# --- one tool ----------------------------------------------------------------------------
def test_a_tool_lists_every_current_question_with_its_answer_or_null(catalogue, officer_client):
    body = get_json(officer_client, reverse("api:tool", args=["api-partial"]))
    tool = catalogue["partial"]
    assert body["slug"] == "api-partial"
    assert body["name"] == "Harbour Sieve"
    assert body["provider"] == tool.organisation.name
    assert body["short_description"] == tool.short_description
    assert body["long_description"] == tool.long_description
    assert body["website"] == tool.website
    assert body["last_updated"] == tool.updated_at.isoformat()
    form = next(item for item in body["questionnaires"] if item["key"] == "api-form")
    assert form["version"] == 1
    assert form["completeness"] == {"answered": 2, "total": 5}
    answers = {question["key"]: question["answer"] for question in form["questions"]}
    assert answers == {
        "api-offline": False,
        "api-os": ["windows"],
        "api-licence": None,
        "api-summary": None,
        "api-accuracy": None,
    }
    first = form["questions"][0]
    assert first == {"key": "api-offline", "label": "Question api-offline?", "type": "yes_no", "answer": False}


def test_a_fully_answered_tool(catalogue, officer_client):
    body = get_json(officer_client, reverse("api:tool", args=["api-full"]))
    form = next(item for item in body["questionnaires"] if item["key"] == "api-form")
    answers = {question["key"]: question["answer"] for question in form["questions"]}
    assert answers == {
        "api-offline": True,
        "api-os": ["linux", "windows"],
        "api-licence": "free",
        "api-summary": "Sorts seized images by scene.",
        "api-accuracy": 97.5,
    }
    assert form["completeness"] == {"answered": 5, "total": 5}


def test_a_question_added_in_a_newer_version_shows_as_unanswered(catalogue, officer_client):
    newer = factories.QuestionnaireVersionFactory(questionnaire=catalogue["version"].questionnaire, number=2)
    section = factories.SectionFactory(version=newer, key="main")
    factories.QuestionFactory(section=section, key="api-offline", type="yes_no", is_criterion=True)
    factories.QuestionFactory(section=section, key="api-added-later")
    body = get_json(officer_client, reverse("api:tool", args=["api-full"]))
    form = next(item for item in body["questionnaires"] if item["key"] == "api-form")
    assert form["version"] == 2
    assert {question["key"]: question["answer"] for question in form["questions"]} == {
        "api-offline": True,
        "api-added-later": None,
    }


@pytest.mark.parametrize("slug", ["api-draft", "no-such-tool", "a" * 300, "nul\x00byte"])
def test_unpublished_or_unknown_tools_answer_404(catalogue, officer_client, slug):
    assert get_json(officer_client, reverse("api:tool", args=[slug]), status=404)["error"]


def test_unpublished_tools_are_404_for_coordinators_too(catalogue, coordinator):
    client = api_client(factories.make_api_token(coordinator))
    for state in ("draft", "submitted", "changes_requested", "rejected"):
        tool = factories.ToolFactory(state=state)
        assert get_json(client, reverse("api:tool", args=[tool.slug]), status=404)["error"]


def test_the_document_lists_each_criterion_as_required_and_preferred_parameters(catalogue, officer_client):
    document = get_json(officer_client, reverse("api:openapi"))
    parameters = {parameter["name"]: parameter for parameter in document["paths"]["/tools"]["get"]["parameters"]}
    assert parameters["api-os"]["schema"]["items"]["enum"] == ["linux", "windows", "macos"]
    assert parameters["prefer.api-offline"]["schema"]["items"]["enum"] == ["yes", "no"]
    assert "api-summary" not in parameters
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    for path in ("/criteria", "/tools", "/tools/{slug}"):
        assert {"200", "401", "403"} <= set(document["paths"][path]["get"]["responses"])


def test_officers_results_count_as_exposure_in_aggregate(catalogue, officer_client, coordinator):
    from discovery.models import ExposureCount

    get_json(officer_client, reverse("api:tools"))
    counts = {(row.tool.slug, row.position_bucket): row.count for row in ExposureCount.objects.select_related("tool")}
    assert sorted(counts.values()) == [1, 1] and {slug for slug, _bucket in counts} == {"api-full", "api-partial"}
    get_json(api_client(factories.make_api_token(coordinator)), reverse("api:tools"))
    assert sum(row.count for row in ExposureCount.objects.all()) == 2  # coordinators' checks are not counted
