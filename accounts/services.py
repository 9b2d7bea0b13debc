"""Writes about people: sign-in failures and lockout, vetting, expiry, inactivity.

Every function that changes state writes its audit event in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import clear_totp_secret
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action, AuditEvent
from audit.services import record
from core.emails import render_subject
from core.links import site_url
from core.time_zones import DEFAULT_ZONE, is_valid_zone
from notifications.inbox import notify as notify_inbox
from notifications.inbox import register_message
from notifications.models import Kind, Notification, NotificationPreference, UserSettings
from notifications.services import forget_recipient

from . import personal_data
from .models import AllowedDomain, OfficerProfile, User
from .rules import is_officer_account


class StaleDecision(Exception):
    """The object changed since the coordinator loaded it."""


def find_user_by_email(email: str) -> User | None:
    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip()).first()


register_message("officer_approved", gettext_lazy("Your registration was approved"))
register_message("officer_rejected", gettext_lazy("Your registration was not approved"))
register_message("account_locked", gettext_lazy("Your account was locked after repeated failed sign-in attempts"))
register_message("account_unlocked", gettext_lazy("Your account was unlocked"))
register_message("verification_expired", gettext_lazy("Your verification expired: ask for its renewal"))

# Account messages that also reach the inbox: template -> (kind, link URL name).
INBOX_MESSAGES = {
    "account_locked": ("account_security", ""),
    "account_unlocked": ("account_security", ""),
    "verification_expired": ("vetting_decision", "accounts:profile"),
}


def notify(user: User, template: str, context: dict | None = None) -> None:
    """Queue an email to a user (goes to the outbox, in the current transaction); account-security
    and verification messages are also put in the user's inbox."""
    context = {"user": user, "site_url": site_url(), **(context or {})}
    if template in INBOX_MESSAGES:
        kind, link = INBOX_MESSAGES[template]
        notify_inbox(
            user,
            kind,
            message=template,
            link=reverse(link) if link else "",
            email_template=f"accounts/email/{template}",
            # A lock on one's account is a security notice: its kind is always emailed.
            email_context=context,
        )
        return
    subject = render_subject(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])


@transaction.atomic
def officer_details_viewed(user: User, *, by: User, request=None, shown_on: dict | None = None) -> None:
    """A coordinator was shown an officer's personal details (name, email): audited (AU-01).

    `shown_on` names the page's subject (a concern, say). Other people's details are not logged."""
    if is_officer_account(user):
        record(Action.OFFICER_DETAILS_VIEWED, actor=by, target=user, request=request, after=shown_on)


def officers_listed(users, *, by: User, request=None, page: str) -> None:
    """A coordinator was shown a list naming officers (a queue, a search): one audit event naming
    the page and the officers on it (AU-01). Lists that name no officer leave no event."""
    officers = [str(user.public_id) for user in users if is_officer_account(user)]
    if officers:
        record(
            Action.OFFICER_DETAILS_VIEWED,
            actor=by,
            request=request,
            target_label=f"{len(officers)} officers",
            after={"page": page, "officers": officers},
        )


# --- sign-in failures and lockout (SECURITY.md AUTH-03) ----------------------
@transaction.atomic
def register_failed_login(user: User | None, request=None, *, counts: bool = True, method: str = "password") -> None:
    """Count a failed password or second-factor attempt; lock at the threshold."""
    action = Action.MFA_FAILED if method == "mfa" else Action.LOGIN_FAILED
    if user is None:
        record(action, request=request, outcome=AuditEvent.Outcome.FAILURE, target_label="unknown account")
        return
    record(action, target=user, request=request, outcome=AuditEvent.Outcome.FAILURE)
    if not counts:
        return
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    if user.failed_login_count >= settings.LOCKOUT_THRESHOLD and not user.is_locked(now):
        user.locked_until = now + settings.LOCKOUT_DURATION
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        record(
            Action.ACCOUNT_LOCKED, target=user, request=request, after={"locked_until": user.locked_until.isoformat()}
        )
        notify(user, "account_locked", {"minutes": int(settings.LOCKOUT_DURATION.total_seconds() // 60)})


@transaction.atomic
def register_successful_login(user: User, request=None) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, last_seen_at=timezone.now())
    record(Action.LOGIN, actor=user, target=user, request=request)


@transaction.atomic
def unlock_account(user: User, *, by: User, request=None) -> None:
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    record(Action.ACCOUNT_UNLOCKED, actor=by, target=user, request=request, before=before, after={"locked_until": None})
    notify(user, "account_unlocked")


# --- vetting -------------------------------------------------------------------
def _notify_decision(profile: OfficerProfile, template: str, context: dict, *, detail: str = "") -> None:
    """The officer's inbox entry and email for a vetting decision (same transaction)."""
    notify_inbox(
        profile.user,
        Kind.VETTING_DECISION,
        message=template,
        params={"detail": detail} if detail else {},
        link=reverse("accounts:profile"),
        email_template=f"accounts/email/{template}",
        email_context=context,
    )


def is_allowlisted(email: str) -> bool:
    return allowed_domain_of(email) is not None


def allowed_domain_of(email: str) -> AllowedDomain | None:
    domain = email.rsplit("@", 1)[-1].lower()
    return AllowedDomain.objects.filter(domain=domain).first()


def needs_second_approval(profile: OfficerProfile) -> bool:
    item = allowed_domain_of(profile.user.email)
    return item is not None and item.rule == AllowedDomain.Rule.SECOND_APPROVAL


class SameCoordinator(Exception):
    """The second approval must come from another coordinator than the first."""


def _lock_profile(profile: OfficerProfile, expected_version: str | None) -> OfficerProfile:
    locked = OfficerProfile.objects.select_for_update().get(pk=profile.pk)
    if expected_version is not None and locked.version_token() != expected_version:
        raise StaleDecision
    return locked


@transaction.atomic
def approve_officer(
    profile: OfficerProfile, *, by: User, request=None, expected_version: str | None = None
) -> OfficerProfile:
    """A coordinator verifies an officer (first time or renewal)."""
    profile = _lock_profile(profile, expected_version)
    if (
        profile.status not in (OfficerProfile.Status.PENDING, OfficerProfile.Status.EXPIRED)
        and not profile.renewal_requested_at
    ):
        raise StaleDecision
    now = timezone.now()
    if needs_second_approval(profile):
        first = profile.first_approval
        if first is None:
            return _record_first_approval(profile, by=by, at=now, request=request)
        if first.pk == by.pk:
            raise SameCoordinator
    before = {
        "status": profile.status,
        "verified_until": profile.verified_until.isoformat() if profile.verified_until else None,
    }
    profile.status = OfficerProfile.Status.VERIFIED
    profile.decided_at = now
    profile.decided_by = by
    profile.decision_reason = ""
    profile.verified_until = now + timedelta(days=round(30.44 * settings.OFFICER_VERIFICATION_MONTHS))
    profile.renewal_requested_at = None
    _clear_first_approval(profile)
    profile.save()
    record(
        Action.OFFICER_APPROVED,
        actor=by,
        target=profile.user,
        request=request,
        before=before,
        after={"status": profile.status, "verified_until": profile.verified_until.isoformat()},
    )
    _notify_decision(profile, "officer_approved", {"profile": profile})
    return profile


def _record_first_approval(profile: OfficerProfile, *, by: User, at, request) -> OfficerProfile:
    """The agency's domain asks for two coordinators: this approval waits for another one."""
    profile.first_approved_by = by
    profile.first_approved_at = at
    profile.first_approval_of = profile.version_token()
    profile.save(update_fields=["first_approved_by", "first_approved_at", "first_approval_of"])
    record(Action.OFFICER_FIRST_APPROVAL, actor=by, target=profile.user, request=request)
    return profile


def _clear_first_approval(profile: OfficerProfile) -> None:
    profile.first_approved_by = None
    profile.first_approved_at = None
    profile.first_approval_of = ""


@transaction.atomic
def reject_officer(
    profile: OfficerProfile, *, by: User, reason: str, request=None, expected_version: str | None = None
) -> OfficerProfile:
    profile = _lock_profile(profile, expected_version)
    if profile.status != OfficerProfile.Status.PENDING and not profile.renewal_requested_at:
        raise StaleDecision
    before = {"status": profile.status}
    profile.status = OfficerProfile.Status.REJECTED
    profile.decided_at = timezone.now()
    profile.decided_by = by
    profile.decision_reason = reason
    profile.renewal_requested_at = None
    _clear_first_approval(profile)
    profile.save()
    record(
        Action.OFFICER_REJECTED,
        actor=by,
        target=profile.user,
        request=request,
        before=before,
        after={"status": profile.status, "reason": reason},
    )
    _notify_decision(profile, "officer_rejected", {"profile": profile, "reason": reason}, detail=reason)
    return profile


# --- officers' own details -------------------------------------------------------
OFFICER_EDITABLE_FIELDS = ("agency", "unit", "country", "position")


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


class ProfileSaved(NamedTuple):
    officer: OfficerProfile | None  # as saved; None for other roles
    sent_back_to_vetting: bool


@transaction.atomic
def update_own_profile(
    user: User, *, full_name: str, officer_changes: dict | None = None, request=None
) -> ProfileSaved:
    """A user saves their profile page: the name, and an officer's vetted details."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.full_name != full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        # The names themselves stay out of the audit log (identities are shown only on
        # audited pages); the event says that it changed.
        record(Action.NAME_CHANGED, actor=user, target=user, request=request)
    profile = OfficerProfile.objects.filter(user=user).first()
    if profile is None or officer_changes is None:
        return ProfileSaved(profile, False)
    submitted_at = profile.submitted_at
    profile = update_officer_profile(profile, by=user, request=request, **officer_changes)
    return ProfileSaved(profile, profile.submitted_at != submitted_at)


@transaction.atomic
def update_officer_profile(profile: OfficerProfile, *, by: User, request=None, **changes) -> OfficerProfile:
    """An officer changes their agency, unit, country or position, audited with before/after.

    A change of agency sends a verified officer (or one waiting) back to the vetting queue,
    as a re-vetting, and so out of the catalogue until a coordinator approves again (the
    agency is what was vetted). Other changes need no new decision.
    """
    unknown = set(changes) - set(OFFICER_EDITABLE_FIELDS)
    if unknown:
        # Status, role, dates... are never the officer's to set (mass assignment).
        raise TypeError(f"Not an editable officer field: {', '.join(sorted(unknown))}")
    profile = OfficerProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    before, after = {}, {}
    for field, value in changes.items():
        old, new = str(getattr(profile, field)), str(value)
        if old != new:
            before[field], after[field] = old, new
            setattr(profile, field, value)
    if not after:
        return profile
    update_fields = list(after)
    record(Action.OFFICER_PROFILE_CHANGED, actor=by, target=profile.user, request=request, before=before, after=after)
    if "agency" in after and profile.agency_change_needs_vetting():
        status_before = {
            "status": profile.status,
            "verified_until": _iso(profile.verified_until),
            "renewal_requested_at": _iso(profile.renewal_requested_at),
        }
        profile.status = OfficerProfile.Status.PENDING
        profile.verified_until = None
        profile.renewal_requested_at = None
        # Back of the queue, and any coordinator's open decision on the old details is stale.
        profile.submitted_at = timezone.now()
        update_fields += ["status", "verified_until", "renewal_requested_at", "submitted_at"]
        record(
            Action.OFFICER_SENT_BACK_TO_VETTING,
            actor=by,
            target=profile.user,
            request=request,
            before=status_before,
            after={"status": profile.status, "agency": profile.agency},
        )
    profile.save(update_fields=update_fields)
    return profile


@transaction.atomic
def set_time_zone(user: User, zone: str, *, request=None) -> bool:
    """A user chooses the IANA time zone their times are shown in; audited. True if it changed."""
    if not is_valid_zone(zone):
        raise ValueError(f"Not a time zone: {zone!r}")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.time_zone or DEFAULT_ZONE
    if before == zone:
        return False
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    record(
        Action.TIME_ZONE_CHANGED,
        actor=user,
        target=user,
        request=request,
        before={"time_zone": before},
        after={"time_zone": zone},
    )
    return True


@transaction.atomic
def request_renewal(profile: OfficerProfile, *, request=None) -> OfficerProfile:
    profile = OfficerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.renewal_requested_at is None:
        profile.renewal_requested_at = timezone.now()
        profile.submitted_at = profile.renewal_requested_at
        profile.save(update_fields=["renewal_requested_at", "submitted_at"])
        record(Action.OFFICER_RENEWAL_REQUESTED, actor=profile.user, target=profile.user, request=request)
    return profile


def expire_verifications(now=None) -> int:
    """Periodic: verified officers past their date become expired and are told."""
    now = now or timezone.now()
    count = 0
    due = OfficerProfile.objects.filter(status=OfficerProfile.Status.VERIFIED, verified_until__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            # Conditional update: if two workers race, only one expires and emails.
            changed = OfficerProfile.objects.filter(
                pk=pk, status=OfficerProfile.Status.VERIFIED, verified_until__lte=now
            ).update(status=OfficerProfile.Status.EXPIRED)
            if changed:
                profile = OfficerProfile.objects.select_related("user").get(pk=pk)
                record(
                    Action.OFFICER_EXPIRED,
                    target=profile.user,
                    before={"status": "verified"},
                    after={"status": "expired"},
                )
                notify(profile.user, "verification_expired", {"profile": profile})
                count += 1
    return count


def disable_inactive_accounts(now=None) -> int:
    """Periodic (SECURITY.md AZ-06): accounts unused for the configured days are disabled."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.INACTIVITY_DISABLE_DAYS)
    count = 0
    stale = (
        User.objects.filter(is_active=True, is_demo=False)
        .filter(models_q_inactive_since(cutoff))
        .values_list("pk", flat=True)
    )
    for pk in list(stale):
        with transaction.atomic():
            changed = User.objects.filter(pk=pk, is_active=True).update(is_active=False, disabled_for_inactivity_at=now)
            if changed:
                user = User.objects.get(pk=pk)
                for session in UserSession.objects.filter(user=user):
                    session.end()
                record(Action.ACCOUNT_DISABLED, target=user, after={"reason": "inactivity"})
                count += 1
    return count


def models_q_inactive_since(cutoff):
    return Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True, date_joined__lt=cutoff)


@transaction.atomic
def enable_account(user: User, *, by: User, request=None) -> None:
    if user.closed_at is not None:
        # A closed or deleted account holds nobody any more: it cannot come back.
        return
    user.is_active = True
    user.disabled_for_inactivity_at = None
    user.last_seen_at = timezone.now()
    user.save(update_fields=["is_active", "disabled_for_inactivity_at", "last_seen_at"])
    record(Action.ACCOUNT_ENABLED, actor=by, target=user, request=request)


@transaction.atomic
def end_all_sessions(user: User, *, by: User, request=None, keep_current: bool = False) -> int:
    current = request.session.session_key if (request is not None and keep_current) else None
    ended = 0
    for session in UserSession.objects.filter(user=user):
        if session.session_key != current:
            session.end()
            ended += 1
    record(Action.SESSIONS_ENDED, actor=by, target=user, request=request, after={"ended": ended})
    return ended


@transaction.atomic
def add_allowed_domain(
    domain: str, agency: str, *, by: User, rule: str = AllowedDomain.Rule.MARK, request=None
) -> AllowedDomain:
    item = AllowedDomain.objects.create(domain=domain, agency=agency, rule=rule, added_by=by)
    record(
        Action.DOMAIN_ADDED, actor=by, target=item, request=request, after={"domain": item.domain, "rule": item.rule}
    )
    return item


@transaction.atomic
def change_domain_rule(item: AllowedDomain, rule: str, *, by: User, request=None) -> bool:
    """A coordinator changes what a domain's applicants get; audited. True if it changed."""
    item = AllowedDomain.objects.select_for_update().get(pk=item.pk)
    if item.rule == rule:
        return False
    before = {"domain": item.domain, "rule": item.rule}
    item.rule = rule
    item.save(update_fields=["rule"])
    record(Action.DOMAIN_RULE_CHANGED, actor=by, target=item, request=request, before=before, after={"rule": rule})
    return True


@transaction.atomic
def remove_allowed_domain(item: AllowedDomain, *, by: User, request=None) -> None:
    record(Action.DOMAIN_REMOVED, actor=by, target=item, request=request, before={"domain": item.domain})
    item.delete()


def lockout_message() -> str:
    return _("Too many failed attempts. Try again later.")


def offer_new_totp_secret(request) -> None:
    """Drop the secret pending on the TOTP set-up page, so the page offers a new one.

    Loading the page keeps the pending secret (background requests must not make the code on
    the person's screen stale); a new one is made only when the person asks. An
    authenticator already set up is untouched."""
    with transaction.atomic():
        clear_totp_secret(request)
        record(Action.MFA_SETUP_SECRET_RENEWED, actor=request.user, target=request.user, request=request)


# --- closing an account, and deleting accounts after disuse -------------------
def _erase(user: User) -> None:
    """Remove the person from their account row, keeping the row as the pseudonymous
    "role + public_id" that audit events (kept, append-only) and community content point to."""
    for section in personal_data.sections():
        if section.erase is not None:
            section.erase(user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    # No email still waiting goes to the closed account, and no outbox row keeps its addresses.
    for address in {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}:
        forget_recipient(address)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    UserSettings.objects.filter(user=user).delete()
    OfficerProfile.objects.filter(user=user).update(
        agency="", unit="", position="", reason="", decision_reason="", country=""
    )
    user.email = f"closed-{user.public_id}@closed.invalid"
    user.full_name = ""
    user.time_zone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.closed_at = timezone.now()
    user.set_unusable_password()
    user.save()


@transaction.atomic
def close_account(user: User, *, request=None) -> None:
    """The user closes their own account (after confirming their password)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.closed_at is not None:
        return
    record(Action.ACCOUNT_CLOSED, actor=user, target=user, request=request, after={"role": user.role})
    _erase(user)


def delete_disused_accounts(now=None) -> int:
    """Periodic: accounts disabled for disuse for DISUSED_ACCOUNT_DELETION_MONTHS are deleted
    (reduced like a closed account). Idempotent: a deleted account has `closed_at` and is not
    picked again; one re-enabled meanwhile lost `disabled_for_inactivity_at`."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(settings.DISUSED_ACCOUNT_DELETION_MONTHS * 365.25 / 12))
    due = User.objects.filter(
        is_active=False, closed_at__isnull=True, disabled_for_inactivity_at__lte=cutoff
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            user = (
                User.objects.select_for_update()
                .filter(pk=pk, is_active=False, closed_at__isnull=True, disabled_for_inactivity_at__lte=cutoff)
                .first()
            )
            if user is None:
                continue
            record(
                Action.ACCOUNT_DELETED_FOR_DISUSE,
                target=user,
                after={"disabled_for_inactivity_at": user.disabled_for_inactivity_at.isoformat()},
            )
            _erase(user)
            count += 1
    return count


def personal_data_downloaded(user: User, *, request=None) -> None:
    record(Action.PERSONAL_DATA_DOWNLOADED, actor=user, target=user, request=request)
