"""factory_boy factories for every model, used by the tests of all apps."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import AllowedDomain, OfficerProfile, User
from audit.models import Action, AuditEvent
from notifications.models import OutboxMessage
from providers.models import Invitation, Membership, Organisation
from terms.models import Audience, TermsAcceptance, TermsDocument

DEFAULT_PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    role = User.Role.OFFICER

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class OfficerFactory(UserFactory):
    role = User.Role.OFFICER
    email = factory.Sequence(lambda n: f"officer{n}@police.example.org")


class OfficerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerProfile

    user = factory.SubFactory(OfficerFactory)
    agency = factory.Sequence(lambda n: f"Agency {n}")
    unit = "Online child protection unit"
    country = "FR"
    position = "Investigator"
    reason = "I investigate online child sexual exploitation."
    status = OfficerProfile.Status.PENDING

    class Params:
        verified = factory.Trait(
            status=OfficerProfile.Status.VERIFIED,
            decided_at=factory.LazyFunction(timezone.now),
            verified_until=factory.LazyFunction(lambda: timezone.now() + timedelta(days=365)),
        )


class CoordinatorFactory(UserFactory):
    role = User.Role.COORDINATOR
    email = factory.Sequence(lambda n: f"coordinator{n}@coordinators.example.org")
    is_staff = True


class ProviderUserFactory(UserFactory):
    role = User.Role.PROVIDER
    email = factory.Sequence(lambda n: f"member{n}@provider.example.com")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Example Tools {n} Ltd")
    kind = Organisation.Kind.COMPANY
    country = "DE"
    website = factory.Sequence(lambda n: f"https://tools{n}.example.com")
    contact_name = "Contact Person"
    contact_email = factory.Sequence(lambda n: f"contact{n}@provider.example.com")
    status = Organisation.Status.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(ProviderUserFactory)
    is_admin = True


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@provider.example.com")
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class AllowedDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllowedDomain

    domain = factory.Sequence(lambda n: f"police{n}.example.gov")
    agency = "Example Police"


class TermsDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsDocument

    audience = Audience.PROVIDERS
    version = factory.Sequence(lambda n: f"1.{n}")
    title = "Demo terms"
    body = "Demo text for tests."
    effective_from = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=1))


class TermsAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsAcceptance

    document = factory.SubFactory(TermsDocumentFactory)
    user = factory.SubFactory(UserFactory)


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = Action.LOGIN


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    payload = factory.LazyFunction(
        lambda: {
            "subject": "Hello",
            "body": "Body",
            "from_email": "hub@example.org",
            "to": ["someone@example.org"],
            "cc": [],
            "bcc": [],
            "reply_to": [],
            "alternatives": [],
            "headers": {},
        }
    )


def add_totp(user, secret: str | None = None) -> str:
    """Give a user a TOTP authenticator; returns the plain secret."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def invitation_with_token(**kwargs) -> tuple[Invitation, str]:
    """An invitation whose plain token is known (the factory's hashes open nothing)."""
    token, token_hash = Invitation.new_token()
    return InvitationFactory(token_hash=token_hash, **kwargs), token
