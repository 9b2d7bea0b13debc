"""Coordinators suspend, remove and reinstate published tools: flows, audit, emails, staleness."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from discovery.models import ToolSearchText
from moderation import services
from moderation.models import Notice, NoticeAction, ReasonCode
from notifications.models import Kind, Notification, NotificationPreference
from testkit import factories
from testkit.personas import sign_in

from .conftest import SUSPENSION, decision, reauthenticate

pytestmark = pytest.mark.django_db


def decide_url(tool):
    return reverse("moderation:decide", kwargs={"slug": tool.slug})


def apply(tool, coordinator, action, **overrides):
    tool.refresh_from_db()
    data = {key: value for key, value in SUSPENSION.items() if key != "action"}
    data.update(overrides)
    return services.decide(tool, action=action, by=coordinator, expected_version=tool.version, **data)


def test_coordinator_suspends_a_tool_with_audit_and_provider_emails(
    coordinator_client, coordinator, tool, provider_admin, provider_member
):
    page = coordinator_client.get(decide_url(tool))
    assert page.status_code == 200
    assert [value for value, _label in page.context["form"].fields["action"].choices] == ["suspended", "removed"]

    # A safety notice goes out even to a member who turned that kind of email off.
    NotificationPreference.objects.create(user=provider_member, kind=Kind.TOOL_SUSPENDED, email=False)
    response = coordinator_client.post(decide_url(tool), decision(tool))
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:case", kwargs={"public_id": notice.public_id})
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED
    assert (notice.action, notice.reason_code, notice.decided_by) == (
        "suspended",
        "misleading_information",
        coordinator,
    )
    assert notice.provider_guidance == SUSPENSION["provider_guidance"]

    event = AuditEvent.objects.get(action=Action.TOOL_SUSPENDED)
    assert event.actor == coordinator and event.target_id == tool.slug
    assert event.before["state"] == "published" and event.after["state"] == "suspended"
    assert event.after["notice"] == str(notice.public_id)

    # One message per member of the provider organisation, each to that member only.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([provider_admin.email, provider_member.email])
    assert all(len(message.to) == 1 for message in mail.outbox)
    body = mail.outbox[0].body
    assert "Harbour Lens" in mail.outbox[0].subject and "suspended" in mail.outbox[0].subject
    assert SUSPENSION["summary"] in body and SUSPENSION["provider_guidance"] in body
    assert reverse("moderation:provider_notice", kwargs={"public_id": notice.public_id}) in body
    # And in each member's inbox, linking to the notice.
    entries = Notification.objects.filter(kind="tool_suspended")
    assert sorted(entry.user_id for entry in entries) == sorted([provider_admin.pk, provider_member.pk])
    assert {entry.link for entry in entries} == {reverse("moderation:provider_notice", args=[notice.public_id])}


def test_a_decision_needs_recent_reauthentication(coordinator, tool):
    client = sign_in(Client(), coordinator)
    response = client.post(decide_url(tool), decision(tool))
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate")))
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED and not Notice.objects.exists()
    # Once the coordinator confirms, the suspended request goes through.
    reauthenticate(client)
    assert client.post(decide_url(tool), decision(tool)).status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED


@pytest.mark.parametrize("persona", ["verified_officer", "provider_admin"])
def test_only_coordinators_decide(request, tool, persona):
    client = sign_in(Client(), request.getfixturevalue(persona))
    assert client.post(decide_url(tool), decision(tool)).status_code == 403
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED


def test_suspension_needs_guidance_for_the_provider_and_keeps_what_was_typed(coordinator_client, tool):
    response = coordinator_client.post(decide_url(tool), decision(tool, provider_guidance="  "))
    assert response.status_code == 400
    assert "provider_guidance" in response.context["form"].errors
    assert SUSPENSION["summary"] in response.content.decode()
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED and not Notice.objects.exists() and not mail.outbox


def test_concerns_addressed_is_only_a_reason_for_reinstatement(coordinator_client, tool):
    response = coordinator_client.post(decide_url(tool), decision(tool, reason_code="concerns_addressed"))
    assert response.status_code == 400
    assert "reason_code" in response.context["form"].errors


def test_suspended_tool_is_reinstated_with_a_notice_and_searchable_again(coordinator, tool):
    apply(tool, coordinator, NoticeAction.SUSPENDED)
    assert not ToolSearchText.objects.filter(tool=tool).exists()
    mail.outbox.clear()
    notice = apply(
        tool,
        coordinator,
        NoticeAction.REINSTATED,
        reason_code=ReasonCode.CONCERNS_ADDRESSED,
        summary="The provider corrected the accuracy figure.",
        provider_guidance="",
    )
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED
    assert ToolSearchText.objects.filter(tool=tool).exists()
    assert notice.action == "reinstated"
    assert AuditEvent.objects.filter(action=Action.TOOL_REINSTATED, target_id=tool.slug).count() == 1
    assert len(mail.outbox) == 2 and "reinstated" in mail.outbox[0].subject


def test_removal_from_suspension_is_final(coordinator_client, coordinator, tool):
    apply(tool, coordinator, NoticeAction.SUSPENDED)
    apply(tool, coordinator, NoticeAction.REMOVED, reason_code=ReasonCode.HUMAN_RIGHTS_USE)
    tool.refresh_from_db()
    assert tool.state == ToolState.REMOVED
    assert AuditEvent.objects.filter(action=Action.TOOL_REMOVED).count() == 1
    assert services.allowed_actions(tool) == []
    page = coordinator_client.get(decide_url(tool))
    assert "Only published or suspended tools" in page.content.decode()
    response = coordinator_client.post(decide_url(tool), decision(tool, action="reinstated"))
    assert response.status_code == 400
    tool.refresh_from_db()
    assert tool.state == ToolState.REMOVED and Notice.objects.count() == 2


def test_tools_that_were_never_published_cannot_be_moderated(coordinator):
    draft = factories.ToolFactory()
    with pytest.raises(services.StaleDecision):
        apply(draft, coordinator, NoticeAction.SUSPENDED)
    draft.refresh_from_db()
    assert draft.state == ToolState.DRAFT and not Notice.objects.exists()


def test_two_coordinators_at_once_the_second_is_told_and_nothing_is_applied_twice(coordinator, tool):
    first = sign_in(Client(), coordinator)
    second = sign_in(Client(), factories.CoordinatorFactory())
    reauthenticate(first)
    reauthenticate(second)
    data = decision(tool)  # both loaded the form at this version
    assert first.post(decide_url(tool), data).status_code == 302
    mail.outbox.clear()
    typed = {**data, "action": "removed", "summary": "Second coordinator's own summary."}
    response = second.post(decide_url(tool), typed)
    assert response.status_code == 409
    assert "changed meanwhile" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED
    assert Notice.objects.count() == 1
    assert AuditEvent.objects.filter(action__in=[Action.TOOL_SUSPENDED, Action.TOOL_REMOVED]).count() == 1
    assert not mail.outbox
    # Nothing the second coordinator wrote is lost: the page shows the suspension and their text,
    # ready to be sent again against the tool as it is now.
    form = response.context["form"]
    assert form.initial["summary"] == "Second coordinator's own summary."
    assert form.initial["action"] == "removed" and form.initial["version"] == tool.version
    assert "Second coordinator&#x27;s own summary." in response.content.decode()
    again = second.post(decide_url(tool), {**typed, "version": tool.version})
    assert again.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.REMOVED and Notice.objects.count() == 2


def test_stale_version_in_the_service_changes_nothing(coordinator, tool):
    with pytest.raises(services.StaleDecision):
        services.suspend_tool(
            tool,
            by=coordinator,
            reason_code=ReasonCode.OTHER,
            summary="s",
            officer_guidance="o",
            provider_guidance="p",
            expected_version=tool.version - 1 if tool.version > 1 else tool.version + 1,
        )
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED and not Notice.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.TOOL_SUSPENDED).exists()
