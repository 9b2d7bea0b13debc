"""Create the demo data set idempotently: running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import AllowedDomain, OfficerProfile, User
from providers.models import Membership, Organisation
from terms.models import Audience, TermsDocument
from terms.services import accept, current_documents, load_terms

from . import data
from .catalogue import seed_catalogue
from .community import seed_community
from .concerns import seed_concerns
from .contact import seed_contact
from .discussions import seed_discussions
from .enquiries import seed_enquiries
from .events import seed_events
from .learning import seed_learning
from .moderation import seed_moderation
from .people import DEMO_PASSWORD, accept_personal_terms, demo_organisation, demo_user, stored_totp_secret

TERMS_DIR = Path(__file__).resolve().parent / "terms"


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


def _officer(spec: data.DemoOfficer, decided_by: User) -> User:
    user = demo_user(spec.email, spec.name, User.Role.OFFICER)
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

    coordinators = [
        demo_user(spec.email, spec.name, User.Role.COORDINATOR, is_staff=True) for spec in data.COORDINATORS
    ]
    for user in coordinators:
        accept_personal_terms(user)
        accounts.append(_account(user, data.COORDINATOR))

    if not AllowedDomain.objects.filter(domain=data.ALLOWLISTED_DOMAIN).exists():
        AllowedDomain.objects.create(
            domain=data.ALLOWLISTED_DOMAIN, agency=data.ALLOWLISTED_AGENCY, added_by=coordinators[0]
        )

    for spec in data.OFFICERS:
        user = _officer(spec, decided_by=coordinators[0])
        accept_personal_terms(user)
        accounts.append(_account(user, spec.status))

    provider_terms = current_documents([Audience.PROVIDERS])
    for spec in data.ORGANISATIONS:
        organisation = demo_organisation(spec)
        for member in spec.members:
            user = demo_user(member.email, member.name, User.Role.PROVIDER)
            if not Membership.objects.filter(user=user).exists():
                Membership.objects.create(organisation=organisation, user=user, is_admin=member.is_admin)
            accept_personal_terms(user, organisation)
            if member.is_admin and spec.accepts_terms and organisation.is_approved:
                for document in provider_terms:
                    accept(user, document, organisation=organisation)
            accounts.append(
                _account(user, data.PROVIDER_ADMIN if member.is_admin else data.PROVIDER_MEMBER, organisation)
            )

    # The catalogue: more provider organisations (each with one admin) and their tools.
    # Their admins are not listed: the command prints one summary line for them.
    seed_catalogue(coordinators[0], password=DEMO_PASSWORD)
    # Suspended and removed tools with notices, a pending update request, overdue confirmations.
    seed_moderation(coordinators[0])
    # Concerns in every state; the suspension and removal ones about the tools suspended/removed above.
    seed_concerns(coordinators)
    # Meet other officers: listings with different choices, requests and a conversation.
    seed_community()
    # Events: past ones with a visible imbalance between providers, upcoming ones with a waiting list.
    seed_events(coordinators[0])
    # Discussions with replies, a quote and a hidden post; field reports (one pseudonymous); declared use.
    seed_discussions(coordinators[0])
    # The Learning Centre: a responsible-use module and a wellbeing article in every language, step items in English.
    seed_learning(coordinators[0])
    # The contact point: an answered question and one waiting; requests to providers, one answered.
    seed_contact(coordinators)
    seed_enquiries()
    return accounts
