"""The representation report (PRODUCT.md 3.4): how often each provider appeared at events."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.csv_export import csv_response
from core.policy import permission_required

from . import charts, selectors
from .forms import PeriodForm, last_twelve_months


def _report(request):
    since, until = last_twelve_months()
    form = PeriodForm(request.GET or None, initial={"since": since, "until": until})
    since, until = form.period()
    return form, selectors.representation(since, until)


@require_safe
@permission_required("events.report")
def representation(request):
    form, report = _report(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "events/representation.html",
        {"form": form, "report": report, "chart": charts.representation_chart(report)},
        status=status,
    )


@require_safe
@permission_required("events.report")
def representation_csv(request):
    _form, report = _report(request)
    header = [
        _("Organisation"),
        _("As speaker"),
        _("As participant"),
        _("Appearances"),
        _("Share (%)"),
        _("Equal share (%)"),
        _("Published tools"),
        _("Above the limit"),
    ]
    rows = (
        [
            row.organisation.name,
            row.speaker,
            row.participant,
            row.total,
            row.percent,
            report.equal_percent,
            _("yes") if row.has_published_tools else _("no"),
            _("yes") if row.over else _("no"),
        ]
        for row in report.rows
    )
    filename = f"event-representation-{report.since:%Y%m%d}-{report.until:%Y%m%d}.csv"
    return csv_response(filename, header, rows)
