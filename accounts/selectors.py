"""Reads about people that several pages share."""

from django.db.models import Q

from .models import OfficerProfile


def awaiting_decision_q() -> Q:
    """A first application or a re-vetting (status pending), or a renewal request."""
    return Q(status=OfficerProfile.Status.PENDING) | Q(renewal_requested_at__isnull=False)


def vetting_queue():
    """The vetting queue: officers waiting for a coordinator's decision (renewal requests
    included) whose account is active and email confirmed, longest waiting first.

    The queue page, the dashboard and the coordinators' home page all count this, so
    they always agree."""
    return (
        OfficerProfile.objects.filter(user__emailaddress__verified=True, user__is_active=True)
        .filter(awaiting_decision_q())
        .select_related("user")
        .distinct()
        .order_by("submitted_at")
    )
