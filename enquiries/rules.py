"""Who may ask a provider, read and write in an exchange, report it, and what coordinators see.

An exchange is the officer's and the provider organisation's alone: coordinators see only counts
per tool and, when one side reports abuse, that exchange (from the report, after confirming their
password: it names the officer). A provider reads only its own organisation's requests, and only
what the officer chose to share.
"""

from accounts.rules import is_coordinator, is_verified_officer
from catalogue.models import ToolState
from core import policy
from providers.rules import is_org_member, provider_organisation, working_provider

from .models import Enquiry

policy.register("enquiry.mine", lambda user, obj=None: is_verified_officer(user))
# Providers' work pages need the current provider terms accepted, like their other work.
policy.register("enquiry.received", working_provider)
policy.register("enquiry.moderate", lambda user, obj=None: is_coordinator(user))


@policy.rule("enquiry.ask")
def _ask(user, tool=None) -> bool:
    """A verified officer, about a published tool (its current entry, not an update in review)."""
    if not is_verified_officer(user):
        return False
    return tool is None or (tool.state == ToolState.PUBLISHED and tool.revision_of_id is None)


def is_officer_side(user, enquiry) -> bool:
    return enquiry.officer_id == user.pk and is_verified_officer(user)


def is_provider_side(user, enquiry) -> bool:
    return working_provider(user) and is_org_member(user, enquiry.organisation)


@policy.rule("enquiry.officer_view")
def _officer_view(user, enquiry) -> bool:
    return is_officer_side(user, enquiry)


@policy.rule("enquiry.provider_view")
def _provider_view(user, enquiry) -> bool:
    return is_provider_side(user, enquiry)


@policy.rule("enquiry.report")
def _report(user, enquiry) -> bool:
    """Either side may report the exchange to the coordinators."""
    return is_officer_side(user, enquiry) or is_provider_side(user, enquiry)


@policy.rule("enquiry.write")
def _write(user, enquiry) -> bool:
    """Either side writes while the coordinators have not closed the exchange."""
    return enquiry.is_open and (is_officer_side(user, enquiry) or is_provider_side(user, enquiry))


@policy.scope("enquiries.received")
def received_by(user):
    """The requests made to the user's own organisation (none for anyone else)."""
    organisation = provider_organisation(user)
    if organisation is None or not working_provider(user):
        return Enquiry.objects.none()
    return Enquiry.objects.filter(organisation=organisation)


@policy.scope("enquiries.sent")
def sent_by(user):
    """The officer's own requests."""
    if not is_verified_officer(user):
        return Enquiry.objects.none()
    return Enquiry.objects.filter(officer=user)
