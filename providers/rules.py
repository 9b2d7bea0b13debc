"""Provider organisations' membership, and what members and coordinators may do with them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.rules import is_coordinator
from core import policy
from core.policy import is_signed_in
from terms.services import organisation_has_accepted_current_terms

from .models import Organisation


# --- who is this? -----------------------------------------------------------
def membership(user):
    """The user's current membership; none once it ended (the organisation left the hub)."""
    if not is_signed_in(user) or user.role != User.Role.PROVIDER:
        return None
    try:
        member = user.membership
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None
    return None if member.ended_at is not None else member


def is_provider(user) -> bool:
    return membership(user) is not None


def provider_organisation(user):
    member = membership(user)
    return member.organisation if member else None


def is_org_admin(user, organisation) -> bool:
    member = membership(user)
    return member is not None and member.is_admin and member.organisation_id == organisation.pk


def is_org_member(user, organisation) -> bool:
    member = membership(user)
    return member is not None and member.organisation_id == organisation.pk


def organisation_accepted_terms(organisation) -> bool:
    return organisation_has_accepted_current_terms(organisation)


def own_organisation_or_403(request, action: str = "organisation.work") -> Organisation:
    """The signed-in member's organisation, if they may do `action` for it; everyone else gets 403."""
    organisation = provider_organisation(request.user)
    if organisation is None:
        raise PermissionDenied
    policy.require(request.user, action, organisation)
    return organisation


# --- the rules ----------------------------------------------------------------
policy.register("organisations.review", lambda user, obj=None: is_coordinator(user))
# Someone with an organisation: its page, and the notices about its tools.
policy.register("organisation.mine", lambda user, obj=None: is_provider(user))


@policy.rule("organisation.view")
def _view_org(user, org) -> bool:
    return is_coordinator(user) or is_org_member(user, org)


# Removing members and revoking invitations stays possible before terms are accepted.
@policy.rule("organisation.edit", "organisation.manage_members")
def _edit_org(user, org) -> bool:
    return is_org_admin(user, org)


@policy.rule("organisation.leave")
def _leave_hub(user, org) -> bool:
    """Taking the organisation out of the hub (withdrawals app): an admin, whether or not the
    current terms were accepted, since consent can always be withdrawn; an organisation that left
    has no members any more."""
    return is_org_admin(user, org) and not org.has_departed


@policy.rule("organisation.invite")
def _invite_to_org(user, org) -> bool:
    return is_org_admin(user, org) and org.is_approved and organisation_accepted_terms(org)


@policy.rule("organisation.accept_terms")
def _accept_org_terms(user, org) -> bool:
    return is_org_admin(user, org) and org.is_approved


@policy.rule("organisation.work")
def work_for_org(user, org) -> bool:
    """Anything beyond the organisation's profile (tools, submissions) needs terms."""
    return is_org_member(user, org) and org.is_approved and organisation_accepted_terms(org)


@policy.rule("organisation.working")
def working_provider(user, obj=None) -> bool:
    """A member of an approved organisation that accepted the current provider terms."""
    organisation = provider_organisation(user)
    return organisation is not None and work_for_org(user, organisation)


# --- scoped querysets ---------------------------------------------------------
@policy.scope("providers.organisations")
def organisations_for(user):
    if is_coordinator(user):
        return Organisation.objects.all()
    member = membership(user)
    if member is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=member.organisation_id)


@policy.scope("providers.own_organisation")
def own_organisation(user):
    """The member's own organisation (none for anyone else), for apps below providers (terms)."""
    member = membership(user)
    if member is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=member.organisation_id)
