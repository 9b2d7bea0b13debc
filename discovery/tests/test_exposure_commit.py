"""Exposure counts do not wait for the disk on PostgreSQL, and nothing else stops waiting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discovery import exposure
from discovery.models import ExposureCount
from testkit import factories


@pytest.mark.django_db(transaction=True)
def test_counts_are_written_and_the_commit_setting_ends_with_their_transaction():
    tools = [factories.ToolFactory(published=True) for _ in range(3)]
    exposure.record([tool.pk for tool in tools])
    exposure.record([tool.pk for tool in tools])
    assert sorted(ExposureCount.objects.values_list("count", flat=True)) == [2, 2, 2]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            # The audit records written next on this connection still wait for the disk.
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_a_results_page_is_counted_in_one_round_trip():
    """No BEGIN and COMMIT of its own: one message to the database per results page."""
    tools = [factories.ToolFactory(published=True) for _ in range(20)]
    with CaptureQueriesContext(connection) as queries:
        exposure.record([tool.pk for tool in tools])
    assert [query["sql"].split()[0] for query in queries.captured_queries] in (["SET"], ["INSERT"])
    assert ExposureCount.objects.count() == 20
