"""Who may notify, read, comment on and decide name-and-emblem notifications."""

from accounts.models import User
from accounts.rules import is_coordinator
from core import policy
from providers.rules import provider_organisation, work_for_org, working_provider

from .models import EmblemNotification, State

policy.register("emblem.decide", lambda user, obj=None: is_coordinator(user))
policy.register("emblem.notify", work_for_org)


@policy.rule("emblem.pages")
def _emblem_pages(user, obj=None) -> bool:
    """Name-and-emblem notifications: coordinators, and members of a working organisation."""
    return is_coordinator(user) or working_provider(user)


@policy.rule("emblem.view")
def _view_emblem(user, notification) -> bool:
    return is_coordinator(user) or work_for_org(user, notification.organisation)


@policy.rule("emblem.comment")
def _comment(user, notification) -> bool:
    """Coordinators may always comment; members once the coordinators objected (a follow-up)."""
    return is_coordinator(user) or notification.state == State.OBJECTED


def speaks_for_coordinators(user) -> bool:
    """Whether what `user` wrote is the coordinators' side (even if the account is closed since)."""
    return user.role == User.Role.COORDINATOR


@policy.scope("emblem.notifications")
def notifications_for(user):
    """Coordinators see every notification; provider members their organisation's only."""
    if is_coordinator(user):
        return EmblemNotification.objects.all()
    organisation = provider_organisation(user)
    if organisation is None:
        return EmblemNotification.objects.none()
    return EmblemNotification.objects.filter(organisation=organisation)
