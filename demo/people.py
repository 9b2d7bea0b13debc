"""Demo accounts and organisations, shared by every part of the demo data set.

Each demo account gets the same password (printed by the command) and a TOTP secret derived
from SECRET_KEY and its email, so secrets survive a re-run and a fresh database alike.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from providers.models import Organisation
from terms.services import accept, current_documents, personal_audiences

from . import data

# One password for every demo account: long, not a common password, no site words.
DEMO_PASSWORD = "amber-kettle-harbour-lantern-58"  # noqa: S105 - fictitious demo accounts only


class DemoError(Exception):
    """The demo data cannot be created as asked (e.g. a real account uses a demo address)."""


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


def demo_user(email: str, name: str, role: str, *, is_staff: bool = False) -> User:
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


def demo_organisation(spec: data.DemoOrganisation) -> Organisation:
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


def accept_personal_terms(user: User, organisation: Organisation | None = None) -> None:
    for document in current_documents(personal_audiences(user)):
        accept(user, document, organisation=organisation)
