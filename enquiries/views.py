"""Pages of the requests to providers.

Officers ask from a tool's page, preview exactly what the provider will receive, send, and follow
the exchange; the provider's members read and answer their organisation's requests; either side
may report an exchange. Coordinators see counts per tool and the reported exchanges only.

Rules (core.policy): "enquiry.ask" (verified officers, published tools), "enquiry.mine",
"enquiry.officer_view" (the officer who asked), "enquiry.received" and "enquiry.provider_view"
(members of the tool's organisation in good standing), "enquiry.write", "enquiry.report" (either
side) and "enquiry.moderate" (coordinators). A request the user may not see answers 404.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.services import officer_details_viewed
from catalogue.models import Tool
from core import policy, ratelimit
from core.policy import permission_required

from . import selectors, services
from .forms import AbuseForm, AskForm, DecisionForm, MessageForm
from .models import AbuseReport, Enquiry

PAGE_SIZE = 50


# --- asking ----------------------------------------------------------------------------------------
def _ask_page(request, tool, form, *, preview=None, status=200, rate_limit_text=""):
    return render(
        request,
        "enquiries/preview.html" if preview is not None else "enquiries/ask.html",
        {"tool": tool, "form": form, "copy": preview, "rate_limit_text": rate_limit_text},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def ask(request, slug):
    """Ask the tool's provider. A first POST shows the preview (nothing is sent); the preview's
    "Send" button sends, its "Change" button comes back to the form with everything kept."""
    tool = get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)
    policy.require(request.user, "enquiry.ask", tool, hide=True)
    if request.method == "GET":
        return _ask_page(request, tool, AskForm(officer=request.user))
    form = AskForm(request.POST, officer=request.user)
    if not form.is_valid():
        return _ask_page(request, tool, form, status=400)
    data = form.cleaned_data
    if "edit" in request.POST:
        return _ask_page(request, tool, form)
    if "send" not in request.POST:
        enquiry, message = services.draft(tool, request.user, kind=data["kind"], body=data["body"], share=form.shared())
        return _ask_page(request, tool, form, preview=selectors.provider_copy(enquiry, [message]))
    try:
        enquiry = services.send(
            tool, request.user, kind=data["kind"], body=data["body"], share=form.shared(), request=request
        )
    except ratelimit.RateLimited as error:
        response = _ask_page(request, tool, form, status=429, rate_limit_text=services.rate_limit_refusal())
        response["Retry-After"] = str(error.retry_after)
        return response
    messages.success(
        request, _("Your request was sent. The provider received only what the preview showed; its answers come here.")
    )
    return redirect("enquiries:officer_detail", public_id=enquiry.public_id)


# --- the officer -----------------------------------------------------------------------------------
@require_safe
@permission_required("enquiry.mine")
def mine(request):
    """The officer's requests to providers, the latest activity first."""
    items = (
        policy.scoped("enquiries.sent", request.user)
        .select_related("tool", "organisation")
        .order_by("-last_message_at", "-id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(enquiry, selectors.shared_fields(enquiry)) for enquiry in page.object_list]
    return render(request, "enquiries/mine.html", {"page": page, "rows": rows})


def _enquiry(public_id) -> Enquiry:
    return get_object_or_404(Enquiry.objects.select_related("tool", "organisation"), public_id=public_id)


def _officer_page(request, enquiry, form=None, status=200):
    return render(
        request,
        "enquiries/officer_detail.html",
        {
            "enquiry": enquiry,
            "shared": selectors.shared_fields(enquiry),
            "lines": selectors.officer_lines(enquiry, selectors.messages_of(enquiry)),
            "form": (form or MessageForm()) if policy.can(request.user, "enquiry.write", enquiry) else None,
            "can_open_tool": policy.can(request.user, "tool.view", enquiry.tool),
        },
        status=status,
    )


def _provider_page(request, enquiry, form=None, status=200):
    return render(
        request,
        "enquiries/provider_detail.html",
        {
            "copy": selectors.provider_copy(enquiry, selectors.messages_of(enquiry), reader=request.user),
            "form": (form or MessageForm()) if policy.can(request.user, "enquiry.write", enquiry) else None,
        },
        status=status,
    )


def _exchange(request, public_id, rule: str, page):
    """One side's page of an exchange: read it, or write in it (POST)."""
    enquiry = _enquiry(public_id)
    policy.require(request.user, rule, enquiry, hide=True)
    if request.method == "GET":
        return page(request, enquiry)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return page(request, enquiry, form, status=400)
    try:
        services.write(enquiry, by=request.user, body=form.cleaned_data["body"], request=request)
    except services.NotAllowed:
        messages.error(request, _("This exchange was closed meanwhile: no more messages can be sent in it."))
        enquiry.refresh_from_db()
        return page(request, enquiry, status=409)
    messages.success(request, _("Your message was sent."))
    return redirect(request.path)


@require_http_methods(["GET", "POST"])
def officer_detail(request, public_id):
    """The officer's request: what the provider received about them, and the exchange."""
    return _exchange(request, public_id, "enquiry.officer_view", _officer_page)


# --- the provider ----------------------------------------------------------------------------------
@require_safe
@permission_required("enquiry.received")
def received(request):
    """The organisation's requests from officers, the latest activity first, as the provider may read them."""
    items = policy.scoped("enquiries.received", request.user).select_related("tool").order_by("-last_message_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enquiries/received.html", {"page": page, "copies": selectors.received(page.object_list)})


@require_http_methods(["GET", "POST"])
def provider_detail(request, public_id):
    """One request as the provider's members read it (only what the officer shared), and the exchange."""
    return _exchange(request, public_id, "enquiry.provider_view", _provider_page)


# --- either side -----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def report(request, public_id):
    """Report the exchange to the coordinators."""
    enquiry = _enquiry(public_id)
    policy.require(request.user, "enquiry.report", enquiry, hide=True)
    officer_side = policy.can(request.user, "enquiry.officer_view", enquiry)
    back = "enquiries:officer_detail" if officer_side else "enquiries:provider_detail"
    form = AbuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_abuse(enquiry, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("Thank you. The coordinators will look at this exchange."))
        return redirect(back, public_id=enquiry.public_id)
    status = 400 if request.method == "POST" else 200
    tool_name = enquiry.tool.name
    return render(
        request,
        "enquiries/report.html",
        {"enquiry": enquiry, "tool_name": tool_name, "form": form, "back": back},
        status=status,
    )


# --- the coordinators ------------------------------------------------------------------------------
@require_safe
@permission_required("enquiry.moderate")
def counts(request):
    """How many requests each tool received, by kind: counts only, never who asked or what."""
    rows = selectors.counts_per_tool()
    return render(request, "enquiries/counts.html", {"rows": rows, "total": sum(row["total"] for row in rows)})


@require_safe
@permission_required("enquiry.moderate")
def reports(request):
    state = request.GET.get("state", AbuseReport.State.OPEN)
    if state not in AbuseReport.State.values:
        state = ""
    page = Paginator(selectors.reports(state or None), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "enquiries/reports.html", {"page": page, "state": state, "states": AbuseReport.State.choices}
    )


@require_http_methods(["GET", "POST"])
@permission_required("enquiry.moderate")
# The page names the officer: a recent password confirmation, as on every page that does.
@reauthentication_required
def report_detail(request, public_id):
    """A reported exchange, opened by a coordinator (audited), and the decision on the report."""
    report_row = get_object_or_404(
        AbuseReport.objects.select_related(
            "enquiry__tool", "enquiry__organisation", "enquiry__officer__officer", "reporter"
        ),
        public_id=public_id,
    )
    enquiry = report_row.enquiry
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.decide_report(
                    report_row,
                    by=request.user,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except services.StaleReport:
                messages.error(request, _("Another coordinator decided on this report meanwhile."))
                return redirect("enquiries:report_detail", public_id=public_id)
            messages.success(request, _("Decision saved."))
            return redirect("enquiries:reports")
        status = 400
    services.opened_for_report(report_row, by=request.user, request=request)
    officer_details_viewed(
        enquiry.officer, by=request.user, request=request, shown_on={"enquiry": str(enquiry.public_id)}
    )
    return render(
        request,
        "enquiries/report_detail.html",
        {
            "report": report_row,
            "enquiry": enquiry,
            "officer": enquiry.officer,
            "profile": enquiry.officer.officer,
            "shared": selectors.shared_fields(enquiry),
            "lines": selectors.coordinator_lines(enquiry, selectors.messages_of(enquiry)),
            "other_reports": list(
                enquiry.reports.exclude(pk=report_row.pk).select_related("reporter").order_by("created_at", "id")
            ),
            "form": form if report_row.state == AbuseReport.State.OPEN else None,
        },
        status=status,
    )
