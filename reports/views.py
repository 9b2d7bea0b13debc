"""The coordinators' dashboard: the state of the hub in numbers and charts."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.policy import permission_required
from events import selectors as event_selectors
from events.forms import last_twelve_months

from . import charts, selectors

GAP_LEVELS = 4


def _officer_series() -> tuple[charts.Series, ...]:
    return (
        charts.Series(name=_("verified"), css_class="chart-bar chart-verified", fill="#1f5fa8"),
        charts.Series(name=_("pending"), css_class="chart-bar chart-pending", fill="#8a6100"),
    )


def _gap_rows(gap_map: selectors.GapMap) -> list[dict]:
    """The gap map's cells with a shading level (0 = no tool, highlighted; 1..4 = more tools)."""
    most = gap_map.most or 1
    return [
        {
            "step": step,
            "cells": [
                {
                    "capability": capability,
                    "count": count,
                    "level": 0 if count == 0 else max(1, -(-count * GAP_LEVELS // most)),
                }
                for capability, count in zip(gap_map.capabilities, counts, strict=True)
            ],
        }
        for step, counts in gap_map.cells
    ]


@require_safe
@permission_required("reports.view")
def dashboard(request):
    figures = selectors.dashboard()
    context = {
        **figures,
        "officers_chart": charts.bar_chart(
            "chart-officers",
            _("Officers by country: verified and pending"),
            [(row.name, [row.verified, row.pending]) for row in figures["officers_by_country"]],
            series=_officer_series(),
        ),
        "queue_chart": charts.column_chart(
            "chart-queue",
            _("Vetting queue by waiting time"),
            [(row.label, row.count) for row in figures["queue_age"]],
        ),
        "states_chart": charts.bar_chart(
            "chart-states", _("Tools by state"), [(row.label, [row.count]) for row in figures["tools_by_state"]]
        ),
        "capabilities_chart": charts.bar_chart(
            "chart-capabilities",
            _("Published tools by capability"),
            [(row.label, [row.count]) for row in figures["capabilities"]],
        ),
        "completeness_chart": charts.column_chart(
            "chart-completeness",
            _("Published tools by share of the Responsible AI Questionnaire answered"),
            [(row.label, row.count) for row in figures["completeness"].buckets],
        ),
        "concerns_chart": charts.column_chart(
            "chart-concerns",
            _("Open concerns by time since reported"),
            [(row.label, row.count) for row in figures["concerns"]["by_age"]],
        ),
        "gap_rows": _gap_rows(figures["gap_map"]),
        # PRODUCT.md 3.4: events keep the same balance as the catalogue.
        "representation": event_selectors.representation(*last_twelve_months()),
        "missing_capabilities": [row for row in figures["capabilities"] if row.count == 0],
        "missing_steps": [row for row in figures["gap_map"].steps if row.count == 0],
    }
    return render(request, "reports/dashboard.html", context)
