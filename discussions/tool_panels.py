"""What discussions adds to a tool's page in the catalogue, for the catalogue's panel registry
(`catalogue/tool_panels.py`, added by the lead; registered at merge from this app's ready()).

Each panel is `(request, tool) -> rendered HTML or None`: None for anyone who may not see it
(providers, pending officers, anonymous visitors), so a provider's preview of its own tool, which
shows the page "exactly as officers will see it", never carries any of it, not even a count."""

from __future__ import annotations

from django.template.loader import render_to_string

from core import policy

from . import selectors
from .rules import tool_visible

FIELD_REPORTS_ON_TOOL_PAGE = 3


def discussion_link(request, tool) -> str | None:
    """A link to the tool's discussion space."""
    if not (policy.can(request.user, "discussions.read") and tool_visible(request.user, tool)):
        return None
    return render_to_string("discussions/panels/discussion_link.html", {"tool": tool}, request=request)


def field_reports(request, tool) -> str | None:
    """The newest field reports on the tool, with links to all of them and to write one."""
    if not policy.can(request.user, "field_reports.read", tool):
        return None
    reports = selectors.newest_field_reports(tool, FIELD_REPORTS_ON_TOOL_PAGE)
    return render_to_string(
        "discussions/panels/field_reports.html",
        {
            "tool": tool,
            "reports": [(report, selectors.report_signature(report)) for report in reports],
            "can_write_report": policy.can(request.user, "field_reports.write", tool),
        },
        request=request,
    )


def agency_use(request, tool) -> str | None:
    """The officer's private "my agency uses this tool" toggle."""
    if not policy.can(request.user, "agency_use.declare", tool) or not tool.is_published:
        return None
    return render_to_string(
        "discussions/_agency_use.html",
        {"tool": tool, "uses_tool": selectors.uses_tool(request.user, tool), "next_url": request.get_full_path()},
        request=request,
    )


PANELS = (discussion_link, field_reports, agency_use)
