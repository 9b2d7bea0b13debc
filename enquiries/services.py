"""Writes of the requests to providers, each in one transaction with its audit event.

An officer asks a tool's provider for a demonstration, a trial or contact, sharing only the
details they choose: those are copied onto the request when it is sent, and the provider reads
nothing else (`selectors.provider_copy`). Both sides then write in the exchange; either may report
it to the coordinators, who may open a reported exchange and dismiss the report or close the
exchange.

Audit events name requests, messages and reports by public id, with the names of the shared
fields and message lengths: never a text or a value of the officer's. Inbox entries and emails
name the tool (and, to the officer, the organisation), never the officer or what was written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from catalogue.models import Tool
from core import policy, ratelimit
from notifications.inbox import notify, notify_many, register_message
from notifications.models import Kind, Notification
from providers.selectors import active_members

from .models import MESSAGE_MAX, REASON_MAX, AbuseReport, Enquiry, EnquiryMessage

SHAREABLE = ("name", "agency", "country", "email")
RATE_LIMIT_ACTION = "enquiry"

register_message("enquiry_asked_demonstration", _("An officer asks for a demonstration of %(tool)s"))
register_message("enquiry_asked_trial", _("An officer asks for a trial of %(tool)s"))
register_message("enquiry_asked_contact", _("An officer asks to be contacted about %(tool)s"))
register_message("enquiry_officer_wrote", _("An officer wrote again about %(tool)s"))
register_message("enquiry_provider_wrote", _("%(organisation)s answered your request about %(tool)s"))
register_message("enquiry_reported", _("An exchange between an officer and a provider was reported"))
register_message("enquiry_closed", _("The coordinators closed an exchange about %(tool)s"))


class NotAllowed(Exception):
    """The action is not possible on this request now (or by this person)."""


class StaleReport(Exception):
    """Another coordinator decided on the report meanwhile."""


def rate_limit_refusal() -> str:
    return str(
        _(
            "You have sent many requests to providers today. Please wait until tomorrow before sending "
            "another. Your request is kept below."
        )
    )


def officer_link(enquiry: Enquiry) -> str:
    return reverse("enquiries:officer_detail", args=[enquiry.public_id])


def provider_link(enquiry: Enquiry) -> str:
    return reverse("enquiries:provider_detail", args=[enquiry.public_id])


def _clean(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise ValueError(f"{what} must be 1 to {limit} characters.")
    return text


def draft(tool: Tool, officer: User, *, kind: str, body: str, share) -> tuple[Enquiry, EnquiryMessage]:
    """The request as it would be sent (unsaved): what the preview shows and `send` saves.

    `share` names the details the officer chose (a subset of SHAREABLE); each is copied from the
    officer's account and vetting record now, and nothing else of theirs is."""
    if kind not in Enquiry.Kind.values:
        raise ValueError(f"Not a kind of request: {kind!r}")
    unknown = set(share) - set(SHAREABLE)
    if unknown:
        raise ValueError(f"Not shareable: {sorted(unknown)}")
    profile = officer.officer
    now = timezone.now()
    enquiry = Enquiry(
        tool=tool,
        organisation=tool.organisation,
        officer=officer,
        kind=kind,
        shared_name=officer.full_name if "name" in share else "",
        shared_agency=profile.agency if "agency" in share else "",
        shared_country=profile.country if "country" in share else "",
        shared_email=officer.email if "email" in share else "",
        created_at=now,
        last_message_at=now,
    )
    message = EnquiryMessage(
        enquiry=enquiry, sender=officer, from_officer=True, body=_clean(body, MESSAGE_MAX, "A message"), created_at=now
    )
    return enquiry, message


def shared_names(enquiry: Enquiry) -> list[str]:
    return [name for name in SHAREABLE if getattr(enquiry, f"shared_{name}")]


@transaction.atomic
def send(tool: Tool, officer: User, *, kind: str, body: str, share, request=None) -> Enquiry:
    """A verified officer asks the tool's provider; the provider's members are told that an officer
    asks (never who). Counted against the officer's daily limit (`ENQUIRIES_PER_DAY`)."""
    current = Tool.objects.select_related("organisation").get(pk=tool.pk)
    if not policy.can(officer, "enquiry.ask", current):
        raise NotAllowed("Only a verified officer can ask, and only about a published tool.")
    enquiry, message = draft(current, officer, kind=kind, body=body, share=share)
    ratelimit.count(RATE_LIMIT_ACTION, officer, limit=settings.ENQUIRIES_PER_DAY, window=ratelimit.DAY)
    enquiry.save()
    message.enquiry = enquiry
    message.save()
    record(
        Action.ENQUIRY_SENT,
        actor=officer,
        target=enquiry,
        request=request,
        after={
            "tool": current.slug,
            "organisation": str(current.organisation.public_id),
            "kind": kind,
            "shared": shared_names(enquiry),
            "message": str(message.public_id),
            "length": len(message.body),
        },
    )
    notify_many(
        active_members(current.organisation_id),
        Kind.ENQUIRY,
        message=f"enquiry_asked_{kind}",
        params={"tool": current.name},
        link=provider_link(enquiry),
    )
    return enquiry


def _lock(enquiry: Enquiry) -> Enquiry:
    return Enquiry.objects.select_for_update(of=("self",)).select_related("tool", "organisation").get(pk=enquiry.pk)


def _told_once(user: User, message: str, link: str) -> bool:
    """One unread "wrote again" per exchange is enough: the inbox does not fill up with them."""
    return Notification.objects.filter(user=user, message_key=message, link=link, read_at__isnull=True).exists()


@transaction.atomic
def write(enquiry: Enquiry, *, by: User, body: str, request=None) -> EnquiryMessage:
    """The officer or a member of the provider writes in an open exchange; the other side is told."""
    body = _clean(body, MESSAGE_MAX, "A message")
    locked = _lock(enquiry)
    if not policy.can(by, "enquiry.write", locked):
        raise NotAllowed("Only the two sides write, and only while the exchange is open.")
    from_officer = locked.officer_id == by.pk
    now = timezone.now()
    message = EnquiryMessage.objects.create(
        enquiry=locked, sender=by, from_officer=from_officer, body=body, created_at=now
    )
    locked.last_message_at = now
    locked.save(update_fields=["last_message_at"])
    record(
        Action.ENQUIRY_MESSAGE_SENT,
        actor=by,
        target=locked,
        request=request,
        after={
            "message": str(message.public_id),
            "side": "officer" if from_officer else "provider",
            "length": len(body),
        },
    )
    params = {"tool": locked.tool.name}
    if from_officer:
        link = provider_link(locked)
        for member in active_members(locked.organisation_id):
            if not _told_once(member, "enquiry_officer_wrote", link):
                notify(member, Kind.ENQUIRY, message="enquiry_officer_wrote", params=params, link=link)
    else:
        officer = User.objects.get(pk=locked.officer_id)
        link = officer_link(locked)
        if officer.is_active and not _told_once(officer, "enquiry_provider_wrote", link):
            params["organisation"] = locked.organisation.name
            notify(officer, Kind.ENQUIRY, message="enquiry_provider_wrote", params=params, link=link)
    enquiry.last_message_at = now
    return message


@transaction.atomic
def report_abuse(enquiry: Enquiry, *, by: User, reason: str, request=None) -> AbuseReport:
    """Either side reports the exchange; every coordinator is told (a report link, no names).
    A second report by the same person while theirs is open changes nothing."""
    reason = _clean(reason, REASON_MAX, "A reason")
    if not policy.can(by, "enquiry.report", enquiry):
        raise NotAllowed("Only the two sides of an exchange can report it.")
    existing = AbuseReport.objects.filter(enquiry=enquiry, reporter=by, state=AbuseReport.State.OPEN).first()
    if existing is not None:
        return existing
    by_officer = enquiry.officer_id == by.pk
    report = AbuseReport.objects.create(enquiry=enquiry, reporter=by, by_officer=by_officer, reason=reason)
    record(
        Action.ENQUIRY_ABUSE_REPORTED,
        actor=by,
        target=report,
        request=request,
        after={
            "enquiry": str(enquiry.public_id),
            "side": "officer" if by_officer else "provider",
            "state": report.state,
        },
    )
    notify_many(
        User.objects.active_coordinators(),
        Kind.ENQUIRY,
        message="enquiry_reported",
        link=reverse("enquiries:report_detail", args=[report.public_id]),
    )
    return report


def opened_for_report(report: AbuseReport, *, by: User, request=None) -> None:
    """A coordinator was shown a reported exchange (the messages and who the officer is): audited."""
    policy.require(by, "enquiry.moderate")
    record(
        Action.ENQUIRY_OPENED,
        actor=by,
        target=report.enquiry,
        request=request,
        after={"report": str(report.public_id)},
    )


DECISIONS = {
    AbuseReport.State.DISMISSED: Action.ENQUIRY_REPORT_DISMISSED,
    AbuseReport.State.CLOSED: Action.ENQUIRY_CLOSED,
}


@transaction.atomic
def decide_report(report: AbuseReport, *, by: User, decision: str, note: str = "", request=None) -> AbuseReport:
    """A coordinator dismisses a report, or closes the exchange: no more messages, both sides told.
    Closing settles the exchange's other open reports too."""
    policy.require(by, "enquiry.moderate")
    decision = AbuseReport.State(decision)
    if decision not in DECISIONS:
        raise ValueError(f"Not a decision: {decision!r}")
    note = note.strip()
    locked = AbuseReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != AbuseReport.State.OPEN:
        raise StaleReport
    now = timezone.now()
    enquiry = _lock(locked.enquiry)
    settled = AbuseReport.objects.filter(pk=locked.pk)
    after = {"state": decision, "enquiry": str(enquiry.public_id), "note": note}
    if decision == AbuseReport.State.CLOSED:
        settled = AbuseReport.objects.filter(enquiry=enquiry, state=AbuseReport.State.OPEN)
        if enquiry.is_open:
            enquiry.state = Enquiry.State.CLOSED
            enquiry.closed_at = now
            enquiry.save(update_fields=["state", "closed_at"])
    after["reports"] = sorted(str(pk) for pk in settled.values_list("public_id", flat=True))
    settled.update(state=decision, decided_at=now, decided_by=by, decision_note=note)
    record(
        DECISIONS[decision],
        actor=by,
        target=locked,
        request=request,
        before={"state": AbuseReport.State.OPEN},
        after=after,
    )
    if decision == AbuseReport.State.CLOSED:
        params = {"tool": enquiry.tool.name}
        officer = User.objects.get(pk=enquiry.officer_id)
        if officer.is_active:
            notify(officer, Kind.ENQUIRY, message="enquiry_closed", params=params, link=officer_link(enquiry))
        notify_many(
            active_members(enquiry.organisation_id),
            Kind.ENQUIRY,
            message="enquiry_closed",
            params=params,
            link=provider_link(enquiry),
        )
    locked.refresh_from_db()
    return locked
