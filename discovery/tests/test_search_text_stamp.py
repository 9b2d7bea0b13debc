"""The criteria index notices search texts written without signals (bulk loads, SQL by hand) by
a mark that database triggers draw again (migration 0006), on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection

from catalogue.models import Tool, ToolState
from discovery import search
from discovery.models import ToolSearchText
from testkit import factories

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db


def slugs(**kwargs) -> set[str]:
    return {result.slug for result in search.search({}, seed="officer:2026-03-01", **kwargs)}


def bulk_publish(slug: str) -> None:
    """As a bulk load does: rows written in bulk, no signal sent, no generation drawn."""
    tool = factories.ToolFactory(state=ToolState.SUBMITTED, slug=slug)
    ToolSearchText.objects.filter(tool=tool).delete()
    Tool.objects.filter(pk=tool.pk).update(state=ToolState.PUBLISHED)
    ToolSearchText.objects.bulk_create([ToolSearchText(tool_id=tool.pk, text="bulkloaded seized media")])


def test_every_kind_of_write_draws_a_new_mark():
    make_questionnaires()
    tool = factories.ToolFactory(state=ToolState.PUBLISHED)
    marks = [search._fingerprint()]
    ToolSearchText.objects.filter(tool=tool).update(text="changed in bulk")
    marks.append(search._fingerprint())
    ToolSearchText.objects.filter(tool=tool).delete()
    marks.append(search._fingerprint())
    ToolSearchText.objects.bulk_create([ToolSearchText(tool_id=tool.pk, text="back")])
    marks.append(search._fingerprint())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalogue_toolsearchtext SET text = 'by hand'")
    marks.append(search._fingerprint())
    assert len(set(marks)) == len(marks) and all(marks)


def test_a_write_that_changes_no_text_draws_nothing():
    # Saving a draft deletes its (absent) search text: that must not make every server read again.
    make_questionnaires()
    before = search._fingerprint()
    factories.ToolFactory(state=ToolState.DRAFT).save()
    ToolSearchText.objects.filter(tool_id=-1).delete()
    assert search._fingerprint() == before


def test_a_tool_loaded_in_bulk_is_found_by_the_next_search():
    tools_form, _rai = make_questionnaires()
    tool_with(tools_form, {"offline": True}, slug="published-normally")
    assert slugs() == {"published-normally"}
    bulk_publish("loaded-in-bulk")
    assert slugs() == {"published-normally", "loaded-in-bulk"}
    assert slugs(q="bulkloaded") == {"loaded-in-bulk"}


def test_control_an_index_that_ignores_the_mark_misses_the_bulk_load(monkeypatch):
    tools_form, _rai = make_questionnaires()
    tool_with(tools_form, {"offline": True}, slug="published-normally")
    assert slugs() == {"published-normally"}
    monkeypatch.setattr(search, "_fingerprint", lambda: ("never changes",))
    search._indexes.clear()
    assert slugs() == {"published-normally"}
    bulk_publish("loaded-in-bulk")
    assert slugs() == {"published-normally"}
