"""Equal visibility: a fair order over many officers, aggregate exposure, the coordinators' report."""

import datetime
import uuid

import pytest
from django.urls import reverse

from catalogue import exposure, search
from catalogue.browse_views import PAGE_SIZE
from catalogue.models import ExposureCount
from testkit import factories

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

# Critical values of the chi-squared distribution at p = 0.001, by degrees of freedom.
CHI2_CRITICAL_0_001 = {4: 18.467, 9: 27.877, 24: 51.179}
OFFICERS = 1000
DAY = datetime.date(2026, 5, 4)


def simulate(order_for):
    """Each officer opens the first page of the results; exposure is recorded as the page does."""
    for n in range(OFFICERS):
        ordered = order_for(n)
        exposure.record([result.tool_id for result in ordered[:PAGE_SIZE]], day=DAY)


def fair_order(candidates):
    def order_for(n):
        # Deterministic officer ids keep the test reproducible (no 1-in-1000 flake).
        seed = f"{uuid.UUID(int=n + 1)}:{DAY.isoformat()}"
        return search.rank(search.match(candidates, {}, {}), seed)

    return order_for


def observed():
    report = exposure.report(DAY, DAY)
    return report, [row.first_position for row in report.rows], [row.first_page for row in report.rows]


@pytest.mark.parametrize("tool_count", [5, 25])
def test_first_position_and_first_page_exposure_is_uniform(tool_count):
    tools_form, _rai = make_questionnaires()
    tools = [tool_with(tools_form, {"offline": True}) for _ in range(tool_count)]
    candidates = [(tool.pk, tool.slug) for tool in tools]
    simulate(fair_order(candidates))
    report, first, first_page = observed()
    assert len(report.rows) == tool_count
    assert sum(first) == OFFICERS
    critical = CHI2_CRITICAL_0_001[tool_count - 1]
    assert exposure.chi_squared(first) < critical, first
    if tool_count > 20:
        # Each officer sees 20 of the 25 on the first page: every tool should be there ~800 times.
        assert sum(first_page) == OFFICERS * 20
        assert exposure.chi_squared(first_page) < critical, first_page
    else:
        assert first_page == [OFFICERS] * tool_count


def test_the_test_would_catch_a_biased_order():
    """An alphabetical (or any fixed) order concentrates exposure: the statistic explodes."""
    tools_form, _rai = make_questionnaires()
    tools = [tool_with(tools_form, {"offline": True}) for _ in range(5)]
    candidates = [(tool.pk, tool.slug) for tool in tools]
    simulate(lambda n: sorted(search.match(candidates, {}, {}), key=lambda r: r.slug))
    _report, first, _page = observed()
    assert exposure.chi_squared(first) > CHI2_CRITICAL_0_001[4]


def test_buckets():
    assert [exposure.bucket_for(p) for p in (1, 2, 3, 4, 10, 11, 20, 21, 500)] == [1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_record_adds_to_existing_counts():
    tool_a, tool_b = factories.ToolFactory(published=True), factories.ToolFactory(published=True)
    exposure.record([tool_a.pk, tool_b.pk], day=DAY)
    exposure.record([tool_b.pk, tool_a.pk], day=DAY)
    exposure.record([tool_b.pk], first_position=21, day=DAY)
    rows = {(row.tool_id, row.position_bucket): row.count for row in ExposureCount.objects.filter(day=DAY)}
    assert rows == {(tool_a.pk, 1): 1, (tool_a.pk, 2): 1, (tool_b.pk, 1): 1, (tool_b.pk, 2): 1, (tool_b.pk, 5): 1}


def test_report_page_shows_table_and_chart(signed_in, coordinator):
    tool_a = factories.ToolFactory(published=True, name="Alpha Scanner")
    tool_b = factories.ToolFactory(published=True, name="Beta Sorter")
    today = search.utc_today()
    exposure.record([tool_a.pk, tool_b.pk], day=today)
    exposure.record([tool_b.pk, tool_a.pk], day=today)
    exposure.record([tool_b.pk, tool_a.pk], day=today)
    response = signed_in(coordinator).get(reverse("catalogue:exposure_report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha Scanner" in body and "Beta Sorter" in body
    rows = {row.name: row for row in response.context["report"].rows}
    assert rows["Alpha Scanner"].first_position == 1 and rows["Beta Sorter"].first_position == 2
    assert rows["Alpha Scanner"].first_page == 3
    assert "<svg" in body and body.count('class="exposure-bar"') == 2
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_report_period_outside_the_list_is_400(signed_in, coordinator):
    response = signed_in(coordinator).get(reverse("catalogue:exposure_report"), {"days": "10000"})
    assert response.status_code == 400


def test_report_is_for_coordinators_only(signed_in, verified_officer, provider_admin):
    for user in (verified_officer, provider_admin):
        assert signed_in(user).get(reverse("catalogue:exposure_report")).status_code == 403


def test_coordinators_browsing_do_not_count(signed_in, coordinator):
    tools_form, _rai = make_questionnaires()
    tool_with(tools_form, {})
    signed_in(coordinator).get(reverse("catalogue:catalogue"))
    assert not ExposureCount.objects.exists()
