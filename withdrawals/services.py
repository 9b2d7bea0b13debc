"""Providers withdrawing their consent: a tool taken out of the catalogue, an organisation leaving
the hub, and the pseudonymisation of an organisation that left, once its retention period is over.

A withdrawal moves the tool to `withdrawn` through the model (so discovery drops its search
text: it leaves search, comparison and the API list at once), closes its open update request,
and, for a tool officers could see, leaves a notice in the register (moderation's
`announce_withdrawal`, whose signal tells its followers and the officers who declared their
agency uses it). Everything happens in one transaction with its audit events and inbox rows.

Leaving withdraws every tool of the organisation still in play, revokes its invitations, ends
its memberships and deactivates its members' accounts (signed out everywhere at once): a provider
account exists only for its organisation. The organisation, its members and its tools stay
readable by the coordinators for `settings.PROVIDER_RETENTION_DAYS`; then the worker replaces
every personal detail with a pseudonym (`pseudonymise_departed_organisations`).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from audit.models import Action
from audit.services import record
from catalogue import updates
from catalogue.models import Tool, ToolState
from moderation.models import Notice
from moderation.services import announce_withdrawal
from notifications.inbox import notify_many, register_message
from notifications.models import Kind
from providers.models import Invitation, Membership, Organisation
from providers.selectors import active_members
from terms.models import TermsAcceptance

register_message("withdrawals_tool_withdrawn", _("%(tool)s was withdrawn from the catalogue by %(organisation)s"))
register_message("withdrawals_organisation_left", _("%(organisation)s left the hub"))
register_message(
    "withdrawals_membership_ended", _("%(organisation)s left the hub: your SaferHub account is now closed")
)

# The tools an organisation that leaves withdraws: every one still in play. Removed and rejected
# tools stay as they are (a removal is final, a rejection never reached officers).
LEAVING_STATES = (
    ToolState.DRAFT,
    ToolState.SUBMITTED,
    ToolState.CHANGES_REQUESTED,
    ToolState.PUBLISHED,
    ToolState.SUSPENDED,
)
# The states in which officers could open the tool's page: withdrawing it from them is announced.
SHOWN_STATES = (ToolState.PUBLISHED, ToolState.SUSPENDED)


class NotWithdrawable(Exception):
    """Only a published tool (not an update request) can be withdrawn on its own."""


class AlreadyLeft(Exception):
    """The organisation left the hub already."""


# --- one tool ------------------------------------------------------------------------------
def _withdraw(tool: Tool, *, by: User, reason: str, now, request=None) -> Notice | None:
    """Move a locked tool to `withdrawn`; its notice when officers could see it, else None."""
    before = {"state": tool.state, "version": tool.version}
    announced = tool.state in SHOWN_STATES
    tool.state = ToolState.WITHDRAWN
    tool.version = F("version") + 1
    # Saved through the model so discovery.search drops the tool's search text.
    tool.save(update_fields=["state", "version"])
    tool.refresh_from_db(fields=["state", "version"])
    updates.close_open_revisions(tool, by=by, request=request)
    notice = announce_withdrawal(tool, by=by, reason=reason, at=now) if announced else None
    record(
        Action.TOOL_WITHDRAWN,
        actor=by,
        target=tool,
        request=request,
        before=before,
        after={
            "state": tool.state,
            "version": tool.version,
            "notice": str(notice.public_id) if notice else None,
            "reason": reason,
        },
    )
    return notice


@transaction.atomic
def withdraw_tool(tool: Tool, *, by: User, reason: str = "", request=None) -> Notice:
    """A provider admin takes a published tool out of the catalogue (policy "tool.withdraw").

    Its followers and the officers who declared their agency uses it are told (through the
    notice), so are the coordinators and the organisation's other members."""
    reason = reason.strip()
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    if locked.state != ToolState.PUBLISHED or locked.is_revision:
        raise NotWithdrawable
    locked.organisation = tool.organisation
    notice = _withdraw(locked, by=by, reason=reason, now=timezone.now(), request=request)
    params = {"tool": locked.name, "organisation": locked.organisation.name, "detail": reason}
    notify_many(
        User.objects.active_coordinators(),
        Kind.TOOL_WITHDRAWN,
        message="withdrawals_tool_withdrawn",
        params=params,
        link=reverse("catalogue:tool_detail", kwargs={"slug": locked.slug}),
    )
    notify_many(
        active_members(locked.organisation_id).exclude(pk=by.pk),
        Kind.TOOL_WITHDRAWN,
        message="withdrawals_tool_withdrawn",
        params=params,
        link=reverse("catalogue:provider_tool", kwargs={"slug": locked.slug}),
    )
    tool.refresh_from_db()
    return notice


# --- the whole organisation -------------------------------------------------------------------
def leaving_tools(organisation: Organisation):
    """The organisation's tools that leaving would withdraw (update requests are closed with them)."""
    return (
        Tool.objects.filter(organisation=organisation, revision_of__isnull=True, state__in=LEAVING_STATES)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def _end_membership(membership: Membership, *, by: User, organisation: Organisation, now, request=None) -> None:
    """The member's access ends: membership ended, account deactivated, every session ended but
    the one that is leaving (its view signs it out)."""
    user = membership.user
    current = request.session.session_key if request is not None and user.pk == by.pk else None
    Membership.objects.filter(pk=membership.pk).update(ended_at=now)
    User.objects.filter(pk=user.pk).update(is_active=False)
    for session in UserSession.objects.filter(user=user):
        if session.session_key != current:
            session.end()
    record(
        Action.ACCOUNT_DISABLED,
        actor=by,
        target=user,
        request=request,
        before={"active": user.is_active},
        after={"active": False, "reason": "organisation_left", "organisation": str(organisation.public_id)},
    )


@transaction.atomic
def leave_hub(organisation: Organisation, *, by: User, reason: str = "", request=None) -> Organisation:
    """An organisation admin takes the organisation out of the hub (policy "organisation.leave").

    Every tool still in play is withdrawn as `withdraw_tool` would (drafts and submissions too,
    without a notice: officers never saw them); pending invitations are revoked; every member's
    access ends and their account is deactivated. The members are told by email, the
    coordinators in their inbox. `reason` is for the coordinators only."""
    reason = reason.strip()
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.has_departed:
        raise AlreadyLeft
    now = timezone.now()

    withdrawn = []
    for tool in leaving_tools(locked).select_for_update(of=("self",)):
        _withdraw(tool, by=by, reason="", now=now, request=request)
        withdrawn.append(tool.slug)

    for invitation in Invitation.objects.filter(organisation=locked, accepted_at__isnull=True, revoked_at__isnull=True):
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=now)
        record(
            Action.INVITATION_REVOKED,
            actor=by,
            target=locked,
            request=request,
            before={"invitation": str(invitation.public_id), "state": "pending"},
            after={"invitation": str(invitation.public_id), "state": "revoked", "reason": "organisation_left"},
        )

    memberships = list(
        Membership.objects.filter(organisation=locked, ended_at__isnull=True).select_related("user").order_by("pk")
    )
    # Told before their accounts close: one email each, whatever their settings (they can no
    # longer sign in to change them or to read the inbox).
    members = [membership.user for membership in memberships if membership.user.is_active]
    notify_many(
        members,
        Kind.ORGANISATION_DECISION,
        message="withdrawals_membership_ended",
        params={"organisation": locked.name},
        email_template="withdrawals/email/membership_ended",
        email_context={
            "organisation": locked,
            "tools": len(withdrawn),
            "retention_days": settings.PROVIDER_RETENTION_DAYS,
        },
        safety=True,
    )
    for membership in memberships:
        _end_membership(membership, by=by, organisation=locked, now=now, request=request)

    before = {"status": locked.status}
    locked.status = Organisation.Status.DEPARTED
    locked.departed_at = now
    locked.departure_reason = reason
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "departed_at", "departure_reason", "version"])
    locked.refresh_from_db()
    record(
        Action.ORG_LEFT,
        actor=by,
        target=locked,
        request=request,
        before=before,
        after={
            "status": locked.status,
            "tools_withdrawn": withdrawn,
            "members": [str(membership.user.public_id) for membership in memberships],
            "retained_until": locked.retained_until.isoformat(),
            "reason": reason,
        },
    )
    notify_many(
        User.objects.active_coordinators(),
        Kind.ORGANISATION_LEFT,
        message="withdrawals_organisation_left",
        params={"organisation": locked.name, "detail": reason},
        link=reverse("providers:review_detail", kwargs={"public_id": locked.public_id}),
    )
    organisation.refresh_from_db()
    return locked


# --- after the retention period ----------------------------------------------------------------
def retention_period() -> timedelta:
    return timedelta(days=settings.PROVIDER_RETENTION_DAYS)


def due_for_pseudonymisation(now=None):
    """Organisations that left more than the retention period ago and still carry their details."""
    now = now or timezone.now()
    return Organisation.objects.filter(
        status=Organisation.Status.DEPARTED, departed_at__lte=now - retention_period(), pseudonymised_at__isnull=True
    )


FORMER_MEMBER = pgettext_lazy("pseudonym", "Former member %(id)s")
FORMER_ORGANISATION = pgettext_lazy("pseudonym", "Former organisation %(id)s")


def _pseudonym(template, public_id) -> str:
    # Stored data, written once in the hub's default language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(template) % {"id": public_id.hex[:8]}


def _pseudonymise_member(user: User) -> None:
    """A former member keeps a row (the audit log and the organisation's records point at it) but
    nothing that names them or lets anyone sign in as them."""
    user.full_name = _pseudonym(FORMER_MEMBER, user.public_id)
    user.email = f"former-member-{user.public_id.hex}@pseudonymised.invalid"
    user.time_zone = ""
    user.set_unusable_password()
    user.save(update_fields=["full_name", "email", "time_zone", "password"])
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    UserSession.objects.filter(user=user).delete()
    TermsAcceptance.objects.filter(user=user).update(ip_address=None)


def pseudonymise(organisation: Organisation) -> dict:
    """Replace every personal detail of a departed organisation (called by the job, which claimed it)."""
    organisation.name = _pseudonym(FORMER_ORGANISATION, organisation.public_id)
    organisation.website = ""
    organisation.contact_name = ""
    organisation.contact_email = ""
    organisation.contact_phone = ""
    organisation.departure_reason = ""
    organisation.version = F("version") + 1
    organisation.save(
        update_fields=[
            "name",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "departure_reason",
            "version",
        ]
    )
    members = User.objects.filter(membership__organisation=organisation).order_by("pk")
    for user in members:
        _pseudonymise_member(user)
    invitations = Invitation.objects.filter(organisation=organisation).delete()[0]
    return {"members": len(members), "invitations_deleted": invitations}


def _claim(pk: int, now) -> bool:
    """Take the organisation for this worker; False when another worker took it first."""
    return bool(
        Organisation.objects.filter(pk=pk, status=Organisation.Status.DEPARTED, pseudonymised_at__isnull=True).update(
            pseudonymised_at=now
        )
    )


def pseudonymise_departed_organisations(now=None) -> int:
    """Periodic: pseudonymise each organisation whose retention period is over, exactly once.

    Each organisation is claimed by a conditional update inside its own transaction: a second
    worker's update matches nothing (on PostgreSQL it waits for the first one's commit, then finds
    the row taken), so the work is never done twice, and a crash rolls the claim back with it."""
    now = now or timezone.now()
    count = 0
    for pk in list(due_for_pseudonymisation(now).values_list("pk", flat=True)):
        with transaction.atomic():
            if not _claim(pk, now):
                continue
            organisation = Organisation.objects.get(pk=pk)
            done = pseudonymise(organisation)
            organisation.refresh_from_db()
            record(
                Action.ORG_PSEUDONYMISED,
                target=organisation,
                after={
                    "pseudonymised_at": now.isoformat(),
                    "departed_at": organisation.departed_at.isoformat(),
                    **done,
                },
            )
            count += 1
    return count
