"""Who is a coordinator or an officer, and what those roles may do (registered with core.policy).

The role predicates live here, with the data they read; views and templates ask the policy."""

from __future__ import annotations

from django.utils import timezone

from core import policy
from core.policy import is_signed_in

from .models import User


# --- who is this? -----------------------------------------------------------
def is_coordinator(user) -> bool:
    return is_signed_in(user) and user.role == User.Role.COORDINATOR


def officer_profile(user):
    if not is_signed_in(user) or user.role != User.Role.OFFICER:
        return None
    try:
        return user.officer
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None


def is_officer(user) -> bool:
    return officer_profile(user) is not None


def is_verified_officer(user, now=None) -> bool:
    profile = officer_profile(user)
    return profile is not None and profile.is_verified(now or timezone.now())


def is_officer_account(user) -> bool:
    """The account was opened as an officer's (whatever its state or activity now)."""
    return user.role == User.Role.OFFICER


# --- the rules ----------------------------------------------------------------
@policy.rule(
    "vetting.review",
    "vetting.decide",
    "vetting.manage_domains",
    "accounts.manage",
    # The platform's own pages (audit log, back office, outbox) are the coordinators'.
    "audit.view",
    "backoffice.use",
    "outbox.view",
    "outbox.retry",
)
def _coordinator(user, obj=None) -> bool:
    return is_coordinator(user)


@policy.rule("admin.use")
def _use_admin(user, obj=None) -> bool:
    """The Django admin (raw data): staff coordinators only."""
    return user.is_staff and is_coordinator(user)


@policy.rule("hub.use")
def use_hub(user, obj=None) -> bool:
    """The officers' side of the hub: catalogue, notices, learning, community."""
    return is_verified_officer(user) or is_coordinator(user)


@policy.rule("officer.edit_profile")
def _edit_own_officer_profile(user, obj=None) -> bool:
    return is_officer(user)


@policy.rule("officer.renew")
def _renew_verification(user, obj=None) -> bool:
    profile = officer_profile(user)
    return profile is not None and (profile.status == profile.Status.EXPIRED or profile.expires_soon())


@policy.rule("account.own_data", "account.close", "account.keep_session")
def _own_account(user, obj=None) -> bool:
    """Everyone signed in may download their own data, close their own account and keep their
    own session from idling out."""
    return is_signed_in(user) and user.closed_at is None
