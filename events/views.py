"""Event pages. Rule "events.pages": coordinators, verified officers and members of a working
provider organisation; an event a reader may not see answers 404. Registering is for verified
officers; planning, participants, registrations and materials are the coordinators'."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.services import officer_details_viewed, set_time_zone
from core import policy
from core.downloads import stored_file_response
from core.links import absolute_url
from core.policy import permission_required
from core.time_zones import DEFAULT_ZONE, get_zone

from . import ics, selectors, services
from .forms import EventForm, MaterialsForm, ParticipantForm, TimeZoneForm
from .models import Event, Participant, Registration

PAGE_SIZE = 50


def _zone_name(user) -> str:
    return user.time_zone or DEFAULT_ZONE


def _render_in_zone(request, template, context, status=200):
    """Times on the page in the reader's own time zone, named on the page."""
    zone_name = _zone_name(request.user)
    with timezone.override(get_zone(zone_name)):
        return render(request, template, {"reader_zone": zone_name, **context}, status=status)


def _event(request, public_id) -> Event:
    policy.require(request.user, "events.pages")
    event = get_object_or_404(selectors.visible_events(request.user), public_id=public_id)
    policy.require(request.user, "events.view", event, hide=True)
    return event


def _language_names(event: Event) -> list[str]:
    names = dict(settings.LANGUAGES)
    return [str(names[code]) for code in event.languages if code in names]


def _shows_online_link(user, event: Event, registration: Registration | None) -> bool:
    """The link to join is for coordinators, officers with a place, and providers invited."""
    if policy.can(user, "events.manage"):
        return True
    if policy.can(user, "events.register"):
        return registration is not None and registration.status == Registration.Status.REGISTERED
    return True


def _participant_rows(request, event: Event, *, name_officers: bool = False) -> list[dict]:
    """Participants as the reader may see them. Officers are named only on the coordinators'
    participants page, behind recent re-authentication and audited (SECURITY.md AUTH-08); the
    public event page says "a law-enforcement officer" to everyone, coordinators included."""
    manages = name_officers and policy.can(request.user, "events.manage")
    rows = []
    for participant in selectors.participants_of(event):
        user = participant.user
        if participant.kind == Participant.Kind.PROVIDER:
            person = participant.name or (user.full_name if user else "")
            label = f"{person}, {participant.organisation.name}" if person else participant.organisation.name
        elif participant.kind == Participant.Kind.OFFICER:
            if manages and user is not None:
                label = user.full_name
                officer_details_viewed(user, by=request.user, request=request, shown_on={"event": str(event.public_id)})
            else:
                label = _("A law-enforcement officer")
        elif participant.kind == Participant.Kind.COORDINATOR:
            label = user.full_name if user else participant.name
        else:
            label = participant.name
        if participant.affiliation and participant.kind == Participant.Kind.EXTERNAL:
            label = f"{label} ({participant.affiliation})"
        rows.append({"participant": participant, "label": label})
    return rows


# --- lists ---------------------------------------------------------------------------------------
def _list_page(request, queryset, *, past: bool):
    counts = policy.can(request.user, "events.see_registrations")
    events = selectors.with_places(queryset, request.user, counts=counts)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_in_zone(
        request,
        "events/list.html",
        {
            "page": page,
            "past": past,
            "counts": counts,
            "manages": policy.can(request.user, "events.manage"),
            "registers": policy.can(request.user, "events.register"),
        },
    )


@require_safe
@permission_required("events.pages")
def event_list(request):
    return _list_page(request, selectors.upcoming_events(request.user), past=False)


@require_safe
@permission_required("events.pages")
def past_events(request):
    return _list_page(request, selectors.past_events(request.user), past=True)


@require_http_methods(["GET", "POST"])
@permission_required("events.pages")
def time_zone(request):
    """The reader's own time zone, in which event times are shown."""
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            set_time_zone(request.user, form.cleaned_data["time_zone"], request=request)
            messages.success(request, _("Times are now shown in %(zone)s.") % {"zone": form.cleaned_data["time_zone"]})
            return redirect("events:list")
        status = 400
    else:
        form = TimeZoneForm(initial={"time_zone": _zone_name(request.user)})
        status = 200
    return render(request, "events/time_zone.html", {"form": form}, status=status)


# --- one event -----------------------------------------------------------------------------------
def _detail_page(request, event: Event, status=200):
    registration = selectors.registration_of(event, request.user)
    counts = selectors.place_counts(event) if policy.can(request.user, "events.see_registrations") else None
    return _render_in_zone(
        request,
        "events/detail.html",
        {
            "event": event,
            "event_zone": event.time_zone,
            # Formatted here: the date filter would turn them into the reader's zone.
            "event_local_start": f"{event.starts_at.astimezone(get_zone(event.time_zone)):%Y-%m-%d %H:%M}",
            "event_local_end": f"{event.ends_at.astimezone(get_zone(event.time_zone)):%Y-%m-%d %H:%M}",
            "event_languages": _language_names(event),
            "participants": _participant_rows(request, event),
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration),
            "counts": counts,
            "registers": policy.can(request.user, "events.register"),
            "manages": policy.can(request.user, "events.manage"),
            "open": not event.is_cancelled and not event.has_started(),
            "ended": event.has_ended(),
            "shows_online_link": _shows_online_link(request.user, event, registration),
        },
        status=status,
    )


@require_safe
def event_detail(request, public_id):
    return _detail_page(request, _event(request, public_id))


@require_safe
def event_ics(request, public_id):
    event = _event(request, public_id)
    registration = selectors.registration_of(event, request.user)
    online = event.online_url if _shows_online_link(request.user, event, registration) else ""
    location = ", ".join(part for part in (event.place, online) if part)
    url = absolute_url(event_url(event))
    response = HttpResponse(
        ics.calendar(event, url=url, location=location), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.public_id.hex[:12]}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.public_id])


@require_POST
@permission_required("events.register")
def event_register(request, public_id):
    event = _event(request, public_id)
    try:
        registration = services.register(event, user=request.user, request=request)
    except services.EventClosed:
        messages.error(request, _("This event is cancelled or has started: registration is closed."))
        return _detail_page(request, event, status=409)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You have a place at this event."))
    else:
        messages.success(
            request, _("The event is full: you are on the waiting list. You will be told if a place becomes free.")
        )
    return redirect("events:detail", public_id=event.public_id)


@require_POST
@permission_required("events.register")
def event_unregister(request, public_id):
    event = _event(request, public_id)
    try:
        services.cancel_registration(event, user=request.user, request=request)
    except services.EventClosed:
        messages.error(request, _("This event is cancelled or has started: registration is closed."))
        return _detail_page(request, event, status=409)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", public_id=event.public_id)


@require_safe
def event_slides(request, public_id):
    """The slides, always as a download under a server-generated name (SECURITY.md UP-02)."""
    event = _event(request, public_id)
    if not event.slides:
        raise Http404
    return stored_file_response(
        event.slides, filename=f"event-slides-{event.public_id.hex[:12]}.pdf", content_type="application/pdf"
    )


# --- the coordinators' pages ---------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required("events.manage")
def event_new(request):
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            event = services.create_event(by=request.user, request=request, **form.event_fields())
            messages.success(request, _("The event was created. Add its speakers and participants."))
            return redirect("events:participants", public_id=event.public_id)
        status = 400
    else:
        form = EventForm(
            initial={"time_zone": _zone_name(request.user), "languages": ["en"], "capacity": 30, "audience": "officers"}
        )
        status = 200
    return render(request, "events/form.html", {"form": form, "event": None}, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("events.manage")
def event_edit(request, public_id):
    event = _event(request, public_id)
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect("events:detail", public_id=event.public_id)
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                services.update_event(
                    event,
                    by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    request=request,
                    **form.event_fields(),
                )
            except services.StaleEdit:
                messages.error(
                    request,
                    _("Someone changed this event meanwhile. Nothing was saved; what you typed is kept below."),
                )
                event.refresh_from_db()
                data = request.POST.copy()
                data["version"] = event.version
                return render(request, "events/form.html", {"form": EventForm(data), "event": event}, status=409)
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", public_id=event.public_id)
        status = 400
    else:
        form = EventForm(initial=EventForm.initial_for(event))
        status = 200
    return render(request, "events/form.html", {"form": form, "event": event}, status=status)


@require_POST
@permission_required("events.manage")
def event_cancel(request, public_id):
    event = _event(request, public_id)
    services.cancel_event(event, by=request.user, request=request)
    messages.success(request, _("The event was cancelled; everyone registered or waiting was told."))
    return redirect("events:detail", public_id=event.public_id)


@require_http_methods(["GET", "POST"])
@permission_required("events.manage")
@reauthentication_required
def event_participants(request, public_id):
    event = _event(request, public_id)
    status = 200
    if request.method == "POST":
        form = ParticipantForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.add_participant(
                event,
                by=request.user,
                role=data["role"],
                kind=data["kind"],
                organisation=data["organisation"],
                user=data["user"],
                name=data["name"],
                affiliation=data["affiliation"],
                request=request,
            )
            messages.success(request, _("Added."))
            return redirect("events:participants", public_id=event.public_id)
        status = 400
    else:
        form = ParticipantForm(initial={"role": Participant.Role.SPEAKER, "kind": Participant.Kind.PROVIDER})
    return render(
        request,
        "events/participants.html",
        {"event": event, "form": form, "participants": _participant_rows(request, event, name_officers=True)},
        status=status,
    )


@require_POST
@permission_required("events.manage")
def participant_remove(request, public_id, pk):
    event = _event(request, public_id)
    participant = get_object_or_404(Participant, event=event, pk=pk)
    services.remove_participant(participant, by=request.user, request=request)
    messages.success(request, _("Removed."))
    return redirect("events:participants", public_id=event.public_id)


@require_safe
@permission_required("events.manage")
@reauthentication_required
def event_registrations(request, public_id):
    """Who has a place and who waits, in order: officers' names, so each one shown is audited."""
    event = _event(request, public_id)
    registrations = list(selectors.registrations_for(event))
    for registration in registrations:
        # Audited for officers' accounts (the service checks); registrants are officers.
        officer_details_viewed(
            registration.user, by=request.user, request=request, shown_on={"event": str(event.public_id)}
        )
    return _render_in_zone(
        request,
        "events/registrations.html",
        {
            "event": event,
            "registered": [r for r in registrations if r.status == Registration.Status.REGISTERED],
            "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("events.manage")
def event_materials(request, public_id):
    event = _event(request, public_id)
    if not event.has_ended():
        messages.error(request, _("Materials can be added once the event has ended."))
        return redirect("events:detail", public_id=event.public_id)
    if request.method == "POST":
        form = MaterialsForm(request.POST, request.FILES)
        if form.is_valid():
            services.save_materials(
                event,
                by=request.user,
                recording_url=form.cleaned_data["recording_url"],
                slides=form.cleaned_data["slides"],
                remove_slides=form.cleaned_data["remove_slides"],
                request=request,
            )
            messages.success(request, _("The materials were saved."))
            return redirect("events:detail", public_id=event.public_id)
        status = 400
    else:
        form = MaterialsForm(initial={"recording_url": event.recording_url})
        status = 200
    return render(request, "events/materials.html", {"event": event, "form": form}, status=status)
