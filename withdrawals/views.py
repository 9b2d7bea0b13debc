"""Withdrawing a tool and leaving the hub (provider admins), and the page of a withdrawn tool.

Both confirmations are shown without re-authentication; carrying them out asks for it (the
password is confirmed again, AUTH-08), as any decision that cannot be taken back does.
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue import tool_panels, updates
from catalogue.models import Tool, ToolState
from core import policy
from core.policy import permission_required
from moderation import selectors as moderation_selectors
from moderation.models import NoticeAction
from providers.rules import own_organisation_or_403
from providers.selectors import members_of, pending_invitations_of

from . import services
from .forms import LeaveForm, WithdrawToolForm


# --- officers (and coordinators): the page of a withdrawn tool ---------------------------------
def tool_withdrawn(request, tool: Tool):
    """What officers see where a withdrawn tool's entry was: the provider's withdrawal, never a
    sanction. Called by the catalogue's tool page (which checked `hub.use`). A tool withdrawn
    before it ever reached officers (its organisation left the hub) has no page."""
    history = moderation_selectors.history(tool)
    withdrawal = next((notice for notice in history if notice.action == NoticeAction.WITHDRAWN), None)
    if withdrawal is None:
        raise Http404
    return render(
        request,
        "withdrawals/tool_withdrawn.html",
        {
            "tool": tool,
            "notice": withdrawal,
            "earlier": [notice for notice in history if notice.pk != withdrawal.pk],
            "provider_left": tool.organisation.has_departed,
            "may_review": policy.can(request.user, "tools.review"),
            "panels": tool_panels.panels(tool_panels.OFFICERS, request, tool),
        },
    )


# --- provider admins ----------------------------------------------------------------------------
def _tool_to_withdraw(request, slug) -> Tool:
    """One of the member's own organisation's tools (another organisation's is a 404), if they
    administer it (403 otherwise). The terms need not be accepted: consent can be withdrawn."""
    organisation = own_organisation_or_403(request, "organisation.view")
    tool = get_object_or_404(
        Tool.objects.select_related("organisation"), organisation=organisation, slug=slug, revision_of__isnull=True
    )
    policy.require(request.user, "tool.withdraw", tool)
    return tool


def _not_withdrawable(request, tool):
    messages.error(request, _("Only a tool published in the catalogue can be withdrawn."))
    return redirect("catalogue:provider_tool", slug=tool.slug)


@require_http_methods(["GET", "POST"])
@permission_required("organisation.mine")
@reauthentication_required(allow_get=True)
def withdraw_tool(request, slug):
    """Confirm, then take a published tool out of the catalogue."""
    tool = _tool_to_withdraw(request, slug)
    if tool.state != ToolState.PUBLISHED:
        return _not_withdrawable(request, tool)
    form = WithdrawToolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_tool(tool, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except services.NotWithdrawable:
            return _not_withdrawable(request, tool)
        messages.success(
            request,
            _(
                "The tool was withdrawn from the catalogue. Officers see a notice that your organisation withdrew it; "
                "you can submit it again for review at any time."
            ),
        )
        return redirect("catalogue:provider_tool", slug=tool.slug)
    return render(
        request,
        "withdrawals/withdraw.html",
        {"tool": tool, "form": form, "pending_update": updates.open_revision(tool)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("organisation.mine")
@reauthentication_required(allow_get=True)
def leave(request):
    """Confirm, then take the organisation out of the hub; the admin is signed out at once."""
    organisation = own_organisation_or_403(request, "organisation.leave")
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_hub(organisation, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except services.AlreadyLeft:
            raise Http404 from None
        # The account is closed: end this session too (the service ended every other one).
        logout(request)
        messages.success(
            request,
            _(
                "Your organisation has left the hub. Its tools were withdrawn and every member's account was closed; "
                "each member was told by email."
            ),
        )
        return redirect("account_login")
    tools = list(services.leaving_tools(organisation))
    return render(
        request,
        "withdrawals/leave.html",
        {
            "organisation": organisation,
            "form": form,
            "shown_tools": [tool for tool in tools if tool.state in services.SHOWN_STATES],
            "unpublished_tools": [tool for tool in tools if tool.state not in services.SHOWN_STATES],
            "members": members_of(organisation),
            "invitations": pending_invitations_of(organisation).count(),
            "retention_days": services.retention_period().days,
        },
        status=400 if form.errors else 200,
    )
