"""Moderation pages: coordinators decide and answer, officers read the notices register and
the notice pages of suspended or removed tools, providers read their notices and reply."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue import tool_panels
from catalogue.models import Tool
from core import policy
from core.forms import kept_as_initial
from core.policy import permission_required
from providers.rules import provider_organisation

from . import case_page, selectors, services
from .forms import DecisionForm, MessageForm, RegisterFilterForm
from .models import Notice, NoticeAction

PAGE_SIZE = 25

SUCCESS = {
    NoticeAction.SUSPENDED: gettext_lazy(
        "The tool was suspended. Officers see the notice; the provider was told by email."
    ),
    NoticeAction.REMOVED: gettext_lazy(
        "The tool was removed. Officers see the notice; the provider was told by email."
    ),
    NoticeAction.REINSTATED: gettext_lazy(
        "The tool was reinstated. Officers see the notice; the provider was told by email."
    ),
}


# --- officers (and coordinators) -----------------------------------------------------------
@require_safe
@permission_required("hub.use")
def notices(request):
    """The notices register: every suspension, removal, reinstatement and withdrawal, newest first."""
    filters = RegisterFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    notices = selectors.register(
        action=cleaned.get("action", ""),
        since=cleaned.get("since"),
        until=cleaned.get("until"),
        tool_name=cleaned.get("tool", ""),
        reason=cleaned.get("reason", ""),
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/notices.html",
        {"filters": filters, "page": page, "may_open_case": policy.can(request.user, "moderation.view_case")},
        status=400 if filters.errors else 200,
    )


def tool_notice(request, tool: Tool):
    """The page of a suspended or removed tool: the notice instead of the entry.

    Called by the catalogue's tool page, which has already checked `hub.use`. Officers see the
    summary and the guidance for officers, never the guidance for the provider.
    """
    history = selectors.history(tool)
    return render(
        request,
        "moderation/tool_notice.html",
        {
            "tool": tool,
            "notice": history[0] if history else None,
            "earlier": history[1:],
            "may_decide": policy.can(request.user, "moderation.decide"),
            # What apps above add (concerns: a suspended tool may still be in use, so a concern
            # about it is still welcome).
            "panels": tool_panels.panels(tool_panels.OFFICERS, request, tool),
        },
    )


# --- coordinators ------------------------------------------------------------------------
def _decide_page(request, tool, form, status=200):
    return render(
        request,
        "moderation/decide.html",
        {
            "tool": tool,
            "form": form,
            "history": selectors.history(tool),
            "decidable": bool(form["action"].field.choices),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required("moderation.decide")
@reauthentication_required(allow_get=True)
def decide(request, slug):
    """Suspend or remove a published tool, or reinstate or remove a suspended one."""
    tool = get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)
    allowed = services.allowed_actions(tool)
    if request.method == "GET":
        return _decide_page(request, tool, DecisionForm(allowed_actions=allowed, initial={"version": tool.version}))
    form = DecisionForm(request.POST, allowed_actions=allowed)
    if not form.is_valid():
        return _decide_page(request, tool, form, status=400)
    data = form.cleaned_data
    try:
        notice = services.decide(
            tool,
            action=data["action"],
            by=request.user,
            reason_code=data["reason_code"],
            summary=data["summary"],
            officer_guidance=data["officer_guidance"],
            provider_guidance=data["provider_guidance"],
            expected_version=data["version"],
            request=request,
        )
    except services.StaleDecision:
        messages.error(
            request,
            _(
                "This tool changed meanwhile (another coordinator decided, or its entry changed). "
                "Nothing was saved; look at its current state and decide again. What you wrote is kept below."
            ),
        )
        tool.refresh_from_db()
        allowed = services.allowed_actions(tool)
        kept = kept_as_initial(form, version=tool.version)
        return _decide_page(request, tool, DecisionForm(allowed_actions=allowed, initial=kept), status=409)
    messages.success(request, SUCCESS[notice.action])
    return redirect("moderation:case", public_id=notice.public_id)


def _case_page(request, notice, form, status=200):
    return render(
        request,
        "moderation/case.html",
        {
            "notice": notice,
            "tool": notice.tool,
            "history": selectors.history(notice.tool),
            "case_messages": selectors.messages_of(notice),
            "case_details": case_page.details(request, notice),
            "form": form,
            "decidable": bool(services.allowed_actions(notice.tool)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required("moderation.view_case")
def case(request, public_id):
    """One decision with the provider's replies; coordinators answer here."""
    notice = get_object_or_404(
        Notice.objects.select_related("tool__organisation", "decided_by").exclude(action=NoticeAction.WITHDRAWN),
        public_id=public_id,
    )
    if request.method == "GET":
        return _case_page(request, notice, MessageForm())
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _case_page(request, notice, form, status=400)
    services.answer(notice, by=request.user, text=form.cleaned_data["text"], request=request)
    messages.success(request, _("Your answer was saved and the provider told by email."))
    return redirect("moderation:case", public_id=notice.public_id)


# --- providers -----------------------------------------------------------------------------
@require_safe
@permission_required("moderation.provider_notices")
def provider_notices(request):
    """Every decision about the organisation's tools."""
    organisation = provider_organisation(request.user)
    page = Paginator(selectors.for_organisation(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/provider_notices.html", {"page": page})


def _own_notice(request, public_id) -> Notice:
    # A withdrawal is the provider's own act, not a decision with a right of reply.
    notice = get_object_or_404(
        Notice.objects.select_related("tool__organisation").exclude(action=NoticeAction.WITHDRAWN), public_id=public_id
    )
    policy.require(request.user, "moderation.provider_notice", notice.tool, hide=True)
    return notice


def _provider_page(request, notice, form, status=200):
    return render(
        request,
        "moderation/provider_notice.html",
        {"notice": notice, "tool": notice.tool, "case_messages": selectors.messages_of(notice), "form": form},
        status=status,
    )


@require_safe
def provider_notice(request, public_id):
    """A decision about one of the organisation's tools, with the guidance for the provider."""
    return _provider_page(request, _own_notice(request, public_id), MessageForm())


@require_POST
def reply(request, public_id):
    """The provider's right of reply to a decision."""
    notice = _own_notice(request, public_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _provider_page(request, notice, form, status=400)
    services.reply(notice, by=request.user, text=form.cleaned_data["text"], request=request)
    messages.success(request, _("Your reply was sent to the coordinators."))
    return redirect("moderation:provider_notice", public_id=notice.public_id)
