"""Pages of the discussions app: thin views over selectors (reads) and services (writes).

Everything is behind the `discussions.*`, `field_reports.*` and `agency_use.*` rules; an object
the reader may not see answers 404. Every form works without JavaScript."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue.models import Tool
from community import ratelimit
from community import services as community
from community.forms import ContactRequestForm
from core import policy
from core.links import posted_next
from core.policy import permission_required

from . import selectors
from . import services as discussions
from .forms import (
    EditPostForm,
    FieldReportForm,
    PostModerationForm,
    ReplyForm,
    ReportPostForm,
    SpaceForm,
    ThreadForm,
    ThreadModerationForm,
)
from .models import FieldReport, Post, PostReport, Space, Thread
from .rules import may_edit_own_post, tool_visible


# --- helpers -----------------------------------------------------------------------------------
def _visible_tool(request, slug) -> Tool:
    tool = get_object_or_404(Tool.objects.select_related("organisation"), slug=slug)
    if not tool_visible(request.user, tool):
        raise Http404
    return tool


def _space_visible(request, space: Space) -> Space:
    if space.tool_id and not tool_visible(request.user, space.tool):
        raise Http404
    return space


def _space_by_id(request, public_id) -> Space:
    return _space_visible(request, get_object_or_404(Space.objects.select_related("tool"), public_id=public_id))


def _thread(request, public_id) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("space__tool", *selectors.AUTHOR), public_id=public_id)
    _space_visible(request, thread.space)
    return thread


def _post(request, public_id) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__space__tool", *selectors.AUTHOR), public_id=public_id)
    _space_visible(request, post.thread.space)
    return post


def space_link(space: Space) -> str:
    if space.kind == Space.Kind.TOOL:
        return reverse("discussions:tool_space", kwargs={"slug": space.tool.slug})
    return reverse("discussions:space", kwargs={"slug": space.slug})


def _page(request, items, per_page):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- spaces ------------------------------------------------------------------------------------
@require_safe
@permission_required("discussions.read")
def index(request):
    return render(
        request,
        "discussions/index.html",
        {"topics": list(selectors.topic_spaces()), "tool_spaces": list(selectors.active_tool_spaces())},
    )


def _space_page(request, space: Space, extra: dict | None = None):
    context = {
        "space": space,
        "space_url": space_link(space),
        "page": _page(request, selectors.threads_of(space), selectors.THREADS_PER_PAGE) if space.pk else None,
        "locked": selectors.space_is_locked(space),
        "notice": selectors.tool_notice(space),
        "subscribed": selectors.is_subscribed(request.user, space=space),
        "can_participate": policy.can(request.user, "discussions.participate"),
        **(extra or {}),
    }
    return render(request, "discussions/space.html", context)


@require_safe
@permission_required("discussions.read")
def space(request, slug):
    return _space_page(request, get_object_or_404(Space, slug=slug, kind=Space.Kind.TOPIC))


@require_safe
@permission_required("discussions.read")
def tool_space(request, slug):
    """A tool's space: its notice if suspended or removed, the officer's agency-use toggle,
    the latest field reports and the threads about the tool."""
    tool = _visible_tool(request, slug)
    # Created with the tool's publication; a tool published before this app existed gets its
    # (empty) space on first visit: a container row, nobody's act.
    space = discussions.ensure_tool_space(tool)
    space.tool = tool
    reports = list(selectors.field_reports_of(tool)[:3])
    return _space_page(
        request,
        space,
        {
            "tool": tool,
            "reports": [(report, selectors.report_signature(report)) for report in reports],
            "can_write_report": policy.can(request.user, "field_reports.write", tool),
            "can_declare": policy.can(request.user, "agency_use.declare", tool),
            "uses_tool": selectors.uses_tool(request.user, tool),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("discussions.manage_spaces")
def space_create(request):
    form = SpaceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            new = discussions.create_space(
                request.user,
                slug=form.cleaned_data["slug"],
                names=form.texts("name"),
                descriptions=form.texts("description"),
                order=form.cleaned_data["order"],
                request=request,
            )
            messages.success(request, _("Space created."))
            return redirect(space_link(new))
        return render(request, "discussions/space_form.html", {"form": form}, status=400)
    return render(request, "discussions/space_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("discussions.manage_spaces")
def space_edit(request, slug):
    space = get_object_or_404(Space, slug=slug, kind=Space.Kind.TOPIC)
    form = SpaceForm(request.POST or None, space=space)
    if request.method == "POST":
        if form.is_valid():
            discussions.edit_space(
                request.user,
                space,
                names=form.texts("name"),
                descriptions=form.texts("description"),
                order=form.cleaned_data["order"],
                request=request,
            )
            messages.success(request, _("Space saved."))
            return redirect(space_link(space))
        return render(request, "discussions/space_form.html", {"form": form, "space": space}, status=400)
    return render(request, "discussions/space_form.html", {"form": form, "space": space})


@require_http_methods(["GET", "POST"])
@permission_required("discussions.participate")
def new_thread(request, public_id):
    space = _space_by_id(request, public_id)
    form = ThreadForm(request.POST or None)
    status = 200
    if selectors.space_is_locked(space):
        return render(request, "discussions/closed.html", {"space": space, "back": space_link(space)}, status=403)
    if request.method == "POST":
        if form.is_valid():
            try:
                thread = discussions.start_thread(
                    request.user,
                    space,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    request=request,
                )
            except discussions.Closed:
                return render(
                    request, "discussions/closed.html", {"space": space, "back": space_link(space)}, status=403
                )
            return redirect(discussions.thread_link(thread))
        status = 400
    return render(
        request,
        "discussions/thread_form.html",
        {"form": form, "space": space, "back": space_link(space)},
        status=status,
    )


@require_POST
@permission_required("discussions.participate")
def space_subscription(request, public_id):
    space = _space_by_id(request, public_id)
    subscribed = request.POST.get("subscribed") == "1"
    discussions.set_subscription(request.user, subscribed=subscribed, space=space, request=request)
    messages.success(
        request,
        _("You will be told of new posts in this space.") if subscribed else _("You left this space's notifications."),
    )
    return redirect(space_link(space))


# --- threads -----------------------------------------------------------------------------------
def _rendered(post: Post, user, may_moderate: bool, participates: bool) -> dict:
    """One post as the reader may see it: the template shows a hidden post's text only to the
    coordinators, and its reason only to its author and the coordinators."""
    own = post.author_id == user.pk
    return {
        "post": post,
        "author": selectors.display_name(post.author),
        "reply_to_author": selectors.display_name(post.reply_to.author) if post.reply_to else "",
        "show_reason": post.is_hidden and (own or may_moderate),
        "own": own,
        "can_edit": participates and may_edit_own_post(user, post),
    }


def _thread_page(request, thread: Thread, form=None, status=200):
    may_moderate = policy.can(request.user, "discussions.moderate")
    participates = policy.can(request.user, "discussions.participate")
    page = _page(request, selectors.posts_of(thread), selectors.POSTS_PER_PAGE)
    locked = selectors.thread_is_locked(thread)
    if form is None:
        initial = {}
        source = _quoted_post(request, thread)
        if source is not None:
            initial["reply_to"] = source.public_id
            if request.GET.get("quote") and not source.is_hidden:
                initial["body"] = selectors.quoted(source)
        form = ReplyForm(initial=initial)
    reply_to_id = form["reply_to"].value()
    replying_to = _post_in(thread, reply_to_id)
    return render(
        request,
        "discussions/thread.html",
        {
            "thread": thread,
            "space": thread.space,
            "space_url": space_link(thread.space),
            "page": page,
            "posts": [_rendered(post, request.user, may_moderate, participates) for post in page.object_list],
            "locked": locked,
            "notice": selectors.tool_notice(thread.space),
            "form": form,
            "replying_to": replying_to,
            "replying_to_name": selectors.display_name(replying_to.author) if replying_to else "",
            "can_participate": policy.can(request.user, "discussions.participate") and not locked,
            # A reply that arrived after the thread was locked: shown back so nothing typed is lost.
            "kept_text": form["body"].value() if locked and form.is_bound else "",
            "may_moderate": may_moderate,
            "subscribed": selectors.is_subscribed(request.user, thread=thread),
        },
        status=status,
    )


def _post_in(thread: Thread, public_id) -> Post | None:
    try:
        public_id = uuid.UUID(str(public_id)) if public_id else None
    except ValueError:  # a malformed id in the address is simply no post
        return None
    if public_id is None:
        return None
    return Post.objects.select_related(*selectors.AUTHOR).filter(thread=thread, public_id=public_id).first()


def _quoted_post(request, thread: Thread) -> Post | None:
    return _post_in(thread, request.GET.get("quote") or request.GET.get("reply_to"))


@require_safe
@permission_required("discussions.read")
def thread(request, public_id):
    return _thread_page(request, _thread(request, public_id))


@require_POST
@permission_required("discussions.participate")
def reply(request, public_id):
    thread = _thread(request, public_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, thread, form, status=400)
    try:
        post = discussions.reply(
            request.user,
            thread,
            body=form.cleaned_data["body"],
            reply_to=_post_in(thread, form.cleaned_data.get("reply_to")),
            request=request,
        )
    except discussions.Closed:
        form.add_error(None, _("This discussion is locked: nobody can post in it."))
        return _thread_page(request, thread, form, status=403)
    return HttpResponseRedirect(_last_page_link(thread, post))


def _last_page_link(thread: Thread, post: Post) -> str:
    count = Post.objects.filter(thread=thread).count()
    last = max(1, (count + selectors.POSTS_PER_PAGE - 1) // selectors.POSTS_PER_PAGE)
    page = f"?page={last}" if last > 1 else ""
    return f"{discussions.thread_link(thread)}{page}#post-{post.public_id}"


@require_POST
@permission_required("discussions.participate")
def thread_subscription(request, public_id):
    thread = _thread(request, public_id)
    subscribed = request.POST.get("subscribed") == "1"
    discussions.set_subscription(request.user, subscribed=subscribed, thread=thread, request=request)
    messages.success(
        request,
        _("You will be told of new posts in this discussion.")
        if subscribed
        else _("You left this discussion's notifications."),
    )
    return redirect(discussions.thread_link(thread))


@require_http_methods(["GET", "POST"])
@permission_required("discussions.moderate")
def thread_moderate(request, public_id):
    thread = _thread(request, public_id)
    form = ThreadModerationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
            if action == "move":
                discussions.move_thread(
                    request.user, thread, to=form.cleaned_data["space"], reason=reason, request=request
                )
            else:
                discussions.set_thread_lock(
                    request.user, thread, locked=action == "lock", reason=reason, request=request
                )
            messages.success(request, _("Decision saved. The author is told, with your reason."))
            return redirect(discussions.thread_link(thread))
        return render(request, "discussions/thread_moderate.html", {"thread": thread, "form": form}, status=400)
    return render(request, "discussions/thread_moderate.html", {"thread": thread, "form": form})


# --- posts -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required("discussions.participate")
def post_edit(request, public_id):
    post = _post(request, public_id)
    if post.author_id != request.user.pk:
        raise Http404
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    context = {"post": post, "form": form, "back": discussions.post_link(post)}
    if not policy.can(request.user, "discussions.edit_post", post) or selectors.thread_is_locked(post.thread):
        return render(request, "discussions/edit_closed.html", context, status=403)
    if request.method == "POST":
        if form.is_valid():
            try:
                discussions.edit_post(request.user, post, body=form.cleaned_data["body"], request=request)
            except discussions.EditWindowClosed:
                # Too late by the time it arrived: keep the text so nothing typed is lost.
                return render(request, "discussions/edit_closed.html", context, status=403)
            messages.success(request, _("Post saved."))
            return redirect(discussions.post_link(post))
        return render(request, "discussions/post_edit.html", context, status=400)
    return render(request, "discussions/post_edit.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("discussions.participate")
def post_report(request, public_id):
    post = _post(request, public_id)
    form = ReportPostForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            discussions.report_post(request.user, post, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("Thank you. The coordinators will look at this post."))
            return redirect(discussions.post_link(post))
        return render(request, "discussions/post_report.html", {"post": post, "form": form}, status=400)
    return render(request, "discussions/post_report.html", {"post": post, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("discussions.moderate")
def post_moderate(request, public_id):
    post = _post(request, public_id)
    form = PostModerationForm(request.POST or None)
    context = {
        "post": post,
        "form": form,
        "author": selectors.display_name(post.author),
        "reports": list(post.reports.select_related("reporter").order_by("created_at", "id")),
    }
    if request.method == "POST":
        if form.is_valid():
            action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
            if action == "hide":
                discussions.hide_post(request.user, post, reason=reason, request=request)
            elif action == "restore":
                discussions.restore_post(request.user, post, reason=reason, request=request)
            else:
                discussions.move_post(
                    request.user, post, to=form.cleaned_data["target_thread"], reason=reason, request=request
                )
            messages.success(request, _("Decision saved. The author is told, with your reason."))
            post.refresh_from_db(fields=["thread"])
            return redirect(discussions.post_link(post))
        return render(request, "discussions/post_moderate.html", context, status=400)
    return render(request, "discussions/post_moderate.html", context)


@require_safe
@permission_required("discussions.moderate")
def reports(request):
    rows = [
        {"report": report, "author": selectors.display_name(report.post.author)} for report in selectors.open_reports()
    ]
    return render(request, "discussions/reports.html", {"rows": rows})


@require_POST
@permission_required("discussions.moderate")
def report_dismiss(request, public_id):
    report = get_object_or_404(PostReport.objects.select_related("post"), public_id=public_id)
    discussions.dismiss_report(request.user, report, request=request)
    messages.success(request, _("Report closed; the post stays as it is."))
    return redirect("discussions:reports")


# --- field reports -------------------------------------------------------------------------------
@require_safe
@permission_required("field_reports.read")
def field_reports(request, slug):
    tool = _visible_tool(request, slug)
    policy.require(request.user, "field_reports.read", tool, hide=True)
    page = _page(request, selectors.field_reports_of(tool), 20)
    return render(
        request,
        "discussions/field_reports.html",
        {
            "tool": tool,
            "page": page,
            "reports": [(report, selectors.report_signature(report)) for report in page.object_list],
            "can_write_report": policy.can(request.user, "field_reports.write", tool),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("field_reports.write")
def field_report_new(request, slug):
    tool = _visible_tool(request, slug)
    policy.require(request.user, "field_reports.write", tool)
    form = FieldReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                discussions.write_field_report(request.user, tool, request=request, **form.cleaned_data)
            except discussions.NotWritable:
                raise Http404 from None
            messages.success(request, _("Thank you. Other verified officers can now read your report."))
            return redirect("discussions:field_reports", slug=tool.slug)
        return render(request, "discussions/field_report_form.html", {"tool": tool, "form": form}, status=400)
    return render(request, "discussions/field_report_form.html", {"tool": tool, "form": form})


def _own_report(request, public_id) -> FieldReport:
    report = get_object_or_404(FieldReport.objects.select_related("tool"), public_id=public_id)
    policy.require(request.user, "field_reports.write", report, hide=True)
    return report


@require_http_methods(["GET", "POST"])
@permission_required("field_reports.write")
def field_report_edit(request, public_id):
    report = _own_report(request, public_id)
    form = FieldReportForm(request.POST or None, instance=FieldReport.objects.get(pk=report.pk))
    context = {"tool": report.tool, "form": form, "report": report}
    if request.method == "POST":
        if form.is_valid():
            discussions.edit_field_report(request.user, report, request=request, **form.cleaned_data)
            messages.success(request, _("Field report saved."))
            return redirect("discussions:field_reports", slug=report.tool.slug)
        return render(request, "discussions/field_report_form.html", context, status=400)
    return render(request, "discussions/field_report_form.html", context)


@require_POST
@permission_required("field_reports.write")
def field_report_withdraw(request, public_id):
    report = _own_report(request, public_id)
    discussions.withdraw_field_report(request.user, report, request=request)
    messages.success(request, _("Your field report was withdrawn."))
    return redirect("discussions:field_reports", slug=report.tool.slug)


# --- "my agency uses this tool" -------------------------------------------------------------------
@require_POST
@permission_required("agency_use.declare")
def agency_use(request, slug):
    tool = _visible_tool(request, slug)
    uses = request.POST.get("uses") == "1"
    try:
        discussions.set_agency_use(request.user, tool, uses=uses, request=request)
    except discussions.NotWritable:
        messages.error(request, _("This tool is no longer in the catalogue: you cannot declare that you use it."))
    else:
        messages.success(
            request,
            _("Noted privately: you will be told if this tool is suspended or removed.")
            if uses
            else _("Noted: your agency no longer uses this tool."),
        )
    return HttpResponseRedirect(posted_next(request, reverse("discussions:tool_space", args=[tool.slug])))


@require_safe
@permission_required("agency_use.view_counts")
def agency_use_counts(request):
    return render(
        request,
        "discussions/agency_use_counts.html",
        {"rows": selectors.agency_use_counts(), "small": selectors.SMALL_COUNT},
    )


@require_http_methods(["GET", "POST"])
@permission_required("community.participate")
def field_report_contact(request, public_id):
    """Ask the author of a field report to connect: a community contact request, which the author
    accepts or not. The author of a pseudonymous report stays "an officer in <region>" to the
    asker until they accept (`Connection.recipient_alias`)."""
    report = get_object_or_404(FieldReport.objects.select_related("tool", *selectors.AUTHOR), public_id=public_id)
    policy.require(request.user, "field_reports.contact_author", report, hide=True)
    form = ContactRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                community.request_contact(
                    request.user,
                    report.author,
                    note=form.cleaned_data["note"],
                    # A pseudonymous author stays "an officer in <region>" to the asker until they accept.
                    recipient_alias=selectors.report_signature(report)
                    if report.attribution == FieldReport.Attribution.REGION
                    else "",
                    request=request,
                )
            except ratelimit.RateLimited as error:
                form.add_error(None, ratelimit.refusal("contact"))
                response = _contact_page(request, report, form, 429)
                response["Retry-After"] = str(error.retry_after)
                return response
            except community.NeedsDisplayName:
                form.add_error(None, _("Choose a display name on your directory page before asking anyone to connect."))
            except community.AlreadyConnected:
                if report.attribution == FieldReport.Attribution.REGION:
                    # Saying "already connected" would tell who wrote a pseudonymous report.
                    messages.success(
                        request, _("Your request was sent. It shows as pending until the officer accepts it.")
                    )
                else:
                    messages.info(request, _("You already asked this officer to connect, or they asked you."))
                return redirect("community:contacts")
            except community.NotAllowed:
                form.add_error(
                    None, _("You cannot ask this officer to connect. If you blocked them, unblock them first.")
                )
            else:
                messages.success(request, _("Your request was sent. It shows as pending until the officer accepts it."))
                return redirect("community:contacts")
    return _contact_page(request, report, form, status)


def _contact_page(request, report, form, status):
    return render(
        request,
        "discussions/field_report_contact.html",
        {"report": report, "tool": report.tool, "signature": selectors.report_signature(report), "form": form},
        status=status,
    )
