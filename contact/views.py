"""Pages of the contact point: writing to the coordinators, one's own conversations, and the
coordinators' shared queue.

Rules (core.policy): "contact.write" (anyone signed in), "contact.read" (a conversation's author
and the coordinators; anyone else gets 404), "contact.own" (the author's own pages), "contact.reply" (the author, while it is open),
"contact.work" (coordinators: the queue, answering, assigning, closing). The queue and a
conversation name who wrote: coordinators confirm their password first and each view of an
officer is audited, as on every page that names officers.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.rules import officer_profile
from accounts.services import officer_details_viewed, officers_listed
from core import policy, ratelimit
from core.downloads import stored_file_response
from core.forms import kept_as_initial
from core.policy import permission_required
from providers.rules import provider_organisation

from . import services
from .forms import AnswerForm, AssignForm, CloseForm, QueueFilterForm, ReplyForm, WriteForm
from .models import Conversation, Post

PAGE_SIZE = 50
Awaiting = Conversation.Awaiting


def _posts(conversation: Conversation) -> list[Post]:
    return list(conversation.posts.select_related("author").order_by("created_at", "id"))


# --- everyone signed in ----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required("contact.write")
def write(request):
    """ "Contact the coordinators": a category, a message and, if needed, a PDF."""
    status = 200
    if request.method == "POST":
        form = WriteForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conversation = services.write(
                    request.user,
                    category=data["category"],
                    body=data["body"],
                    file_content=data["file"],
                    request=request,
                )
            except ratelimit.RateLimited as error:
                context = {"form": form, "rate_limit_text": services.rate_limit_refusal()}
                response = render(request, "contact/write.html", context, status=429)
                response["Retry-After"] = str(error.retry_after)
                return response
            messages.success(
                request,
                _("Your message was sent to the coordinators. You are told in your inbox when they answer."),
            )
            return redirect("contact:conversation", public_id=conversation.public_id)
        status = 400
    else:
        form = WriteForm()
    return render(request, "contact/write.html", {"form": form}, status=status)


@require_safe
@permission_required("contact.write")
def mine(request):
    """The user's conversations with the coordinators, the latest activity first."""
    items = Conversation.objects.filter(author=request.user).order_by("-last_post_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contact/mine.html", {"page": page})


def _own_page(request, conversation, form=None, status=200):
    return render(
        request,
        "contact/conversation.html",
        {
            "conversation": conversation,
            "posts": _posts(conversation),
            "form": (form or ReplyForm()) if policy.can(request.user, "contact.reply", conversation) else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def conversation(request, public_id):
    """The author's conversation with the coordinators; the author writes again here."""
    item = get_object_or_404(Conversation, public_id=public_id)
    policy.require(request.user, "contact.own", item, hide=True)
    if request.method == "GET":
        return _own_page(request, item)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _own_page(request, item, form, status=400)
    try:
        services.reply(
            item,
            by=request.user,
            body=form.cleaned_data["body"],
            file_content=form.cleaned_data["file"],
            request=request,
        )
    except services.NotAllowed:
        messages.error(request, _("This conversation is closed: write a new message to the coordinators instead."))
        item.refresh_from_db()
        return _own_page(request, item, status=409)
    messages.success(request, _("Your message was sent to the coordinators."))
    return redirect("contact:conversation", public_id=item.public_id)


@require_safe
def post_file(request, public_id):
    """A PDF sent with a message: always a download under a server-generated name (SECURITY.md UP-02)."""
    post = get_object_or_404(Post.objects.select_related("conversation"), public_id=public_id)
    policy.require(request.user, "contact.read", post.conversation, hide=True)
    return stored_file_response(
        post.file, filename=f"message-{post.public_id.hex[:12]}.pdf", content_type="application/pdf"
    )


# --- the coordinators ------------------------------------------------------------------------------
@require_safe
@permission_required("contact.work")
@reauthentication_required
def queue(request):
    """Open conversations, those waiting for the coordinators first and the longest waiting first."""
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data["show"] if filters.is_valid() else QueueFilterForm.OPEN
    items = Conversation.objects.select_related("author", "assignee")
    if chosen in (QueueFilterForm.CLOSED, QueueFilterForm.ALL):
        if chosen == QueueFilterForm.CLOSED:
            items = items.filter(state=Conversation.State.CLOSED)
        items = items.order_by("-last_post_at", "-id")
    else:
        items = items.filter(state=Conversation.State.OPEN)
        if chosen == QueueFilterForm.MINE:
            items = items.filter(assignee=request.user)
        elif chosen == QueueFilterForm.UNASSIGNED:
            items = items.filter(assignee__isnull=True)
        turn = Case(When(awaiting=Awaiting.COORDINATORS, then=Value(0)), default=Value(1), output_field=IntegerField())
        items = items.order_by(turn, "last_post_at", "id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # The queue names who wrote: audited, like every page naming officers to a coordinator.
    officers_listed([item.author for item in page], by=request.user, request=request, page="contact:queue")
    return render(
        request,
        "contact/queue.html",
        {"filters": filters, "page": page, "chosen": chosen},
        status=400 if filters.errors else 200,
    )


def _conversation(public_id) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("author", "assignee"), public_id=public_id)


def _detail_page(request, conversation, status=200, *, answer_form=None, assign_form=None, stale=None):
    """The conversation with the forms its state allows; `stale` is a valid assign form that came
    too late, offered again at the current version."""
    version = conversation.version
    is_open = conversation.is_open
    coordinators = list(services.assignable_coordinators())
    if assign_form is None and is_open:
        current = str(conversation.assignee.public_id) if conversation.assignee else AssignForm.NOBODY
        initial = {"version": version, "assignee": current}
        if stale is not None:
            initial = kept_as_initial(stale, version=version)
        assign_form = AssignForm(initial=initial, coordinators=coordinators)
    author = conversation.author
    context = {
        "conversation": conversation,
        "author": author,
        "officer": officer_profile(author),
        "organisation": provider_organisation(author),
        "posts": _posts(conversation),
        "answer_form": (answer_form or AnswerForm()) if is_open else None,
        "assign_form": assign_form if is_open else None,
        "close_form": CloseForm(initial={"version": version}) if is_open else None,
        "me": str(request.user.public_id),
        "assigned_to_me": conversation.assignee_id == request.user.pk,
    }
    return render(request, "contact/detail.html", context, status=status)


@require_safe
@permission_required("contact.work")
@reauthentication_required
def detail(request, public_id):
    item = _conversation(public_id)
    # The page shows who wrote.
    officer_details_viewed(
        item.author, by=request.user, request=request, shown_on={"contact_point": str(item.public_id)}
    )
    return _detail_page(request, item)


def _changed_meanwhile(request, public_id, stale=None):
    messages.error(
        request,
        _(
            "This conversation changed meanwhile (another coordinator assigned or closed it); nothing was "
            "saved. Its current state is shown below."
        ),
    )
    return _detail_page(request, _conversation(public_id), status=409, stale=stale)


@require_POST
@permission_required("contact.work")
def answer(request, public_id):
    item = _conversation(public_id)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, item, status=400, answer_form=form)
    try:
        services.answer(
            item,
            by=request.user,
            body=form.cleaned_data["body"],
            file_content=form.cleaned_data["file"],
            request=request,
        )
    except services.NotAllowed:
        return _changed_meanwhile(request, public_id)
    messages.success(request, _("Your answer was sent; the author was told."))
    return redirect("contact:detail", public_id=item.public_id)


@require_POST
@permission_required("contact.work")
def assign(request, public_id):
    item = _conversation(public_id)
    form = AssignForm(request.POST, coordinators=services.assignable_coordinators())
    if not form.is_valid():
        return _detail_page(request, item, status=400, assign_form=form)
    chosen = form.chosen()
    try:
        services.assign(
            item, by=request.user, to=chosen, expected_version=form.cleaned_data["version"], request=request
        )
    except (services.StaleConversation, services.NotAllowed):
        # Another coordinator acted, or the chosen coordinator's account was disabled meanwhile.
        return _changed_meanwhile(request, public_id, stale=form)
    if chosen is None:
        messages.success(request, _("The conversation is assigned to nobody: the whole team sees it as waiting."))
    elif chosen.pk == request.user.pk:
        messages.success(request, _("The conversation is assigned to you."))
    else:
        messages.success(request, _("The conversation was assigned; that coordinator was told."))
    return redirect("contact:detail", public_id=item.public_id)


@require_POST
@permission_required("contact.work")
def close(request, public_id):
    item = _conversation(public_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, item, status=400)
    try:
        services.close(item, by=request.user, expected_version=form.cleaned_data["version"], request=request)
    except services.StaleConversation:
        return _changed_meanwhile(request, public_id)
    messages.success(request, _("The conversation was closed; the author was told."))
    return redirect("contact:detail", public_id=item.public_id)
