"""Reads of the requests to providers, each built for one reader.

`provider_copy` is the only way a provider's page or notification learns about a request: a
plain record holding the tool, the kind, the dates, the fields the officer chose to share (as
copied when it was sent) and the messages, the officer's signed with the shared name or "the
officer". It holds no reference to the officer's account, so no template can reach further. The
officer's request form previews exactly this record before anything is sent.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import AbuseReport, Enquiry, EnquiryMessage

Kind = Enquiry.Kind


@dataclass(frozen=True)
class Shared:
    label: str
    value: str


@dataclass(frozen=True)
class Line:
    """A message as one side of the exchange (or a coordinator) reads it."""

    sender: str
    body: str
    created_at: datetime.datetime
    from_officer: bool
    mine: bool


@dataclass(frozen=True)
class ProviderCopy:
    """Everything a provider's member may read of one request; nothing else reaches the provider."""

    public_id: uuid.UUID
    tool_name: str
    kind: str
    kind_label: str
    created_at: datetime.datetime
    last_message_at: datetime.datetime
    is_open: bool
    state_label: str
    shared: tuple[Shared, ...]
    messages: tuple[Line, ...] = ()


def shared_fields(enquiry: Enquiry) -> tuple[Shared, ...]:
    """The officer's details the provider receives, in a fixed order: only those shared."""
    rows = []
    if enquiry.shared_name:
        rows.append(Shared(_("Name"), enquiry.shared_name))
    if enquiry.shared_agency:
        rows.append(Shared(_("Agency"), enquiry.shared_agency))
    if enquiry.shared_country:
        rows.append(Shared(_("Country"), str(enquiry.shared_country.name)))
    if enquiry.shared_email:
        rows.append(Shared(_("Email address"), enquiry.shared_email))
    return tuple(rows)


def officer_signature(enquiry: Enquiry) -> str:
    """How the officer's messages are signed for the provider."""
    return enquiry.shared_name or _("The officer")


def provider_copy(enquiry: Enquiry, messages: Iterable[EnquiryMessage] = (), *, reader=None) -> ProviderCopy:
    """The request as the provider's members read it. `messages` have their sender loaded."""
    lines = tuple(
        Line(
            sender=officer_signature(enquiry)
            if message.from_officer
            else (message.sender.full_name or enquiry.organisation.name),
            body=message.body,
            created_at=message.created_at,
            from_officer=message.from_officer,
            mine=reader is not None and message.sender_id == reader.pk,
        )
        for message in messages
    )
    return ProviderCopy(
        public_id=enquiry.public_id,
        tool_name=enquiry.tool.name,
        kind=enquiry.kind,
        kind_label=str(Kind(enquiry.kind).label),
        created_at=enquiry.created_at,
        last_message_at=enquiry.last_message_at,
        is_open=enquiry.is_open,
        state_label=str(Enquiry.State(enquiry.state).label),
        shared=shared_fields(enquiry),
        messages=lines,
    )


def officer_lines(enquiry: Enquiry, messages: Iterable[EnquiryMessage]) -> list[Line]:
    """The exchange as the officer reads it: the provider's messages signed by the organisation."""
    return [
        Line(
            sender=_("You") if message.from_officer else enquiry.organisation.name,
            body=message.body,
            created_at=message.created_at,
            from_officer=message.from_officer,
            mine=message.from_officer,
        )
        for message in messages
    ]


def coordinator_lines(enquiry: Enquiry, messages: Iterable[EnquiryMessage]) -> list[Line]:
    """The exchange as a coordinator opening a report reads it: every sender by name."""
    return [
        Line(
            sender=message.sender.full_name or message.sender.email,
            body=message.body,
            created_at=message.created_at,
            from_officer=message.from_officer,
            mine=False,
        )
        for message in messages
    ]


def messages_of(enquiry: Enquiry) -> list[EnquiryMessage]:
    return list(EnquiryMessage.objects.filter(enquiry=enquiry).select_related("sender").order_by("created_at", "id"))


def received(queryset) -> list[ProviderCopy]:
    """A page of a provider's requests, as provider copies (without their messages)."""
    return [provider_copy(enquiry) for enquiry in queryset]


def counts_per_tool() -> list[dict]:
    """Requests per tool and kind: all coordinators learn of the requests. In the order of the tools'
    names; the catalogue never reads these counts (the fair order knows nothing of them)."""
    return list(
        Enquiry.objects.values("tool__name", "tool__slug", "organisation__name")
        .annotate(
            demonstrations=Count("id", filter=Q(kind=Kind.DEMONSTRATION)),
            trials=Count("id", filter=Q(kind=Kind.TRIAL)),
            contacts=Count("id", filter=Q(kind=Kind.CONTACT)),
            total=Count("id"),
        )
        .order_by("tool__name", "tool__slug")
    )


def reports(state: str | None):
    """Reports of exchanges, oldest first: the tool, the organisation and which side reported (no names)."""
    items = AbuseReport.objects.select_related("enquiry__tool", "enquiry__organisation").order_by("created_at", "id")
    return items.filter(state=state) if state else items
