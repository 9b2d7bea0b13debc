"""Requests to providers in a user's data download: for an officer, the requests they sent, what
they shared and the messages they wrote; for a provider's member, the messages they wrote in their
organisation's exchanges (never the officer's details). Neither side's download holds the other's
words.

Closing an officer's account erases the details they had shared with providers (name, agency,
country, email address) and ends their open exchanges; their messages stay, as the provider's
correspondence, signed "The officer"."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.personal_data import iso, register_section

from .models import AbuseReport, Enquiry, EnquiryMessage
from .services import SHAREABLE


def collect(user) -> dict:
    sent = (
        Enquiry.objects.filter(officer=user)
        .select_related("tool", "organisation")
        .annotate(answers=Count("messages", filter=Q(messages__from_officer=False)))
        .order_by("created_at", "pk")
    )
    written = {}
    for message in (
        EnquiryMessage.objects.filter(sender=user).select_related("enquiry__tool").order_by("created_at", "pk")
    ):
        written.setdefault(message.enquiry_id, []).append(
            {"tool": message.enquiry.tool.name, "at": iso(message.created_at), "text": message.body}
        )
    sent_ids = set()
    requests = []
    for enquiry in sent:
        sent_ids.add(enquiry.pk)
        requests.append(
            {
                "tool": enquiry.tool.name,
                "provider": enquiry.organisation.name,
                "kind": enquiry.kind,
                "shared_with_the_provider": {
                    name: str(getattr(enquiry, f"shared_{name}"))
                    for name in SHAREABLE
                    if getattr(enquiry, f"shared_{name}")
                },
                "state": enquiry.state,
                "sent_at": iso(enquiry.created_at),
                "answers_received": enquiry.answers,
                "messages_written": written.get(enquiry.pk, []),
            }
        )
    return {
        "requests_sent": requests,
        # A provider member's messages in their organisation's exchanges.
        "messages_written_to_officers": [
            message for enquiry_id, messages in written.items() if enquiry_id not in sent_ids for message in messages
        ],
        "exchanges_reported": [
            {"reason": report.reason, "state": report.state, "at": iso(report.created_at)}
            for report in AbuseReport.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
    }


def erase(user) -> None:
    Enquiry.objects.filter(officer=user, state=Enquiry.State.OPEN).update(
        state=Enquiry.State.ENDED, closed_at=timezone.now()
    )
    Enquiry.objects.filter(officer=user).update(shared_name="", shared_agency="", shared_country="", shared_email="")


register_section("requests_to_providers", collect, erase=erase)
