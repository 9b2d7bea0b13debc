"""The coordinators' questionnaire editor: versions, drafts, editing and publishing.

Plain forms and redirects (back to the changed item's anchor), so it works without
JavaScript. Published versions are read-only; only a draft can be edited.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.policy import permission_required

from . import services
from .forms import OptionForm, QuestionForm, SectionForm
from .models import Option, Question, Questionnaire, QuestionnaireVersion, Section

MANAGE = "questionnaires.manage"


# --- lookups ----------------------------------------------------------------------------
def _version(key: str, number: int) -> QuestionnaireVersion:
    return get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire", "created_by"),
        questionnaire__key=key,
        number=number,
    )


def _with_contents(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version with sections -> questions -> options prefetched (a fixed number of queries)."""
    version = (
        QuestionnaireVersion.objects.select_related("questionnaire")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "questions",
                        queryset=Question.objects.order_by("order", "id").prefetch_related(
                            Prefetch("options", queryset=Option.objects.order_by("order", "id"))
                        ),
                    )
                ),
            )
        )
        .get(pk=version.pk)
    )
    _attach_translations(version)
    return version


def _attach_translations(version: QuestionnaireVersion) -> None:
    """Give each section, question and option a `translations` list of (language, texts..., code)
    so templates can show every language (templates cannot index dicts by a variable) and mark
    each text with its own language (the code, last)."""
    languages = [(code, str(name)) for code, name in settings.LANGUAGES]
    for section in version.sections.all():
        section.translations = [(name, (section.titles or {}).get(code, ""), code) for code, name in languages]
        for question in section.questions.all():
            question.translations = [
                (name, (question.labels or {}).get(code, ""), (question.help_texts or {}).get(code, ""), code)
                for code, name in languages
            ]
            question.language_count = sum(1 for code, _name in languages if (question.labels or {}).get(code))
            for option in question.options.all():
                option.translations = [(name, (option.labels or {}).get(code, ""), code) for code, name in languages]


def _section(version, key) -> Section:
    return get_object_or_404(Section.objects.select_related("version"), version=version, key=key)


def _question(version, key) -> Question:
    return get_object_or_404(Question.objects.select_related("version", "section"), version=version, key=key)


def _option(question, value) -> Option:
    return get_object_or_404(Option.objects.select_related("question__version"), question=question, value=value)


def _version_url(name: str, version: QuestionnaireVersion, anchor: str = "") -> str:
    url = reverse(f"questionnaires:{name}", kwargs={"key": version.questionnaire.key, "number": version.number})
    return f"{url}#{anchor}" if anchor else url


def _edit_redirect(version, anchor: str = ""):
    return HttpResponseRedirect(_version_url("edit_version", version, anchor))


def _question_url(question: Question, anchor: str = "") -> str:
    url = reverse(
        "questionnaires:question_edit",
        kwargs={"key": question.version.questionnaire.key, "number": question.version.number, "question": question.key},
    )
    return f"{url}#{anchor}" if anchor else url


def _refuse_published(request, version):
    """Published versions cannot change: say so and show the read-only version."""
    messages.error(request, services.NotEditable().message)
    return HttpResponseRedirect(_version_url("version_detail", version))


def editable_draft(view):
    """Load the version named in the URL for `view`; a published one cannot change, so the
    coordinator is shown it read-only instead."""

    @wraps(view)
    def wrapper(request, key, number, **kwargs):
        version = _version(key, number)
        if not version.is_editable:
            return _refuse_published(request, version)
        return view(request, version, **kwargs)

    return wrapper


def _apply(request, change, *, then, otherwise, saved: str = "", form=None, refused=None):
    """Run one editor change and redirect: to `then` (a URL, or a function of the change's result)
    with the `saved` message, or, when the service refuses (EditorError), to `otherwise` with its reason.
    A refusal caused by one of `form`'s fields (a key taken meanwhile) is shown next to that field
    instead: `refused()` renders the form again."""
    try:
        result = change()
    except services.EditorError as exc:
        if form is not None and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
            return refused()
        messages.error(request, exc.message)
        return HttpResponseRedirect(otherwise)
    if saved:
        messages.success(request, saved)
    return HttpResponseRedirect(then(result) if callable(then) else then)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _direction(request) -> str:
    return request.POST.get("direction", "")


# --- versions -----------------------------------------------------------------------------
@require_http_methods(["GET"])
@permission_required(MANAGE)
def questionnaire_list(request):
    """Every questionnaire with its versions; the current (newest published) one is marked."""
    versions = QuestionnaireVersion.objects.select_related("created_by").annotate(question_count=Count("questions"))
    questionnaires = list(
        Questionnaire.objects.prefetch_related(Prefetch("versions", queryset=versions.order_by("-number")))
    )
    rows = []
    for questionnaire in questionnaires:
        all_versions = list(questionnaire.versions.all())
        current = next((v for v in all_versions if v.status == QuestionnaireVersion.Status.PUBLISHED), None)
        draft = next((v for v in all_versions if v.status == QuestionnaireVersion.Status.DRAFT), None)
        rows.append({"questionnaire": questionnaire, "versions": all_versions, "current": current, "draft": draft})
    return render(request, "questionnaires/list.html", {"rows": rows})


@require_POST
@permission_required(MANAGE)
def new_version(request, key):
    """Copy the current version into a new draft (or point to the draft that already exists)."""
    questionnaire = get_object_or_404(Questionnaire, key=key)
    try:
        draft = services.copy_as_draft(questionnaire, by=request.user, request=request)
    except services.DraftExists as exc:
        messages.info(request, exc.message)
        return _edit_redirect(exc.draft)
    except services.EditorError as exc:
        messages.error(request, exc.message)
        return redirect("questionnaires:list")
    messages.success(request, _("Version %(number)s was created as a draft.") % {"number": draft.number})
    return _edit_redirect(draft)


@require_http_methods(["GET"])
@permission_required(MANAGE)
def version_detail(request, key, number):
    """Read-only view of any version, every translation included."""
    version = _with_contents(_version(key, number))
    return render(
        request,
        "questionnaires/version_detail.html",
        {
            "version": version,
            "is_current": version == version.questionnaire.current_version(),
        },
    )


def _edit_page(request, version, *, section_form=None, status=200):
    version = _with_contents(version)
    return render(
        request,
        "questionnaires/edit_version.html",
        {
            "version": version,
            "section_form": section_form or SectionForm(version=version, prefix="section"),
            "problems": services.publication_problems(version),
            "current": version.questionnaire.current_version(),
        },
        status=status,
    )


@require_http_methods(["GET"])
@permission_required(MANAGE)
@editable_draft
def edit_version(request, version):
    return _edit_page(request, version)


@require_POST
@permission_required(MANAGE)
@editable_draft
def publish(request, version):
    try:
        services.publish(version, by=request.user, request=request)
    except services.PublishBlocked as exc:
        messages.error(request, exc.message)
        return _edit_page(request, version, status=400)
    except services.NotEditable:
        return _refuse_published(request, version)
    messages.success(request, _("Version %(number)s is published and now current.") % {"number": version.number})
    return HttpResponseRedirect(_version_url("version_detail", version))


# --- sections -----------------------------------------------------------------------------
def _section_anchor(section) -> str:
    return f"section-{section.key}"


@require_POST
@permission_required(MANAGE)
@editable_draft
def section_add(request, version):
    form = SectionForm(request.POST, version=version, prefix="section")
    if not form.is_valid():
        return _edit_page(request, version, section_form=form, status=400)
    return _apply(
        request,
        lambda: services.add_section(
            version, by=request.user, key=form.cleaned_data["key"], titles=form.texts("title"), request=request
        ),
        saved=_("The section was added."),
        then=lambda section: _version_url("edit_version", version, _section_anchor(section)),
        otherwise=_version_url("edit_version", version),
        form=form,
        refused=lambda: _edit_page(request, version, section_form=form, status=400),
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
@editable_draft
def section_edit(request, version, section):
    section = _section(version, section)
    form = SectionForm(_posted(request), version=version, section=section, prefix="section")
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            lambda: services.update_section(
                section, by=request.user, key=form.cleaned_data["key"], titles=form.texts("title"), request=request
            ),
            saved=_("The section was saved."),
            then=lambda saved: _version_url("edit_version", version, _section_anchor(saved)),
            otherwise=_version_url("edit_version", version),
            form=form,
            refused=lambda: _section_page(request, version, section, form),
        )
    return _section_page(request, version, section, form)


def _section_page(request, version, section, form):
    return render(
        request,
        "questionnaires/section_form.html",
        {"version": version, "section": section, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(MANAGE)
@editable_draft
def section_delete(request, version, section):
    section = _section(version, section)
    return _apply(
        request,
        lambda: services.delete_section(section, by=request.user, request=request),
        saved=_("The section was deleted."),
        then=_version_url("edit_version", version),
        otherwise=_version_url("edit_version", version, _section_anchor(section)),
    )


@require_POST
@permission_required(MANAGE)
@editable_draft
def section_move(request, version, section):
    section = _section(version, section)
    here = _version_url("edit_version", version, _section_anchor(section))
    return _apply(
        request,
        lambda: services.move_section(section, _direction(request), by=request.user, request=request),
        then=here,
        otherwise=here,
    )


# --- questions ----------------------------------------------------------------------------
def _question_page(request, version, question, form, *, option_form=None, status=200):
    context = {"version": version, "question": question, "form": form}
    if question is not None:
        question = Question.objects.select_related("section", "version__questionnaire").get(pk=question.pk)
        context.update(
            question=question,
            options=list(question.options.order_by("order", "id")),
            option_form=option_form or OptionForm(question=question, prefix="option"),
        )
    return render(request, "questionnaires/question_form.html", context, status=status)


def _after_adding_question(request, question) -> str:
    if question.has_options:
        messages.info(request, _("Add the options officers and providers can choose from."))
        return _question_url(question, "options")
    return _version_url("edit_version", question.version, f"question-{question.key}")


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
@editable_draft
def question_add(request, version, section):
    section = _section(version, section)
    form = QuestionForm(_posted(request), version=version, prefix="question", initial={"section": section.key})
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            lambda: services.add_question(
                form.chosen_section(), by=request.user, data=form.data_for_service(), request=request
            ),
            saved=_("The question was added."),
            then=lambda question: _after_adding_question(request, question),
            otherwise=_version_url("edit_version", version),
            form=form,
            refused=lambda: _question_page(request, version, None, form, status=400),
        )
    return _question_page(request, version, None, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
@editable_draft
def question_edit(request, version, question):
    question = _question(version, question)
    form = QuestionForm(_posted(request), version=version, question=question, prefix="question")
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            lambda: services.update_question(
                question,
                by=request.user,
                data=form.data_for_service(),
                section=form.chosen_section(),
                request=request,
            ),
            saved=_("The question was saved."),
            then=lambda saved: _version_url("edit_version", version, f"question-{saved.key}"),
            otherwise=_version_url("edit_version", version),
            form=form,
            refused=lambda: _question_page(request, version, question, form, status=400),
        )
    return _question_page(request, version, question, form, status=400 if form.errors else 200)


@require_POST
@permission_required(MANAGE)
@editable_draft
def question_delete(request, version, question):
    question = _question(version, question)
    return _apply(
        request,
        lambda: services.delete_question(question, by=request.user, request=request),
        saved=_("The question was deleted."),
        then=_version_url("edit_version", version, _section_anchor(question.section)),
        otherwise=_version_url("edit_version", version),
    )


@require_POST
@permission_required(MANAGE)
@editable_draft
def question_move(request, version, question):
    question = _question(version, question)
    here = _version_url("edit_version", version, f"question-{question.key}")
    return _apply(
        request,
        lambda: services.move_question(question, _direction(request), by=request.user, request=request),
        then=here,
        otherwise=here,
    )


# --- options ------------------------------------------------------------------------------
@require_POST
@permission_required(MANAGE)
@editable_draft
def option_add(request, version, question):
    question = _question(version, question)
    form = OptionForm(request.POST, question=question, prefix="option")

    def refused():
        question_form = QuestionForm(version=version, question=question, prefix="question")
        return _question_page(request, version, question, question_form, option_form=form, status=400)

    if not form.is_valid():
        return refused()
    return _apply(
        request,
        lambda: services.add_option(
            question, by=request.user, value=form.cleaned_data["value"], labels=form.texts("label"), request=request
        ),
        saved=_("The option was added."),
        then=lambda option: _question_url(question, f"option-{option.value}"),
        otherwise=_question_url(question),
        form=form,
        refused=refused,
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
@editable_draft
def option_edit(request, version, question, option):
    question = _question(version, question)
    option = _option(question, option)
    form = OptionForm(_posted(request), question=question, option=option, prefix="option")
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            lambda: services.update_option(
                option, by=request.user, value=form.cleaned_data["value"], labels=form.texts("label"), request=request
            ),
            saved=_("The option was saved."),
            then=lambda saved: _question_url(question, f"option-{saved.value}"),
            otherwise=_question_url(question),
            form=form,
            refused=lambda: _option_page(request, version, question, option, form),
        )
    return _option_page(request, version, question, option, form)


def _option_page(request, version, question, option, form):
    return render(
        request,
        "questionnaires/option_form.html",
        {"version": version, "question": question, "option": option, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(MANAGE)
@editable_draft
def option_delete(request, version, question, option):
    question = _question(version, question)
    option = _option(question, option)
    options = _question_url(question, "options")
    return _apply(
        request,
        lambda: services.delete_option(option, by=request.user, request=request),
        saved=_("The option was deleted."),
        then=options,
        otherwise=options,
    )


@require_POST
@permission_required(MANAGE)
@editable_draft
def option_move(request, version, question, option):
    question = _question(version, question)
    option = _option(question, option)
    here = _question_url(question, f"option-{option.value}")
    return _apply(
        request,
        lambda: services.move_option(option, _direction(request), by=request.user, request=request),
        then=here,
        otherwise=here,
    )
