"""Reads about organisations, always scoped to what the asking user may see."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.utils import timezone

from accounts.models import User
from core import policy

from .models import Invitation, Membership, Organisation


def invitations_for(user):
    """Invitations of the organisations `user` may see (none for officers)."""
    return Invitation.objects.filter(organisation__in=policy.scoped("providers.organisations", user))


def memberships_for(user):
    return Membership.objects.filter(organisation__in=policy.scoped("providers.organisations", user))


def active_members(organisation_id: int):
    """The organisation's users who can still be told of something (active accounts), in a fixed order."""
    return User.objects.filter(membership__organisation_id=organisation_id, is_active=True).order_by("pk")


def members_of(organisation: Organisation):
    return organisation.memberships.select_related("user").order_by("-is_admin", "joined_at", "pk")


def pending_invitations_of(organisation: Organisation):
    """Invitations neither accepted nor revoked, newest first (expired ones included, marked)."""
    return organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by("-created_at")


def review_queue(status: str = ""):
    """Organisations for coordinators: pending first, then oldest first."""
    confirmed = EmailAddress.objects.filter(
        user__membership__organisation=OuterRef("pk"), user__membership__is_admin=True, verified=True
    )
    organisations = Organisation.objects.annotate(
        pending_first=Case(
            When(status=Organisation.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        member_count=Count("memberships", distinct=True),
        admin_confirmed=Exists(confirmed),
    ).order_by("pending_first", "created_at", "pk")
    if status:
        organisations = organisations.filter(status=status)
    return organisations


def age_in_days(organisation: Organisation, now=None) -> int:
    return ((now or timezone.now()) - organisation.created_at).days
