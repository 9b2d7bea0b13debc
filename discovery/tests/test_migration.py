"""Moving ToolSearchText and ExposureCount from catalogue to discovery loses nothing (issue 9).

A database at the previous layout (catalogue 0007, no discovery app) gets a tool's search text
and an exposure count written through the historical catalogue models; migrating forward,
discovery's models read the same rows and the free-text search (SQLite FTS5 triggers,
PostgreSQL search vector, both made by catalogue's migrations) still finds the tool."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from discovery import search
from discovery.models import ExposureCount, ToolSearchText
from testkit import factories
from testkit.migrations import migrate_to

BEFORE = [("catalogue", "0007_follows_move_to_following"), ("discovery", None)]


@pytest.mark.django_db(transaction=True)
def test_search_texts_and_exposure_counts_written_before_the_move_are_found_after_it():
    tool = factories.ToolFactory(published=True)
    day = datetime.date(2026, 11, 30)

    content_type_id = ContentType.objects.get_for_model(ToolSearchText).pk
    old_apps = migrate_to(BEFORE)
    assert old_apps.get_model("contenttypes", "ContentType").objects.get(pk=content_type_id).app_label == "catalogue"
    with pytest.raises(LookupError):
        old_apps.get_model("discovery", "ToolSearchText")  # the previous layout: no discovery app yet
    old_apps.get_model("catalogue", "ToolSearchText").objects.filter(tool_id=tool.pk).update(text="lighthouse harbour")
    old_apps.get_model("catalogue", "ExposureCount").objects.create(
        tool_id=tool.pk, day=day, position_bucket=2, count=7
    )

    new_apps = migrate_to()
    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=content_type_id).app_label == "discovery"
    with pytest.raises(LookupError):
        new_apps.get_model("catalogue", "ExposureCount")

    assert ToolSearchText.objects.get(tool=tool).text == "lighthouse harbour"
    assert tool.search_text.text == "lighthouse harbour"
    assert list(ExposureCount.objects.values_list("tool_id", "day", "position_bucket", "count")) == [
        (tool.pk, day, 2, 7)
    ]
    assert search.matching_ids(["lighthous"]) == {tool.pk}  # the search index came along too
