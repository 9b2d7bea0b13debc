"""An organisation leaves the hub: the confirmation says what happens, every tool is withdrawn,
every member's access ends, coordinators keep a read-only view, and it all happens at once."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue import selectors as catalogue_selectors
from catalogue import updates
from catalogue.models import ToolState
from moderation import services as moderation_services
from moderation.models import Notice, NoticeAction, ReasonCode
from notifications.models import Kind, Notification
from providers.models import Invitation, Membership, Organisation
from providers.rules import membership
from terms.models import Audience
from testkit import factories
from testkit.personas import reauthenticate, sign_in
from withdrawals import services

pytestmark = pytest.mark.django_db

LEAVE = reverse("withdrawals:leave")


@pytest.fixture
def world(tool, organisation, provider_admin, provider_member, coordinator, follower):
    """The organisation's tools in every state, an open update request and a pending invitation."""
    suspended = factories.ToolFactory(organisation=organisation, published=True, name="Quay Scanner")
    moderation_services.suspend_tool(
        suspended,
        by=coordinator,
        reason_code=ReasonCode.OTHER,
        summary="Under assessment.",
        officer_guidance="Check results by hand.",
        provider_guidance="Send the evaluation.",
        expected_version=suspended.version,
    )
    removed = factories.ToolFactory(organisation=organisation, state=ToolState.REMOVED, name="Old Lantern")
    draft = factories.ToolFactory(organisation=organisation, state=ToolState.DRAFT, name="Draft Beacon")
    submitted = factories.ToolFactory(organisation=organisation, state=ToolState.SUBMITTED, name="Queued Compass")
    revision = updates.start_update(tool, by=provider_admin)
    invitation = factories.InvitationFactory(organisation=organisation)
    mail.outbox.clear()
    return {
        "published": tool,
        "suspended": suspended,
        "removed": removed,
        "draft": draft,
        "submitted": submitted,
        "revision": revision,
        "invitation": invitation,
    }


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@override_settings(PROVIDER_RETENTION_DAYS=30)
def test_the_confirmation_says_exactly_what_happens(admin_client, world, provider_member):
    response = admin_client.get(LEAVE)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("Harbour Lens", "Quay Scanner", "Draft Beacon", "Queued Compass"):
        assert name in body
    assert "Old Lantern" not in body  # a removed tool stays as it is
    assert provider_member.full_name in body
    assert "accounts are closed (deactivated)" in body and "signed out everywhere" in body
    assert "The invitation that has not been accepted yet is revoked." in body
    assert "for 30 days" in body and "pseudonymised" in body
    assert "cannot be undone" in body
    # Reached from the organisation's page, by its admins only.
    assert LEAVE in admin_client.get(reverse("providers:my_organisation")).content.decode()
    member = sign_in(Client(), provider_member)
    assert LEAVE not in member.get(reverse("providers:my_organisation")).content.decode()


def test_nothing_happens_without_ticking_the_box(admin_client, world, organisation):
    response = admin_client.post(LEAVE, {"reason": "Closing down."})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert fresh(organisation).status == Organisation.Status.APPROVED
    assert fresh(world["published"]).state == ToolState.PUBLISHED


def test_leaving_asks_for_the_password(client, world, organisation, provider_admin):
    signed = sign_in(client, provider_admin)
    response = signed.post(LEAVE, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate")))
    assert fresh(organisation).status == Organisation.Status.APPROVED


def test_leaving_withdraws_every_tool_and_ends_every_members_access(
    admin_client, world, organisation, provider_admin, provider_member, coordinator, follower
):
    member_client = sign_in(Client(), provider_member)
    assert member_client.get(reverse("catalogue:my_tools")).status_code == 200

    response = admin_client.post(LEAVE, {"reason": "We are closing the product line.", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")

    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.DEPARTED and organisation.departed_at is not None
    assert organisation.departure_reason == "We are closing the product line."

    # Tools: the ones officers could see are withdrawn with a notice; drafts and submissions are
    # withdrawn silently (and leave the review queue); a removed tool stays removed.
    states = {key: fresh(world[key]).state for key in ("published", "suspended", "draft", "submitted", "removed")}
    assert states == {
        "published": ToolState.WITHDRAWN,
        "suspended": ToolState.WITHDRAWN,
        "draft": ToolState.WITHDRAWN,
        "submitted": ToolState.WITHDRAWN,
        "removed": ToolState.REMOVED,
    }
    withdrawals = Notice.objects.filter(action=NoticeAction.WITHDRAWN)
    assert sorted(withdrawals.values_list("tool__name", flat=True)) == ["Harbour Lens", "Quay Scanner"]
    assert fresh(world["revision"]).state == ToolState.REJECTED
    assert not catalogue_selectors.review_queue().filter(organisation=organisation).exists()
    assert fresh(world["invitation"]).revoked_at is not None

    # Members: memberships ended (kept for the coordinators), accounts deactivated, signed out.
    for user in (provider_admin, provider_member):
        user.refresh_from_db()
        assert not user.is_active
        assert Membership.objects.get(user=user).ended_at is not None
        assert membership(user) is None
    follow = admin_client.get(reverse("providers:my_organisation"))
    assert follow.status_code == 302 and "/accounts/login/" in follow["Location"]
    gone = member_client.get(reverse("catalogue:my_tools"))
    assert gone.status_code == 302 and "/accounts/login/" in gone["Location"]
    assert not Client().login(email=provider_member.email, password=factories.DEFAULT_PASSWORD)

    # Every member is told by email; the coordinators in their inbox; followers as for any withdrawal.
    closed = [message for message in mail.outbox if "your account is closed" in message.subject]
    assert sorted(message.to[0] for message in closed) == sorted([provider_admin.email, provider_member.email])
    assert "can no longer sign in" in closed[0].body
    coordinators = Notification.objects.filter(user=coordinator, kind=Kind.ORGANISATION_LEFT)
    assert coordinators.get().link == reverse("providers:review_detail", kwargs={"public_id": organisation.public_id})
    assert Notification.objects.filter(user=follower, message_key="following_tool_withdrawn").count() == 1

    # Audit: one event per change, the organisation's naming what it did.
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(Action.TOOL_WITHDRAWN) == 4
    assert actions.count(Action.ACCOUNT_DISABLED) == 2
    assert actions.count(Action.INVITATION_REVOKED) == 1
    assert actions.count(Action.TOOL_UPDATE_CLOSED) == 1
    left = AuditEvent.objects.get(action=Action.ORG_LEFT)
    assert left.actor == provider_admin and left.target_id == str(organisation.public_id)
    assert left.before == {"status": "approved"} and left.after["status"] == "departed"
    assert sorted(left.after["members"]) == sorted([str(provider_admin.public_id), str(provider_member.public_id)])
    assert len(left.after["tools_withdrawn"]) == 4


def test_a_tool_that_never_reached_officers_gets_no_page(officer_client, verified_officer, world, provider_admin):
    services.leave_hub(provider_admin.membership.organisation, by=provider_admin)
    draft = world["draft"]
    assert officer_client.get(reverse("catalogue:tool_detail", kwargs={"slug": draft.slug})).status_code == 404
    api = Client(headers={"Authorization": f"Bearer {factories.make_api_token(verified_officer)}"})
    assert api.get(reverse("api:tool", args=[draft.slug])).status_code == 404
    # The ones officers saw show the withdrawal, and that the provider left.
    page = officer_client.get(reverse("catalogue:tool_detail", kwargs={"slug": world["suspended"].slug}))
    body = page.content.decode()
    assert "Withdrawn by the provider" in body and "The provider has left the hub." in body
    assert "Earlier notices about this tool" in body and "Suspended" in body


def test_leaving_is_all_or_nothing(world, organisation, provider_admin, provider_member, monkeypatch):
    events, told = AuditEvent.objects.count(), Notification.objects.count()
    real_record = services.record

    def fail_at_the_end(action, **kwargs):
        if action == Action.ORG_LEFT:
            raise RuntimeError("the database went away")
        return real_record(action, **kwargs)

    monkeypatch.setattr(services, "record", fail_at_the_end)
    with pytest.raises(RuntimeError):
        services.leave_hub(organisation, by=provider_admin)
    assert fresh(organisation).status == Organisation.Status.APPROVED
    assert fresh(world["published"]).state == ToolState.PUBLISHED
    assert fresh(provider_member).is_active and Membership.objects.get(user=provider_member).ended_at is None
    assert not Notice.objects.filter(action=NoticeAction.WITHDRAWN).exists()
    # Inbox rows (and, in production, their outbox emails) were written in the same transaction.
    assert AuditEvent.objects.count() == events and Notification.objects.count() == told


def test_only_an_admin_may_take_the_organisation_out(client, world, organisation, provider_member, coordinator):
    for user in (provider_member, factories.OfficerProfileFactory(verified=True).user, coordinator):
        signed = sign_in(Client(), user)
        reauthenticate(signed)
        assert signed.get(LEAVE).status_code == 403
        assert signed.post(LEAVE, {"confirm": "on"}).status_code == 403
    assert fresh(organisation).status == Organisation.Status.APPROVED


def test_leaving_needs_no_accepted_terms(admin_client, organisation):
    factories.TermsDocumentFactory(audience=Audience.PROVIDERS)
    assert admin_client.post(LEAVE, {"confirm": "on"}).status_code == 302
    assert fresh(organisation).status == Organisation.Status.DEPARTED


def test_an_organisation_leaves_once(organisation, provider_admin):
    services.leave_hub(organisation, by=provider_admin)
    with pytest.raises(services.AlreadyLeft):
        services.leave_hub(organisation, by=provider_admin)
    assert AuditEvent.objects.filter(action=Action.ORG_LEFT).count() == 1


# --- the coordinators' read-only view ---------------------------------------------------------------
@override_settings(PROVIDER_RETENTION_DAYS=30)
def test_coordinators_see_the_departed_organisation_read_only(world, organisation, provider_admin, coordinator):
    services.leave_hub(organisation, by=provider_admin, reason="Closing down.")
    client = sign_in(Client(), coordinator)
    reauthenticate(client)
    queue = client.get(reverse("providers:review_queue"), {"status": "departed"})
    assert queue.status_code == 200 and organisation.name in queue.content.decode()
    assert "Left the hub" in queue.content.decode()

    detail = reverse("providers:review_detail", kwargs={"public_id": organisation.public_id})
    body = client.get(detail).content.decode()
    organisation.refresh_from_db()
    assert "This organisation left the hub" in body and "read-only" in body and "Closing down." in body
    assert organisation.retained_until.strftime("%Y") in body
    assert provider_admin.full_name in body and "Closed when the organisation left" in body
    assert reverse("providers:review_decide", kwargs={"public_id": organisation.public_id}) not in body
    # No decision can be taken on it.
    client.post(
        reverse("providers:review_decide", kwargs={"public_id": organisation.public_id}),
        {"decision": "approve", "reason": "", "version": organisation.version},
    )
    assert fresh(organisation).status == Organisation.Status.DEPARTED
    # The withdrawn tools are still there for them to read.
    review = client.get(reverse("catalogue:review_detail", kwargs={"slug": world["published"].slug}))
    assert review.status_code == 200 and "Sorts seized images by scene." in review.content.decode()


def test_a_removed_member_and_an_invitation_of_another_organisation_are_untouched(organisation, provider_admin):
    other = factories.MembershipFactory(is_admin=True).user
    invitation = factories.InvitationFactory()
    services.leave_hub(organisation, by=provider_admin)
    assert fresh(other).is_active and membership(fresh(other)) is not None
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_a_withdrawn_tool_of_a_departed_organisation_cannot_be_submitted_again(organisation, provider_admin, tool):
    services.leave_hub(organisation, by=provider_admin)
    client = sign_in(Client(), fresh(provider_admin))
    response = client.post(reverse("catalogue:provider_submit", kwargs={"slug": tool.slug}), {"confirmed": "yes"})
    assert response.status_code in (302, 403)
    assert fresh(tool).state == ToolState.WITHDRAWN
