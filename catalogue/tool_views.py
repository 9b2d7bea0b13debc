"""A tool's page for officers and coordinators, and its files (attachments, logo).

Files are served only through these permission-checked views (SECURITY.md UP-02): PDFs as
downloads under a server-generated name, logos (re-encoded PNGs) inline; both `nosniff`.
"""

from urllib.parse import urlsplit

from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import policy
from core.downloads import stored_file_response
from core.policy import permission_required

from . import selectors, signals, tool_panels
from .models import Attachment, Tool


@require_safe
@permission_required("hub.use")
def tool_detail(request, slug):
    """The tool's entry: every current question with its answer or a visible non-answer."""
    tool = get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)
    replacement = tool_panels.state_page(tool)
    if replacement is not None:
        # Suspended or removed (moderation): the notice instead of the entry.
        return replacement(request, tool)
    policy.require(request.user, "tool.view", tool, hide=True)
    context = selectors.tool_page(tool)
    # Apps above the catalogue add to the page (following: what changed since the follower's last
    # visit, marking the rows, and the follow button).
    for _receiver, extra in signals.tool_page_shown.send(sender=Tool, user=request.user, tool=tool, page=context):
        context.update(extra)
    context["panels"] = tool_panels.panels(tool_panels.OFFICERS, request, tool)
    context["back_url"] = back_to_results(request.GET.get("from", ""), tool)
    return render(request, "catalogue/tool_detail.html", context)


def back_to_results(given: str, tool) -> str:
    """The officer's catalogue search this page was opened from, back on this tool's result; only
    the catalogue's own address (a path, no other host or scheme), never an open redirect. Empty
    when none was given or it is not a catalogue search."""
    catalogue = reverse("discovery:catalogue")
    if not given or len(given) > 4000 or any(ord(char) < 32 or char == "\\" for char in given):
        return ""
    parts = urlsplit(given)
    if parts.scheme or parts.netloc or parts.path != catalogue:
        return ""
    # Re-encoded: whatever the query held, it goes back as parameters of the catalogue only.
    query = QueryDict(parts.query).urlencode()
    return f"{catalogue}?{query}#result-{tool.slug}" if query else f"{catalogue}#result-{tool.slug}"


@require_safe
def attachment_download(request, public_id):
    attachment = get_object_or_404(Attachment.objects.select_related("tool__organisation"), public_id=public_id)
    policy.require(request.user, "tool.view_files", attachment.tool, hide=True)
    filename = f"{attachment.tool.slug}-{attachment.public_id.hex[:12]}.pdf"
    return stored_file_response(attachment.file, filename=filename, content_type="application/pdf")


@require_safe
def logo(request, slug):
    tool = get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)
    policy.require(request.user, "tool.view_files", tool, hide=True)
    # Re-encoded by the app on upload (catalogue.uploads): safe to show inline.
    return stored_file_response(tool.logo, filename=f"{tool.slug}.png", content_type="image/png", as_attachment=False)
