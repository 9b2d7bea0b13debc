"""Coordinators' review of submitted tools: the queue, one submission, the decision."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import kept_as_initial
from core.policy import permission_required

from . import history, review, selectors, updates
from .models import Review, Tool, ToolState
from .review_forms import ToolDecisionForm


@require_http_methods(["GET"])
@permission_required("tools.review")
def review_queue(request):
    """Submitted tools, the longest-waiting first."""
    page = Paginator(selectors.review_queue(), 50).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"tool": tool, "age_days": selectors.waiting_days(tool, now)} for tool in page]
    return render(request, "catalogue/review/queue.html", {"page": page, "rows": rows})


def _review_page(request, tool, form, status=200):
    context = selectors.tool_page(tool)
    if tool.is_revision and tool.state != ToolState.APPLIED:
        original = tool.revision_of
        context["original"] = original
        context["diff"] = history.diff(
            history.snapshot(original),
            history.snapshot(tool),
            context["versions"],
            old_language=original.text_language,
            new_language=tool.text_language,
        )
    elif tool.is_revision:
        context["original"] = tool.revision_of
    context.update(
        {
            "form": form,
            "reviews": selectors.reviews_of(tool),
            "decidable": tool.state == ToolState.SUBMITTED,
            "waiting_days": selectors.waiting_days(tool),
        }
    )
    return render(request, "catalogue/review/detail.html", context, status=status)


def _tool(slug) -> Tool:
    return get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)


@require_http_methods(["GET"])
@permission_required("tools.review")
def review_detail(request, slug):
    tool = _tool(slug)
    return _review_page(request, tool, ToolDecisionForm(initial={"version": tool.version}, is_update=tool.is_revision))


@require_POST
@permission_required("tools.review")
@reauthentication_required
def review_decide(request, slug):
    tool = _tool(slug)
    form = ToolDecisionForm(request.POST, is_update=tool.is_revision)
    if not form.is_valid():
        return _review_page(request, tool, form, status=400)
    decision = form.cleaned_data["decision"]
    arguments = {
        "by": request.user,
        "expected_version": form.cleaned_data["version"],
        "checklist": form.checklist,
        "request": request,
    }
    comment = form.cleaned_data["comment"]
    try:
        if decision == Review.Decision.PUBLISH and tool.is_revision:
            review.publish_tool(tool, comment=comment, **arguments)
            messages.success(request, _("The update was approved: officers now see it, and followers were told."))
        elif decision == Review.Decision.PUBLISH:
            review.publish_tool(tool, comment=comment, **arguments)
            messages.success(request, _("The tool was published and its provider told by email."))
        elif decision == Review.Decision.REQUEST_CHANGES:
            review.request_changes(tool, comment=comment, **arguments)
            messages.success(request, _("Changes were requested; the provider was told by email."))
        else:
            review.reject_tool(tool, reason=comment, **arguments)
            messages.success(request, _("The tool was rejected; the provider was told by email."))
    except review.StaleDecision:
        messages.error(
            request,
            _(
                "This tool changed meanwhile (another coordinator decided, or the provider changed it). "
                "Nothing was saved; review the current state. What you wrote is kept below."
            ),
        )
        tool = _tool(slug)
        kept = kept_as_initial(form, version=tool.version)
        return _review_page(request, tool, ToolDecisionForm(initial=kept, is_update=tool.is_revision), status=409)
    return redirect("catalogue:review_queue")


@require_http_methods(["GET"])
@permission_required("tools.review")
def confirmation_overdue(request):
    """Published entries whose providers have not confirmed them within the interval."""
    now = timezone.now()
    page = Paginator(updates.overdue_for_confirmation(now), 50).get_page(request.GET.get("page"))
    rows = []
    for tool in page:
        rows.append(
            {
                "tool": tool,
                "confirmed_at": tool.confirmed_at,
                "overdue_days": max(0, (now - updates.confirmation_due_at(tool)).days),
                "reminded_at": tool.confirmation_reminded_at,
            }
        )
    return render(
        request,
        "catalogue/review/confirmation_overdue.html",
        {"page": page, "rows": rows, "interval_days": settings.CONFIRMATION_INTERVAL_DAYS},
    )
