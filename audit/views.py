"""The coordinators' audit log: filter, page through and export (SECURITY.md AU-01)."""

from __future__ import annotations

import json
from datetime import UTC

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.csv_export import csv_response
from core.policy import permission_required

from .forms import AuditFilterForm
from .models import Action, AuditEvent
from .services import record

PAGE_SIZE = 50
CSV_COLUMNS = [
    "time_utc",
    "actor",
    "action",
    "action_label",
    "outcome",
    "target_type",
    "target_id",
    "target_label",
    "ip_address",
    "before",
    "after",
]


def _events():
    return AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")


def _invalid(request, form):
    return render(request, "audit/log.html", {"form": form, "page": None}, status=400)


@require_safe
@permission_required("audit.view")
def log(request):
    """A page of events, newest first, narrowed by the filter form."""
    form = AuditFilterForm(request.GET)  # every field is optional: no filter is valid
    if not form.is_valid():
        return _invalid(request, form)
    events = form.filter(_events())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # Recorded after the page is read, so paging through does not shift the rows.
    record(
        Action.AUDIT_VIEWED,
        actor=request.user,
        request=request,
        after={"filters": form.as_record(), "page": page.number},
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "export_query": export_query.urlencode()},
    )


def _compact(value) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _row(event: AuditEvent) -> list:
    return [
        event.created_at.astimezone(UTC).isoformat(),
        event.actor_label,
        event.action,
        event.get_action_display(),
        event.get_outcome_display(),
        event.target_type,
        event.target_id,
        event.target_label,
        event.ip_address,
        _compact(event.before),
        _compact(event.after),
    ]


@require_safe
@permission_required("audit.view")
def export(request):
    """Stream the filtered events as CSV; the export itself is an audit event."""
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    events = form.filter(_events())
    record(Action.AUDIT_EXPORTED, actor=request.user, request=request, after={"filters": form.as_record()})

    rows = (_row(event) for event in events.iterator(chunk_size=500))
    filename = f"saferhub-audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
    return csv_response(filename, CSV_COLUMNS, rows, stream=True)
