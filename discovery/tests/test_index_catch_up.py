"""A process whose criteria index is a few changes behind (another process published or withdrew a
tool) re-reads only those tools, and then finds exactly what an index read in full finds, in the
same fair orders (the first search after a publication, issue 13's cold path)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import review
from catalogue.models import ToolState
from discovery import search
from discovery.search import PREFERRED, REQUIRED, Criterion
from questionnaires.selectors import current_versions
from testkit import factories

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

SEEDS = [f"officer-{n}:2026-03-01" for n in range(6)]
SELECTIONS = [
    {},
    {"offline": Criterion(PREFERRED, frozenset({"yes"}))},
    {"workflow": Criterion(REQUIRED, frozenset({"triage"})), "offline": Criterion(PREFERRED, frozenset({"yes"}))},
]


@pytest.fixture
def forms():
    tools_form, _rai = make_questionnaires()
    for n in range(25):
        tool_with(tools_form, {"offline": n % 3 == 0, "workflow": ["triage"] if n % 2 else ["review"]})
    return tools_form


def searches() -> list[list[str]]:
    return [
        [result.slug for result in search.search(selection, seed=seed, q=q)]
        for seed in SEEDS
        for selection in SELECTIONS
        for q in ("", "seized media")
    ]


def behind(forms, change) -> tuple[list, list]:
    """The searches of a process whose index predates `change`, and of one that reads in full."""
    searches()  # this process's index, with fair orders drawn and criteria read
    earlier = search._indexes["current"]
    change(forms)
    search._indexes["current"] = earlier  # as in a process that did not make the change
    caught_up = searches()
    assert search._indexes["current"].changes == search.changes_number()
    search._indexes.clear()
    return caught_up, searches()


def publish_a_tool(forms):
    tool = factories.ToolFactory(state=ToolState.SUBMITTED, slug="arriving")
    answer(tool, forms, "offline", True)
    answer(tool, forms, "workflow", ["triage"])
    review.publish_tool(tool, by=factories.CoordinatorFactory(), expected_version=tool.version)


def withdraw_a_tool(forms):
    tool = search.Tool.objects.filter(state=ToolState.PUBLISHED).order_by("pk")[3]
    tool.state = ToolState.WITHDRAWN
    tool.save()


@pytest.fixture
def no_full_read(monkeypatch):
    reads = []
    original = search.CriteriaIndex.__init__

    def counting(self, *args, read=True, **kwargs):
        if read:
            reads.append(args)
        original(self, *args, read=read, **kwargs)

    monkeypatch.setattr(search.CriteriaIndex, "__init__", counting)
    return reads


@pytest.mark.parametrize("change", [publish_a_tool, withdraw_a_tool])
def test_a_process_behind_catches_up_and_finds_what_a_full_read_finds(forms, change, no_full_read):
    caught_up, read_in_full = behind(forms, change)
    assert caught_up == read_in_full
    assert len(no_full_read) == 2  # the first index and the one read in full, not the catch-up
    if change is publish_a_tool:
        assert any("arriving" in slugs for slugs in caught_up)


def test_control_a_catch_up_that_does_not_re_read_the_tool_is_caught(forms, monkeypatch):
    def only_the_token(self, tool_id, slug, token, fingerprint=None):
        copy = search.CriteriaIndex(token, self.questionnaires, self.versions, fingerprint, self.changes, read=False)
        copy.slugs, copy.postings, copy._fair = self.slugs, self.postings, self._fair
        return copy

    monkeypatch.setattr(search.CriteriaIndex, "with_tool", only_the_token)
    caught_up, read_in_full = behind(forms, publish_a_tool)
    assert caught_up != read_in_full


def test_a_change_not_of_one_tool_reads_everything_again(forms, no_full_read):
    searches()
    earlier = search._indexes["current"]
    search.reindex_published()  # e.g. a questionnaire version's new labels
    search._indexes["current"] = earlier
    searches()
    assert len(no_full_read) == 2


def test_an_app_server_reads_every_criterion_before_the_first_search(forms):
    search._indexes.clear()
    search.warm_up()
    with CaptureQueriesContext(connection) as queries:
        for key, value in (("deployment", "cloud"), ("offline", "yes"), ("workflow", "review")):
            search.search({key: Criterion(REQUIRED, frozenset({value}))}, seed=SEEDS[0])
    assert not [query for query in queries.captured_queries if "catalogue_answer" in query["sql"]]


def test_an_app_server_reads_the_completeness_of_every_tool_before_the_first_page(forms):
    search._indexes.clear()
    search.warm_up()
    versions = current_versions()
    published = list(search.criteria_index(versions).slugs)
    with CaptureQueriesContext(connection) as queries:
        scores = search.page_completeness(published, versions)
    assert not [query for query in queries.captured_queries if "toolsearch" in query["sql"]]
    assert scores == search.completeness_for(published, versions)


def test_words_searched_again_are_not_read_again_until_a_tool_changes(forms):
    words = search.query_words("seized media")
    search.search({}, seed=SEEDS[0], q="seized media")
    with CaptureQueriesContext(connection) as queries:
        search.search({}, seed=SEEDS[1], q="seized media")
    assert not [
        query for query in queries.captured_queries if "toolsearch" in query["sql"] and "MAX" not in query["sql"]
    ]
    publish_a_tool(forms)
    assert "arriving" in {result.slug for result in search.search({}, seed=SEEDS[0], q="seized media")}
    assert search.criteria_index().matching(words) == frozenset(search.matching_ids(words))
