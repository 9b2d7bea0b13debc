"""Concern pages: reporting one, the reporter's list, the coordinators' queue and triage, the
provider's page when asked to respond.

Rules (core.policy): "concern.report" (verified officers, provider members about another
organisation's tool, coordinators; the tool published or suspended), "concern.mine" (anyone
signed in: their own concerns), "concern.triage" (coordinators), "concern.provider_list" and
"concern.provider_respond" (members of the tool's organisation, once asked: 404 for anyone else).
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.services import officer_details_viewed, officers_listed
from catalogue.models import Tool
from core import policy
from core.downloads import stored_file_response
from core.forms import kept_as_initial
from core.policy import permission_required
from moderation import selectors as notices
from providers.rules import provider_organisation

from . import services as concerns
from .forms import (
    AssessForm,
    CloseForm,
    DecideForm,
    FindToolForm,
    NoteForm,
    QueueFilterForm,
    ReportForm,
    ResponseForm,
)
from .models import Concern, ConcernNote

PAGE_SIZE = 50
Status = Concern.Status
Outcome = Concern.Outcome

DECIDED_MESSAGES = {
    Outcome.NO_ACTION: gettext_lazy("The concern was decided: no action. The reporter was told."),
    Outcome.PROVIDER_ASKED: gettext_lazy("The provider was asked to respond; the reporter was told."),
    Outcome.SUSPENSION: gettext_lazy("The tool was suspended and the concern decided. Officers see the notice."),
    Outcome.REMOVAL: gettext_lazy("The tool was removed and the concern decided. Officers see the notice."),
}


def _age_days(concern: Concern, now) -> int:
    return max((now - concern.created_at).days, 0)


# --- reporting -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def report_concern(request, slug):
    tool = get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)
    policy.require(request.user, "concern.report", tool, hide=True)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                concerns.report(
                    tool,
                    by=request.user,
                    category=data["category"],
                    description=data["description"],
                    sources=data["sources"],
                    file_content=data["file"],
                    request=request,
                )
            except concerns.InvalidConcern as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _("Thank you: your concern was sent to the coordinators. You can follow its status here."),
                )
                return redirect("concerns:mine")
        messages.error(request, _("The concern was not sent: see the messages next to the fields."))
        status = 400
    else:
        form = ReportForm()
    return render(request, "concerns/report.html", {"tool": tool, "form": form}, status=status)


@require_safe
@permission_required("concern.mine")
def my_concerns(request):
    """The reporter's concerns with their status and outcome (never the coordinators' notes)."""
    items = Concern.objects.filter(reporter=request.user).select_related("tool").order_by("-created_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "concerns/mine.html",
        {"page": page, "can_open_tools": policy.can(request.user, "hub.use")},
    )


# --- coordinators ------------------------------------------------------------------------------
@require_safe
@permission_required("concern.triage")
@reauthentication_required
def queue(request):
    """Concerns oldest first; open ones (not closed) unless another status is chosen."""
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data["status"] if filters.is_valid() else QueueFilterForm.OPEN
    items = Concern.objects.select_related("tool", "reporter").order_by("created_at", "id")
    if chosen == QueueFilterForm.OPEN:
        items = items.exclude(status=Status.CLOSED)
    elif chosen != QueueFilterForm.ALL:
        items = items.filter(status=chosen)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for concern in page:
        concern.age_days = _age_days(concern, now)
    # The queue names the reporters: audited, like every page naming officers to a coordinator.
    officers_listed([concern.reporter for concern in page], by=request.user, request=request, page="concerns:queue")
    return render(
        request,
        "concerns/queue.html",
        {"filters": filters, "page": page, "chosen": chosen},
        status=400 if filters.errors else 200,
    )


def _concern(public_id) -> Concern:
    return get_object_or_404(
        Concern.objects.select_related("tool__organisation", "reporter", "notice"),
        public_id=public_id,
    )


def _detail_page(request, concern: Concern, status: int = 200, *, stale=None, **forms):
    """The concern with the forms its state allows. `forms` are bound forms to show again (with
    their errors); `stale` maps a form's name to a valid form that came too late: what it holds
    is offered again in a fresh form at the concern's current version."""
    stale = stale or {}

    def initial(name: str, **current) -> dict:
        return kept_as_initial(stale[name], **current) if name in stale else current

    version = concern.version
    is_open = concern.status != Status.CLOSED
    outcomes = concerns.outcomes_open_to(concern)
    context = {
        "concern": concern,
        "tool": concern.tool,
        "reporter": concern.reporter,
        "age_days": _age_days(concern, timezone.now()),
        "notes": list(
            ConcernNote.objects.filter(concern=concern).select_related("author").order_by("created_at", "id")
        ),
        "notices": notices.history(concern.tool),
        "assess_form": (forms.get("assess_form") or AssessForm(initial=initial("assess_form", version=version)))
        if concern.status == Status.RECEIVED
        else None,
        "note_form": (forms.get("note_form") or NoteForm(initial=initial("note_form", version=version)))
        if is_open
        else None,
        "decide_form": (
            forms.get("decide_form")
            or DecideForm(
                initial=initial("decide_form", version=version, tool_version=concern.tool.version), outcomes=outcomes
            )
        )
        if outcomes
        else None,
        "close_form": (forms.get("close_form") or CloseForm(initial=initial("close_form", version=version)))
        if concern.status == Status.DECIDED
        else None,
    }
    return render(request, "concerns/detail.html", context, status=status)


def _changed_meanwhile(request, public_id, form_name: str, form):
    """409: another coordinator acted first. The page shows the concern as it is now, and what
    the coordinator typed in a fresh form wherever that form still applies."""
    messages.error(
        request,
        _(
            "This concern changed meanwhile (another coordinator acted on it, or its tool changed); "
            "nothing was saved. Its current state is shown below, with what you wrote."
        ),
    )
    return _detail_page(request, _concern(public_id), status=409, stale={form_name: form})


@require_safe
@permission_required("concern.triage")
@reauthentication_required
def detail(request, public_id):
    concern = _concern(public_id)
    # The page shows who reported.
    officer_details_viewed(
        concern.reporter, by=request.user, request=request, shown_on={"concern": str(concern.public_id)}
    )
    return _detail_page(request, concern)


def _triage_step(request, public_id, form_class, form_name: str, step, text_field: str, success: str):
    """One note-carrying triage step (start assessment, add a note, close): validate, apply, tell."""
    concern = _concern(public_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail_page(request, concern, status=400, **{form_name: form})
    try:
        step(
            concern,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            request=request,
            **{text_field: form.cleaned_data[text_field]},
        )
    except concerns.StaleConcern:
        return _changed_meanwhile(request, public_id, form_name, form)
    messages.success(request, success)
    return redirect("concerns:detail", public_id=concern.public_id)


@require_POST
@permission_required("concern.triage")
def assess(request, public_id):
    return _triage_step(
        request,
        public_id,
        AssessForm,
        "assess_form",
        concerns.start_assessment,
        "note",
        _("The assessment started; the reporter was told."),
    )


@require_POST
@permission_required("concern.triage")
def add_note(request, public_id):
    return _triage_step(request, public_id, NoteForm, "note_form", concerns.add_note, "text", _("Your note was added."))


@require_POST
@permission_required("concern.triage")
# A suspension or removal is a moderation decision: the same re-authentication as moderation:decide.
@reauthentication_required
def decide(request, public_id):
    concern = _concern(public_id)
    # All outcomes are accepted here: a stale page is told so by the version check, not the choices.
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, concern, status=400, decide_form=form)
    data = form.cleaned_data
    try:
        concerns.decide(
            concern,
            by=request.user,
            outcome=data["outcome"],
            expected_version=data["version"],
            note=data["note"],
            provider_request=data["provider_request"],
            reason_code=data["reason_code"],
            summary=data["summary"],
            officer_guidance=data["officer_guidance"],
            provider_guidance=data["provider_guidance"],
            tool_version=data["tool_version"],
            request=request,
        )
    except concerns.StaleConcern:
        return _changed_meanwhile(request, public_id, "decide_form", form)
    except concerns.InvalidConcern as exc:
        form.add_error(exc.field, exc.message)
        return _detail_page(request, concern, status=400, decide_form=form)
    messages.success(request, DECIDED_MESSAGES[Outcome(data["outcome"])])
    return redirect("concerns:detail", public_id=concern.public_id)


@require_POST
@permission_required("concern.triage")
def close(request, public_id):
    return _triage_step(
        request,
        public_id,
        CloseForm,
        "close_form",
        concerns.close,
        "note",
        _("The concern was closed; the reporter was told."),
    )


@require_safe
@permission_required("concern.triage")
def concern_file(request, public_id):
    """The reporter's PDF, always as a download under a server-generated name (SECURITY.md UP-02)."""
    concern = _concern(public_id)
    return stored_file_response(
        concern.file, filename=f"concern-{concern.public_id.hex[:12]}.pdf", content_type="application/pdf"
    )


# --- providers -----------------------------------------------------------------------------------
@require_safe
@permission_required("concern.provider_list")
def provider_concerns(request):
    """Concerns about the organisation's tools that the coordinators asked it to respond to."""
    organisation = provider_organisation(request.user)
    find_form, status = FindToolForm(), 200
    if "tool" in request.GET:
        # "Anyone signed in can report a concern": a provider names another provider's tool.
        find_form = FindToolForm(request.GET)
        if find_form.is_valid():
            tool = concerns.reportable_tool_named(find_form.cleaned_data["tool"], by=request.user)
            if tool is not None:
                return redirect("concerns:report", slug=tool.slug)
            find_form.add_error(
                "tool", _("No tool of another organisation with exactly that name is in the catalogue.")
            )
        status = 400
    items = (
        Concern.objects.filter(tool__organisation=organisation)
        .exclude(provider_request="")
        .select_related("tool")
        .order_by("-provider_asked_at", "-id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "concerns/provider_list.html", {"page": page, "find_form": find_form}, status=status)


def _provider_page(request, concern, form, status=200):
    return render(
        request,
        "concerns/provider_detail.html",
        {"concern": concern, "tool": concern.tool, "form": form if concerns.may_respond(concern) else None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def provider_concern(request, public_id):
    """The tool, the category and the coordinators' request; the provider responds here."""
    concern = get_object_or_404(Concern.objects.select_related("tool__organisation"), public_id=public_id)
    policy.require(request.user, "concern.provider_respond", concern, hide=True)
    if request.method == "GET":
        return _provider_page(request, concern, ResponseForm())
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _provider_page(request, concern, form, status=400)
    try:
        concerns.respond(concern, by=request.user, text=form.cleaned_data["text"], request=request)
    except concerns.AlreadyResponded:
        messages.error(
            request,
            _("This concern no longer takes a response (it was answered or closed meanwhile); nothing was saved."),
        )
        concern.refresh_from_db()
        return _provider_page(request, concern, None, status=409)
    messages.success(request, _("Your response was sent to the coordinators."))
    return redirect("concerns:provider_detail", public_id=concern.public_id)
