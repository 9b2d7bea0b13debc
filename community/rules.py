"""Who may use Meet other officers (registered with core.policy).

`community.participate` is the rule of every community feature where an officer acts (the
directory listing, contact requests, messages; the discussions app reuses it for posting): a
verified officer whose access to the community is not suspended. Coordinators do not take part
but may look at the directory and moderate.
"""

from accounts.rules import is_coordinator, is_verified_officer
from core import policy

from .models import CommunitySuspension


def active_suspension(user) -> CommunitySuspension | None:
    """The suspension from the community features that applies to `user` now, if any."""
    if not policy.is_signed_in(user):
        return None
    return CommunitySuspension.objects.filter(user=user).active().order_by("-starts_at").first()


@policy.rule("community.use")
def _use(user, obj=None) -> bool:
    """The community's entry in the navigation: verified officers and coordinators."""
    return is_verified_officer(user) or is_coordinator(user)


@policy.rule("community.participate")
def participate(user, obj=None) -> bool:
    """Taking part: a verified officer not suspended from the community features."""
    return is_verified_officer(user) and active_suspension(user) is None


@policy.rule("community.browse")
def _browse(user, obj=None) -> bool:
    """Looking at the directory: officers who take part, and coordinators."""
    return is_coordinator(user) or participate(user)


@policy.rule("community.moderate")
def _moderate(user, obj=None) -> bool:
    return is_coordinator(user)


@policy.rule("community.connection")
def _connection(user, connection) -> bool:
    """A contact request or conversation: only its two officers, while they take part."""
    return connection.involves(user) and participate(user)
