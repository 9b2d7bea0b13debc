"""Coordinators' review of submitted tools: queue, whole entry, decisions, stale decisions."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from catalogue import review
from catalogue.models import Review, ToolState
from questionnaires.models import Question, QuestionnaireVersion
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

QUEUE = reverse("catalogue:review_queue")
ALL_TICKED = {
    "no_advertising": "on",
    "answers_plausible": "on",
    "attachments_genuine": "on",
    "human_rights_screened": "on",
}


def detail_url(tool):
    return reverse("catalogue:review_detail", kwargs={"slug": tool.slug})


def decide_url(tool):
    return reverse("catalogue:review_decide", kwargs={"slug": tool.slug})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def reauthenticate():
    def _reauthenticate(client, password=factories.DEFAULT_PASSWORD):
        response = client.post(reverse("account_reauthenticate"), {"password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return response

    return _reauthenticate


@pytest.fixture
def submitted(organisation, provider_admin, provider_member):
    QuestionnaireVersion.objects.update(status=QuestionnaireVersion.Status.DRAFT)
    version = factories.make_questionnaire(
        "review-form", [{"key": "purpose", "type": Question.Type.LONG_TEXT}, {"key": "pricing"}]
    )
    tool = factories.ToolFactory(
        organisation=organisation,
        name="Harbour Scanner",
        state=ToolState.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=3),
        updated_at=timezone.now() - timedelta(days=3),
    )
    factories.AnswerFactory(tool=tool, question=version.questions.get(key="purpose"), value="Scans harbours.")
    return tool


@pytest.fixture
def coordinator_client(signed_in, coordinator, reauthenticate):
    client = signed_in(coordinator)
    reauthenticate(client)
    mail.outbox.clear()
    return client


# --- the queue --------------------------------------------------------------------------
def test_queue_lists_submitted_tools_oldest_first_with_organisation_and_age(signed_in, coordinator):
    now = timezone.now()
    newer = factories.ToolFactory(
        name="Newer Tool", state=ToolState.SUBMITTED, submitted_at=now - timedelta(days=1), organisation__name="Org N"
    )
    older = factories.ToolFactory(
        name="Older Tool", state=ToolState.SUBMITTED, submitted_at=now - timedelta(days=9), organisation__name="Org O"
    )
    factories.ToolFactory(name="Draft Tool")
    factories.ToolFactory(name="Live Tool", published=True)

    html = signed_in(coordinator).get(QUEUE).content.decode()

    assert html.index(older.name) < html.index(newer.name)
    assert "Org O" in html and "Org N" in html
    assert "9 days" in html and "1 day" in html
    assert "Draft Tool" not in html and "Live Tool" not in html
    assert f'href="{detail_url(older)}"' in html


def test_queue_query_count_does_not_grow_with_the_queue(signed_in, coordinator, django_assert_max_num_queries):
    client = signed_in(coordinator)
    factories.ToolFactory(state=ToolState.SUBMITTED, submitted_at=timezone.now())
    client.get(QUEUE)
    with django_assert_max_num_queries(20) as few:
        client.get(QUEUE)
    for _ in range(15):
        factories.ToolFactory(state=ToolState.SUBMITTED, submitted_at=timezone.now())
    with django_assert_max_num_queries(20) as many:
        client.get(QUEUE)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_queue_and_detail_are_for_coordinators_only(signed_in, client, verified_officer, provider_admin, submitted):
    for user in (verified_officer, provider_admin):
        client.logout()
        signed_in(user)
        assert client.get(QUEUE).status_code == 403
        response = client.get(detail_url(submitted))
        assert response.status_code == 403
        assert "Harbour Scanner" not in response.content.decode()


# --- the submission ------------------------------------------------------------------------
def test_detail_shows_the_whole_entry_checklist_and_previous_reviews(signed_in, coordinator, submitted):
    factories.ReviewFactory(
        tool=submitted, decision=Review.Decision.REQUEST_CHANGES, comment="Please describe the pricing."
    )
    html = signed_in(coordinator).get(detail_url(submitted)).content.decode()
    assert "Harbour Scanner" in html and submitted.organisation.name in html
    assert "Scans harbours." in html
    assert "No reply provided by the provider" in html
    assert "1 of 2 questions answered" in html
    assert "not an endorsement, assessment or certification" in html
    assert "Please describe the pricing." in html
    for item in ALL_TICKED:
        assert f'name="{item}"' in html
    assert 'name="decision"' in html and f'value="{submitted.version}"' in html


def test_detail_of_a_decided_tool_has_no_decision_form(signed_in, coordinator, submitted):
    submitted.state = ToolState.PUBLISHED
    submitted.save()
    html = signed_in(coordinator).get(detail_url(submitted)).content.decode()
    assert 'name="decision"' not in html
    assert "Only submitted tools can be decided on." in html


# --- decisions ---------------------------------------------------------------------------------
def test_a_decision_needs_recent_reauthentication(signed_in, coordinator, submitted):
    response = signed_in(coordinator, confirmed=False).post(
        decide_url(submitted), {"decision": "publish", "version": submitted.version, **ALL_TICKED}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    submitted.refresh_from_db()
    assert submitted.state == ToolState.SUBMITTED


def test_publishing_publishes_emails_the_members_and_is_audited(
    coordinator_client, coordinator, submitted, provider_admin, provider_member, verified_officer
):
    version = submitted.version
    response = coordinator_client.post(decide_url(submitted), {"decision": "publish", "version": version, **ALL_TICKED})

    assert response.status_code == 302 and response["Location"] == QUEUE
    submitted.refresh_from_db()
    assert submitted.state == ToolState.PUBLISHED
    assert submitted.published_at is not None
    assert submitted.updated_at >= submitted.published_at - timedelta(seconds=1)
    assert submitted.version == version + 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([provider_admin.email, provider_member.email])
    assert "published" in mail.outbox[0].subject
    assert all(verified_officer.email not in m.to for m in mail.outbox)
    saved = Review.objects.get(tool=submitted)
    assert saved.decision == Review.Decision.PUBLISH and saved.reviewer == coordinator
    assert saved.checklist == {
        "no_advertising": True,
        "answers_plausible": True,
        "attachments_genuine": True,
        "human_rights_screened": True,
    }
    event = AuditEvent.objects.get(action=Action.TOOL_PUBLISHED)
    assert event.actor == coordinator and event.target_id == submitted.slug
    assert event.before["state"] == "submitted" and event.after["state"] == "published"
    # Officers can now open it.
    officer = Client()
    sign_in(officer, verified_officer)
    assert officer.get(reverse("catalogue:tool_detail", kwargs={"slug": submitted.slug})).status_code == 200


def test_publishing_needs_the_whole_checklist_and_keeps_the_comment(coordinator_client, submitted):
    response = coordinator_client.post(
        decide_url(submitted),
        {"decision": "publish", "version": submitted.version, "no_advertising": "on", "comment": "Looks fine to me."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tick every item of the checklist" in html
    assert "Looks fine to me.</textarea>" in html
    # The page starts with the summary; its link leads to the first box left unticked.
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert html.index('class="error-summary"') < html.index("<h1")
    assert re.findall(r'href="#([^"]+)"', summary) == ["id_answers_plausible"]
    assert 'id="id_answers_plausible"' in html
    submitted.refresh_from_db()
    assert submitted.state == ToolState.SUBMITTED
    assert mail.outbox == []


def test_requesting_changes_sends_the_comment_to_the_provider(coordinator_client, submitted, provider_admin):
    comment = "Please answer the pricing question and remove the 'endorsed by' badge."
    response = coordinator_client.post(
        decide_url(submitted), {"decision": "request_changes", "comment": comment, "version": submitted.version}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ToolState.CHANGES_REQUESTED
    assert submitted.published_at is None
    assert Review.objects.get(tool=submitted).comment == comment
    assert provider_admin.email in [m.to[0] for m in mail.outbox]
    assert comment in mail.outbox[0].body
    assert AuditEvent.objects.get(action=Action.TOOL_CHANGES_REQUESTED).after["comment"] == comment


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_a_missing_comment_is_a_400_that_keeps_what_was_typed(coordinator_client, submitted, decision):
    response = coordinator_client.post(
        decide_url(submitted),
        {"decision": decision, "comment": "   ", "version": submitted.version, "answers_plausible": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tell the provider what to change." in html or "Give the provider a reason" in html
    assert re.search(rf'<input type="radio" name="decision" value="{decision}"[^>]* checked>', html)
    assert re.search(r'<input type="checkbox" name="answers_plausible"[^>]* checked>', html)
    assert not re.search(r'<input type="checkbox" name="no_advertising"[^>]* checked>', html)
    assert '<a href="#id_comment">' in html
    assert "Harbour Scanner" in html  # the entry is still shown
    submitted.refresh_from_db()
    assert submitted.state == ToolState.SUBMITTED
    assert not Review.objects.exists()
    assert mail.outbox == []


def test_rejecting_sends_the_reason_and_is_audited(coordinator_client, coordinator, submitted, provider_admin):
    response = coordinator_client.post(
        decide_url(submitted),
        {"decision": "reject", "comment": "Not an AI tool for investigators.", "version": submitted.version},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ToolState.REJECTED
    assert "Not an AI tool for investigators." in mail.outbox[0].body
    assert "not accepted" in mail.outbox[0].subject
    event = AuditEvent.objects.get(action=Action.TOOL_REJECTED)
    assert event.actor == coordinator and event.after["comment"] == "Not an AI tool for investigators."


def test_a_stale_decision_applies_nothing_and_says_so(submitted, client, reauthenticate):
    first, second = factories.CoordinatorFactory(), factories.CoordinatorFactory()
    other = Client()
    sign_in(client, first)
    sign_in(other, second)
    reauthenticate(client)
    reauthenticate(other)
    version = submitted.version
    assert f'value="{version}"' in client.get(detail_url(submitted)).content.decode()
    other.post(decide_url(submitted), {"decision": "publish", "version": version, **ALL_TICKED})
    mail.outbox.clear()

    response = client.post(decide_url(submitted), {"decision": "reject", "comment": "Out of scope", "version": version})

    assert response.status_code == 409
    page = response.content.decode()
    assert "changed meanwhile" in page
    submitted.refresh_from_db()
    assert submitted.state == ToolState.PUBLISHED
    assert not AuditEvent.objects.filter(action=Action.TOOL_REJECTED).exists()
    assert Review.objects.filter(tool=submitted).count() == 1
    assert mail.outbox == []
    # The page shows the tool as it is now (published: no decision left) and keeps the comment typed.
    assert response.context["decidable"] is False
    assert response.context["form"].initial["comment"] == "Out of scope"
    assert "Your comment (not saved)" in page and "Out of scope" in page


def test_a_provider_change_after_the_page_was_loaded_makes_the_decision_stale(submitted, coordinator):
    version = submitted.version
    submitted.version = version + 1  # what any provider edit does
    submitted.save()
    with pytest.raises(review.StaleDecision):
        review.publish_tool(submitted, by=coordinator, expected_version=version)
    submitted.refresh_from_db()
    assert submitted.state == ToolState.SUBMITTED


@pytest.mark.parametrize("state", [ToolState.DRAFT, ToolState.CHANGES_REQUESTED, ToolState.REJECTED])
def test_only_submitted_tools_can_be_decided(coordinator, state):
    tool = factories.ToolFactory(state=state)
    for decide in (
        lambda: review.publish_tool(tool, by=coordinator, expected_version=tool.version),
        lambda: review.request_changes(tool, by=coordinator, comment="x", expected_version=tool.version),
        lambda: review.reject_tool(tool, by=coordinator, reason="x", expected_version=tool.version),
    ):
        with pytest.raises(review.StaleDecision):
            decide()
    tool.refresh_from_db()
    assert tool.state == state
    assert not AuditEvent.objects.filter(action__startswith="tool.").exists()


def test_services_refuse_an_empty_comment(coordinator, submitted):
    with pytest.raises(ValueError):
        review.request_changes(submitted, by=coordinator, comment=" ", expected_version=submitted.version)
    with pytest.raises(ValueError):
        review.reject_tool(submitted, by=coordinator, reason="", expected_version=submitted.version)


def test_the_review_form_cannot_reinstate_a_suspended_tool(client, coordinator):
    from catalogue.models import ToolState
    from catalogue.review import StaleDecision, publish_tool

    tool = factories.ToolFactory(state=ToolState.SUSPENDED)
    with pytest.raises(StaleDecision):
        publish_tool(tool, by=coordinator, expected_version=tool.version)
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED
