"""The demo catalogue: about 80 fictitious tools from about 40 fictitious providers.

Every name starts with "Demo" (organisations also say "(fictitious)"), every address uses a
reserved `.invalid` or `.example` domain, and every text is made up from the small phrase banks
below. Answers follow the *current* questionnaire versions, whatever they are: choice questions
get one to four of their options, yes/no a boolean, and so on by question type. About a fifth of
the questions stay unanswered, so the catalogue shows "No reply provided" where it should.

Everything is deterministic: each tool draws from its own `random.Random` seeded with its slug,
so two runs (or two machines) produce the same catalogue. The benchmark (bench/run.py) reuses
`build_tools` with `full=True` to generate thousands of published tools with every question
answered.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from catalogue.decisions import CHECKLIST
from catalogue.models import Answer, Review, Tool, ToolState
from discovery.models import ToolSearchText
from discovery.search import answered_counts, search_text
from providers.models import Membership, Organisation
from questionnaires.models import Question, QuestionnaireVersion
from questionnaires.selectors import current_versions
from terms.models import Audience
from terms.services import accept, current_documents

from . import data
from .people import accept_personal_terms, demo_organisation, demo_user

UNANSWERED_SHARE = 0.2
SEED = "saferhub-demo-catalogue-v1"

# --- the providers ------------------------------------------------------------------------
# Invented words; with "Demo" in front and "(fictitious)" behind nobody takes them for real.
_STEMS = (
    "Aldervane",
    "Brisklow",
    "Cobaltine",
    "Dunmerrow",
    "Emberquay",
    "Fennixa",
    "Glasswick",
    "Hollowfen",
    "Ivorant",
    "Juniperly",
    "Kestrelon",
    "Larkspyre",
    "Mirelight",
    "Nettlecombe",
    "Oakhollow",
    "Pebblestrand",
    "Quartzly",
    "Rivenmoor",
    "Saltmire",
    "Thistlebrook",
    "Umberfield",
    "Velvetine",
    "Willowmere",
    "Xantheon",
    "Yarrowgate",
    "Zephyrin",
    "Ashcombrel",
    "Bramblewick",
    "Cinderholt",
    "Driftmoor",
    "Elderquay",
    "Foxglenna",
    "Gorsefield",
    "Heronvale",
    "Inkwellow",
    "Juxtaline",
)
_KIND_WORDS = {
    Organisation.Kind.COMPANY: ("Company", ("Analytics", "Systems", "Labs", "Software", "Forensics")),
    Organisation.Kind.ACADEMIC: ("University", ("Research Group", "Institute", "Lab")),
    Organisation.Kind.NON_PROFIT: ("Non-profit", ("Foundation", "Alliance", "Trust")),
    Organisation.Kind.OTHER: ("Consortium", ("Project", "Network")),
}
_KIND_CYCLE = (
    Organisation.Kind.COMPANY,
    Organisation.Kind.COMPANY,
    Organisation.Kind.ACADEMIC,
    Organisation.Kind.COMPANY,
    Organisation.Kind.NON_PROFIT,
    Organisation.Kind.COMPANY,
    Organisation.Kind.OTHER,
)
_COUNTRIES = ("DE", "FR", "NL", "SE", "ES", "IT", "GB", "IE", "US", "CA", "BR", "IN", "KE", "ZA", "SG", "JP", "AU")
_FIRST_NAMES = ("Ada", "Bruno", "Carmen", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jun", "Kofi", "Leila")
_LAST_NAMES = ("Alvarez", "Brandt", "Chen", "Diallo", "Eriksen", "Fontaine", "Gupta", "Haddad", "Ivanova", "Jansen")


def _catalogue_organisation(index: int, stem: str) -> data.DemoOrganisation:
    kind = _KIND_CYCLE[index % len(_KIND_CYCLE)]
    prefix, suffixes = _KIND_WORDS[kind]
    host = stem.lower()
    admin_name = (
        f"Demo Provider Admin {_FIRST_NAMES[index % len(_FIRST_NAMES)]} {_LAST_NAMES[index % len(_LAST_NAMES)]}"
    )
    return data.DemoOrganisation(
        f"Demo {prefix} {stem} {suffixes[index % len(suffixes)]} (fictitious)",
        kind,
        _COUNTRIES[index % len(_COUNTRIES)],
        f"https://{host}.example",
        approved=True,
        accepts_terms=True,
        members=(data.DemoMember(f"admin@{host}.demo.invalid", admin_name, True),),
    )


# Organisations that only exist to fill the catalogue (each with one admin).
CATALOGUE_ORGANISATIONS = tuple(_catalogue_organisation(index, stem) for index, stem in enumerate(_STEMS))
TOOLS_PER_ORGANISATION = 2

# --- phrase banks (written for this project) ---------------------------------------------
_TOOL_NOUNS = (
    "Triage",
    "Lens",
    "Sorter",
    "Hashmatch",
    "Scope",
    "Graph",
    "Tracer",
    "Sieve",
    "Beacon",
    "Atlas",
    "Compass",
    "Relay",
    "Ledger",
    "Prism",
    "Harbour",
    "Loom",
)
_WHAT = (
    "sorts seized images and videos so that investigators see the most relevant material first",
    "groups near-duplicate pictures so the same content is not reviewed twice",
    "compares files against hash lists of known material shared by partner agencies",
    "finds the same person across large photo collections so that victims are found sooner",
    "reads text in screenshots and chat exports and flags conversations that look like grooming",
    "maps links between accounts, devices and payment traces in a case",
    "estimates the age range of people shown in images to help prioritise review",
    "transcribes and translates speech found on seized devices",
    "recognises rooms, objects and landmarks that can help place where material was made",
    "builds a timeline of events from phone and computer extractions",
    "removes duplicate public reports before they reach hotline analysts",
    "hides personal details in case files before they are shared with partners",
    "blurs and greys out distressing content so analysts are less exposed to it",
    "follows usernames and aliases across platforms named in a referral",
)
_AUDIENCE = (
    "for victim identification teams",
    "for digital forensics laboratories",
    "for small cybercrime units",
    "for hotline analysts",
    "for teams working on international referrals",
    "for investigators with little technical support",
)
_TRAITS = (
    "It runs on a single workstation without a network connection.",
    "It plugs into the forensic suites most units already use.",
    "Each score comes with the features that drove it, so an analyst can check it.",
    "Every action is logged so the work can be explained in court.",
    "Analysts can correct its suggestions, and the corrections improve later results.",
    "It processes a typical phone extraction in under an hour on ordinary hardware.",
    "The interface is available in several languages.",
    "Nothing leaves the agency's own servers.",
    "Reviewers can work in short sessions with built-in breaks.",
    "It exports its findings in open formats.",
)
# Free-text answers by topic: the first topic whose word appears in the question key wins.
_TOPICS = (
    (
        ("accura", "measur", "perform", "error"),
        (
            "We measured precision and recall on a held-out test set built with two partner units.",
            "On our internal benchmark the tool ranked nine in ten relevant items within the first fifth of a case.",
            "Accuracy drops on very small or heavily compressed images; we report those results separately.",
            "The figures come from a test run in 2024 and are repeated with every major release.",
        ),
    ),
    (
        ("train", "provenance", "dataset", "data-source"),
        (
            "The models were trained on licensed stock imagery and synthetic data generated in-house.",
            "No illegal material was used for training; matching relies on hash lists provided by partners.",
            "Training data is documented in a data sheet that we share with customers on request.",
            "Annotations were made by trained staff under a written welfare policy.",
        ),
    ),
    (
        ("bias", "fair", "skin", "age", "sex"),
        (
            "We test error rates separately for age groups, sex and skin tone before every release.",
            "Differences larger than three percentage points block a release until they are investigated.",
            "The last evaluation found higher error rates for very young children, which we state in the manual.",
        ),
    ),
    (
        ("oversight", "human", "explain"),
        (
            "The tool only suggests; an analyst confirms every finding before it enters a report.",
            "Each suggestion shows the evidence behind it and a confidence band.",
            "Supervisors can review a sample of decisions made with the tool.",
        ),
    ),
    (
        ("limit", "known", "risk"),
        (
            "It does not work on encrypted containers that have not been opened.",
            "Cartoon and drawn content is outside its scope.",
            "Results on live-streamed video are less reliable than on stored files.",
        ),
    ),
    (
        ("secur", "certif", "protect", "retention", "privacy"),
        (
            "Data stays on the customer's own infrastructure and is deleted when a case is closed.",
            "We hold an information security certification and repeat penetration tests every year.",
            "Access is role based and every access is logged.",
        ),
    ),
    (
        ("support", "training", "help"),
        (
            "We offer a two-day online course and a help desk during European working hours.",
            "Manuals and short videos are included; on-site training is available on request.",
            "A named contact person answers questions from law-enforcement users.",
        ),
    ),
    (
        ("incident", "report", "complaint"),
        (
            "Incidents can be reported to a dedicated address and are acknowledged within one working day.",
            "We inform affected customers within 72 hours of a confirmed security incident.",
        ),
    ),
)
_GENERIC = (
    "Details are available to verified law-enforcement users on request.",
    "This is described in the documentation that comes with the tool.",
    "We are working on this and expect to publish more information next year.",
    "It depends on the deployment; our team helps each unit choose the right set-up.",
    "Partner units helped us shape this part of the product.",
)
_REVIEW_CHANGES = (
    "Please remove the sentence saying the tool is recommended by police forces: the catalogue endorses no tool.",
    "The reported accuracy needs a short description of how it was measured (test data and method).",
    "The long description reads like advertising; please describe plainly what the tool does.",
    "The answer about training data contradicts the attached report; please check it.",
)
_REVIEW_REJECT = (
    "The entry describes a general marketing platform, not a tool for investigating child sexual exploitation.",
)


# --- answers --------------------------------------------------------------------------------
def _text(question: Question, rng: random.Random, long: bool) -> str:
    key = question.key.lower()
    bank = next((sentences for words, sentences in _TOPICS if any(word in key for word in words)), _GENERIC)
    if not long:
        return rng.choice(bank)
    count = min(len(bank), rng.randint(2, 3))
    return " ".join(rng.sample(bank, count) + [rng.choice(_GENERIC)])


def _number(question: Question, rng: random.Random) -> int | float:
    key = question.key.lower()
    if "year" in key:
        return rng.randint(2012, 2025)
    if any(word in key for word in ("accura", "percent", "rate", "precision", "recall")):
        return round(rng.uniform(70, 99), 1)
    return rng.randint(1, 250)


def answer_value(question: Question, rng: random.Random, *, host: str, today: datetime.date):
    """A plausible value for one question, by its type (None for file questions)."""
    kind = question.type
    if kind in Question.CHOICE_TYPES:
        values = [option.value for option in question.options.all()]
        if not values:
            return None
        if kind == Question.Type.SINGLE_CHOICE:
            return rng.choice(values)
        chosen = set(rng.sample(values, rng.randint(1, min(4, len(values)))))
        return [value for value in values if value in chosen]
    if kind == Question.Type.YES_NO:
        return rng.random() < 0.65
    if kind == Question.Type.NUMBER:
        return _number(question, rng)
    if kind == Question.Type.DATE:
        return (today - datetime.timedelta(days=rng.randint(30, 1100))).isoformat()
    if kind == Question.Type.URL:
        return f"https://{host}/docs/{question.key}"
    if kind == Question.Type.SHORT_TEXT:
        return _text(question, rng, long=False)
    if kind == Question.Type.LONG_TEXT:
        return _text(question, rng, long=True)
    return None  # file questions: no attachment in the demo data


def make_answers(
    tool: Tool,
    questions: Sequence[Question],
    rng: random.Random,
    *,
    full: bool = False,
    host: str = "tool.example",
    today: datetime.date | None = None,
) -> list[Answer]:
    """Unsaved answers of `tool` to `questions` (the current versions' rows).

    Unless `full`, about a fifth of the questions stay unanswered (file questions always do,
    required ones never do, so every submitted or published tool could have been submitted)."""
    today = today or timezone.now().date()
    skip = 0.0
    if not full and questions:
        files = sum(1 for question in questions if question.type == Question.Type.FILE)
        optional = sum(1 for q in questions if not q.required and q.type != Question.Type.FILE)
        if optional:
            skip = min(1.0, max(0.0, (UNANSWERED_SHARE * len(questions) - files) / optional))
    answers = []
    for question in questions:
        # Draw every time, so one question's fate does not shift the others'.
        skipped = rng.random() < skip
        value = answer_value(question, rng, host=host, today=today)
        if value is None or (skipped and not question.required):
            continue
        answers.append(
            Answer(
                tool=tool,
                question=question,
                question_key=question.key,
                value=value,
                answered_at=tool.updated_at,
            )
        )
    return answers


# --- tools ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ToolSpec:
    slug: str
    name: str
    organisation: Organisation
    state: str
    host: str


def describe(rng: random.Random, name: str) -> tuple[str, str]:
    """A short and a long description."""
    what, audience = rng.choice(_WHAT), rng.choice(_AUDIENCE)
    short = f"{name} {what} {audience}."
    traits = rng.sample(_TRAITS, rng.randint(2, 4))
    extra = rng.choice(_WHAT)
    long = f"{short} It also {extra}. " + " ".join(traits)
    return short[:300], long


def build_tools(
    specs: Sequence[ToolSpec],
    versions: Sequence[QuestionnaireVersion],
    *,
    full: bool = False,
    created_by: dict | None = None,
    batch_size: int = 500,
) -> list[Tool]:
    """Create the tools of `specs` with answers and search text, in bulk (no signals, no audit).

    Deterministic per slug. `created_by` maps organisation id to the user shown as creator."""
    now = timezone.now()
    today = now.date()
    questions = [question for version in versions for question in version.questions.all()]
    tools, answers, texts = [], [], []
    rngs = {}
    for spec in specs:
        rng = random.Random(f"{SEED}:{spec.slug}")
        rngs[spec.slug] = rng
        short, long = describe(rng, spec.name)
        updated = now - datetime.timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 1440))
        submitted = spec.state in (ToolState.SUBMITTED, ToolState.CHANGES_REQUESTED, ToolState.PUBLISHED)
        rejected = spec.state == ToolState.REJECTED
        tools.append(
            Tool(
                slug=spec.slug,
                organisation=spec.organisation,
                name=spec.name,
                short_description=short,
                long_description=long,
                website=f"https://{spec.host}",
                state=spec.state,
                created_at=updated - datetime.timedelta(days=rng.randint(5, 60)),
                created_by=(created_by or {}).get(spec.organisation.pk),
                updated_at=updated,
                submitted_at=updated - datetime.timedelta(days=2) if submitted or rejected else None,
                published_at=updated if spec.state == ToolState.PUBLISHED else None,
            )
        )
    Tool.objects.bulk_create(tools, batch_size=batch_size)
    if not all(tool.pk for tool in tools):  # databases that do not return ids from bulk inserts
        ids = dict(Tool.objects.filter(slug__in=[t.slug for t in tools]).values_list("slug", "pk"))
        for tool in tools:
            tool.pk = tool.id = ids[tool.slug]
    for tool, spec in zip(tools, specs, strict=True):
        tool_answers = make_answers(tool, questions, rngs[spec.slug], full=full, host=spec.host, today=today)
        answers.extend(tool_answers)
        if tool.state == ToolState.PUBLISHED:
            texts.append(
                ToolSearchText(
                    tool=tool,
                    text=search_text(tool, tool_answers, versions),
                    answered=answered_counts(tool, tool_answers, versions),
                    updated_at=now,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=batch_size * 4)
    ToolSearchText.objects.bulk_create(texts, batch_size=batch_size)
    return tools


# --- the demo seed -------------------------------------------------------------------------------
def _state_plan(count: int) -> list[str]:
    """Most published, some of every other state, in a fixed shuffled order."""
    fixed = [ToolState.DRAFT] * 8 + [ToolState.SUBMITTED] * 6 + [ToolState.CHANGES_REQUESTED] * 6
    fixed += [ToolState.REJECTED] * 2
    plan = fixed[:count] + [ToolState.PUBLISHED] * max(0, count - len(fixed))
    random.Random(SEED).shuffle(plan)
    return plan


def demo_organisation_specs() -> list[data.DemoOrganisation]:
    """The providers of the catalogue: the approved demo organisations that accepted the
    terms, then the catalogue-only ones (about 40 in all)."""
    ready = [spec for spec in data.ORGANISATIONS if spec.approved and spec.accepts_terms]
    return ready + list(CATALOGUE_ORGANISATIONS)


def tool_specs(organisations: Sequence[tuple[data.DemoOrganisation, Organisation]]) -> list[ToolSpec]:
    specs = []
    nouns = len(_TOOL_NOUNS)
    for index, (spec, organisation) in enumerate(organisations):
        stem = spec.name.removeprefix("Demo ").split(" (")[0].split()
        word = next((part for part in stem[1:] if part[0].isupper() and part not in ("Child", "Safety")), stem[-1])
        host = spec.website.removeprefix("https://").rstrip("/")
        for number in range(TOOLS_PER_ORGANISATION):
            noun = _TOOL_NOUNS[(index * TOOLS_PER_ORGANISATION + number * 7) % nouns]
            name = f"Demo {word} {noun}"
            specs.append(ToolSpec(slugify(name), name, organisation, ToolState.PUBLISHED, host))
    plan = _state_plan(len(specs))
    return [ToolSpec(s.slug, s.name, s.organisation, state, s.host) for s, state in zip(specs, plan, strict=True)]


def _catalogue_admin(member: data.DemoMember, password_hash: str) -> User:
    if not User.objects.filter(email__iexact=member.email).exists():
        # One hash for all of them: Argon2 takes ~0.1 s per hash, and they share the password.
        User.objects.create(
            email=member.email.lower(),
            password=password_hash,
            full_name=member.name,
            role=User.Role.PROVIDER,
            is_demo=True,
        )
    return demo_user(member.email, member.name, User.Role.PROVIDER)


def _reviews(tools: Sequence[Tool], reviewer: User) -> list[Review]:
    reviews = []
    for tool in tools:
        rng = random.Random(f"{SEED}:review:{tool.slug}")
        at = (tool.submitted_at or tool.updated_at) + datetime.timedelta(days=1)
        if tool.state == ToolState.PUBLISHED:
            at = tool.published_at
        full = dict.fromkeys(CHECKLIST, True)
        if tool.state == ToolState.PUBLISHED:
            reviews.append(
                Review(tool=tool, reviewer=reviewer, decision=Review.Decision.PUBLISH, checklist=full, created_at=at)
            )
        elif tool.state == ToolState.CHANGES_REQUESTED:
            reviews.append(
                Review(
                    tool=tool,
                    reviewer=reviewer,
                    decision=Review.Decision.REQUEST_CHANGES,
                    comment=rng.choice(_REVIEW_CHANGES),
                    checklist={**full, "no_advertising": False},
                    created_at=at,
                )
            )
        elif tool.state == ToolState.REJECTED:
            reviews.append(
                Review(
                    tool=tool,
                    reviewer=reviewer,
                    decision=Review.Decision.REJECT,
                    comment=rng.choice(_REVIEW_REJECT),
                    checklist={**full, "answers_plausible": False},
                    created_at=at,
                )
            )
    return reviews


@transaction.atomic
def seed_catalogue(reviewer: User, *, password: str) -> list[Tool]:
    """Create the demo providers and their tools where missing (idempotent by slug);
    returns the tools created by this run."""
    provider_terms = current_documents([Audience.PROVIDERS])
    password_hash = None
    organisations = []
    created_by = {}
    existing_names = {spec.name for spec in data.ORGANISATIONS}
    for spec in demo_organisation_specs():
        organisation = demo_organisation(spec)
        organisations.append((spec, organisation))
        admin_spec = next(member for member in spec.members if member.is_admin)
        if spec.name in existing_names:
            # Created (with its members and terms) by the main seed.
            admin = User.objects.filter(email__iexact=admin_spec.email).first()
        else:
            if password_hash is None and not User.objects.filter(email__iexact=admin_spec.email).exists():
                password_hash = make_password(password)
            admin = _catalogue_admin(admin_spec, password_hash or "")
            if not Membership.objects.filter(user=admin).exists():
                Membership.objects.create(organisation=organisation, user=admin, is_admin=True)
            accept_personal_terms(admin, organisation)
            for document in provider_terms:
                accept(admin, document, organisation=organisation)
        created_by[organisation.pk] = admin

    specs = tool_specs(organisations)
    existing = set(Tool.objects.filter(slug__in=[spec.slug for spec in specs]).values_list("slug", flat=True))
    missing = [spec for spec in specs if spec.slug not in existing]
    if not missing:
        return []
    tools = build_tools(missing, current_versions(), created_by=created_by)
    Review.objects.bulk_create(_reviews(tools, reviewer))
    return tools


def summary() -> str:
    """One line for the command's output (the same on every run)."""
    tools = Tool.objects.filter(organisation__is_demo=True, revision_of__isnull=True)
    published = tools.filter(state=ToolState.PUBLISHED).count()
    providers = tools.values("organisation").distinct().count()
    return (
        f"Demo catalogue: {tools.count()} tools ({published} published) from {providers} provider organisations; "
        "each organisation's admin signs in as admin@<name>.demo.invalid with the same password."
    )
