"""Update requests of published tools, their review as a diff, version history and confirmations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from catalogue import history, services, updates
from catalogue.models import Attachment, Tool, ToolState, ToolVersion
from catalogue.tests.test_provider_helpers import make_forms, pdf_bytes, working_member
from following.models import Follow
from notifications.models import Kind, Notification
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

ALL_TICKED = {
    "no_advertising": "on",
    "answers_plausible": "on",
    "attachments_genuine": "on",
    "human_rights_screened": "on",
}


@pytest.fixture
def forms(db):
    return make_forms()


@pytest.fixture
def member(db):
    return working_member()


def client_of(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def provider(member):
    return client_of(member)


@pytest.fixture
def published(member, forms):
    tools_form, rai = forms
    tool = factories.ToolFactory(
        organisation=member.membership.organisation,
        name="Harbour Scanner",
        published=True,
        published_at=timezone.now() - timedelta(days=30),
    )
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="purpose"), value="Finds old things.")
    factories.AnswerFactory(tool=tool, question=rai.questions.get(key="bias-testing"), value="Tested on 3 sets.")
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="offline"), value=True)
    keep = services._store_pdf(tool, by=member, title="Kept report", data=pdf_bytes())
    drop = services._store_pdf(tool, by=member, title="Old report", data=pdf_bytes())
    tool.kept_attachment, tool.dropped_attachment = keep, drop
    return tool


@pytest.fixture
def coordinator_client(coordinator):
    client = client_of(coordinator)
    response = client.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def start(provider, tool) -> Tool:
    response = provider.post(reverse("catalogue:provider_start_update", args=[tool.slug]))
    assert response.status_code == 302
    revision = Tool.objects.get(revision_of=tool, state=ToolState.DRAFT)
    assert response["Location"] == reverse("catalogue:provider_tool", args=[revision.slug])
    return revision


def edit_and_submit(revision, member, forms):
    tools_form, _rai = forms
    services.save_answers(
        revision, tools_form, by=member, values={"purpose": ("Finds new things.", {}), "offline": (None, {})}
    )
    services.add_attachment(revision, by=member, title="New assessment", data=pdf_bytes())
    dropped = revision.attachments.get(title="Old report")
    services.remove_attachment(dropped, by=member)
    return services.submit_tool(revision, by=member)


def test_an_update_is_a_copy_and_the_published_entry_stays_until_approved(
    provider, member, published, forms, signed_in, verified_officer
):
    revision = start(provider, published)
    assert revision.answers.count() == 3 and revision.attachments.count() == 2
    # Asking again continues the same request.
    provider.post(reverse("catalogue:provider_start_update", args=[published.slug]))
    assert Tool.objects.filter(revision_of=published).count() == 1
    page = provider.get(reverse("catalogue:provider_tool", args=[revision.slug])).content.decode()
    assert "This is an update request for" in page and "Officers keep seeing the published entry" in page

    edit_and_submit(revision, member, forms)
    # The removed copy shared its file with the published tool: the file is still there.
    assert published.dropped_attachment.file.storage.exists(published.dropped_attachment.file.name)

    officer = client_of(verified_officer)
    html = officer.get(reverse("catalogue:tool_detail", args=[published.slug])).content.decode()
    assert "Finds old things." in html and "Finds new things." not in html
    assert officer.get(reverse("catalogue:tool_detail", args=[revision.slug])).status_code == 404
    catalogue_html = officer.get(reverse("discovery:catalogue")).content.decode()
    assert catalogue_html.count("Harbour Scanner") >= 1 and revision.slug not in catalogue_html
    # The provider's list shows the tool once, with its update in progress.
    mine = provider.get(reverse("catalogue:my_tools")).content.decode()
    assert mine.count(">Harbour Scanner<") == 1 and "Update request in progress" in mine
    assert AuditEvent.objects.filter(action=Action.TOOL_UPDATE_STARTED, target_id=published.slug).exists()


def test_the_coordinator_sees_a_question_by_question_diff(coordinator_client, provider, member, published, forms):
    revision = start(provider, published)
    edit_and_submit(revision, member, forms)

    queue = coordinator_client.get(reverse("catalogue:review_queue")).content.decode()
    assert "Update request" in queue
    inbox = coordinator_client.get(reverse("notifications:inbox")).content.decode()
    assert "asked to update Harbour Scanner" in inbox
    html = coordinator_client.get(reverse("catalogue:review_detail", args=[revision.slug])).content.decode()
    # Only the changed word is marked, not the whole answer.
    assert "Finds <del>old</del> things." in html and "Finds <ins>new</ins> things." in html
    # The page's own heading; the entry shown inside it is one level down.
    assert html.count("<h1") == 1 and "Review of an update: Harbour Scanner" in html
    assert '<h2 id="tool-name">Harbour Scanner</h2>' in html
    assert "Documents added" in html and "New assessment" in html
    assert "Documents removed" in html and "Old report" in html
    # The unchanged answer is not listed as a change.
    diff = history.diff(history.snapshot(published), history.snapshot(revision))
    assert {row.key for row in diff.rows} == {"purpose", "offline"}
    table = html.split('<table class="diff">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 2 and "Finds <ins>new</ins> things." in table
    assert "Tested on 3 sets." not in table and "Tested on 3 sets." in html  # shown in the entry, not as a change


def test_approving_publishes_the_update_keeps_history_and_tells_followers(
    coordinator_client, provider, member, published, forms, signed_in, verified_officer
):
    Follow.objects.create(user=verified_officer, tool=published, last_seen_at=timezone.now() - timedelta(days=1))
    revision = start(provider, published)
    edit_and_submit(revision, member, forms)
    revision.refresh_from_db()
    kept_id = published.kept_attachment.public_id
    dropped_file = published.dropped_attachment.file.name
    mail.outbox.clear()

    response = coordinator_client.post(
        reverse("catalogue:review_decide", args=[revision.slug]),
        {"decision": "publish", "version": revision.version, "comment": "Thanks.", **ALL_TICKED},
    )
    assert response.status_code == 302

    published.refresh_from_db()
    revision.refresh_from_db()
    assert revision.state == ToolState.APPLIED and published.state == ToolState.PUBLISHED
    assert {a.title for a in published.attachments.all()} == {"Kept report", "New assessment"}
    assert published.attachments.get(title="Kept report").public_id == kept_id
    assert not Attachment.objects.filter(file=dropped_file).exists()
    versions = list(ToolVersion.objects.filter(tool=published).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert set(versions[1].changed) == {"purpose", "offline", "attachments"}

    officer = client_of(verified_officer)
    html = officer.get(reverse("catalogue:tool_detail", args=[published.slug])).content.decode()
    assert "Finds new things." in html and "Finds old things." not in html
    assert "Change history" in html and "First published in the catalogue." in html
    history_part = html.split('id="tool-history"')[1]
    assert "Changed:" in history_part and "Attached documents" in history_part
    assert "Last confirmed accurate by the provider" in html

    follower_note = Notification.objects.get(user=verified_officer, kind=Kind.TOOL_UPDATE)
    assert follower_note.link.endswith(reverse("catalogue:tool_detail", args=[published.slug]))
    assert Notification.objects.filter(user=member, message_key="tool_update_applied").exists()
    event = AuditEvent.objects.get(action=Action.TOOL_UPDATE_APPLIED)
    assert event.target_id == published.slug and event.after["version"] == 2


def test_requesting_changes_or_rejecting_an_update_leaves_the_entry_alone(
    coordinator_client, provider, member, published, forms
):
    revision = start(provider, published)
    edit_and_submit(revision, member, forms)
    revision.refresh_from_db()
    coordinator_client.post(
        reverse("catalogue:review_decide", args=[revision.slug]),
        {"decision": "request_changes", "version": revision.version, "comment": "Explain offline."},
    )
    revision.refresh_from_db()
    published.refresh_from_db()
    assert revision.state == ToolState.CHANGES_REQUESTED
    assert published.answers.get(question_key="purpose").value == "Finds old things."
    page = provider.get(reverse("catalogue:provider_tool", args=[revision.slug])).content.decode()
    assert "Explain offline." in page

    services.submit_tool(revision, by=member)
    revision.refresh_from_db()
    coordinator_client.post(
        reverse("catalogue:review_decide", args=[revision.slug]),
        {"decision": "reject", "version": revision.version, "comment": "Not plausible."},
    )
    revision.refresh_from_db()
    assert revision.state == ToolState.REJECTED
    assert not ToolVersion.objects.filter(tool=published, number=2).exists()
    # A new update can be started after a rejection.
    assert start(provider, published).pk != revision.pk


def test_two_coordinators_approving_the_same_update_apply_it_once(
    coordinator_client, provider, member, published, forms, signed_in, personas
):
    revision = start(provider, published)
    edit_and_submit(revision, member, forms)
    revision.refresh_from_db()
    data = {"decision": "publish", "version": revision.version, **ALL_TICKED}

    first = coordinator_client.post(reverse("catalogue:review_decide", args=[revision.slug]), data)
    assert first.status_code == 302 and first["Location"] == reverse("catalogue:review_queue")
    other = client_of(factories.CoordinatorFactory())
    other.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    second = other.post(reverse("catalogue:review_decide", args=[revision.slug]), data, follow=True)

    assert "changed meanwhile" in second.content.decode()
    assert AuditEvent.objects.filter(action=Action.TOOL_UPDATE_APPLIED).count() == 1
    assert ToolVersion.objects.filter(tool=published).count() == 2


def test_an_update_cannot_be_applied_to_a_removed_tool(member, published, forms, coordinator):
    revision = updates.start_update(published, by=member)
    services.submit_tool(revision, by=member)
    Tool.objects.filter(pk=published.pk).update(state=ToolState.REMOVED)
    revision.refresh_from_db()
    with pytest.raises(updates.StaleDecision):
        updates.apply_revision(revision, by=coordinator, expected_version=revision.version)


def moderate(tool, action, *, by):
    """A suspension or removal as a coordinator takes it, on the tool as it is now."""
    from moderation import services as moderation

    tool.refresh_from_db()
    moderation.decide(
        tool,
        action=action,
        by=by,
        reason_code="other",
        summary="Under review.",
        officer_guidance="Pause its use.",
        provider_guidance="Correct the figures.",
        expected_version=tool.version,
    )


def test_removing_a_tool_closes_its_open_update_request(member, published, forms, coordinator, coordinator_client):
    revision = updates.start_update(published, by=member)
    services.submit_tool(revision, by=member)
    assert revision.slug in coordinator_client.get(reverse("catalogue:review_queue")).content.decode()
    moderate(published, "removed", by=coordinator)
    revision.refresh_from_db()
    assert revision.state == ToolState.REJECTED and updates.open_revision(published) is None
    assert revision.slug not in coordinator_client.get(reverse("catalogue:review_queue")).content.decode()
    event = AuditEvent.objects.get(action=Action.TOOL_UPDATE_CLOSED)
    assert (event.actor, event.target_id, event.before["state"]) == (coordinator, published.slug, "submitted")


def test_an_update_approved_while_suspended_waits_for_the_reinstatement_to_reach_followers(
    member, published, forms, coordinator, verified_officer
):
    Follow.objects.create(user=verified_officer, tool=published)
    revision = updates.start_update(published, by=member)
    services.submit_tool(revision, by=member)
    moderate(published, "suspended", by=coordinator)
    revision.refresh_from_db()
    updates.apply_revision(revision, by=coordinator, expected_version=revision.version)
    assert not Notification.objects.filter(user=verified_officer, kind=Kind.TOOL_UPDATE).exists()
    assert Notification.objects.filter(user=verified_officer, kind=Kind.TOOL_SUSPENDED).count() == 1


def test_a_draft_tool_cannot_be_updated_or_confirmed(provider, member):
    draft = factories.ToolFactory(organisation=member.membership.organisation)
    response = provider.post(reverse("catalogue:provider_start_update", args=[draft.slug]), follow=True)
    assert "Only a published tool can be updated." in response.content.decode()
    response = provider.post(reverse("catalogue:provider_confirm", args=[draft.slug]), follow=True)
    assert "Only a published tool can be confirmed." in response.content.decode()
    assert not Tool.objects.filter(revision_of=draft).exists()


def test_a_logo_shared_with_the_update_survives_its_replacement(member, published, django_capture_on_commit_callbacks):
    published.logo.save("logo.png", ContentFile(b"\x89PNG fake"), save=True)
    name = published.logo.name
    revision = updates.start_update(published, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_tool(revision, by=member, data={}, remove_logo=True)
    assert published.logo.storage.exists(name)


# --- confirmation ---------------------------------------------------------------------------
def test_confirming_needs_no_review_and_shows_on_the_tool_page(
    provider, member, published, signed_in, verified_officer
):
    long_ago = timezone.now() - timedelta(days=200)
    Tool.objects.filter(pk=published.pk).update(last_confirmed_at=long_ago, published_at=long_ago)
    page = provider.get(reverse("catalogue:provider_tool", args=[published.slug])).content.decode()
    assert "Overdue" in page
    assert "Confirmation overdue" in provider.get(reverse("catalogue:my_tools")).content.decode()

    response = provider.post(reverse("catalogue:provider_confirm", args=[published.slug]), follow=True)
    assert "the entry is confirmed as accurate today" in response.content.decode()
    published.refresh_from_db()
    assert published.state == ToolState.PUBLISHED
    assert timezone.now() - published.last_confirmed_at < timedelta(minutes=1)
    assert AuditEvent.objects.filter(action=Action.TOOL_CONFIRMED, target_id=published.slug).exists()
    assert "Overdue" not in provider.get(reverse("catalogue:provider_tool", args=[published.slug])).content.decode()
    assert "Confirmation overdue" not in provider.get(reverse("catalogue:my_tools")).content.decode()

    html = client_of(verified_officer).get(reverse("catalogue:tool_detail", args=[published.slug])).content.decode()
    today = timezone.localdate()
    assert "Last confirmed accurate by the provider" in html and str(today.year) in html


def test_reminders_go_once_per_period_to_overdue_entries(member, published, forms):
    fresh = factories.ToolFactory(organisation=member.membership.organisation, published=True)
    Tool.objects.filter(pk=published.pk).update(last_confirmed_at=timezone.now() - timedelta(days=181))
    mail.outbox.clear()

    assert updates.send_confirmation_reminders() == 1
    assert updates.send_confirmation_reminders() == 0
    notes = Notification.objects.filter(user=member, kind=Kind.TOOL_CONFIRMATION)
    assert notes.count() == 1 and notes.get().params["tool"] == "Harbour Scanner"
    assert [m.subject for m in mail.outbox if "still accurate" in m.subject]
    assert AuditEvent.objects.filter(action=Action.TOOL_CONFIRMATION_REMINDED).count() == 1
    assert fresh not in updates.overdue_for_confirmation()
    # A full period later, still unconfirmed: reminded again.
    later = timezone.now() + timedelta(days=181)
    assert updates.send_confirmation_reminders(now=later) == 2  # the fresh tool is overdue by then too


def test_the_longest_overdue_come_first_whatever_set_the_date(published):
    now = timezone.now()
    # Published long ago and never confirmed since (older data): counts from its publication.
    never = factories.ToolFactory(published=True, published_at=now - timedelta(days=300))
    Tool.objects.filter(pk=published.pk).update(last_confirmed_at=now - timedelta(days=400))
    later = factories.ToolFactory(published=True)
    Tool.objects.filter(pk=later.pk).update(last_confirmed_at=now - timedelta(days=200))
    assert list(updates.overdue_for_confirmation()) == [published, never, later]


@override_settings(CONFIRMATION_INTERVAL_DAYS=30)
def test_the_interval_is_configurable(published):
    Tool.objects.filter(pk=published.pk).update(last_confirmed_at=timezone.now() - timedelta(days=31))
    assert list(updates.overdue_for_confirmation()) == [published]


def test_coordinators_see_overdue_entries(coordinator, published, django_assert_num_queries):
    long_ago = timezone.now() - timedelta(days=250)
    Tool.objects.filter(pk=published.pk).update(last_confirmed_at=long_ago)
    client = client_of(coordinator)
    client.get(reverse("catalogue:confirmation_overdue"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("catalogue:confirmation_overdue"))
    for _ in range(10):
        tool = factories.ToolFactory(published=True)
        Tool.objects.filter(pk=tool.pk).update(last_confirmed_at=timezone.now() - timedelta(days=190))
    with CaptureQueriesContext(connection) as eleven:
        html = client.get(reverse("catalogue:confirmation_overdue")).content.decode()
    assert len(eleven.captured_queries) == len(one.captured_queries)
    assert "Harbour Scanner" in html and "70 days" in html and html.count("<tr>") == 12
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert "Entries overdue for confirmation" in dashboard and "Harbour Scanner" in dashboard
