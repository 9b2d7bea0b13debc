"""The one place that answers "may this user do this (to this object)?".

Views and (later) the API ask `can()`; querysets that list objects for a user are
scoped by the `*_for()` helpers here, so UI and API share one rule set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone


# --- who is this? -----------------------------------------------------------
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_coordinator(user) -> bool:
    return is_signed_in(user) and user.role == "coordinator"


def officer_profile(user):
    if not is_signed_in(user) or user.role != "officer":
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


def membership(user):
    if not is_signed_in(user) or user.role != "provider":
        return None
    try:
        return user.membership
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None


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
    from terms.services import organisation_has_accepted_current_terms

    return organisation_has_accepted_current_terms(organisation)


# --- the rules ----------------------------------------------------------------
def _coordinator(user, obj=None) -> bool:
    return is_coordinator(user)


def _view_org(user, org) -> bool:
    return is_coordinator(user) or is_org_member(user, org)


def _edit_org(user, org) -> bool:
    return is_org_admin(user, org)


def _invite_to_org(user, org) -> bool:
    return is_org_admin(user, org) and org.is_approved and organisation_accepted_terms(org)


def _accept_org_terms(user, org) -> bool:
    return is_org_admin(user, org) and org.is_approved


def _work_for_org(user, org) -> bool:
    """Anything beyond the organisation's profile (tools, submissions) needs terms."""
    return is_org_member(user, org) and org.is_approved and organisation_accepted_terms(org)


def _renew_verification(user, obj=None) -> bool:
    profile = officer_profile(user)
    return profile is not None and (profile.status == profile.Status.EXPIRED or profile.expires_soon())


def _edit_own_officer_profile(user, obj=None) -> bool:
    return is_officer(user)


def _use_hub(user, obj=None) -> bool:
    """The officers' side of the hub: catalogue, notices, learning, community."""
    return is_verified_officer(user) or is_coordinator(user)


def _view_tool(user, tool) -> bool:
    """A tool's page: officers and coordinators; only coordinators see unpublished tools."""
    return _use_hub(user) and (tool.is_published or is_coordinator(user))


def _view_tool_files(user, tool) -> bool:
    """A tool's attachments and logo: whoever sees the tool, and its own organisation's members."""
    return _view_tool(user, tool) or is_org_member(user, tool.organisation)


def _own_tool_notice(user, tool) -> bool:
    """Notices about a tool, with the provider guidance and the right of reply: its organisation's members."""
    return is_org_member(user, tool.organisation)


def _follow_tool(user, tool=None) -> bool:
    """Following tools (and unfollowing): verified officers; only published tools can be followed."""
    return is_verified_officer(user) and (tool is None or tool.is_published)


def _save_search(user, obj=None) -> bool:
    """Saved catalogue searches: verified officers, each for their own searches."""
    return is_verified_officer(user) and (obj is None or obj.user_id == user.pk)


def _working_provider(user, obj=None) -> bool:
    """A member of an approved organisation that accepted the current provider terms."""
    organisation = provider_organisation(user)
    return organisation is not None and _work_for_org(user, organisation)


def _emblem_pages(user, obj=None) -> bool:
    """Name-and-emblem notifications: coordinators, and members of a working organisation."""
    return is_coordinator(user) or _working_provider(user)


def _view_emblem(user, notification) -> bool:
    return is_coordinator(user) or _work_for_org(user, notification.organisation)


def _report_concern(user, tool=None) -> bool:
    """Reporting a concern about a tool: anyone signed in and in good standing for their role
    (a verified officer, a member of an approved provider organisation that accepted the terms,
    a coordinator), about a published or suspended tool; providers not about their own
    organisation's tools. Anyone can sign up as a provider: until the organisation is approved,
    its members cannot probe the catalogue or file concerns."""
    if not (is_verified_officer(user) or _working_provider(user) or is_coordinator(user)):
        return False
    if tool is None:
        return True
    if tool.state not in ("published", "suspended"):
        return False
    return not is_org_member(user, tool.organisation)


def _respond_to_concern(user, concern) -> bool:
    """A concern the coordinators asked the provider to respond to: that tool's organisation's members.

    Still theirs to read after a later decision on it (the request stays on the concern)."""
    return bool(concern.provider_request) and is_org_member(user, concern.tool.organisation)


RULES: dict[str, Callable[..., bool]] = {
    "hub.use": _use_hub,
    "officer.edit_profile": _edit_own_officer_profile,
    "officer.renew": _renew_verification,
    "vetting.review": _coordinator,
    "vetting.decide": _coordinator,
    "vetting.manage_domains": _coordinator,
    "accounts.manage": _coordinator,
    "organisations.review": _coordinator,
    "organisation.view": _view_org,
    "organisation.edit": _edit_org,
    "organisation.invite": _invite_to_org,
    "organisation.accept_terms": _accept_org_terms,
    "organisation.work": _work_for_org,
    # Removing members and revoking invitations stays possible before terms are accepted.
    "organisation.manage_members": _edit_org,
    "terms.manage": _coordinator,
    "audit.view": _coordinator,
    "backoffice.use": _coordinator,
    "outbox.view": _coordinator,
    "outbox.retry": _coordinator,
    "catalogue.exposure_report": _coordinator,
    "questionnaires.manage": _coordinator,
    "tool.view": _view_tool,
    "tool.view_files": _view_tool_files,
    "tool.follow": _follow_tool,
    "catalogue.save_search": _save_search,
    "tools.review": _coordinator,
    "api.use": _use_hub,
    "moderation.decide": _coordinator,
    "moderation.view_case": _coordinator,
    "moderation.provider_notices": is_provider,
    "moderation.provider_notice": _own_tool_notice,
    "concern.report": _report_concern,
    "concern.mine": is_signed_in,
    "concern.triage": _coordinator,
    "concern.provider_list": _working_provider,
    "concern.provider_respond": _respond_to_concern,
    "emblem.pages": _emblem_pages,
    "emblem.notify": _work_for_org,
    "emblem.view": _view_emblem,
    "emblem.decide": _coordinator,
    "reports.view": _coordinator,
}


def can(user, action: str, obj=None) -> bool:
    """True when `user` may perform `action` (on `obj`). Unknown actions are denied."""
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"No policy rule named {action!r}")
    if not is_signed_in(user):
        return False
    return bool(rule(user, obj) if obj is not None else rule(user))


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise 403 (or 404 when the object's existence must not leak) unless allowed."""
    if not can(user, action, obj):
        raise Http404 if hide else PermissionDenied


def permission_required(action: str):
    """View decorator for actions that do not depend on one object."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- scoped querysets ---------------------------------------------------------
def organisations_for(user):
    from providers.models import Organisation

    if is_coordinator(user):
        return Organisation.objects.all()
    member = membership(user)
    if member is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=member.organisation_id)
