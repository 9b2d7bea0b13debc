"""A provider admin withdraws a published tool: what officers, followers, the register, the API,
the coordinators and the provider see; who may do it; how the tool comes back through review."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue import review, updates
from catalogue.models import ToolState, ToolVersion
from core.tests.test_url_permissions import duplicate_ids
from discovery.models import ToolSearchText
from discussions.models import AgencyUse, Space
from moderation import services as moderation_services
from moderation.forms import DecisionForm
from moderation.models import Notice, NoticeAction, ReasonCode
from notifications.models import Kind, Notification
from terms.models import Audience
from testkit import factories
from testkit.personas import reauthenticate, sign_in
from withdrawals import services

pytestmark = pytest.mark.django_db

REASON = "We stopped maintaining this product at the end of the year."


def withdraw_url(tool):
    return reverse("withdrawals:withdraw_tool", kwargs={"slug": tool.slug})


def tool_page(tool):
    return reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})


def withdraw(tool, by, reason=REASON):
    notice = services.withdraw_tool(tool, by=by, reason=reason)
    tool.refresh_from_db()
    return notice


def api_client(user):
    return Client(headers={"Authorization": f"Bearer {factories.make_api_token(user)}"})


# --- the provider withdraws ----------------------------------------------------------------------
def test_admin_withdraws_after_confirming_what_happens_and_the_password(
    client, tool, provider_admin, provider_member, coordinator
):
    signed = sign_in(client, provider_admin)
    page = signed.get(withdraw_url(tool))
    body = page.content.decode()
    assert page.status_code == 200
    assert "It no longer appears in search results, comparisons or the API" not in body  # the officers' wording
    assert "leaves the catalogue at once" in body and "not a sanction" in body
    assert "You never learn who they are" in body

    # Carrying it out asks for the password again; nothing happens before.
    response = signed.post(withdraw_url(tool), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate")))
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED and not Notice.objects.exists()

    reauthenticate(signed)
    response = signed.post(withdraw_url(tool), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:provider_tool", kwargs={"slug": tool.slug})
    tool.refresh_from_db()
    assert tool.state == ToolState.WITHDRAWN
    notice = Notice.objects.get(tool=tool)
    assert (notice.action, notice.reason_code, notice.summary, notice.decided_by) == (
        NoticeAction.WITHDRAWN,
        ReasonCode.PROVIDER_WITHDREW,
        REASON,
        provider_admin,
    )
    assert notice.officer_guidance == "" and notice.provider_guidance == ""

    event = AuditEvent.objects.get(action=Action.TOOL_WITHDRAWN)
    assert event.actor == provider_admin and event.target_id == tool.slug
    assert event.before["state"] == ToolState.PUBLISHED and event.after["state"] == ToolState.WITHDRAWN
    assert event.after["notice"] == str(notice.public_id) and event.after["reason"] == REASON

    # The provider's page says what the state means and how the tool comes back.
    own = signed.get(reverse("catalogue:provider_tool", kwargs={"slug": tool.slug})).content.decode()
    assert "Withdrawn from the catalogue" in own and "submit it for review" in own
    assert reverse("catalogue:provider_submit", kwargs={"slug": tool.slug}) in own

    # The coordinators and the other member are told in their inbox; the admin who did it is not.
    told = Notification.objects.filter(kind=Kind.TOOL_WITHDRAWN, message_key="withdrawals_tool_withdrawn")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([coordinator.pk, provider_member.pk])
    assert told.get(user=coordinator).link == tool_page(tool)


def test_the_reason_is_optional(admin_client, tool):
    response = admin_client.post(withdraw_url(tool), {"reason": "  "})
    assert response.status_code == 302
    notice = Notice.objects.get(tool=tool)
    assert notice.summary == ""


def test_an_open_update_request_is_closed(admin_client, tool, provider_admin):
    revision = updates.start_update(tool, by=provider_admin)
    assert "Your update request for this tool is closed." in admin_client.get(withdraw_url(tool)).content.decode()
    admin_client.post(withdraw_url(tool), {"reason": ""})
    revision.refresh_from_db()
    assert revision.state == ToolState.REJECTED
    assert AuditEvent.objects.filter(action=Action.TOOL_UPDATE_CLOSED, target_id=tool.slug).count() == 1


# --- officers ------------------------------------------------------------------------------------------
def test_officer_sees_the_withdrawal_notice_instead_of_the_entry(officer_client, tool, provider_admin):
    assert "Sorts seized images by scene." in officer_client.get(tool_page(tool)).content.decode()
    withdraw(tool, provider_admin)

    response = officer_client.get(tool_page(tool))
    body = response.content.decode()
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "withdrawals/tool_withdrawn.html" in names and "catalogue/tool_detail.html" not in names
    assert "Withdrawn by the provider" in body and "This is not a sanction" in body
    assert REASON in body
    # None of a sanction's words, and not the entry.
    assert "suspended" not in body.lower() and "removed from the catalogue" not in body
    assert "Sorts seized images by scene." not in body and tool.long_description not in body
    # A withdrawn tool cannot be reported: nothing is offered.
    assert reverse("concerns:report", kwargs={"slug": tool.slug}) not in body


def test_withdrawn_tool_leaves_search_comparison_and_the_api_at_once(
    officer_client, verified_officer, tool, provider_admin
):
    other = factories.ToolFactory(published=True, name="Quay Finder")
    catalogue = reverse("discovery:catalogue")
    compare = reverse("discovery:compare")
    api = api_client(verified_officer)
    assert tool in [result.tool for result in officer_client.get(catalogue).context["results"]]
    assert ToolSearchText.objects.filter(tool=tool).exists()

    withdraw(tool, provider_admin)

    results = [result.tool for result in officer_client.get(catalogue).context["results"]]
    assert tool not in results and other in results
    assert "Harbour Lens" not in officer_client.get(catalogue, {"q": "seized images"}).content.decode()
    assert not ToolSearchText.objects.filter(tool=tool).exists()
    response = officer_client.get(compare, {"tools": f"{tool.slug},{other.slug}"})
    # The comparison shows the other tool and says that one is not shown (named only by a
    # published version's name, which this factory-made tool has none of).
    page = response.content.decode()
    assert response.status_code == 200 and "Sorts seized images" not in page
    assert other.name in page and ("no longer in the catalogue" in page or "One tool is not available" in page)
    assert tool.slug not in {item["slug"] for item in api.get(reverse("api:tools")).json()["results"]}
    gone = api.get(reverse("api:tool", args=[tool.slug]))
    assert gone.status_code == 410
    assert "withdrawn" in gone.json()["error"] and "not a sanction" in gone.json()["error"]
    assert gone.json()["notice"]["action"] == "withdrawn"
    assert "questionnaires" not in gone.json()


def test_register_and_api_list_the_withdrawal_under_its_own_action(
    officer_client, verified_officer, coordinator, tool, provider_admin
):
    suspended = factories.NoticeFactory(tool__name="Moderated Tool")
    notice = withdraw(tool, provider_admin)

    api = api_client(verified_officer)
    items = api.get(reverse("api:notices"), {"action": "withdrawn"}).json()
    assert items["count"] == 1
    assert items["results"] == [
        {
            "tool": tool.slug,
            "tool_name": "Harbour Lens",
            "action": "withdrawn",
            "date": notice.decided_at.isoformat(),
            "reason": REASON,
            "guidance": "",
        }
    ]
    assert {item["action"] for item in api.get(reverse("api:notices")).json()["results"]} == {"withdrawn", "suspended"}
    schema = api.get(reverse("api:openapi")).json()
    assert "withdrawn" in schema["components"]["schemas"]["Notice"]["properties"]["action"]["enum"]

    register = reverse("moderation:notices")
    body = officer_client.get(register).content.decode()
    assert "Harbour Lens" in body and "Withdrawn by the provider" in body and REASON in body
    only = officer_client.get(register, {"action": "withdrawn"}).context["page"].object_list
    assert list(only) == [notice]
    # A coordinator reads it in the register, but there is no case to open: nothing was decided.
    coordinator_client = sign_in(Client(), coordinator)
    reauthenticate(coordinator_client)
    page = coordinator_client.get(register).content.decode()
    assert reverse("moderation:case", args=[suspended.public_id]) in page
    assert reverse("moderation:case", args=[notice.public_id]) not in page
    assert coordinator_client.get(reverse("moderation:case", args=[notice.public_id])).status_code == 404


def test_followers_and_officers_who_declared_use_are_told_once(tool, provider_admin, follower, verified_officer):
    both = factories.OfficerProfileFactory(verified=True).user
    AgencyUse.objects.create(user=verified_officer, tool=tool)
    AgencyUse.objects.create(user=both, tool=tool)
    tool.follows.create(user=both)

    withdraw(tool, provider_admin)

    follows = Notification.objects.filter(kind=Kind.TOOL_WITHDRAWN, message_key__startswith="following_")
    assert sorted(follows.values_list("user_id", "message_key")) == sorted(
        [
            (follower.pk, "following_tool_withdrawn"),
            (both.pk, "following_tool_withdrawn"),
            (verified_officer.pk, "following_tool_withdrawn_in_use"),
        ]
    )
    assert {entry.link for entry in follows} == {tool_page(tool)}
    assert {entry.params["detail"] for entry in follows} == {REASON}
    emails = {message.to[0]: message for message in mail.outbox}
    message = emails[verified_officer.email]
    assert "a tool your agency uses, was withdrawn by its provider" in message.subject
    assert "This is not a sanction" in message.body and REASON in message.body
    assert "a tool you follow" in emails[follower.email].subject


def test_followed_tools_page_marks_the_withdrawal(tool, provider_admin, follower):
    withdraw(tool, provider_admin)
    body = sign_in(Client(), follower).get(reverse("following:followed")).content.decode()
    assert "Withdrawn by the provider" in body and "Read the notice" in body


def test_the_tool_space_stays_open_to_officers(officer_client, tool, provider_admin):
    space = Space.objects.create(kind=Space.Kind.TOOL, tool=tool)
    withdraw(tool, provider_admin)
    space.refresh_from_db()
    assert not space.is_locked
    assert not AuditEvent.objects.filter(action=Action.SPACE_LOCKED).exists()
    response = officer_client.get(reverse("discussions:tool_space", kwargs={"slug": tool.slug}))
    assert response.status_code == 200


# --- back through review ---------------------------------------------------------------------------------
def test_provider_corrects_and_submits_again_and_the_coordinators_publish(
    admin_client, officer_client, tool, provider_admin, coordinator
):
    withdraw(tool, provider_admin)
    versions_before = ToolVersion.objects.filter(tool=tool).count()

    # Still its own to edit: the description changes without reaching officers.
    edit = reverse("catalogue:provider_tool_edit", kwargs={"slug": tool.slug})
    data = {"name": tool.name, "short_description": "Sorts and labels seized images.", "website": tool.website}
    data["long_description"] = tool.long_description
    assert admin_client.post(edit, data).status_code == 302
    assert "Sorts and labels" not in officer_client.get(tool_page(tool)).content.decode()

    response = admin_client.post(reverse("catalogue:provider_submit", kwargs={"slug": tool.slug}), {"confirmed": "yes"})
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.SUBMITTED
    assert AuditEvent.objects.filter(action=Action.TOOL_SUBMITTED, target_id=tool.slug).exists()
    coordinator_client = sign_in(Client(), coordinator)
    reauthenticate(coordinator_client)
    queue = coordinator_client.get(reverse("catalogue:review_queue")).content.decode()
    assert "Harbour Lens" in queue

    review.publish_tool(tool, by=coordinator, expected_version=tool.version)
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED
    assert ToolVersion.objects.filter(tool=tool).count() == versions_before + 1
    body = officer_client.get(tool_page(tool)).content.decode()
    assert "Sorts and labels seized images." in body and "Withdrawn by the provider" not in body
    results = officer_client.get(reverse("discovery:catalogue")).context["results"]
    assert tool in [result.tool for result in results]


# --- who may ----------------------------------------------------------------------------------------------
def test_only_an_admin_of_the_tools_organisation_may_withdraw(client, tool, provider_member, coordinator):
    other_admin = factories.MembershipFactory(is_admin=True).user
    for user, status in [
        (provider_member, 403),
        (other_admin, 404),
        (factories.OfficerProfileFactory(verified=True).user, 403),
        (coordinator, 403),
    ]:
        signed = sign_in(Client(), user)
        reauthenticate(signed)
        assert signed.get(withdraw_url(tool)).status_code == status, user
        assert signed.post(withdraw_url(tool), {"reason": ""}).status_code == status, user
    assert Client().get(withdraw_url(tool)).status_code == 302  # to the sign-in page
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED
    assert not Notice.objects.exists() and not AuditEvent.objects.filter(action=Action.TOOL_WITHDRAWN).exists()


def test_withdrawing_needs_no_accepted_terms(admin_client, tool, organisation):
    # A current provider-terms version the organisation has not accepted: its tool pages are
    # closed to it, but consent can still be withdrawn.
    factories.TermsDocumentFactory(audience=Audience.PROVIDERS)
    assert admin_client.get(reverse("catalogue:my_tools")).status_code == 403
    assert admin_client.post(withdraw_url(tool), {"reason": ""}).status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.WITHDRAWN


@pytest.mark.parametrize("state", [ToolState.DRAFT, ToolState.SUBMITTED, ToolState.SUSPENDED, ToolState.WITHDRAWN])
def test_only_a_published_tool_can_be_withdrawn(admin_client, tool, state):
    type(tool).objects.filter(pk=tool.pk).update(state=state)
    response = admin_client.post(withdraw_url(tool), {"reason": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:provider_tool", kwargs={"slug": tool.slug})
    tool.refresh_from_db()
    assert tool.state == state and not Notice.objects.exists()


def test_a_withdrawal_is_not_a_decision(tool, provider_admin, coordinator):
    notice = withdraw(tool, provider_admin)
    # Not among the grounds a coordinator may give, and never the coordinators' to take.
    assert ReasonCode.PROVIDER_WITHDREW not in dict(DecisionForm().fields["reason_code"].choices)
    with pytest.raises(moderation_services.InvalidDecision):
        moderation_services.decide(
            factories.ToolFactory(published=True),
            action=NoticeAction.SUSPENDED,
            by=coordinator,
            reason_code=ReasonCode.PROVIDER_WITHDREW,
            summary="x",
            officer_guidance="y",
            provider_guidance="z",
            expected_version=1,
        )
    assert moderation_services.allowed_actions(tool) == []
    # The provider's list of decisions about its tools leaves it out; there is nothing to reply to.
    provider = sign_in(Client(), provider_admin)
    assert "Harbour Lens" not in provider.get(reverse("moderation:provider_notices")).content.decode()
    assert provider.get(reverse("moderation:provider_notice", args=[notice.public_id])).status_code == 404
    with pytest.raises(moderation_services.InvalidDecision):
        moderation_services.reply(notice, by=provider_admin, text="Why?")


def test_the_new_pages_are_well_formed(admin_client, officer_client, tool, provider_admin):
    """One main heading and no duplicate id on each page this app adds or adds to."""
    provider_tool = reverse("catalogue:provider_tool", kwargs={"slug": tool.slug})
    pages = [admin_client.get(provider_tool), admin_client.get(withdraw_url(tool))]
    pages.append(admin_client.get(reverse("withdrawals:leave")))
    withdraw(tool, provider_admin)
    pages += [admin_client.get(provider_tool), officer_client.get(tool_page(tool))]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<h1") == 1 and duplicate_ids(html) == [], response.request["PATH_INFO"]


# --- the list pages cost the same ----------------------------------------------------------------------------
def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_register_and_followed_pages_cost_no_more_queries_with_withdrawals(forms, provider_admin):
    officer = factories.OfficerProfileFactory(verified=True).user
    client = sign_in(Client(), officer)
    organisation = provider_admin.membership.organisation
    tools = [factories.ToolFactory(published=True, organisation=organisation) for _ in range(12)]
    for tool in tools:
        tool.follows.create(user=officer)
    for tool in tools[:6]:
        moderation_services.suspend_tool(
            tool,
            by=factories.CoordinatorFactory(),
            reason_code=ReasonCode.OTHER,
            summary="s",
            officer_guidance="g",
            provider_guidance="p",
            expected_version=tool.version,
        )
    register, followed = reverse("moderation:notices"), reverse("following:followed")
    before = (_queries(client, register), _queries(client, followed))

    for tool in tools[6:]:
        withdraw(tool, provider_admin, reason="")
    after = (_queries(client, register), _queries(client, followed))
    assert Notice.objects.filter(action=NoticeAction.WITHDRAWN).count() == 6
    assert after == before
    assert client.get(followed).content.decode().count("Withdrawn by the provider") == 6
