"""What requests to providers add to the catalogue's tool pages (registered in EnquiriesConfig.ready())."""

from django.template.loader import render_to_string

from catalogue import tool_panels
from core import policy

from .models import Enquiry


def ask_the_provider(request, tool) -> str | None:
    """On a published tool's page, for verified officers: ask its provider, and their earlier requests."""
    if not policy.can(request.user, "enquiry.ask", tool):
        return None
    earlier = list(policy.scoped("enquiries.sent", request.user).filter(tool=tool).order_by("-created_at", "-id")[:5])
    return render_to_string(
        "enquiries/_ask_panel.html", {"tool": tool, "earlier": earlier, "kinds": Enquiry.Kind}, request=request
    )


def requests_received(request, tool) -> str | None:
    """On the provider's page of its own tool: how many officers' requests it received, and where."""
    if not policy.can(request.user, "enquiry.received"):
        return None
    count = policy.scoped("enquiries.received", request.user).filter(tool=tool).count()
    return render_to_string("enquiries/_received_panel.html", {"tool": tool, "count": count}, request=request)


def register() -> None:
    tool_panels.add_panel(tool_panels.OFFICERS, order=80, render=ask_the_provider)
    tool_panels.add_panel(tool_panels.PROVIDERS, order=80, render=requests_received)
