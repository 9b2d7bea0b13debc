"""Pages of Meet other officers (services in services.py, reads in selectors.py).

Officers who take part (`community.participate`) list themselves, browse, connect and write;
coordinators may browse and they moderate reported messages. An officer suspended from the
community gets a page saying so, with the coordinators' reason; everyone else who is not
allowed gets 403, and a connection or message that is not theirs answers 404.
"""

from __future__ import annotations

import datetime
from functools import wraps

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy

from . import ratelimit, rules, selectors, services
from .forms import ContactRequestForm, DecisionForm, DirectoryForm, ListingForm, MessageForm, ReportForm, RespondForm
from .models import Block, Connection, DirectoryTag, Message, MessageReport


def community_view(rule: str):
    """Require `rule`; an officer who is suspended from the community is told so and why."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not policy.can(request.user, rule):
                if policy.can(request.user, "community.use"):
                    suspension = rules.active_suspension(request.user)
                    if suspension is not None:
                        return render(request, "community/suspended.html", {"suspension": suspension}, status=403)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _rate_limited(response, error: ratelimit.RateLimited):
    response["Retry-After"] = str(error.retry_after)
    return response


# --- the directory ---------------------------------------------------------------------------
@require_safe
@community_view("community.browse")
def directory(request):
    """Officers who opted in, filtered and paged, in the order of their display names."""
    form = DirectoryForm(request.GET or None, options=selectors.filter_options())
    context = {"form": form, "page": None, "entries": [], "rate_limited": False}
    status = 200
    try:
        ratelimit.hit("directory", request.user)
    except ratelimit.RateLimited as error:
        context.update(rate_limited=True, rate_limit_text=ratelimit.refusal("directory"))
        template = "community/_results.html" if _is_htmx(request) else "community/directory.html"
        return _rate_limited(render(request, template, context, status=429), error)
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else selectors.DirectoryFilters()
        page = Paginator(selectors.directory(filters), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, entries=selectors.entries(page.object_list))
    template = "community/_results.html" if _is_htmx(request) else "community/directory.html"
    return render(request, template, context, status=status)


def _officer_page(request, profile, form=None, status=200, rate_limit_text=""):
    entry = selectors.entries([profile])[0]
    own = profile.user_id == request.user.pk
    connection = None
    can_ask = False
    if not own and policy.can(request.user, "community.participate"):
        connection = selectors.connection_between(request.user, profile.user)
        can_ask = connection is None and not services.is_blocked(request.user, profile.user)
    if connection is not None and connection.requester_id == request.user.pk:
        shown_state = Connection.State.PENDING if connection.state != Connection.State.ACCEPTED else connection.state
    else:
        shown_state = connection.state if connection else ""
    return render(
        request,
        "community/officer.html",
        {
            "entry": entry,
            "own": own,
            "connection": connection,
            "shown_state": shown_state,
            "received": connection is not None and connection.recipient_id == request.user.pk,
            "can_ask": can_ask,
            "blocked": not own and services.is_blocked(request.user, profile.user),
            "form": form if form is not None else (ContactRequestForm() if can_ask else None),
            "rate_limit_text": rate_limit_text,
        },
        status=status,
    )


@require_safe
@community_view("community.browse")
def officer(request, public_id):
    profile = selectors.listed_profile(public_id)
    if profile is None:
        raise Http404
    try:
        ratelimit.hit("directory", request.user)
    except ratelimit.RateLimited as error:
        return _rate_limited(
            render(
                request,
                "community/directory.html",
                {
                    "form": DirectoryForm(options=selectors.filter_options()),
                    "entries": [],
                    "rate_limited": True,
                    "rate_limit_text": ratelimit.refusal("directory"),
                },
                status=429,
            ),
            error,
        )
    return _officer_page(request, profile)


@require_POST
@community_view("community.participate")
def connect(request, public_id):
    """Ask a listed officer to connect, with a short note."""
    profile = selectors.listed_profile(public_id)
    if profile is None:
        raise Http404
    form = ContactRequestForm(request.POST)
    if not form.is_valid():
        return _officer_page(request, profile, form, status=400)
    try:
        connection = services.request_contact(
            request.user, profile.user, note=form.cleaned_data["note"], request=request
        )
    except ratelimit.RateLimited as error:
        return _rate_limited(
            _officer_page(request, profile, form, status=429, rate_limit_text=ratelimit.refusal("contact")), error
        )
    except services.NeedsDisplayName:
        form.add_error(None, _("Choose a display name on your directory page before asking anyone to connect."))
        return _officer_page(request, profile, form, status=400)
    except services.AlreadyConnected as already:
        if already.connection.hides_recipient_from(request.user):
            # An earlier request to the author of a pseudonymous report: saying so would tell
            # the asker who wrote it. It reads like any request just sent.
            messages.success(request, _("Your request was sent. It shows as pending until the officer accepts it."))
        else:
            messages.info(request, _("You already asked this officer to connect, or they asked you."))
        return redirect("community:officer", public_id=public_id)
    except services.NotAllowed:
        form.add_error(None, _("You cannot ask this officer to connect. If you blocked them, unblock them first."))
        return _officer_page(request, profile, form, status=400)
    if connection.state == Connection.State.ACCEPTED:
        messages.success(request, _("This officer had asked you to connect: you are now connected."))
        return redirect("community:conversation", public_id=connection.public_id)
    messages.success(request, _("Your request was sent. It shows as pending until the officer accepts it."))
    return redirect("community:officer", public_id=public_id)


# --- the officer's own listing ---------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@community_view("community.participate")
def my_listing(request):
    """Opt in or out of the directory and choose, field by field, what other officers see."""
    profile = selectors.profile_of(request.user)
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.save_listing(
                request.user,
                listed=data["listed"],
                display_name=data["display_name"],
                shown={name: data[name] for name in services.SHOWN_FIELDS},
                languages=data["languages"],
                expertise=data["expertise"],
                tools=data["tools"],
                request=request,
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("community:my_listing")
        status = 400
    else:
        initial = {"display_name": "", "listed": False}
        if profile is not None:
            initial = {
                "listed": profile.listed,
                "display_name": profile.display_name,
                **{name: getattr(profile, name) for name in services.SHOWN_FIELDS},
                "languages": selectors.tags_of(profile, DirectoryTag.Kind.LANGUAGE),
                "expertise": selectors.tags_of(profile, DirectoryTag.Kind.EXPERTISE),
                "tools": [tool.slug for tool in profile.published_tools],
            }
        form = ListingForm(initial=initial)
        status = 200
    preview = selectors.entries([profile])[0] if profile is not None and profile.display_name else None
    return render(
        request,
        "community/listing.html",
        {"form": form, "profile": profile, "preview": preview, "officer": request.user.officer},
        status=status,
    )


# --- contacts and conversations ----------------------------------------------------------------
@require_safe
@community_view("community.participate")
def contacts(request):
    return render(request, "community/contacts.html", {"groups": selectors.contacts_of(request.user)})


def _connection_for(request, public_id) -> Connection:
    connection = get_object_or_404(Connection.objects.select_related("requester", "recipient"), public_id=public_id)
    policy.require(request.user, "community.connection", connection, hide=True)
    return connection


@require_POST
@community_view("community.participate")
def respond(request, public_id):
    connection = _connection_for(request, public_id)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or decline the request."))
        return redirect("community:contacts")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.respond(connection, by=request.user, accept=accept, request=request)
    except services.NotAllowed:
        messages.error(request, _("This request is no longer waiting for your answer."))
        return redirect("community:contacts")
    if accept:
        messages.success(request, _("You are now connected. You can write to each other here."))
        return redirect("community:conversation", public_id=connection.public_id)
    messages.success(request, _("Request declined. The officer who asked is not told."))
    return redirect("community:contacts")


def _conversation_context(request, connection, form=None, rate_limit_text=""):
    page = Paginator(selectors.conversation(connection), selectors.MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    other = connection.other(request.user)
    return {
        "connection": connection,
        "other": selectors.entry_of(other),
        "other_email": other.email if connection.shares_email(other) else "",
        "i_share_email": connection.shares_email(request.user),
        "page": page,
        "thread": list(reversed(page.object_list)),
        "open": services.can_message(connection, request.user),
        "form": form if form is not None else MessageForm(),
        "rate_limit_text": rate_limit_text,
    }


@require_http_methods(["GET", "POST"])
@community_view("community.participate")
def conversation(request, public_id):
    """The messages of an accepted (or since closed) connection, and the form to write."""
    connection = _connection_for(request, public_id)
    if connection.state not in (Connection.State.ACCEPTED, Connection.State.CLOSED):
        raise Http404
    template = "community/_conversation.html" if _is_htmx(request) else "community/conversation.html"
    if request.method == "GET":
        return render(request, "community/conversation.html", _conversation_context(request, connection))
    form = MessageForm(request.POST)
    if not form.is_valid():
        # htmx swaps only successful answers: the fragment with the error comes back as 200.
        status = 200 if _is_htmx(request) else 400
        return render(request, template, _conversation_context(request, connection, form), status=status)
    try:
        services.send_message(connection, sender=request.user, body=form.cleaned_data["body"], request=request)
    except ratelimit.RateLimited as error:
        context = _conversation_context(request, connection, form, rate_limit_text=ratelimit.refusal("message"))
        return _rate_limited(render(request, template, context, status=200 if _is_htmx(request) else 429), error)
    except services.NotAllowed:
        messages.error(request, _("This conversation is closed: no more messages can be sent in it."))
        return redirect("community:conversation", public_id=public_id)
    if _is_htmx(request):
        return render(request, template, _conversation_context(request, connection, MessageForm()))
    return redirect("community:conversation", public_id=public_id)


@require_POST
@community_view("community.participate")
def share_email(request, public_id):
    """Show (or stop showing) one's email address to the other officer of this connection."""
    connection = _connection_for(request, public_id)
    share = request.POST.get("share") == "on"
    try:
        services.set_email_shared(connection, user=request.user, shared=share, request=request)
    except services.NotAllowed:
        raise Http404 from None
    if share:
        messages.success(request, _("This officer can now see your email address."))
    else:
        messages.success(request, _("This officer no longer sees your email address."))
    return redirect("community:conversation", public_id=public_id)


@require_POST
@community_view("community.participate")
def block(request, public_id):
    """Block the other officer of a request or connection."""
    connection = _connection_for(request, public_id)
    services.block(request.user, connection.other(request.user), request=request)
    messages.success(request, _("You blocked this officer: nothing more passes between you. They are not told."))
    return redirect("community:contacts")


@require_safe
@community_view("community.participate")
def blocks(request):
    rows = list(Block.objects.filter(blocker=request.user).select_related("blocked").order_by("-created_at"))
    names = selectors.entries_of_users([row.blocked for row in rows])
    return render(
        request,
        "community/blocks.html",
        {"rows": [(row, names.get(row.blocked_id) or selectors.unnamed_entry()) for row in rows]},
    )


@require_POST
@community_view("community.participate")
def unblock(request, public_id):
    row = get_object_or_404(Block, public_id=public_id, blocker=request.user)
    services.unblock(row, by=request.user, request=request)
    messages.success(request, _("Unblocked. A new contact request is needed to talk again."))
    return redirect("community:blocks")


# --- reports ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@community_view("community.participate")
def report(request, public_id):
    """The recipient of a message reports it to the coordinators."""
    message = get_object_or_404(Message.objects.select_related("connection"), public_id=public_id)
    policy.require(request.user, "community.connection", message.connection, hide=True)
    if message.sender_id == request.user.pk:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_message(message, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, _("Thank you. The coordinators will look at this message."))
        return redirect("community:conversation", public_id=message.connection.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "community/report.html", {"message": message, "form": form}, status=status)


@require_safe
@community_view("community.moderate")
def reports(request):
    state = request.GET.get("state", MessageReport.State.OPEN)
    if state not in MessageReport.State.values:
        state = ""
    page = Paginator(selectors.reports(state or None), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "community/reports.html",
        {"page": page, "state": state, "states": MessageReport.State.choices},
    )


@require_http_methods(["GET", "POST"])
@community_view("community.moderate")
@reauthentication_required(allow_get=True)
def report_detail(request, public_id):
    """The reported message, and only it (never the rest of the conversation), and the decision."""
    report_row = get_object_or_404(
        MessageReport.objects.select_related("message__sender", "decided_by"), public_id=public_id
    )
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            ends_at = None
            if data["ends_on"]:
                ends_at = timezone.make_aware(datetime.datetime.combine(data["ends_on"], datetime.time.min))
            try:
                services.decide_report(
                    report_row,
                    by=request.user,
                    decision=data["decision"],
                    reason=data["reason"],
                    ends_at=ends_at,
                    request=request,
                )
            except services.StaleDecision:
                messages.error(request, _("Another coordinator decided on this report meanwhile."))
                return redirect("community:report_detail", public_id=public_id)
            messages.success(request, _("Decision saved."))
            return redirect("community:reports")
        status = 400
    sender = report_row.message.sender
    return render(
        request,
        "community/report_detail.html",
        {
            "report": report_row,
            "sender": selectors.entry_of(sender),
            "sender_user": sender,
            "form": form if report_row.state == MessageReport.State.OPEN else None,
        },
        status=status,
    )
