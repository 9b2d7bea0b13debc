"""What officers, providers and coordinators see after a decision: the notice page instead of the
entry, the notices register, the provider's notice with its guidance and the right of reply."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from moderation import services
from moderation.models import CaseMessage, Notice, NoticeAction, ReasonCode
from notifications.models import Kind, Notification, NotificationPreference
from testkit import factories
from testkit.personas import sign_in

from .conftest import SUSPENSION

pytestmark = pytest.mark.django_db

REGISTER = reverse("moderation:notices")


def suspend(tool, coordinator, **overrides):
    tool.refresh_from_db()
    data = {key: value for key, value in SUSPENSION.items() if key != "action"}
    data.update(overrides)
    notice = services.suspend_tool(tool, by=coordinator, expected_version=tool.version, **data)
    tool.refresh_from_db()
    return notice


def tool_page(tool):
    return reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})


def provider_url(notice):
    return reverse("moderation:provider_notice", kwargs={"public_id": notice.public_id})


# --- the tool leaves the catalogue at once; its page becomes the notice ------------------
def test_suspended_tool_disappears_from_search_comparison_and_api_list(
    officer_client, verified_officer, coordinator, tool
):
    other = factories.ToolFactory(published=True, name="Quay Finder")
    catalogue = reverse("discovery:catalogue")
    assert tool in [result.tool for result in officer_client.get(catalogue).context["results"]]
    compare = reverse("discovery:compare")
    assert officer_client.get(compare, {"tools": f"{tool.slug},{other.slug}"}).status_code == 200
    api = Client(headers={"Authorization": f"Bearer {factories.make_api_token(verified_officer)}"})
    assert tool.slug in {item["slug"] for item in api.get(reverse("api:tools")).json()["results"]}

    suspend(tool, coordinator)

    results = officer_client.get(catalogue).context["results"]
    assert tool not in [result.tool for result in results] and other in [result.tool for result in results]
    assert "Harbour Lens" not in officer_client.get(catalogue, {"q": "seized images"}).content.decode()
    response = officer_client.get(compare, {"tools": f"{tool.slug},{other.slug}"})
    # The comparison shows the other tool and says that one is not shown (named only by a
    # published version's name, which this factory-made tool has none of).
    page = response.content.decode()
    assert response.status_code == 200 and "Sorts seized images" not in page
    assert other.name in page and ("no longer in the catalogue" in page or "One tool is not available" in page)
    assert tool.slug not in {item["slug"] for item in api.get(reverse("api:tools")).json()["results"]}


def test_officer_sees_the_notice_instead_of_the_entry(officer_client, coordinator, tool):
    assert "Sorts seized images by scene." in officer_client.get(tool_page(tool)).content.decode()
    suspend(tool, coordinator)
    response = officer_client.get(tool_page(tool))
    body = response.content.decode()
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "moderation/tool_notice.html" in names and "catalogue/tool_detail.html" not in names
    assert "This tool is suspended" in body
    assert SUSPENSION["summary"] in body and SUSPENSION["officer_guidance"] in body
    assert "Inaccurate or misleading information" in body
    # Not the entry, and never the guidance meant for the provider.
    assert "Sorts seized images by scene." not in body and tool.long_description not in body
    assert SUSPENSION["provider_guidance"] not in body
    # An officer who still uses the suspended tool can report a concern from its notice.
    report = reverse("concerns:report", kwargs={"slug": tool.slug})
    assert f'href="{report}"' in body
    assert officer_client.get(report).status_code == 200


def test_removed_tool_page_shows_the_removal_and_the_earlier_suspension(officer_client, coordinator, tool):
    suspend(tool, coordinator)
    services.remove_tool(
        tool,
        by=coordinator,
        reason_code=ReasonCode.HUMAN_RIGHTS_DEVELOPMENT,
        summary="Reliable sources show the training data was gathered unlawfully.",
        officer_guidance="Stop using the tool and review cases where it was used.",
        provider_guidance="Rebuild the training data from lawful sources.",
        expected_version=tool.version,
    )
    body = officer_client.get(tool_page(tool)).content.decode()
    assert "This tool was removed from the catalogue" in body
    assert "Stop using the tool" in body and "Rebuild the training data" not in body
    assert "Earlier decisions about this tool" in body


def test_providers_and_pending_officers_still_get_no_tool_page(
    client, coordinator, tool, provider_admin, pending_officer
):
    suspend(tool, coordinator)
    assert sign_in(client, provider_admin).get(tool_page(tool)).status_code == 403
    assert sign_in(Client(), pending_officer).get(tool_page(tool)).status_code == 403


# --- the notices register ---------------------------------------------------------------------
@pytest.fixture
def three_notices(coordinator):
    now = timezone.now()
    old = factories.NoticeFactory(decided_at=now - timedelta(days=40), tool__name="Old Tool", summary="Old summary")
    removed = factories.NoticeFactory(
        action=NoticeAction.REMOVED, decided_at=now - timedelta(days=5), tool__name="Gone Tool", summary="Gone summary"
    )
    reinstated = factories.NoticeFactory(
        action=NoticeAction.REINSTATED,
        decided_at=now - timedelta(days=1),
        tool__name="Back Tool",
        summary="Back summary",
    )
    return old, removed, reinstated


def test_register_lists_every_decision_newest_first_without_provider_guidance(officer_client, three_notices):
    response = officer_client.get(REGISTER)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Back Tool") < body.index("Gone Tool") < body.index("Old Tool")
    assert "Check results against a second method" in body  # the officer guidance
    assert factories.NoticeFactory.provider_guidance not in body
    assert reverse("moderation:case", kwargs={"public_id": three_notices[0].public_id}) not in body


def test_register_filters_by_decision_and_date(officer_client, three_notices):
    body = officer_client.get(REGISTER, {"action": "removed"}).content.decode()
    assert "Gone Tool" in body and "Back Tool" not in body and "Old Tool" not in body
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    body = officer_client.get(REGISTER, {"since": since}).content.decode()
    assert "Gone Tool" in body and "Back Tool" in body and "Old Tool" not in body
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    body = officer_client.get(REGISTER, {"until": until}).content.decode()
    assert "Old Tool" in body and "Gone Tool" not in body


def test_register_filters_by_tool_name_and_reason(officer_client, three_notices):
    old, removed, _reinstated = three_notices
    Notice.objects.filter(pk=removed.pk).update(reason_code=ReasonCode.HUMAN_RIGHTS_USE)
    body = officer_client.get(REGISTER, {"tool": "gone"}).content.decode()
    assert "Gone Tool" in body and "Back Tool" not in body and "Old Tool" not in body
    body = officer_client.get(REGISTER, {"reason": ReasonCode.HUMAN_RIGHTS_USE}).content.decode()
    assert "Gone Tool" in body and "Back Tool" not in body and "Old Tool" not in body
    body = officer_client.get(REGISTER, {"tool": "old", "reason": ReasonCode.HUMAN_RIGHTS_USE}).content.decode()
    assert "No notices match." in body and 'value="old"' in body


def test_register_takes_the_widest_dates_without_failing(officer_client, three_notices):
    response = officer_client.get(REGISTER, {"since": "0001-01-01", "until": "9999-12-31"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Old Tool" in body and "Gone Tool" in body and "Back Tool" in body


def test_register_rejects_a_reversed_date_range_and_keeps_the_filter(officer_client, three_notices):
    response = officer_client.get(REGISTER, {"since": "2026-05-01", "until": "2026-04-01", "action": "bogus"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert 'value="2026-05-01"' in response.content.decode()


def test_register_query_count_does_not_grow_with_notices(officer_client, django_assert_max_num_queries):
    factories.NoticeFactory.create_batch(20)
    officer_client.get(REGISTER)  # the first request of a session records the session itself
    with django_assert_max_num_queries(12):
        response = officer_client.get(REGISTER)
    assert len(response.context["page"].object_list) == 20


# --- the provider's notice and right of reply; the coordinators' case ------------------------
def test_provider_sees_the_notice_with_its_guidance_and_replies(client, coordinator, tool, provider_member):
    notice = suspend(tool, coordinator)
    factories.CoordinatorFactory()  # a second coordinator is told too
    member = sign_in(client, provider_member)
    listing = member.get(reverse("moderation:provider_notices")).content.decode()
    assert provider_url(notice) in listing
    body = member.get(provider_url(notice)).content.decode()
    assert SUSPENSION["provider_guidance"] in body and SUSPENSION["summary"] in body
    # The tool's own page in the provider's pages says it is suspended, why, and leads to the notice;
    # the notice leads back to the entry.
    entry = reverse("catalogue:provider_tool", kwargs={"slug": tool.slug})
    tool_page_html = member.get(entry).content.decode()
    assert "This tool is suspended" in tool_page_html and SUSPENSION["summary"] in tool_page_html
    assert provider_url(notice) in tool_page_html and entry in body
    mail.outbox.clear()

    response = member.post(
        reverse("moderation:reply", kwargs={"public_id": notice.public_id}), {"text": "We corrected the figure."}
    )
    assert response.status_code == 302 and response["Location"] == provider_url(notice)
    message = CaseMessage.objects.get()
    assert (message.role, message.author, message.notice) == ("provider", provider_member, notice)
    assert AuditEvent.objects.filter(action=Action.NOTICE_REPLIED, actor=provider_member).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            coordinator.email,
            *factories.CoordinatorFactory._meta.model.objects.filter(role="coordinator")
            .exclude(pk=coordinator.pk)
            .values_list("email", flat=True),
        ]
    )
    assert "We corrected the figure." in member.get(provider_url(notice)).content.decode()
    # Filed as correspondence on the case, not as another suspension notice.
    told = Notification.objects.get(user=coordinator, message_key="moderation_provider_replied")
    assert told.kind == Kind.MODERATION_CASE


def test_case_correspondence_respects_email_preferences(coordinator, tool, provider_member):
    notice = suspend(tool, coordinator)
    NotificationPreference.objects.create(user=coordinator, kind=Kind.MODERATION_CASE, email=False)
    mail.outbox.clear()
    services.reply(notice, by=provider_member, text="We corrected the figure.")
    assert coordinator.email not in [m.to[0] for m in mail.outbox]
    assert Notification.objects.filter(user=coordinator, kind=Kind.MODERATION_CASE).count() == 1


def test_an_empty_reply_is_a_400_and_saves_nothing(client, coordinator, tool, provider_member):
    notice = suspend(tool, coordinator)
    response = sign_in(client, provider_member).post(
        reverse("moderation:reply", kwargs={"public_id": notice.public_id}), {"text": "   "}
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not CaseMessage.objects.exists()


def test_other_providers_learn_nothing(client, coordinator, tool):
    notice = suspend(tool, coordinator)
    outsider = factories.MembershipFactory(is_admin=True).user
    other = sign_in(client, outsider)
    assert other.get(provider_url(notice)).status_code == 404
    assert (
        other.post(reverse("moderation:reply", kwargs={"public_id": notice.public_id}), {"text": "x"}).status_code
        == 404
    )
    assert "Harbour Lens" not in other.get(reverse("moderation:provider_notices")).content.decode()
    assert not CaseMessage.objects.exists()


def test_officers_cannot_open_the_provider_notice(officer_client, coordinator, tool):
    notice = suspend(tool, coordinator)
    assert officer_client.get(provider_url(notice)).status_code == 404


def test_coordinator_sees_the_reply_on_the_case_and_answers(coordinator_client, coordinator, tool, provider_member):
    notice = suspend(tool, coordinator)
    factories.CaseMessageFactory(notice=notice, author=provider_member, text="Please look at our new report.")
    case_url = reverse("moderation:case", kwargs={"public_id": notice.public_id})
    body = coordinator_client.get(case_url).content.decode()
    assert "Please look at our new report." in body and SUSPENSION["provider_guidance"] in body
    mail.outbox.clear()

    assert coordinator_client.post(case_url, {"text": ""}).status_code == 400
    response = coordinator_client.post(case_url, {"text": "Thank you; we will review it this week."})
    assert response.status_code == 302
    answer = CaseMessage.objects.get(role="coordinator")
    assert answer.author == coordinator
    assert AuditEvent.objects.filter(action=Action.NOTICE_ANSWERED).count() == 1
    assert provider_member.email in [m.to[0] for m in mail.outbox]
    assert "Thank you; we will review it this week." in mail.outbox[0].body
    provider_view = sign_in(Client(), provider_member).get(provider_url(notice)).content.decode()
    assert "Thank you; we will review it this week." in provider_view
    assert coordinator.full_name not in provider_view
