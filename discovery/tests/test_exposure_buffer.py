"""Results pages shown are counted in the process and written together (discovery/exposure.py):
no write transaction per page, nothing lost when a write fails, nothing counted twice, and the
report never misses what this process holds."""

import datetime
import threading

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discovery import exposure
from discovery.models import ExposureCount
from testkit import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime.now(tz=datetime.UTC).date()


@pytest.fixture
def kept(monkeypatch):
    """The production pace: written once FLUSH_SECONDS have passed since the last write."""
    monkeypatch.setattr(exposure, "FLUSH_SECONDS", 3600.0)
    exposure.flush()


@pytest.fixture
def tools():
    return [factories.ToolFactory(published=True) for _ in range(3)]


def written() -> dict[tuple[int, int], int]:
    return {(row.tool_id, row.position_bucket): row.count for row in ExposureCount.objects.filter(day=TODAY)}


def test_pages_are_kept_then_written_together_when_due(kept, tools, monkeypatch):
    ids = [tool.pk for tool in tools]
    exposure.count_shown(ids)
    exposure.count_shown(list(reversed(ids)))
    assert written() == {} and exposure.pending() == 6
    monkeypatch.setattr(exposure, "FLUSH_SECONDS", 0.0)  # the next page finds the write due
    with CaptureQueriesContext(connection) as queries:
        exposure.count_shown(ids[:1], first_position=21)
    assert len([q for q in queries.captured_queries if "INSERT" in q["sql"]]) == 1
    first, second, third = ids
    assert written() == {(first, 1): 1, (third, 1): 1, (second, 2): 2, (third, 2): 1, (first, 2): 1, (first, 5): 1}
    assert exposure.pending() == 0


def test_the_report_includes_what_this_process_holds(kept, tools):
    exposure.count_shown([tool.pk for tool in tools])
    report = exposure.report(TODAY, TODAY)
    assert report.first_position_total == 1 and report.first_page_total == 3
    assert exposure.pending() == 0


def test_a_failed_write_keeps_the_counts_for_the_next(kept, tools, monkeypatch):
    ids = [tool.pk for tool in tools]
    exposure.count_shown(ids)
    real_write = exposure._write

    def database_away(counts):
        raise OperationalError("the database restarts")

    monkeypatch.setattr(exposure, "_write", database_away)
    with pytest.raises(OperationalError):
        exposure.flush()
    exposure.count_shown(ids)
    monkeypatch.setattr(exposure, "_write", real_write)
    exposure.flush()
    exposure.flush()  # nothing held: nothing written twice
    assert sum(written().values()) == 6 and set(written().values()) == {2}


def test_officers_browsing_at_once_lose_no_count(kept, tools):
    ids = [tool.pk for tool in tools]

    def browse():
        for _ in range(500):
            exposure.count_shown(ids)

    threads = [threading.Thread(target=browse) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    exposure.flush()
    assert sum(written().values()) == 4 * 500 * 3


def test_catalogue_pages_write_no_count_each(kept, tools, signed_in, verified_officer):
    client = signed_in(verified_officer)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(reverse("discovery:catalogue")).status_code == 200
    assert not [q for q in queries.captured_queries if ExposureCount._meta.db_table in q["sql"]]
    exposure.flush()
    assert sum(written().values()) == 3 * 3


def test_control_counts_discarded_unwritten_are_missing_from_the_report(kept, tools):
    exposure.count_shown([tool.pk for tool in tools])
    exposure.discard_pending()
    assert exposure.report(TODAY, TODAY).first_page_total == 0
