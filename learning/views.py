"""The Learning Centre's pages: reading, progress, authoring and the coordinators' review.

Readers (rule "learning.read") are verified officers and coordinators; providers and pending
officers get 403 and anonymous visitors the sign-in page. An item nobody may see answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from core import policy
from core.downloads import stored_file_response
from core.policy import permission_required
from discovery import exposure, search
from discovery.views import PAGE_SIZE as CATALOGUE_PAGE_SIZE
from events.selectors import events_with_materials
from questionnaires.selectors import WORKFLOW_STEPS_KEY, workflow_steps

from . import selectors, services
from .content import language, parse_check, render_text, split_lessons
from .forms import ContributorForm, ImageForm, ItemForm, NewItemForm, ReturnForm, TextForm, TopicForm, check_form
from .models import LANGUAGE_CODES, Contributor, Image, Item, ItemText, Kind, PublishedVersion, TextStatus, Topic

NOTICE_PASSED = "passed"


# --- reading ------------------------------------------------------------------------------
EVENT_MATERIALS_SHOWN = 6


@require_safe
@permission_required("learning.read")
def index(request):
    """The Learning Centre: sections (investigations, responsible AI, wellbeing), steps, topics."""
    topics = list(Topic.objects.all())
    topic = None
    if request.GET.get("topic"):
        topic = next((entry for entry in topics if entry.slug == request.GET["topic"]), None)
        if topic is None:
            raise Http404
    counts = selectors.step_counts()
    steps = [(option, counts.get(option.value, 0)) for option in workflow_steps()]
    return render(
        request,
        "learning/index.html",
        {
            "sections": selectors.by_section(topic=topic),
            "steps": steps,
            "topics": topics,
            "topic": topic,
            # Recordings and slides of past trainings and webinars (the events app).
            "event_materials": list(events_with_materials(request.user)[:EVENT_MATERIALS_SHOWN]),
        },
    )


def _step_option(step: str):
    for option in workflow_steps():
        if option.value == step:
            return option
    raise Http404


@require_safe
@permission_required("learning.read")
def step(request, step):
    """A workflow step: its learning content, and the published tools that declare the step in
    the catalogue's fair order for this officer, counted in the same exposure statistics."""
    option = _step_option(step)
    selection = {WORKFLOW_STEPS_KEY: search.Criterion(search.REQUIRED, frozenset({step}))}
    results = search.search(selection, seed=search.fairness_seed(request.user))
    tools = search.attach_tools(list(results[:CATALOGUE_PAGE_SIZE]))
    if policy.can(request.user, "catalogue.count_exposure"):
        exposure.record([result.tool_id for result in tools], first_position=1)
    return render(
        request,
        "learning/step.html",
        {
            "option": option,
            "items": selectors.items_for_step(step),
            "tools": tools,
            "tool_count": len(results),
            "catalogue_query": f"{WORKFLOW_STEPS_KEY}={step}",
        },
    )


def _published_item(slug) -> Item:
    return get_object_or_404(selectors.published_items(), slug=slug)


def _item_page(request, item: Item, *, check_results=None, check=None, status=200):
    shown = selectors.shown(item)
    if shown is None:
        raise Http404
    version = PublishedVersion.objects.get(item=item, language=shown.language.code, number=shown.text.published_number)
    notice_passed = not item.distressing or request.GET.get("notice") == NOTICE_PASSED or request.method == "POST"
    context = {
        "shown": shown,
        "item": item,
        "version": version,
        "notice_passed": notice_passed,
        "owner": selectors.owner_label(item, request.user),
    }
    counts_progress = policy.can(request.user, "learning.progress")
    if notice_passed:
        # The body is rendered only once the notice is passed: it is not in the page before.
        intro, lessons = split_lessons(version.body) if item.kind == Kind.MODULE else (version.body, [])
        questions = parse_check(version.check_text) if item.kind == Kind.MODULE else []
        done = selectors.lessons_done(request.user, item) if counts_progress else set()
        context.update(
            {
                "body": render_text(intro),
                "lessons": [
                    (lesson, render_text(lesson.body, top_level=3), lesson.number in done) for lesson in lessons
                ],
                "article_done": 0 in done,
                "questions": questions,
                "check_form": check if check is not None else (check_form(questions) if questions else None),
                "check_results": check_results,
                "previous_check": selectors.check_result(request.user, item) if counts_progress else None,
            }
        )
        if counts_progress:
            services.record_view(item, request.user)
    context["counts_progress"] = counts_progress
    return render(request, "learning/item.html", context, status=status)


@require_safe
@permission_required("learning.read")
def item(request, slug):
    return _item_page(request, _published_item(slug))


@require_safe
@permission_required("learning.read")
def item_versions(request, slug):
    """Every published version of the item, per language, with its date."""
    item = _published_item(slug)
    versions = PublishedVersion.objects.filter(item=item).only("language", "number", "title", "published_at")
    return render(
        request,
        "learning/versions.html",
        {
            "item": item,
            "shown": selectors.shown(item),
            "versions": [(version, language(version.language)) for version in versions.order_by("-published_at")],
        },
    )


@require_safe
@permission_required("learning.old_versions")
def item_version(request, slug, language_code, number):
    item = get_object_or_404(Item, slug=slug)
    version = get_object_or_404(PublishedVersion, item=item, language=language_code, number=number)
    return render(
        request,
        "learning/version.html",
        {"item": item, "version": version, "language": language(version.language), "body": render_text(version.body)},
    )


@require_safe
@permission_required("learning.read")
def resource(request, slug):
    """The PDF of a resource: always a download, never shown inline from this site."""
    item = _published_item(slug)
    if item.kind != Kind.RESOURCE:
        raise Http404
    return stored_file_response(item.resource, filename=f"{item.slug}.pdf", content_type="application/pdf")


@require_safe
@permission_required("learning.read")
def image(request, public_id):
    """An image of a learning text: re-encoded at upload, so it may be shown inline."""
    stored = get_object_or_404(Image, public_id=public_id)
    return stored_file_response(
        stored.file, filename=f"image.{stored.extension}", content_type=stored.content_type, as_attachment=False
    )


@require_POST
@permission_required("learning.progress")
def lesson_done(request, slug, lesson):
    item = _published_item(slug)
    shown = selectors.shown(item)
    version = PublishedVersion.objects.get(item=item, language=shown.language.code, number=shown.text.published_number)
    lessons = split_lessons(version.body)[1] if item.kind == Kind.MODULE else []
    if lesson != 0 and not 1 <= lesson <= len(lessons):
        raise Http404
    complete = services.mark_lesson_done(item, request.user, lesson=lesson, lessons=len(lessons), request=request)
    messages.success(request, _("Marked as done.") if not complete else _("You completed this item."))
    anchor = f"#lesson-{lesson}" if lesson else ""
    return redirect(f"{item_url(item)}?notice={NOTICE_PASSED}{anchor}")


def item_url(item: Item) -> str:
    return reverse("learning:item", args=[item.slug])


@require_POST
@permission_required("learning.progress")
def check(request, slug):
    """Score a module's check, record the result and show which answers were right."""
    item = _published_item(slug)
    shown = selectors.shown(item)
    version = PublishedVersion.objects.get(item=item, language=shown.language.code, number=shown.text.published_number)
    questions = parse_check(version.check_text)
    if not questions:
        raise Http404
    form = check_form(questions, request.POST)
    if not form.is_valid():
        return _item_page(request, item, check=form, status=400)
    results = []
    for question in questions:
        chosen = int(form.cleaned_data[f"q{question.number}"])
        results.append((question, chosen, chosen == question.correct))
    score = sum(1 for _question, _chosen, right in results if right)
    services.record_check(item, request.user, score=score, total=len(questions), request=request)
    return _item_page(request, item, check_results={"rows": results, "score": score, "total": len(questions)})


@require_safe
@permission_required("learning.progress")
def progress(request):
    return render(request, "learning/progress.html", {"rows": selectors.progress(request.user)})


# --- authoring ------------------------------------------------------------------------------
def _editable_item(request, slug) -> Item:
    policy.require(request.user, "learning.write")
    item = get_object_or_404(Item, slug=slug)
    policy.require(request.user, "learning.edit_item", item, hide=True)
    return item


@require_safe
@permission_required("learning.write")
def write(request):
    """The items this author may edit, with the status of each language."""
    items = Item.objects.prefetch_related("texts").order_by("slug")
    if not policy.can(request.user, "learning.review"):
        items = items.filter(owner=request.user)
    rows = []
    for entry in items:
        texts = {text.language: text for text in entry.texts.all()}
        original = texts.get(entry.original_language)
        rows.append(
            (entry, original.title if original else entry.slug, sorted(texts.values(), key=lambda t: t.language))
        )
    return render(request, "learning/write.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("learning.write")
def item_new(request):
    form = NewItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("action") == "preview":
        if _is_htmx(request):
            return _preview_fragment(request, form)
        return render(request, "learning/item_form.html", {"form": form, "preview": _preview(form)})
    if request.method == "POST":
        if form.is_valid():
            item = services.create_item(
                request.user,
                slug=form.cleaned_data["slug"],
                original_language=form.cleaned_data["original_language"],
                topics=form.cleaned_data["topics"],
                steps=form.cleaned_data["steps"],
                resource=_pdf_file(form.cleaned_data["resource"]),
                request=request,
                **form.item_fields(),
                **form.text_fields(),
            )
            messages.success(request, _("The item was saved as a draft."))
            return redirect("learning:text_edit", slug=item.slug, language_code=item.original_language)
        return render(request, "learning/item_form.html", {"form": form, "preview": _preview(form)}, status=400)
    return render(request, "learning/item_form.html", {"form": form})


def _pdf_file(data):
    if not data:
        return ""
    return ContentFile(data, name="resource.pdf")


@require_http_methods(["GET", "POST"])
def item_edit(request, slug):
    item = _editable_item(request, slug)
    initial = {
        "kind": item.kind,
        "section": item.section,
        "level": item.level,
        "reading_minutes": item.reading_minutes,
        "distressing": item.distressing,
        "topics": list(item.topics.values_list("slug", flat=True)),
        "steps": list(item.steps.values_list("step", flat=True)),
    }
    form = ItemForm(request.POST or None, request.FILES or None, item=item, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.update_item(
                item,
                request.user,
                topics=form.cleaned_data["topics"],
                steps=form.cleaned_data["steps"],
                resource=_pdf_file(form.cleaned_data["resource"]) or None,
                request=request,
                **form.item_fields(),
            )
            messages.success(request, _("The item's details were saved."))
            return redirect("learning:write")
        return render(request, "learning/item_edit.html", {"form": form, "item": item}, status=400)
    return render(request, "learning/item_edit.html", {"form": form, "item": item})


def _preview(form) -> str | None:
    """The rendered body of a form whose body field is readable (valid or not)."""
    body = form.data.get("body") if form.is_bound else None
    return render_text(body) if body else None


def _language_or_404(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise Http404
    return code


@require_http_methods(["GET", "POST"])
def text_edit(request, slug, language_code):
    """Write one language version. "Preview" re-renders the form with the rendered text (the
    htmx preview does the same live); "Save" keeps it as a draft."""
    item = _editable_item(request, slug)
    code = _language_or_404(language_code)
    text = ItemText.objects.filter(item=item, language=code).first()
    original = ItemText.objects.filter(item=item, language=item.original_language).first()
    initial = {}
    if text is not None:
        initial = {"title": text.title, "summary": text.summary, "body": text.body, "check_text": text.check_text}
    form = TextForm(request.POST or None, initial=initial)
    context = {
        "item": item,
        "text": text,
        "original": original if code != item.original_language else None,
        "language": language(code),
        "form": form,
        "image_form": ImageForm(),
        "images": item.images.order_by("-uploaded_at"),
        "in_review": text is not None and text.status == TextStatus.IN_REVIEW,
    }
    if request.method == "POST" and request.POST.get("action") == "preview" and _is_htmx(request):
        return _preview_fragment(request, form)
    if request.method == "POST":
        if request.POST.get("action") == "preview" or not form.is_valid():
            context["preview"] = _preview(form)
            return render(request, "learning/text_edit.html", context, status=200 if form.is_valid() else 400)
        try:
            services.save_text(item, code, request.user, request=request, **form.text_fields())
        except services.NotAllowed:
            messages.error(request, _("This text is in review: a coordinator must return it before it changes."))
            return render(request, "learning/text_edit.html", context, status=409)
        messages.success(request, _("The draft was saved."))
        return redirect("learning:text_edit", slug=item.slug, language_code=code)
    return render(request, "learning/text_edit.html", context)


def _preview_fragment(request, form):
    """htmx live preview: the body as readers will see it (nothing is saved)."""
    return render(request, "learning/_preview.html", {"preview": _preview(form)})


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_POST
def text_submit(request, slug, language_code):
    item = _editable_item(request, slug)
    text = get_object_or_404(ItemText, item=item, language=_language_or_404(language_code))
    try:
        services.submit(text, request.user, request=request)
    except services.NotAllowed:
        messages.error(request, _("Only a draft can be submitted for review."))
        return redirect("learning:text_edit", slug=item.slug, language_code=text.language)
    messages.success(request, _("Submitted: a coordinator will publish it or return it with a comment."))
    return redirect("learning:write")


@require_POST
def image_upload(request, slug):
    item = _editable_item(request, slug)
    form = ImageForm(request.POST, request.FILES)
    back = request.POST.get("language") if request.POST.get("language") in LANGUAGE_CODES else item.original_language
    if not form.is_valid():
        for error in form.errors.get("image", []):
            messages.error(request, error)
        return redirect("learning:text_edit", slug=item.slug, language_code=back)
    stored = services.upload_image(
        item, request.user, file=form.cleaned_data["image"], content_type=form.content_type, request=request
    )
    messages.success(
        request,
        _("Image uploaded. Put it in the text with: %(snippet)s") % {"snippet": f"![]({stored_image_url(stored)})"},
    )
    return redirect("learning:text_edit", slug=item.slug, language_code=back)


def stored_image_url(stored: Image) -> str:
    return reverse("learning:image", args=[stored.public_id])


# --- review (coordinators) ------------------------------------------------------------------------
@require_safe
@permission_required("learning.review")
def review_queue(request):
    texts = [(text, language(text.language)) for text in selectors.review_queue()]
    return render(request, "learning/review_queue.html", {"texts": texts})


@require_http_methods(["GET", "POST"])
@permission_required("learning.review")
def review_text(request, slug, language_code):
    item = get_object_or_404(Item, slug=slug)
    text = get_object_or_404(ItemText, item=item, language=_language_or_404(language_code))
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.publish(text, request.user, request=request)
                messages.success(request, _("Published: readers see this version now."))
                return redirect("learning:review_queue")
            if request.POST.get("action") == "return" and return_form.is_valid():
                services.return_text(text, request.user, comment=return_form.cleaned_data["comment"], request=request)
                messages.success(request, _("Returned to the author with your comment."))
                return redirect("learning:review_queue")
            status = 400
        except services.NotAllowed:
            messages.error(request, _("This text is no longer in review."))
            status = 409
    questions = []
    try:
        questions = parse_check(text.check_text)
    except ValidationError:
        pass
    return render(
        request,
        "learning/review_text.html",
        {
            "item": item,
            "text": text,
            "language": language(text.language),
            "body": render_text(text.body),
            "questions": questions,
            "return_form": return_form,
            "in_review": text.status == TextStatus.IN_REVIEW,
        },
        status=status,
    )


@require_safe
@permission_required("learning.coverage")
def coverage(request):
    return render(
        request,
        "learning/coverage.html",
        {"rows": selectors.coverage(), "languages": [language(code) for code in LANGUAGE_CODES]},
    )


@require_safe
@permission_required("learning.overdue")
def overdue(request):
    items = selectors.shown_list(selectors.overdue(timezone.localdate()))
    return render(request, "learning/overdue.html", {"items": items})


@require_POST
@permission_required("learning.review")
def mark_reviewed(request, slug):
    item = get_object_or_404(Item, slug=slug)
    services.mark_reviewed(item, request.user, request=request)
    messages.success(request, _("Marked as reviewed today."))
    return redirect("learning:overdue")


@require_safe
@permission_required("learning.statistics")
def statistics(request):
    return render(request, "learning/statistics.html", {"rows": selectors.statistics(), "small": selectors.SMALL_COUNT})


@require_http_methods(["GET", "POST"])
@permission_required("learning.manage_topics")
def topics(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.save_topic(
                request.user,
                slug=form.cleaned_data["slug"],
                names=form.names(),
                order=form.cleaned_data["order"],
                request=request,
            )
            messages.success(request, _("The topic was saved."))
            return redirect("learning:topics")
        status = 400
    else:
        status = 200
    return render(request, "learning/topics.html", {"form": form, "topics": Topic.objects.all()}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("learning.manage_topics")
def topic_edit(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    initial = {"slug": topic.slug, "order": topic.order}
    initial.update({f"name_{code}": name for code, name in topic.names.items()})
    form = TopicForm(request.POST or None, topic=topic, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.save_topic(
                request.user,
                slug=form.cleaned_data["slug"],
                names=form.names(),
                order=form.cleaned_data["order"],
                topic=topic,
                request=request,
            )
            messages.success(request, _("The topic was saved."))
            return redirect("learning:topics")
        return render(request, "learning/topic_edit.html", {"form": form, "topic": topic}, status=400)
    return render(request, "learning/topic_edit.html", {"form": form, "topic": topic})


@require_http_methods(["GET", "POST"])
@permission_required("learning.manage_contributors")
def contributors(request):
    form = ContributorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if user is not None and policy.can(user, "learning.may_contribute"):
                services.grant_contributor(user, request.user, request=request)
                messages.success(request, _("The officer can now write learning content."))
                return redirect("learning:contributors")
            form.add_error("email", _("No verified officer has this email address."))
        status = 400
    listed = Contributor.objects.select_related("user", "user__officer").order_by("granted_at")
    return render(request, "learning/contributors.html", {"form": form, "contributors": listed}, status=status)


@require_POST
@permission_required("learning.manage_contributors")
def contributor_revoke(request, public_id):
    user = get_object_or_404(User, public_id=public_id, learning_contributor__isnull=False)
    services.revoke_contributor(user, request.user, request=request)
    messages.success(request, _("The officer can no longer write learning content."))
    return redirect("learning:contributors")
