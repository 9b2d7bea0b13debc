"""The demo catalogue that `manage.py seed_demo` adds (issue 3, "Demo data")."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from catalogue.answers import is_answered
from catalogue.models import Answer, Review, Tool, ToolState
from concerns.models import Concern
from demo import catalogue as demo_catalogue
from discovery import search
from discovery.models import ToolSearchText
from enquiries.models import AbuseReport, Enquiry, EnquiryMessage
from moderation.models import CaseMessage, Notice
from providers.models import Organisation
from questionnaires.models import Question
from questionnaires.selectors import current_versions
from terms.services import organisation_has_accepted_current_terms
from testkit import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaires():
    """The shipped questionnaires when loaded; otherwise a small one with every question type."""
    versions = current_versions()
    if not versions:
        factories.make_questionnaire(
            "demo-test",
            [
                {"key": "summary", "type": Question.Type.SHORT_TEXT, "required": True},
                {"key": "details", "type": Question.Type.LONG_TEXT},
                {"key": "kinds", "type": Question.Type.MULTIPLE_CHOICE, "criterion": True, "options": list("abcdef")},
                {"key": "model", "type": Question.Type.SINGLE_CHOICE, "criterion": True, "options": ["x", "y"]},
                {"key": "offline", "type": Question.Type.YES_NO, "criterion": True},
                {"key": "accuracy", "type": Question.Type.NUMBER},
                {"key": "released", "type": Question.Type.DATE},
                {"key": "manual", "type": Question.Type.URL},
                {"key": "report", "type": Question.Type.FILE},
                *({"key": f"extra-{n}", "type": Question.Type.LONG_TEXT} for n in range(6)),
            ],
        )
        versions = current_versions()
    return versions


def seed(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_tools():
    """The demo catalogue's tools (update requests are copies of published tools, not tools)."""
    return Tool.objects.filter(organisation__is_demo=True, revision_of__isnull=True).select_related("organisation")


def test_seed_fills_a_catalogue_of_fictitious_tools(settings, questionnaires):
    output = seed(settings)
    tools = list(demo_tools())
    assert 75 <= len(tools) <= 85
    providers = {tool.organisation for tool in tools}
    assert 35 <= len(providers) <= 45
    assert {provider.kind for provider in providers} == set(Organisation.Kind.values)
    for provider in providers:
        assert provider.name.startswith("Demo ") and "(fictitious)" in provider.name
        assert provider.is_approved and organisation_has_accepted_current_terms(provider)
        admin = provider.memberships.get(is_admin=True).user
        assert admin.is_demo and admin.email.endswith(".invalid")
    for tool in tools:
        assert tool.name.startswith("Demo ")
        assert tool.website.endswith(".example")
        assert tool.short_description and tool.long_description
    assert len({tool.short_description for tool in tools}) > 40, "descriptions should vary"
    assert "Demo catalogue: 80 tools" in output


def test_every_state_is_present_and_consistent(settings, questionnaires):
    seed(settings)
    tools = list(demo_tools())
    states = Counter(tool.state for tool in tools)
    assert set(states) >= {
        ToolState.DRAFT,
        ToolState.SUBMITTED,
        ToolState.CHANGES_REQUESTED,
        ToolState.PUBLISHED,
    }
    assert states[ToolState.PUBLISHED] > len(tools) / 2
    coordinators = set(User.objects.filter(role=User.Role.COORDINATOR, is_demo=True))
    # Keeping the catalogue honest: one suspended and one removed tool with their notices, and a
    # published tool with an update request waiting for review.
    assert states[ToolState.SUSPENDED] == 1 and states[ToolState.REMOVED] == 1
    moderated = [tool for tool in tools if tool.state in (ToolState.SUSPENDED, ToolState.REMOVED)]
    assert all(tool.notices.filter(action=tool.state).exists() for tool in moderated)
    pending = Tool.objects.get(organisation__is_demo=True, revision_of__isnull=False)
    assert pending.state == ToolState.SUBMITTED and pending.revision_of.state == ToolState.PUBLISHED
    for tool in tools:
        assert (tool.published_at is not None) == (
            tool.state in (ToolState.PUBLISHED, ToolState.SUSPENDED, ToolState.REMOVED)
        )
        if tool.state == ToolState.CHANGES_REQUESTED:
            review = tool.reviews.get()
            assert review.decision == Review.Decision.REQUEST_CHANGES
            assert review.comment and review.reviewer in coordinators
        if tool.state == ToolState.DRAFT:
            assert not tool.reviews.exists() and tool.submitted_at is None
    # The provider admins in the accounts list see tools of their own in several states.
    lumensift = Organisation.objects.get(name__startswith="Demo Company Lumensift")
    assert lumensift.tools.filter(revision_of__isnull=True).count() == 2


def test_about_a_fifth_of_the_questions_stay_unanswered(settings, questionnaires):
    seed(settings)
    questions = [question for version in questionnaires for question in version.questions.all()]
    by_key = {question.key: question for question in questions}
    answered = total = 0
    for tool in demo_tools().prefetch_related("answers"):
        answers = {answer.question_key: answer for answer in tool.answers.all()}
        answered += sum(1 for key in by_key if is_answered(answers.get(key)))
        total += len(by_key)
        if tool.state != ToolState.DRAFT:
            # Tools past the draft state have every required question answered (they could be submitted).
            missing = [q.key for q in questions if q.required and q.type != Question.Type.FILE and q.key not in answers]
            assert not missing, (tool.slug, missing)
    unanswered = 1 - answered / total
    assert 0.15 <= unanswered <= 0.25, unanswered


def test_answers_fit_their_question_types(settings, questionnaires):
    seed(settings)
    seen_types = set()
    current = {question.pk: question for version in questionnaires for question in version.questions.all()}
    for answer in Answer.objects.filter(tool__organisation__is_demo=True):
        question = current[answer.question_id]  # answers go to the current versions' questions
        assert answer.question_key == question.key
        seen_types.add(question.type)
        options = {option.value for option in question.options.all()}
        if question.type == Question.Type.MULTIPLE_CHOICE:
            assert 1 <= len(answer.value) <= 4 and set(answer.value) <= options
        elif question.type == Question.Type.SINGLE_CHOICE:
            assert answer.value in options
        elif question.type == Question.Type.YES_NO:
            assert isinstance(answer.value, bool)
        elif question.type == Question.Type.URL:
            assert answer.value.startswith("https://") and ".example/" in answer.value
        elif question.type == Question.Type.FILE:
            pytest.fail("the demo data has no file answers")
        elif question.type in Question.TEXT_TYPES:
            assert isinstance(answer.value, str) and answer.value.strip()
    assert {Question.Type.MULTIPLE_CHOICE, Question.Type.YES_NO, Question.Type.LONG_TEXT} <= seen_types


def test_published_demo_tools_can_be_found(settings, questionnaires):
    seed(settings)
    published = list(demo_tools().filter(state=ToolState.PUBLISHED))
    assert ToolSearchText.objects.filter(tool__in=published).count() == len(published)
    assert not ToolSearchText.objects.exclude(tool__state=ToolState.PUBLISHED).exists()
    tool = published[0]
    found = search.search({}, seed="demo", q=tool.name.split()[1])
    assert tool.pk in {result.tool_id for result in found}
    assert len(search.search({}, seed="demo")) == len(published)


def test_seeding_twice_changes_nothing(settings, questionnaires):
    seed(settings)

    def snapshot():
        return {
            "tools": sorted(Tool.objects.values_list("slug", "state", "name", "short_description", "updated_at")),
            "answers": sorted(Answer.objects.values_list("tool__slug", "question_key", "value")),
            "reviews": Review.objects.count(),
            "organisations": Organisation.objects.count(),
            "users": User.objects.count(),
            "search": ToolSearchText.objects.count(),
        }

    first = snapshot()
    seed(settings)
    assert snapshot() == first


def test_the_catalogue_is_the_same_on_every_fresh_start(settings, questionnaires):
    seed(settings)
    first = sorted(Answer.objects.values_list("tool__slug", "question_key", "value"))
    states = sorted(Tool.objects.values_list("slug", "state"))
    Review.objects.all().delete()
    Concern.objects.all().delete()
    CaseMessage.objects.all().delete()
    Notice.objects.all().delete()
    for model in (AbuseReport, EnquiryMessage, Enquiry):
        model.objects.all().delete()
    Tool.objects.all().delete()
    seed(settings)
    assert sorted(Answer.objects.values_list("tool__slug", "question_key", "value")) == first
    assert sorted(Tool.objects.values_list("slug", "state")) == states


def test_without_questionnaires_the_tools_are_created_without_answers(settings, monkeypatch):
    monkeypatch.setattr(demo_catalogue, "current_versions", lambda: [])
    seed(settings)
    assert demo_tools().count() == 80
    assert not Answer.objects.exists()


def test_full_answers_leave_only_file_questions_open(questionnaires):
    organisation = factories.OrganisationFactory()
    specs = [
        demo_catalogue.ToolSpec(f"bench-{n}", f"Bench Tool {n}", organisation, ToolState.PUBLISHED, "bench.example")
        for n in range(5)
    ]
    tools = demo_catalogue.build_tools(specs, questionnaires, full=True)
    questions = [q for version in questionnaires for q in version.questions.all() if q.type != Question.Type.FILE]
    for tool in tools:
        assert Answer.objects.filter(tool=tool).count() == len(questions)
