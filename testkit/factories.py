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
from terms import services as terms_services
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


def provider_admin_under_terms(organisation_name: str) -> tuple[Organisation, User]:
    """A new organisation and its admin, who accepted the current provider terms through the
    production service: where the browser journeys of providers start."""
    organisation = OrganisationFactory(name=organisation_name)
    admin = MembershipFactory(organisation=organisation, is_admin=True).user
    terms = terms_services.load_terms(
        audience=Audience.PROVIDERS,
        version="2025.1",
        effective_from=timezone.now().date() - timedelta(days=1),
        title="Provider terms",
        body="Terms for providers.",
    )
    terms_services.accept(admin, terms, organisation=organisation)
    return organisation, admin


def invitation_with_token(**kwargs) -> tuple[Invitation, str]:
    """An invitation whose plain token is known (the factory's hashes open nothing)."""
    token, token_hash = Invitation.new_token()
    return InvitationFactory(token_hash=token_hash, **kwargs), token


# --- questionnaires and catalogue -----------------------------------------------
from catalogue.models import Answer, Attachment, Review, Tool, ToolState  # noqa: E402
from discovery.models import ExposureCount  # noqa: E402
from questionnaires.models import Option, Question, Questionnaire, QuestionnaireVersion, Section  # noqa: E402


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"questionnaire-{n}")
    names = factory.LazyAttribute(lambda o: {"en": o.key.replace("-", " ").title()})


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = QuestionnaireVersion.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(QuestionnaireVersionFactory)
    key = factory.Sequence(lambda n: f"section-{n}")
    titles = factory.LazyAttribute(lambda o: {"en": f"Section {o.key}"})


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    version = factory.LazyAttribute(lambda o: o.section.version)
    key = factory.Sequence(lambda n: f"question-{n}")
    order = factory.Sequence(lambda n: n)
    type = Question.Type.SHORT_TEXT
    labels = factory.LazyAttribute(lambda o: {"en": f"Question {o.key}?"})


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, type=Question.Type.MULTIPLE_CHOICE)
    value = factory.Sequence(lambda n: f"option-{n}")
    order = factory.Sequence(lambda n: n)
    labels = factory.LazyAttribute(lambda o: {"en": o.value.replace("-", " ").title()})


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"tool-{n}")
    name = factory.Sequence(lambda n: f"Fictitious Tool {n}")
    short_description = "Finds things in seized media."
    long_description = "A longer description of what the tool does."
    website = "https://tool.example.com"
    state = ToolState.DRAFT

    class Params:
        published = factory.Trait(state=ToolState.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    tool = factory.SubFactory(ToolFactory)
    question = factory.SubFactory(QuestionFactory)
    question_key = factory.LazyAttribute(lambda o: o.question.key)
    value = "An answer"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    tool = factory.SubFactory(ToolFactory)
    title = "Independent assessment"
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n%%EOF\n")
    size = 15


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    tool = factory.SubFactory(ToolFactory)
    reviewer = factory.SubFactory(CoordinatorFactory)
    decision = Review.Decision.PUBLISH


class ExposureCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExposureCount

    tool = factory.SubFactory(ToolFactory, published=True)
    day = factory.LazyFunction(lambda: timezone.now().date())
    position_bucket = 0
    count = 1


# Reset before every test by the autouse fixture in conftest.py.
_questionnaires_cleared = False


def reset_questionnaire_state() -> None:
    global _questionnaires_cleared
    _questionnaires_cleared = False


def clear_questionnaires() -> None:
    """Remove every questionnaire (including the shipped ones a data migration loaded), so a
    test sees only the questionnaires it builds. Inside the test's transaction: undone after."""
    Answer.objects.all().delete()
    Option.objects.all().delete()
    Question.objects.all().delete()
    Section.objects.all().delete()
    QuestionnaireVersion.objects.all().delete()
    Questionnaire.objects.all().delete()
    _questionnaires_changed()


def make_questionnaire(
    key: str, questions: list[dict], *, number: int = 1, order: int = 0, keep_shipped: bool = False
) -> QuestionnaireVersion:
    """A published questionnaire version from compact specs:
    {"key", "type", "criterion": bool, "options": [values], "required": bool, "section": key}.
    Questions without "section" go to section "main"; sections are ordered as first named.

    Unless `keep_shipped`, the shipped questionnaires are removed first so that the test
    controls exactly which questions are current."""
    global _questionnaires_cleared
    if not keep_shipped and not _questionnaires_cleared:
        clear_questionnaires()
        _questionnaires_cleared = True
    questionnaire = QuestionnaireFactory(key=key, order=order)
    version = QuestionnaireVersionFactory(questionnaire=questionnaire, number=number)
    sections = {}
    for index, spec in enumerate(questions):
        section_key = spec.get("section", "main")
        if section_key not in sections:
            sections[section_key] = SectionFactory(version=version, key=section_key, order=len(sections))
        question = QuestionFactory(
            section=sections[section_key],
            key=spec["key"],
            order=index,
            type=spec.get("type", Question.Type.SHORT_TEXT),
            is_criterion=spec.get("criterion", False),
            required=spec.get("required", False),
        )
        for position, value in enumerate(spec.get("options", [])):
            OptionFactory(question=question, value=value, order=position)
    _questionnaires_changed()
    return version


def _questionnaires_changed() -> None:
    """Pages read the questionnaires again (they are cached per process)."""
    from questionnaires.selectors import bump_generation

    bump_generation()


from api.models import ApiToken  # noqa: E402


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A stored token whose secret nobody knows; use `make_api_token` to get a usable one."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(OfficerFactory)
    name = factory.Sequence(lambda n: f"Script {n}")
    prefix = "shub_test00"
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


def make_api_token(user, name: str = "Test script") -> str:
    """A usable API token for `user` (no policy check, no audit); returns the secret."""
    from api.services import issue_token

    return issue_token(user, name)[1]


from emblem.models import EmblemEntry, EmblemNotification  # noqa: E402

# A 1x1 PNG: the stored sample of factory-made emblem notifications.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


class EmblemNotificationFactory(factory.django.DjangoModelFactory):
    """A notification as sent (state "submitted"), with its history's first entry."""

    class Meta:
        model = EmblemNotification

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(lambda o: MembershipFactory(organisation=o.organisation).user)
    intended_use = "Our website's partners page names the initiative."
    medium = "website"
    audience = "Visitors of our website"
    period_start = factory.LazyFunction(lambda: timezone.localdate())
    period_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    sample = factory.django.FileField(filename="sample.png", data=TINY_PNG)
    sample_type = "png"
    sample_size = len(TINY_PNG)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        notification = super()._create(model_class, *args, **kwargs)
        if notification.created_by is not None:
            EmblemEntry.objects.create(
                notification=notification, kind=EmblemEntry.Kind.SUBMITTED, author=notification.created_by
            )
        return notification


# --- the in-app inbox (notifications) ---------------------------------------------------
class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread inbox entry; `message_key` names a template in notifications.inbox.MESSAGES."""

    class Meta:
        model = "notifications.Notification"

    user = factory.SubFactory(UserFactory)
    kind = "tool_review"
    message_key = "tool_publish"
    params = factory.Sequence(lambda n: {"tool": f"Fictitious Tool {n}"})
    link = "/tools/mine/"


from moderation.models import CaseMessage, Notice, NoticeAction, ReasonCode  # noqa: E402


class NoticeFactory(factory.django.DjangoModelFactory):
    """A moderation notice; set the tool's state yourself (or use moderation.services)."""

    class Meta:
        model = Notice

    tool = factory.SubFactory(ToolFactory, state=ToolState.SUSPENDED, published_at=factory.LazyFunction(timezone.now))
    action = NoticeAction.SUSPENDED
    reason_code = ReasonCode.MISLEADING_INFORMATION
    summary = "The entry claims an accuracy its own report does not support."
    officer_guidance = "Check results against a second method until the provider corrects the entry."
    provider_guidance = "Publish the full evaluation report and correct the accuracy figure."
    decided_by = factory.SubFactory(CoordinatorFactory)


class CaseMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseMessage

    notice = factory.SubFactory(NoticeFactory)
    role = CaseMessage.Role.PROVIDER
    author = factory.LazyAttribute(lambda o: MembershipFactory(organisation=o.notice.tool.organisation).user)
    text = "We have corrected the figure and attached the report."
