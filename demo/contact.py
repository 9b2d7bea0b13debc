"""Demo data of the contact point: a pending applicant's question the coordinators answered, and a
provider's question about the terms still waiting in the queue.

Idempotent: an author who already wrote is left as they are. Written through the contact point's
services, so audit events and inbox entries are real.
"""

from __future__ import annotations

from accounts.models import User
from contact import services
from contact.models import Conversation

from . import data

APPLICANT = f"applicant@{data.ALLOWLISTED_DOMAIN}"
PROVIDER = "admin@harbourline.demo.invalid"


def _writer(email: str) -> User | None:
    user = User.objects.filter(email=email).first()
    if user is None or Conversation.objects.filter(author=user).exists():
        return None
    return user


def seed_contact(coordinators: list[User]) -> None:
    applicant = _writer(APPLICANT)
    if applicant is not None:
        conversation = services.write(
            applicant,
            category="account",
            body="Demo: I registered last week with my agency address. Is anything missing from my application?",
        )
        services.answer(
            conversation,
            by=coordinators[0],
            body="Demo: your application is complete; a coordinator will decide on it this week.",
        )
    provider = _writer(PROVIDER)
    if provider is not None:
        services.write(
            provider,
            category="terms",
            body="Demo: before we accept the terms, can our legal team ask a question about clause 4?",
        )
