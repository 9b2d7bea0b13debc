"""The terms a user accepted, in their data download (accounts.personal_data)."""

from accounts.personal_data import iso, register_section

from .models import TermsAcceptance


def collect(user) -> list[dict]:
    return [
        {
            "audience": a.document.audience,
            "version": a.document.version,
            "title": a.document.title,
            "accepted_at": iso(a.accepted_at),
            "for_organisation": a.organisation.name if a.organisation_id else None,
            "ip_address": a.ip_address,
        }
        for a in TermsAcceptance.objects.filter(user=user).select_related("document", "organisation").order_by("pk")
    ]


# Acceptances stay with a closed account: they are the record that the terms were agreed to.
register_section("terms_acceptances", collect)
