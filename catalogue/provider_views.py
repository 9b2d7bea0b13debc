"""The providers' side of the catalogue: their organisation's tools, descriptions,
questionnaires, attachments, preview and submission.

Rule "organisation.work": a member of an approved organisation that accepted the current
provider terms. Everyone else gets 403; another organisation's tool is a 404.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from providers.rules import own_organisation_or_403
from questionnaires.selectors import current_versions

from . import services, tool_panels, updates
from . import translations as translation_texts
from .answers import answers_by_key, completeness, section_progress
from .forms import AnswersForm, AttachmentForm, ToolForm
from .models import Attachment, Review, Tool, ToolState
from .selectors import tool_page

# States in which the coordinators' latest comment is shown to the provider.
COMMENTED_STATES = {ToolState.CHANGES_REQUESTED, ToolState.REJECTED}


def _organisation(request):
    return own_organisation_or_403(request, "organisation.work")


def _own_tool(request, slug) -> Tool:
    organisation = _organisation(request)
    return get_object_or_404(Tool.objects.select_related("organisation"), organisation=organisation, slug=slug)


def _bound(request):
    """Form data and files for a POST, nothing for a GET (so an empty POST still validates)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _latest_comment():
    return Subquery(Review.objects.filter(tool=OuterRef("pk")).order_by("-created_at", "-pk").values("comment")[:1])


def _not_editable(request, tool):
    messages.error(
        request,
        _("This tool is %(state)s and cannot be changed now.") % {"state": tool.get_state_display().lower()},
    )
    return redirect("catalogue:provider_tool", slug=tool.slug)


@require_http_methods(["GET"])
def my_tools(request):
    organisation = _organisation(request)
    tools = list(
        Tool.objects.filter(organisation=organisation, revision_of__isnull=True)
        .annotate(latest_comment=_latest_comment(), pending_update=_pending_update())
        .order_by("-updated_at", "-pk")
    )
    for tool in tools:
        tool.confirmation_overdue = updates.is_overdue(tool)
    return render(
        request,
        "catalogue/provider/my_tools.html",
        {"organisation": organisation, "tools": tools, "commented_states": COMMENTED_STATES},
    )


def _pending_update():
    """The state of a published tool's open update request (None when there is none)."""
    return Subquery(
        Tool.objects.filter(revision_of=OuterRef("pk"), state__in=updates.OPEN_REVISION_STATES)
        .order_by("-pk")
        .values("state")[:1]
    )


@require_http_methods(["GET", "POST"])
def tool_create(request):
    organisation = _organisation(request)
    form = ToolForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        tool = services.create_tool(
            organisation, by=request.user, data=form.changes(), logo=form.cleaned_data["logo"], request=request
        )
        messages.success(request, _("The tool was created as a draft. Now fill in the questionnaires."))
        return redirect("catalogue:provider_tool", slug=tool.slug)
    return render(
        request,
        "catalogue/provider/tool_form.html",
        {"form": form, "tool": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def provider_tool(request, slug):
    tool = _own_tool(request, slug)
    return _tool_page(request, tool)


def _tool_page(request, tool, *, attachment_form=None, missing=None, status=200):
    versions = current_versions()
    answers = answers_by_key(tool)
    counts = completeness(tool, versions, answers)
    latest = Review.objects.filter(tool=tool).order_by("-created_at", "-pk").first()
    published = tool.state == ToolState.PUBLISHED and not tool.is_revision
    return render(
        request,
        "catalogue/provider/tool.html",
        {
            "tool": tool,
            "questionnaires": [
                {
                    "version": version,
                    "answered": counts[version.questionnaire.key][0],
                    "total": counts[version.questionnaire.key][1],
                }
                for version in versions
            ],
            "attachments": [a for a in tool.attachments.all() if not a.question_key],
            "attachment_form": attachment_form or AttachmentForm(),
            "latest_review": latest if tool.state in COMMENTED_STATES else None,
            "missing": missing if missing is not None else services.missing_required(tool, versions),
            "refused": missing is not None,
            "editable": tool.is_editable_by_provider,
            "pending_update": updates.open_revision(tool) if published else None,
            "original": tool.revision_of if tool.is_revision else None,
            "confirmed_at": tool.confirmed_at if published else None,
            "confirmation_due": updates.confirmation_due_at(tool) if published else None,
            "confirmation_overdue": updates.is_overdue(tool),
            "panels": tool_panels.panels(tool_panels.PROVIDERS, request, tool),
        },
        status=status,
    )


@require_POST
def start_update(request, slug):
    """Propose an update of a published tool: the open update request, made if there is none."""
    tool = _own_tool(request, slug)
    try:
        revision = updates.start_update(tool, by=request.user, request=request)
    except updates.NotUpdatable:
        messages.error(request, _("Only a published tool can be updated."))
        return redirect("catalogue:provider_tool", slug=tool.slug)
    messages.success(
        request,
        _(
            "This is your update request. Officers keep seeing the published entry until the coordinators "
            "approve your changes."
        ),
    )
    return redirect("catalogue:provider_tool", slug=revision.slug)


@require_POST
def confirm_accuracy(request, slug):
    """The provider confirms the published entry is still accurate."""
    tool = _own_tool(request, slug)
    try:
        updates.confirm_accuracy(tool, by=request.user, request=request)
    except updates.NotUpdatable:
        messages.error(request, _("Only a published tool can be confirmed."))
    else:
        messages.success(request, _("Thank you: the entry is confirmed as accurate today."))
    return redirect("catalogue:provider_tool", slug=tool.slug)


@require_http_methods(["GET", "POST"])
def tool_edit(request, slug):
    tool = _own_tool(request, slug)
    if not tool.is_editable_by_provider:
        return _not_editable(request, tool)
    form = ToolForm(*_bound(request), tool=tool)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_tool(
                tool,
                by=request.user,
                data=form.changes(),
                logo=form.cleaned_data["logo"],
                remove_logo=form.cleaned_data.get("remove_logo", False),
                request=request,
            )
        except services.ToolNotEditable:
            return _not_editable(request, tool)
        if changed:
            messages.success(request, _("The tool's description was saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("catalogue:provider_tool", slug=tool.slug)
    return render(
        request,
        "catalogue/provider/tool_form.html",
        {"form": form, "tool": tool},
        status=400 if form.errors else 200,
    )


def _version(key):
    for version in current_versions():
        if version.questionnaire.key == key:
            return version
    raise Http404


# The questionnaire pages warn this long before the idle limit signs people out
# (static/js/session-keeper.js), so that they can stay signed in.
IDLE_WARNING = datetime.timedelta(minutes=3)


def _session_limits() -> dict:
    idle = settings.SESSION_IDLE_TIMEOUT
    warn = int(min(IDLE_WARNING, idle / 2).total_seconds())
    return {"idle_seconds": int(idle.total_seconds()), "warn_seconds": warn, "warn_minutes": max(1, round(warn / 60))}


@require_http_methods(["GET"])
def answers(request, slug, questionnaire):
    """A questionnaire's overview: its sections with their progress and what is missing."""
    tool = _own_tool(request, slug)
    version = _version(questionnaire)
    if not tool.is_editable_by_provider:
        return _not_editable(request, tool)
    progress = section_progress(version, answers_by_key(tool))
    return render(
        request,
        "catalogue/provider/answers.html",
        {
            "tool": tool,
            "version": version,
            "progress": progress,
            "answered": sum(item.answered for item in progress),
            "total": sum(item.total for item in progress),
            "missing": [question for item in progress for question in item.missing_required],
        },
    )


@require_http_methods(["GET", "POST"])
def answers_section(request, slug, questionnaire, section):
    """One section of a questionnaire on its own page; saving it saves only its answers."""
    tool = _own_tool(request, slug)
    version = _version(questionnaire)
    if not tool.is_editable_by_provider:
        return _not_editable(request, tool)
    answers = answers_by_key(tool)
    progress = section_progress(version, answers)
    keys = [item.section.key for item in progress]
    if section not in keys:
        raise Http404
    index = keys.index(section)
    current = progress[index]
    following = progress[index + 1] if index + 1 < len(progress) else None
    form = AnswersForm(
        *_bound(request),
        version=version,
        tool=tool,
        answers=answers,
        attachments={str(a.public_id): a for a in tool.attachments.all()},
        section=current.section,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.save_answers(
                    tool, version, by=request.user, values=form.values(), files=form.file_changes(), request=request
                )
            except services.ToolNotEditable:
                return _not_editable(request, tool)
            if changed:
                messages.success(
                    request,
                    _("The answers of “%(section)s” were saved. You can come back and continue at any time.")
                    % {"section": current.section.title},
                )
            else:
                messages.info(request, _("Nothing was changed in “%(section)s”.") % {"section": current.section.title})
            if request.POST.get("then") == "next":
                if following is not None:
                    return redirect(
                        "catalogue:provider_answers_section",
                        slug=tool.slug,
                        questionnaire=questionnaire,
                        section=following.section.key,
                    )
                return redirect("catalogue:provider_answers", slug=tool.slug, questionnaire=questionnaire)
            return redirect(
                "catalogue:provider_answers_section", slug=tool.slug, questionnaire=questionnaire, section=section
            )
        messages.error(request, _("Some answers could not be saved: see the messages next to them."))
    return render(
        request,
        "catalogue/provider/answers_section.html",
        {
            "tool": tool,
            "version": version,
            "progress": progress,
            "current": current,
            "previous": progress[index - 1] if index else None,
            "following": following,
            "form": form,
            **_session_limits(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def attachment_upload(request, slug):
    tool = _own_tool(request, slug)
    if not tool.is_editable_by_provider:
        return _not_editable(request, tool)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _tool_page(request, tool, attachment_form=form, status=400)
    try:
        services.add_attachment(
            tool, by=request.user, title=form.cleaned_data["title"], data=form.cleaned_data["file"], request=request
        )
    except services.ToolNotEditable:
        return _not_editable(request, tool)
    messages.success(request, _("The document was attached."))
    return redirect("catalogue:provider_tool", slug=tool.slug)


@require_POST
def attachment_delete(request, slug, public_id):
    tool = _own_tool(request, slug)
    attachment = get_object_or_404(Attachment, tool=tool, public_id=public_id)
    attachment.tool = tool
    try:
        services.remove_attachment(attachment, by=request.user, request=request)
    except services.ToolNotEditable:
        return _not_editable(request, tool)
    messages.success(request, _("The document was removed."))
    return redirect("catalogue:provider_tool", slug=tool.slug)


@require_http_methods(["GET"])
def preview(request, slug):
    tool = _own_tool(request, slug)
    return render(request, "catalogue/provider/preview.html", tool_page(tool))


def _submission(tool) -> dict:
    """What the confirmation page tells before a submission: how complete the entry is."""
    versions = current_versions()
    counts = completeness(tool, versions)
    answered = sum(answered for answered, _total in counts.values())
    total = sum(total for _answered, total in counts.values())
    return {
        "tool": tool,
        "questionnaires": [
            {
                "version": version,
                "answered": counts[version.questionnaire.key][0],
                "total": counts[version.questionnaire.key][1],
            }
            for version in versions
        ],
        "answered": answered,
        "total": total,
        "unanswered": total - answered,
        "missing": services.missing_required(tool, versions),
    }


@require_http_methods(["GET", "POST"])
def submit(request, slug):
    """Submitting asks for confirmation first, showing how complete the entry is; only a POST
    with `confirmed` sends it for review."""
    tool = _own_tool(request, slug)
    if request.method == "GET" or not request.POST.get("confirmed"):
        if not tool.is_editable_by_provider:
            return _not_editable(request, tool)
        return render(request, "catalogue/provider/submit.html", _submission(tool))
    try:
        services.submit_tool(tool, by=request.user, request=request)
    except services.ToolNotEditable:
        return _not_editable(request, tool)
    except services.MissingRequiredAnswers as refused:
        messages.error(
            request,
            _("The tool was not submitted: answer the required questions listed below first."),
        )
        return _tool_page(request, tool, missing=refused.missing, status=400)
    messages.success(
        request, _("The tool was submitted for review. Its status is shown here and in the list of your tools.")
    )
    return redirect("catalogue:provider_tool", slug=tool.slug)


@require_http_methods(["GET", "POST"])
def translations(request, slug):
    """A separate page per tool: its free-text answers in one other language of the hub."""
    tool = _own_tool(request, slug)
    if not tool.is_editable_by_provider:
        return _not_editable(request, tool)
    names = translation_texts.language_names()
    language = request.GET.get("language") or next(code for code in names if code != tool.text_language)
    if language not in names:
        messages.error(request, _("Choose one of the hub's languages."))
        language = next(code for code in names if code != tool.text_language)
        status = 400
    else:
        status = 200
    form = translation_texts.TranslationsForm(
        request.POST if request.method == "POST" else None, tool=tool, versions=current_versions(), language=language
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = translation_texts.save_translations(
                    tool,
                    original=form.cleaned_data["original"],
                    language=language,
                    texts=form.texts(),
                    by=request.user,
                    request=request,
                )
            except services.ToolNotEditable:
                return _not_editable(request, tool)
            messages.success(request, _("The translations were saved.") if changed else _("Nothing was changed."))
            return redirect(f"{request.path}?language={language}")
        status = 400
    context = {
        "tool": tool,
        "form": form,
        "rows": form.bound_rows(),
        "language": language,
        "language_name": names[language],
        "translation_languages": list(names.items()),
        "original_name": names.get(tool.text_language, tool.text_language),
        "original_dir": translation_texts.text_direction(tool.text_language),
    }
    return render(request, "catalogue/provider/translations.html", context, status=status)
