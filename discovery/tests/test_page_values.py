"""The values a page of result cards shows (key facts, preferred criteria met) come from the
criteria index the search just checked, equal to the tools' newest answers, without a query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Tool
from discovery import search
from questionnaires.selectors import current_versions

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

KEYS = ["workflow", "offline", "deployment", "cost"]


@pytest.fixture
def forms():
    tools_form, _rai = make_questionnaires()
    for n in range(12):
        tool_with(
            tools_form,
            {
                "offline": n % 3 == 0,
                "workflow": [["triage"], ["review", "victim-id"], []][n % 3],
                **({"deployment": "cloud"} if n % 4 else {}),
                "cost": f"{n} euros",
            },
        )
    return tools_form


def newest_answers(tool_ids) -> dict:
    read = search.latest_values(tool_ids, KEYS)
    return {tool_id: {key: search.answer_values(value) for key, value in read[tool_id].items()} for tool_id in read}


def shown(tool_ids) -> dict:
    versions = current_versions()
    search.search({}, seed="officer:2026-03-01", versions=versions)  # as the catalogue does, first
    values = search.page_values(tool_ids, KEYS, versions)
    return {tool_id: {key: found for key, found in values[tool_id].items() if found} for tool_id in values}


def expected(tool_ids) -> dict:
    return {
        tool_id: {key: found for key, found in values.items() if found}
        for tool_id, values in newest_answers(tool_ids).items()
    }


def test_a_page_shows_the_newest_answers_and_reads_only_the_text_key(forms):
    ids = list(Tool.objects.values_list("pk", flat=True))[:8]
    shown(ids)  # the index holds the criteria now, as after an app server's warm-up
    with CaptureQueriesContext(connection) as queries:
        values = shown(ids)
    assert values == expected(ids)
    answer_reads = [query["sql"] for query in queries.captured_queries if "catalogue_answer" in query["sql"]]
    assert len(answer_reads) == 1 and "cost" in answer_reads[0]  # the text answer only


def change_in_another_process(forms, tool_id) -> search.CriteriaIndex:
    """This process's index from before the change, as in an app server that did not make it."""
    earlier = search._indexes["current"]
    answer(Tool.objects.get(pk=tool_id), forms, "deployment", "on-premises")
    search._indexes["current"] = earlier
    return earlier


def test_an_answer_changed_on_a_published_tool_shows_at_once(forms):
    ids = list(Tool.objects.values_list("pk", flat=True))[:4]
    shown(ids)
    change_in_another_process(forms, ids[0])
    assert shown(ids)[ids[0]]["deployment"] == {"on-premises"}
    assert shown(ids) == expected(ids)


def test_control_an_index_not_checked_first_shows_the_old_answer(forms):
    ids = list(Tool.objects.values_list("pk", flat=True))[:4]
    shown(ids)
    change_in_another_process(forms, ids[0])
    values = search.page_values(ids, KEYS, current_versions())  # no search before it
    assert values[ids[0]].get("deployment") != {"on-premises"}
