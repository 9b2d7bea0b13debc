"""What concerns add to other apps' pages (registered in ConcernsConfig.ready())."""

from django.template.loader import render_to_string

from catalogue import tool_panels
from core import policy
from moderation import case_page


def report_link(request, tool) -> str | None:
    """On a tool's page (its entry, or its notice while suspended): report a concern about it."""
    if not policy.can(request.user, "concern.report", tool):
        return None
    return render_to_string("concerns/_report_link.html", {"tool": tool}, request=request)


def concerns_decided_on(request, notice) -> str | None:
    """On a moderation case: the concerns the decision was taken on."""
    concerns = list(notice.concerns.order_by("created_at", "id"))
    if not concerns:
        return None
    return render_to_string("concerns/_case_detail.html", {"concerns": concerns}, request=request)


def register() -> None:
    tool_panels.add_panel(tool_panels.OFFICERS, order=95, render=report_link)
    case_page.add_detail(concerns_decided_on)
