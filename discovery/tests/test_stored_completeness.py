"""A result card's completeness comes from the counts kept with the tool's search text: the same
numbers as reading every answer, from one small row per tool."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discovery import search
from discovery.models import ToolSearchText
from questionnaires.selectors import current_versions

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools():
    tools_form, rai = make_questionnaires()
    made = [
        tool_with(tools_form, {}),
        tool_with(tools_form, {"workflow": ["triage"], "offline": True, "summary": "Sorts."}),
        tool_with(tools_form, {"workflow": [], "offline": False, "cost": ""}),  # empty answers do not count
    ]
    for key in ("rai-1", "rai-2", "rai-3", "rai-4"):
        answer(made[1], rai, key, "yes, documented")
    return made


def test_the_kept_counts_give_the_numbers_of_reading_every_answer(tools):
    versions = current_versions()
    ids = [tool.pk for tool in tools]
    kept = search.stored_completeness(ids, versions)
    read = search.completeness_for(ids, versions)
    assert kept[tools[1].pk] == read[tools[1].pk]
    assert kept[tools[2].pk] == read[tools[2].pk]
    assert kept[tools[1].pk] == {"tools-form": (3, 5), "responsible-ai": (4, 5)}
    assert kept[tools[0].pk] == {"tools-form": (0, 5), "responsible-ai": (0, 5)}
    # One small query for a page of tools.
    with CaptureQueriesContext(connection) as queries:
        search.stored_completeness(ids, versions)
    assert len(queries) == 1


def test_counts_kept_for_another_version_are_not_used(tools):
    versions = current_versions()
    ToolSearchText.objects.filter(tool=tools[1]).update(answered={"0": 99})
    assert search.stored_completeness([tools[1].pk], versions) == {
        tools[1].pk: {"tools-form": (3, 5), "responsible-ai": (4, 5)}
    }


def test_control_counts_kept_for_the_current_version_are_what_the_page_reads(tools):
    """The kept row is the source (not a second read of the answers): a wrong count shows."""
    versions = current_versions()
    counts = {str(version.pk): 1 for version in versions}
    ToolSearchText.objects.filter(tool=tools[1]).update(answered=counts)
    assert search.stored_completeness([tools[1].pk], versions)[tools[1].pk] == {
        "tools-form": (1, 5),
        "responsible-ai": (1, 5),
    }
