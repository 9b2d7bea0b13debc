"""Create the demo data set idempotently: running it again changes nothing.

Each demo account gets the same password (printed by the command) and a TOTP secret derived
from SECRET_KEY and its email, so secrets survive a re-run and a fresh database alike.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import AllowedDomain, OfficerProfile, User
from providers.models import Membership, Organisation
from terms.models import Audience, TermsDocument
from terms.services import accept, current_documents, load_terms, personal_audiences

from . import data

# One password for every demo account: long, not a common password, no site words.
DEMO_PASSWORD = "amber-kettle-harbour-lantern-58"  # noqa: S105 - fictitious demo accounts only
TERMS_DIR = Path(__file__).resolve().parent / "terms"


class DemoError(Exception):
    """The demo data cannot be created as asked (e.g. a real account uses a demo address)."""


@dataclass
class DemoAccount:
    email: str
    name: str
    role: str
    organisation: str | None
    password: str
    totp_secret: str

    def as_json(self) -> dict:
        return {
            "email": self.email,
            "name": self.name,
            "password": self.password,
            "totp_secret": self.totp_secret,
            "role": self.role,
            "organisation": self.organisation,
        }


def demo_totp_secret(email: str) -> str:
    """A base32 TOTP secret derived from SECRET_KEY and the address (deterministic)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"saferhub-demo-totp:{email.lower()}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def stored_totp_secret(user: User) -> str | None:
    """The plain TOTP secret of a user's authenticator (decrypted), or None."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    return decrypt(authenticator.data["secret"])


# --- pieces -----------------------------------------------------------------------
def _user(email: str, name: str, role: str, *, is_staff: bool = False) -> User:
    email = email.lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, role=role, is_staff=is_staff, is_demo=True
        )
    elif not user.is_demo:
        raise DemoError(f"{email} belongs to an account that is not a demo account; it is left untouched.")
    if not EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, demo_totp_secret(email))
    return user


def _officer(spec: data.DemoOfficer, decided_by: User) -> User:
    user = _user(spec.email, spec.name, User.Role.OFFICER)
    if not OfficerProfile.objects.filter(user=user).exists():
        now = timezone.now()
        profile = OfficerProfile(
            user=user,
            agency=spec.agency,
            unit=spec.unit,
            country=spec.country,
            position=spec.position,
            reason=spec.reason,
        )
        if spec.status == data.PENDING_OFFICER:
            profile.status = OfficerProfile.Status.PENDING
            profile.submitted_at = now - timedelta(days=spec.days_ago)
        else:
            decided = now - timedelta(days=spec.days_ago)
            profile.submitted_at = decided - timedelta(days=3)
            profile.decided_at = decided
            profile.decided_by = decided_by
            period = timedelta(days=round(30.44 * settings.OFFICER_VERIFICATION_MONTHS))
            if spec.status == data.EXPIRED_OFFICER:
                profile.status = OfficerProfile.Status.EXPIRED
                profile.verified_until = min(decided + period, now - timedelta(days=5))
            else:
                profile.status = OfficerProfile.Status.VERIFIED
                profile.verified_until = decided + period
        profile.save()
    return user


def _organisation(spec: data.DemoOrganisation) -> Organisation:
    organisation = Organisation.objects.filter(name=spec.name, is_demo=True).first()
    if organisation is None:
        admin = next(member for member in spec.members if member.is_admin)
        now = timezone.now()
        organisation = Organisation.objects.create(
            name=spec.name,
            kind=spec.kind,
            country=spec.country,
            website=spec.website,
            contact_name=admin.name,
            contact_email=admin.email,
            status=Organisation.Status.APPROVED if spec.approved else Organisation.Status.PENDING,
            created_at=now - timedelta(days=30 if spec.approved else 4),
            decided_at=now - timedelta(days=25) if spec.approved else None,
            is_demo=True,
        )
    return organisation


def _demo_terms() -> None:
    """Load the demo text for every audience that has no terms at all yet."""
    for audience in Audience.values:
        if TermsDocument.objects.filter(audience=audience).exists():
            continue
        body = (TERMS_DIR / f"{audience}.md").read_text(encoding="utf-8")
        load_terms(
            audience=audience,
            version=data.TERMS_VERSION,
            effective_from=timezone.now().date(),
            title=data.TERMS_TITLES[audience],
            body=body,
            is_demo=True,
        )


def _accept_personal_terms(user: User, organisation: Organisation | None = None) -> None:
    for document in current_documents(personal_audiences(user)):
        accept(user, document, organisation=organisation)


def _account(user: User, role: str, organisation: Organisation | None = None) -> DemoAccount:
    return DemoAccount(
        email=user.email,
        name=user.full_name,
        role=role,
        organisation=organisation.name if organisation else None,
        password=DEMO_PASSWORD,
        totp_secret=stored_totp_secret(user) or "",
    )


# --- the whole set ----------------------------------------------------------------
@transaction.atomic
def seed() -> list[DemoAccount]:
    """Create whatever part of the demo data set is missing; return every demo account."""
    accounts: list[DemoAccount] = []
    _demo_terms()

    coordinators = [_user(spec.email, spec.name, User.Role.COORDINATOR, is_staff=True) for spec in data.COORDINATORS]
    for user in coordinators:
        _accept_personal_terms(user)
        accounts.append(_account(user, data.COORDINATOR))

    if not AllowedDomain.objects.filter(domain=data.ALLOWLISTED_DOMAIN).exists():
        AllowedDomain.objects.create(
            domain=data.ALLOWLISTED_DOMAIN, agency=data.ALLOWLISTED_AGENCY, added_by=coordinators[0]
        )

    for spec in data.OFFICERS:
        user = _officer(spec, decided_by=coordinators[0])
        _accept_personal_terms(user)
        accounts.append(_account(user, spec.status))

    provider_terms = current_documents([Audience.PROVIDERS])
    for spec in data.ORGANISATIONS:
        organisation = _organisation(spec)
        for member in spec.members:
            user = _user(member.email, member.name, User.Role.PROVIDER)
            if not Membership.objects.filter(user=user).exists():
                Membership.objects.create(organisation=organisation, user=user, is_admin=member.is_admin)
            _accept_personal_terms(user, organisation)
            if member.is_admin and spec.accepts_terms and organisation.is_approved:
                for document in provider_terms:
                    accept(user, document, organisation=organisation)
            accounts.append(
                _account(user, data.PROVIDER_ADMIN if member.is_admin else data.PROVIDER_MEMBER, organisation)
            )

    # The catalogue: more provider organisations (each with one admin) and their tools.
    # Their admins are not listed: the command prints one summary line for them.
    from .catalogue import seed_catalogue

    seed_catalogue(coordinators[0], password=DEMO_PASSWORD)
    # Suspended and removed tools with notices, a pending update request, overdue confirmations.
    from .moderation import seed_moderation

    seed_moderation(coordinators[0])
    # Concerns in every state; the suspension and removal ones about the tools suspended/removed above.
    from .concerns import seed_concerns

    seed_concerns(coordinators)
    return accounts
