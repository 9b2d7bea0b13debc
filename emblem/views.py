"""Name-and-emblem notifications: providers notify, coordinators acknowledge or object.

Rule "emblem.pages": coordinators, and members of an approved organisation that accepted the
current provider terms ("organisation.work"); everyone else gets 403. A notification of
another organisation answers 404.
"""

from __future__ import annotations

import uuid

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.downloads import stored_file_response
from core.forms import kept_as_initial
from core.policy import permission_required
from providers.rules import own_organisation_or_403, provider_organisation

from . import services
from .forms import CommentForm, DecisionForm, NotificationForm, StateFilterForm
from .models import SAMPLE_CONTENT_TYPES, SAMPLE_EXTENSIONS, EmblemNotification, SampleType, State
from .rules import speaks_for_coordinators

PAGE_SIZE = 50


def _notification(request, public_id) -> EmblemNotification:
    queryset = policy.scoped("emblem.notifications", request.user).select_related("organisation")
    notification = get_object_or_404(queryset, public_id=public_id)
    policy.require(request.user, "emblem.view", notification, hide=True)
    return notification


def _working_organisation(request):
    return own_organisation_or_403(request, "emblem.notify")


@require_safe
@permission_required("emblem.pages")
def notification_list(request):
    """Providers: their organisation's notifications. Coordinators: all, filtered by state."""
    decides = policy.can(request.user, "emblem.decide")
    notifications = policy.scoped("emblem.notifications", request.user).select_related("organisation")
    filter_form = StateFilterForm(request.GET or None)
    if decides and filter_form.is_valid() and filter_form.cleaned_data["state"]:
        notifications = notifications.filter(state=filter_form.cleaned_data["state"])
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "emblem/list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "decides": decides,
            "organisation": None if decides else provider_organisation(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def notification_new(request):
    organisation = _working_organisation(request)
    if request.method == "POST":
        form = NotificationForm(request.POST, request.FILES, organisation=organisation)
        if form.is_valid():
            data = form.cleaned_data
            notification = services.notify(
                organisation,
                by=request.user,
                intended_use=data["intended_use"],
                medium=data["medium"],
                audience=data["audience"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                sample=data["sample"],
                sample_type=form.sample_type,
                previous=form.previous_notification,
                request=request,
            )
            messages.success(request, _("Your notification was sent. The coordinators will acknowledge or object."))
            return redirect("emblem:detail", public_id=notification.public_id)
        messages.error(request, _("The notification was not sent: see the messages next to the fields."))
        status = 400
    else:
        form = NotificationForm(initial=_follow_up_initial(request, organisation), organisation=organisation)
        status = 200
    return render(request, "emblem/new.html", {"form": form, "organisation": organisation}, status=status)


def _follow_up_initial(request, organisation) -> dict:
    """A new notification after an objection starts from the earlier one (the sample excepted)."""
    try:
        previous = uuid.UUID(request.GET.get("previous", ""))
    except ValueError:
        return {}
    earlier = EmblemNotification.objects.filter(organisation=organisation, public_id=previous).first()
    if earlier is None:
        return {}
    return {
        "previous": earlier.public_id,
        "intended_use": earlier.intended_use,
        "medium": earlier.medium,
        "audience": earlier.audience,
        "period_start": earlier.period_start,
        "period_end": earlier.period_end,
    }


def _detail_page(request, notification, *, decision_form=None, comment_form=None, status=200):
    decides = policy.can(request.user, "emblem.decide")
    entries = list(notification.entries.select_related("author").all())
    for entry in entries:
        # Providers see "the coordinators"; coordinators see who did what.
        entry.author_label = (
            entry.author.full_name if decides or not speaks_for_coordinators(entry.author) else _("The coordinators")
        )
    decidable = decides and notification.is_decidable
    commentable = services.may_comment(request.user, notification)
    return render(
        request,
        "emblem/detail.html",
        {
            "notification": notification,
            "entries": entries,
            "decides": decides,
            "decidable": decidable,
            "decision_form": (decision_form or DecisionForm(initial={"version": notification.version}))
            if decidable
            else None,
            "comment_form": (comment_form or CommentForm()) if commentable else None,
            "revisions": list(notification.revisions.all()),
        },
        status=status,
    )


@require_safe
def notification_detail(request, public_id):
    policy.require(request.user, "emblem.pages")
    notification = _notification(request, public_id)
    return _detail_page(request, notification)


def _changed_meanwhile(request, notification, form=None):
    """409 with the notification as it is now; a comment the coordinator typed is kept in the
    decision form if a decision can still be taken, otherwise in the comment form."""
    messages.error(
        request,
        _(
            "This notification changed meanwhile (another coordinator decided or someone commented). "
            "Nothing was saved; see its current state below, with what you wrote."
        ),
    )
    notification.refresh_from_db()
    kept = kept_as_initial(form, version=notification.version) if form is not None and form.is_valid() else {}
    forms = {}
    if notification.is_decidable:
        forms["decision_form"] = DecisionForm(initial=kept)
    elif kept.get("comment"):
        forms["comment_form"] = CommentForm(initial={"comment": kept["comment"]})
    return _detail_page(request, notification, status=409, **forms)


@require_POST
@permission_required("emblem.decide")
# An objection weighs on a provider's reputation: the same re-authentication as other decisions.
@reauthentication_required
def notification_decide(request, public_id):
    notification = _notification(request, public_id)
    form = DecisionForm(request.POST)
    if not notification.is_decidable:
        return _changed_meanwhile(request, notification, form)
    if not form.is_valid():
        return _detail_page(request, notification, decision_form=form, status=400)
    try:
        services.decide(
            notification,
            by=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except services.StaleDecision:
        return _changed_meanwhile(request, notification, form)
    if form.cleaned_data["decision"] == State.ACKNOWLEDGED:
        messages.success(
            request, _("The notification was acknowledged; the organisation's members were told by email.")
        )
    else:
        messages.success(request, _("Your objection was sent; the organisation's members were told by email."))
    return redirect("emblem:detail", public_id=notification.public_id)


@require_POST
def notification_comment(request, public_id):
    policy.require(request.user, "emblem.pages")
    notification = _notification(request, public_id)
    if not services.may_comment(request.user, notification):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, notification, comment_form=form, status=400)
    try:
        services.add_comment(notification, by=request.user, comment=form.cleaned_data["comment"], request=request)
    except services.NotAllowed:
        messages.error(request, _("This notification changed meanwhile; your comment was not saved."))
        return redirect("emblem:detail", public_id=notification.public_id)
    messages.success(request, _("Your comment was added to the history."))
    return redirect("emblem:detail", public_id=notification.public_id)


@require_safe
def notification_sample(request, public_id):
    """The sample, always as a download under a server-generated name (SECURITY.md UP-02)."""
    policy.require(request.user, "emblem.pages")
    notification = _notification(request, public_id)
    kind = SampleType(notification.sample_type)
    return stored_file_response(
        notification.sample,
        filename=f"emblem-sample-{notification.public_id.hex[:12]}.{SAMPLE_EXTENSIONS[kind]}",
        content_type=SAMPLE_CONTENT_TYPES[kind],
    )
