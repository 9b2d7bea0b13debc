"""Writes about provider organisations: registration, review, profile, members, invitations.

Every function that changes state writes its audit event in the same transaction, and
queues its emails in that transaction too (the outbox delivers them after commit).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core.emails import render_subject
from core.links import absolute_url, site_url
from notifications.inbox import notify_many, register_message
from notifications.models import Kind

from .models import Invitation, Membership, Organisation, hash_token

register_message("organisation_approved", _("%(organisation)s was approved"))
register_message("organisation_rejected", _("%(organisation)s was not approved"))

INVITATION_VALIDITY = timedelta(days=7)

# Profile fields an organisation's admin may change, and which of them freeze at approval.
PROFILE_FIELDS = ["name", "kind", "country", "website", "contact_name", "contact_email", "contact_phone"]
FROZEN_AFTER_APPROVAL = {"name", "kind"}

# The only state changes a coordinator can make to an organisation.
ALLOWED_TRANSITIONS = {
    Organisation.Status.PENDING: {Organisation.Status.APPROVED, Organisation.Status.REJECTED},
}


class StaleDecision(Exception):
    """The organisation changed since the coordinator loaded it."""


class InvitationUnusable(Exception):
    """The invitation was accepted, revoked or expired meanwhile."""


class AccountExists(Exception):
    """An account already uses the invited address; nothing was created."""


def _email(recipients: list[str], template: str, context: dict) -> None:
    if not recipients:
        return
    context = {"site_url": site_url(), **context}
    subject = render_subject(f"providers/email/{template}_subject.txt", context)
    body = render_to_string(f"providers/email/{template}_message.txt", context)
    for address in recipients:
        # One message per recipient: admins of one organisation never see each other's addresses.
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [address])


def _notify_admins(organisation: Organisation, template: str, context: dict, *, detail: str = "") -> None:
    """Each active admin gets an inbox entry and (per their settings) one email of their own."""
    admins = User.objects.filter(
        membership__organisation=organisation, membership__is_admin=True, is_active=True
    ).order_by("pk")
    params = {"organisation": organisation.name}
    if detail:
        params["detail"] = detail
    notify_many(
        admins,
        Kind.ORGANISATION_DECISION,
        message=template,
        params=params,
        link=reverse("providers:my_organisation"),
        email_template=f"providers/email/{template}",
        email_context=context,
    )


def _snapshot(organisation: Organisation, fields) -> dict:
    values = {}
    for field in fields:
        value = getattr(organisation, field)
        values[field] = value.code if hasattr(value, "code") else value
    return values


# --- registration ------------------------------------------------------------
@transaction.atomic
def register_organisation(user: User, *, data: dict, request=None) -> Organisation:
    """Create a pending organisation with `user` as its first admin."""
    organisation = Organisation.objects.create(**{field: data.get(field, "") for field in PROFILE_FIELDS})
    Membership.objects.create(organisation=organisation, user=user, is_admin=True)
    record(
        Action.ORG_REGISTERED,
        actor=user,
        target=organisation,
        request=request,
        after={"status": organisation.status, **_snapshot(organisation, ["name", "kind", "country"])},
    )
    return organisation


# --- profile -------------------------------------------------------------------
def editable_fields(organisation: Organisation) -> list[str]:
    if organisation.status == Organisation.Status.APPROVED:
        return [f for f in PROFILE_FIELDS if f not in FROZEN_AFTER_APPROVAL]
    return list(PROFILE_FIELDS)


@transaction.atomic
def update_organisation(organisation: Organisation, *, by: User, changes: dict, request=None) -> list[str]:
    """Apply profile changes from an organisation admin; returns the fields that changed."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    allowed = editable_fields(locked)
    changed = [f for f in allowed if f in changes and _snapshot(locked, [f])[f] != _plain(changes[f])]
    if not changed:
        return []
    before = _snapshot(locked, changed)
    for field in changed:
        setattr(locked, field, changes[field])
    locked.version = F("version") + 1
    locked.save(update_fields=[*changed, "version"])
    locked.refresh_from_db(fields=["version"])
    record(
        Action.ORG_UPDATED, actor=by, target=locked, request=request, before=before, after=_snapshot(locked, changed)
    )
    organisation.refresh_from_db()
    return changed


def _plain(value):
    return value.code if hasattr(value, "code") else value


# --- coordinator review --------------------------------------------------------
def _lock_for_decision(organisation: Organisation, expected_version: int | None, target: str) -> Organisation:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleDecision
    if target not in ALLOWED_TRANSITIONS.get(locked.status, set()):
        raise StaleDecision
    return locked


@transaction.atomic
def approve_organisation(
    organisation: Organisation, *, by: User, request=None, expected_version: int | None = None
) -> Organisation:
    """A coordinator approves a pending organisation; its admins are emailed."""
    locked = _lock_for_decision(organisation, expected_version, Organisation.Status.APPROVED)
    before = {"status": locked.status}
    locked.status = Organisation.Status.APPROVED
    locked.decided_at = timezone.now()
    locked.decision_reason = ""
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "decided_at", "decision_reason", "version"])
    locked.refresh_from_db(fields=["version"])
    record(
        Action.ORG_APPROVED, actor=by, target=locked, request=request, before=before, after={"status": locked.status}
    )
    _notify_admins(locked, "organisation_approved", {"organisation": locked})
    return locked


@transaction.atomic
def reject_organisation(
    organisation: Organisation, *, by: User, reason: str, request=None, expected_version: int | None = None
) -> Organisation:
    """A coordinator rejects a pending organisation with a reason sent to its admins."""
    if not reason.strip():
        raise ValueError("A rejection needs a reason.")
    locked = _lock_for_decision(organisation, expected_version, Organisation.Status.REJECTED)
    before = {"status": locked.status}
    locked.status = Organisation.Status.REJECTED
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "decided_at", "decision_reason", "version"])
    locked.refresh_from_db(fields=["version"])
    record(
        Action.ORG_REJECTED,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={"status": locked.status, "reason": reason},
    )
    _notify_admins(locked, "organisation_rejected", {"organisation": locked, "reason": reason}, detail=reason)
    return locked


# --- invitations -----------------------------------------------------------------
def invitation_url(token: str) -> str:
    return absolute_url(reverse("providers:accept_invitation", kwargs={"token": token}))


@transaction.atomic
def invite_member(organisation: Organisation, *, by: User, email: str, request=None) -> tuple[Invitation, str]:
    """Create an invitation and email its link; returns the invitation and the plain token.

    Only the token's hash is stored: the emailed link is the one copy of the token.
    """
    token, token_hash = Invitation.new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        token_hash=token_hash,
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    record(
        Action.MEMBER_INVITED,
        actor=by,
        target=organisation,
        request=request,
        after={"invitation": str(invitation.public_id), "expires_at": invitation.expires_at.isoformat()},
    )
    _email(
        [invitation.email],
        "invitation",
        {"organisation": organisation, "url": invitation_url(token), "expires_at": invitation.expires_at},
    )
    return invitation, token


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: User, request=None) -> bool:
    """Revoke a pending invitation; False when it was already accepted or revoked."""
    changed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        record(
            Action.INVITATION_REVOKED,
            actor=by,
            target=invitation.organisation,
            request=request,
            before={"invitation": str(invitation.public_id), "state": "pending"},
            after={"invitation": str(invitation.public_id), "state": "revoked"},
        )
    invitation.refresh_from_db()
    return bool(changed)


def usable_invitation(token: str) -> Invitation | None:
    """The invitation a token opens, if it can still be used."""
    if not token or len(token) > 100:
        return None
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def email_in_use(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def accept_invitation(invitation: Invitation, *, full_name: str, password: str, request=None) -> User:
    """Create the invited person's account (a non-admin member) and use up the invitation.

    The emailed link proves control of the address, so it is recorded as verified.
    Raises AccountExists (nothing created) or InvitationUnusable.
    """
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
            if not locked.is_usable():
                raise InvitationUnusable
            if email_in_use(locked.email):
                raise AccountExists
            user = User.objects.create_user(locked.email, password, full_name=full_name, role=User.Role.PROVIDER)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            Membership.objects.create(organisation=locked.organisation, user=user, is_admin=False)
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["accepted_at"])
            record(
                Action.MEMBER_JOINED,
                actor=user,
                target=locked.organisation,
                request=request,
                after={"member": str(user.public_id), "invitation": str(locked.public_id)},
            )
    except IntegrityError as exc:
        # Two submissions raced for the same address: the loser creates nothing.
        raise AccountExists from exc
    return user


# --- members ---------------------------------------------------------------------
@transaction.atomic
def remove_member(membership: Membership, *, by: User, request=None) -> None:
    """An organisation admin removes a non-admin member: the account is disabled and signed out."""
    if membership.is_admin or membership.user_id == by.pk:
        raise ValueError("Admins cannot be removed here.")
    user = membership.user
    organisation = membership.organisation
    before = {"member": str(user.public_id), "is_admin": membership.is_admin, "active": user.is_active}
    membership.delete()
    User.objects.filter(pk=user.pk).update(is_active=False)
    for session in UserSession.objects.filter(user=user):
        session.end()
    record(
        Action.MEMBER_REMOVED,
        actor=by,
        target=organisation,
        request=request,
        before=before,
        after={"member": str(user.public_id), "active": False},
    )
