"""Who may see, register for and manage events.

Verified officers and coordinators see every event; members of a working provider organisation
(approved, provider terms accepted) see only events open to providers, and never who registered
or how many did. Pending officers, other providers and anonymous visitors see nothing.
"""

from accounts.rules import is_coordinator, is_verified_officer
from core import policy
from providers.rules import working_provider

from .models import Audience, Event

policy.register("events.manage", lambda user, obj=None: is_coordinator(user))
policy.register("events.report", lambda user, obj=None: is_coordinator(user))
policy.register("events.register", lambda user, obj=None: is_verified_officer(user))


@policy.rule("events.pages")
def _event_pages(user, obj=None) -> bool:
    return is_coordinator(user) or is_verified_officer(user) or working_provider(user)


@policy.rule("events.see_registrations")
def _see_registrations(user, obj=None) -> bool:
    """Places left and waiting lists reveal how many officers registered: not for providers."""
    return is_coordinator(user) or is_verified_officer(user)


@policy.rule("events.view")
def _view_event(user, event) -> bool:
    if is_coordinator(user) or is_verified_officer(user):
        return True
    return working_provider(user) and event.audience == Audience.OFFICERS_AND_PROVIDERS


@policy.scope("events.visible")
def events_for(user):
    if is_coordinator(user) or is_verified_officer(user):
        return Event.objects.all()
    if working_provider(user):
        return Event.objects.filter(audience=Audience.OFFICERS_AND_PROVIDERS)
    return Event.objects.none()
