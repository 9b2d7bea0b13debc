"""What packs adds to other apps' pages: the pack chooser on the comparison and on a tool's page
(verified officers), and the tool's pack count on its page (coordinators only)."""

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation

from catalogue import tool_panels
from core import policy
from discovery import signals as discovery_signals

from . import selectors


def _chooser(request, tools, *, element_id: str) -> str:
    return render_to_string(
        "packs/_chooser.html",
        {
            "tools": ",".join(tool.slug for tool in tools),
            "current_language": translation.get_language(),
            "element_id": element_id,
        },
        request=request,
    )


def tool_chooser(request, tool) -> str | None:
    if not (tool.is_published and policy.can(request.user, "packs.download")):
        return None
    return _chooser(request, [tool], element_id="pack-tool")


def tool_count(request, tool) -> str | None:
    if not policy.can(request.user, "packs.view_counts"):
        return None
    return render_to_string("packs/_count.html", {"count": selectors.count_for(tool)}, request=request)


@receiver(discovery_signals.compare_page_shown, dispatch_uid="packs.compare_chooser")
def compare_chooser(sender, request, tools, **kwargs):
    if not (tools and policy.can(request.user, "packs.download")):
        return {}
    return {"panels": [_chooser(request, tools, element_id="pack-compare")]}


def register() -> None:
    tool_panels.add_panel(tool_panels.OFFICERS, order=50, render=tool_chooser)
    tool_panels.add_panel(tool_panels.OFFICERS, order=95, render=tool_count)
