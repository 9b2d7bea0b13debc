"""Concerns about tools: reporting, the reporter's view, triage by coordinators, the provider's
response (without learning who reported), outcomes that suspend or remove, concurrency."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from catalogue.tests.test_provider_helpers import pdf_bytes, upload
from concerns import services as concerns
from concerns.models import Concern, ConcernNote
from discovery.models import ToolSearchText
from moderation import services as moderation
from moderation.models import Notice
from notifications.models import Notification
from testkit import factories
from testkit.personas import sign_in

from .conftest import SUSPENSION, reauthenticate

pytestmark = pytest.mark.django_db

Status = Concern.Status
Outcome = Concern.Outcome

DESCRIPTION = "Canary-description: the vendor sells the tool to a regime that tracks journalists."
SOURCES = "https://news.example/canary-source-article"
CHANGED = "This concern changed meanwhile"


# --- helpers ------------------------------------------------------------------------------
@pytest.fixture
def reporter(db):
    return factories.OfficerProfileFactory(
        verified=True, user__full_name="Canary Reporter Name", user__email="canary.reporter@police.example"
    ).user


@pytest.fixture
def reporter_client(reporter):
    return sign_in(Client(), reporter)


@pytest.fixture
def provider_client(provider_member):
    return sign_in(Client(), provider_member)


def report_url(tool):
    return reverse("concerns:report", kwargs={"slug": tool.slug})


def concern_url(concern, name="detail"):
    return reverse(f"concerns:{name}", kwargs={"public_id": concern.public_id})


def make_concern(tool, reporter, **kwargs):
    """A concern as reported through the service (coordinators told, audited)."""
    return concerns.report(
        tool,
        by=reporter,
        category=kwargs.pop("category", Concern.Category.HUMAN_RIGHTS_USE),
        description=kwargs.pop("description", DESCRIPTION),
        sources=kwargs.pop("sources", SOURCES),
        **kwargs,
    )


def fresh(concern):
    concern.refresh_from_db()
    return concern


def decide_data(concern, outcome, **fields):
    concern.refresh_from_db()
    return {
        "version": concern.version,
        "tool_version": concern.tool.version,
        "outcome": outcome,
        **fields,
    }


def events(action, concern):
    return AuditEvent.objects.filter(action=action, target_id=str(concern.public_id))


# --- reporting ------------------------------------------------------------------------------
def test_officer_reports_a_concern_with_a_pdf_from_the_tool_page(reporter_client, reporter, tool, coordinator, forms):
    page = reporter_client.get(reverse("catalogue:tool_detail", kwargs={"slug": tool.slug}))
    assert f'href="{report_url(tool)}"' in page.content.decode()
    assert reporter_client.get(report_url(tool)).status_code == 200
    mail.outbox.clear()

    response = reporter_client.post(
        report_url(tool),
        {
            "category": "human_rights_use",
            "description": DESCRIPTION,
            "sources": SOURCES,
            "file": upload("My evidence (final).pdf", pdf_bytes(), "application/pdf"),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("concerns:mine")
    html = response.content.decode()
    assert "your concern was sent to the coordinators" in html
    concern = Concern.objects.get()
    assert (concern.tool, concern.reporter, concern.status) == (tool, reporter, Status.RECEIVED)
    assert concern.description == DESCRIPTION and concern.sources == SOURCES
    # The stored name is the server's, never the uploader's.
    assert re.fullmatch(r"concerns/[0-9a-f]{32}\.pdf", concern.file.name)
    assert concern.file.read() == pdf_bytes()
    # The reporter's list shows it, received.
    assert tool.name in html and "Received" in html

    event = events(Action.CONCERN_REPORTED, concern).get()
    assert event.actor == reporter and event.after["category"] == "human_rights_use" and event.after["file"] is True
    # Each coordinator is told: inbox and email, linking to the concern.
    note = Notification.objects.get(user=coordinator)
    assert (note.kind, note.link) == ("concern_update", concern_url(concern))
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert concern_url(concern) in mail.outbox[0].body


def test_an_invalid_report_comes_back_with_what_was_typed(reporter_client, tool):
    response = reporter_client.post(report_url(tool), {"category": "", "description": "  ", "sources": SOURCES})
    assert response.status_code == 400
    html = response.content.decode()
    assert SOURCES in html
    assert set(response.context["form"].errors) == {"category", "description"}
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"<html><script>alert(1)</script></html>", "must be a PDF"),
        (b"%PDF-1.7\nnot really a pdf", "must be a PDF"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(reporter_client, tool, content, expected):
    response = reporter_client.post(
        report_url(tool),
        {
            "category": "inaccurate_information",
            "description": DESCRIPTION,
            "file": upload("evidence.pdf", content, "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert DESCRIPTION in response.content.decode()
    assert not Concern.objects.exists()


def test_a_pdf_with_javascript_is_refused(reporter_client, tool):
    response = reporter_client.post(
        report_url(tool),
        {
            "category": "other",
            "description": DESCRIPTION,
            "file": upload("e.pdf", pdf_bytes(javascript=True), "application/pdf"),
        },
    )
    assert response.status_code == 400 and not Concern.objects.exists()


def test_who_may_report_what(client, tool, provider_member, pending_officer, verified_officer, forms):
    other_provider = factories.MembershipFactory().user
    # A member of another organisation may report a published tool.
    sign_in(client, other_provider)
    response = client.post(report_url(tool), {"category": "endorsement_claim", "description": "Claims endorsement."})
    assert response.status_code == 302
    assert Concern.objects.get().reporter == other_provider
    # Not about their own tool; a pending officer sees no tool at all; nor does anyone who just
    # signed up as a provider (their organisation is not approved yet): no probing the catalogue.
    signed_up = factories.MembershipFactory(organisation__status="pending").user
    for user in (provider_member, pending_officer, signed_up):
        sign_in(client, user)
        assert client.get(report_url(tool)).status_code == 404
        assert client.post(report_url(tool), {"category": "other", "description": "x"}).status_code == 404
    sign_in(client, signed_up)
    find = client.get(reverse("concerns:provider_list"), {"tool": tool.name})
    assert find.status_code in (403, 404) and "Location" not in find
    # Only published or suspended tools: a draft or removed tool answers 404.
    sign_in(client, verified_officer)
    for state in (ToolState.DRAFT, ToolState.SUBMITTED, ToolState.REMOVED):
        other = factories.ToolFactory(state=state)
        assert client.get(report_url(other)).status_code == 404
    suspended = factories.ToolFactory(state=ToolState.SUSPENDED)
    assert client.get(report_url(suspended)).status_code == 200
    assert Concern.objects.count() == 1


def test_a_report_whose_notification_fails_leaves_nothing_behind(monkeypatch, tool, reporter, coordinator):
    def mail_server_of_the_inbox_broke(*args, **kwargs):
        raise RuntimeError("inbox unavailable")

    monkeypatch.setattr(concerns, "_notify", mail_server_of_the_inbox_broke)
    with pytest.raises(RuntimeError):
        make_concern(tool, reporter)
    # The concern, its audit event and any notification are saved together or not at all.
    assert not Concern.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CONCERN_REPORTED).exists()


# --- the reporter -------------------------------------------------------------------------------
def test_reporter_sees_each_status_and_outcome_but_never_the_notes(
    reporter_client, reporter, coordinator, coordinator_client, tool
):
    concern = make_concern(tool, reporter)
    mine = reverse("concerns:mine")
    coordinator_client.post(concern_url(concern, "assess"), {"version": concern.version, "note": "Canary-note-one"})
    html = reporter_client.get(mine).content.decode()
    assert "Under assessment" in html and "Canary-note-one" not in html

    coordinator_client.post(
        concern_url(concern, "note"), {"version": fresh(concern).version, "text": "Canary-note-two"}
    )
    coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "no_action", note="Canary-note-three"),
    )
    coordinator_client.post(
        concern_url(concern, "close"), {"version": fresh(concern).version, "note": "Canary-note-four"}
    )
    response = reporter_client.get(mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Closed" in html and "No action" in html and tool.name in html
    assert "Canary-note" not in html
    # Told at each status change (not for the internal note), with a link to "My concerns".
    told = Notification.objects.filter(user=reporter, kind="concern_update").order_by("created_at", "id")
    assert [entry.message_key for entry in told] == ["concern_assessing", "concern_decided", "concern_closed"]
    assert {entry.link for entry in told} == {mine}
    emails = [message for message in mail.outbox if message.to == [reporter.email]]
    assert len(emails) == 3 and all("Canary-note" not in message.body for message in emails)
    # Nobody else's concerns on the page.
    make_concern(tool, factories.OfficerProfileFactory(verified=True).user, description="Someone else's concern")
    assert reporter_client.get(mine).content.decode().count("<tr>") == 2  # header + own concern


# --- coordinators --------------------------------------------------------------------------------
def test_full_triage_flow_with_audit(coordinator_client, coordinator, reporter, tool):
    concern = make_concern(tool, reporter, file_content=pdf_bytes())
    page = coordinator_client.get(concern_url(concern))
    html = page.content.decode()
    assert page.status_code == 200
    for text in (DESCRIPTION, SOURCES, reporter.full_name, reporter.email, tool.name):
        assert text in html
    assert concern_url(concern, "file") in html

    response = coordinator_client.post(concern_url(concern, "assess"), {"version": 1, "note": ""})
    assert response.status_code == 302 and fresh(concern).status == Status.UNDER_ASSESSMENT
    response = coordinator_client.post(
        concern_url(concern, "note"), {"version": concern.version, "text": "Checked the sources."}
    )
    assert response.status_code == 302
    response = coordinator_client.post(
        concern_url(concern, "decide"), decide_data(concern, "no_action", note="Sources do not hold up.")
    )
    assert response.status_code == 302
    assert (fresh(concern).status, concern.outcome) == (Status.DECIDED, Outcome.NO_ACTION)
    assert concern.decided_at is not None
    response = coordinator_client.post(
        concern_url(concern, "close"), {"version": concern.version, "note": "Nothing further."}
    )
    assert response.status_code == 302
    assert fresh(concern).status == Status.CLOSED and concern.closed_at is not None
    assert concern.version == 5

    notes = list(ConcernNote.objects.filter(concern=concern).values_list("status", "text"))
    assert notes == [
        ("under_assessment", ""),
        ("", "Checked the sources."),
        ("decided", "Sources do not hold up."),
        ("closed", "Nothing further."),
    ]
    for action in (
        Action.CONCERN_REPORTED,
        Action.CONCERN_ASSESSING,
        Action.CONCERN_NOTE_ADDED,
        Action.CONCERN_DECIDED,
        Action.CONCERN_CLOSED,
    ):
        assert events(action, concern).count() == 1, action
    decided = events(Action.CONCERN_DECIDED, concern).get()
    assert decided.actor == coordinator
    assert decided.before["status"] == "under_assessment" and decided.after["outcome"] == "no_action"

    # The history on the page; a closed concern takes no more notes or decisions.
    html = coordinator_client.get(concern_url(concern)).content.decode()
    assert "Nothing further." in html and "Checked the sources." in html
    assert concern_url(concern, "note") not in html and concern_url(concern, "decide") not in html
    response = coordinator_client.post(concern_url(concern, "note"), {"version": concern.version, "text": "Late note"})
    assert response.status_code == 409 and not ConcernNote.objects.filter(text="Late note").exists()


def test_reading_who_reported_is_itself_audited(coordinator_client, coordinator, reporter, tool):
    concern = make_concern(tool, reporter)
    page = coordinator_client.get(concern_url(concern)).content.decode()
    assert reporter.email in page
    viewed = AuditEvent.objects.get(action=Action.OFFICER_DETAILS_VIEWED)
    assert (viewed.actor, viewed.target_id) == (coordinator, str(reporter.public_id))
    assert viewed.after == {"concern": str(concern.public_id)}


def test_coordinator_downloads_the_pdf_only_as_an_attachment(coordinator_client, reporter, reporter_client, tool):
    concern = make_concern(tool, reporter, file_content=pdf_bytes())
    response = coordinator_client.get(concern_url(concern, "file"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"concern-{concern.public_id.hex[:12]}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()
    # Not even the reporter downloads it again.
    assert reporter_client.get(concern_url(concern, "file")).status_code == 403


def test_no_action_needs_a_note_and_the_form_keeps_input(coordinator_client, reporter, tool):
    concern = make_concern(tool, reporter)
    response = coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "no_action", note="", provider_request="Typed but unused"),
    )
    assert response.status_code == 400
    assert "note" in response.context["decide_form"].errors
    assert "Typed but unused" in response.content.decode()
    assert fresh(concern).status == Status.RECEIVED and not events(Action.CONCERN_DECIDED, concern).exists()


def test_deciding_needs_recent_reauthentication(coordinator, reporter, tool):
    concern = make_concern(tool, reporter)
    client = sign_in(Client(), coordinator)
    response = client.post(concern_url(concern, "decide"), decide_data(concern, "no_action", note="No."))
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate")))
    assert fresh(concern).status == Status.RECEIVED
    reauthenticate(client)
    assert client.post(concern_url(concern, "decide"), decide_data(concern, "no_action", note="No.")).status_code == 302
    assert fresh(concern).status == Status.DECIDED


def test_the_provider_asked_to_respond_never_learns_who_reported(
    coordinator_client, coordinator, reporter, tool, provider_admin, provider_member, provider_client
):
    concern = make_concern(tool, reporter, file_content=pdf_bytes())
    mail.outbox.clear()
    request_text = "Please explain who you sell the tool to and how you check end users."
    response = coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "provider_asked", provider_request=request_text),
    )
    assert response.status_code == 302
    assert (fresh(concern).outcome, concern.provider_request) == (Outcome.PROVIDER_ASKED, request_text)

    secrets = [reporter.full_name, reporter.email, DESCRIPTION, SOURCES, "Canary", concern_url(concern, "file")]
    # The provider's members are told, in their inbox and by email, without anything about the reporter.
    link = concern_url(concern, "provider_detail")
    told = Notification.objects.filter(kind="concern_update", link=link)
    assert sorted(entry.user_id for entry in told) == sorted([provider_admin.pk, provider_member.pk])
    for entry in told:
        assert all(secret not in str(entry.params) for secret in secrets)
    provider_emails = [m for m in mail.outbox if m.to[0] in (provider_admin.email, provider_member.email)]
    assert len(provider_emails) == 2
    for message in provider_emails:
        assert request_text in message.body and link in message.body
        assert all(secret not in message.body + message.subject for secret in secrets)

    # Their page: the tool, the category and the request, nothing of the report.
    page = provider_client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert tool.name in html and request_text in html and "human-rights violations in the tool&#x27;s use" in html
    assert all(secret not in html for secret in secrets)
    listing = provider_client.get(reverse("concerns:provider_list")).content.decode()
    assert link in listing and all(secret not in listing for secret in secrets)
    # Another organisation's members, and the reporter, learn nothing (404).
    assert sign_in(Client(), factories.MembershipFactory().user).get(link).status_code == 404
    assert sign_in(Client(), reporter).get(link).status_code == 404

    # The provider responds once; coordinators are told and read it.
    mail.outbox.clear()
    response = provider_client.post(link, {"text": "We only sell to vetted law-enforcement agencies."})
    assert response.status_code == 302
    assert fresh(concern).provider_response == "We only sell to vetted law-enforcement agencies."
    assert concern.provider_responded_at is not None
    assert events(Action.CONCERN_PROVIDER_RESPONDED, concern).get().actor == provider_member
    assert Notification.objects.filter(user=coordinator, message_key="concern_provider_responded").count() == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "We only sell" in coordinator_client.get(concern_url(concern)).content.decode()
    # A second response (another member, an old tab) is refused and changes nothing.
    second = sign_in(Client(), provider_admin).post(link, {"text": "Overwrite"})
    assert second.status_code == 409
    assert fresh(concern).provider_response.startswith("We only sell")
    assert events(Action.CONCERN_PROVIDER_RESPONDED, concern).count() == 1


def test_after_the_provider_responds_the_coordinators_decide_again(
    coordinator_client, coordinator, reporter, reporter_client, tool, provider_member, provider_client
):
    concern = make_concern(tool, reporter)
    coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "provider_asked", provider_request="Who do you sell the tool to?"),
    )
    provider_client.post(concern_url(concern, "provider_detail"), {"text": "To anyone who pays."})
    page = coordinator_client.get(concern_url(concern))
    # The response is read next to a second decision; asking again is not offered.
    choices = [value for value, _label in page.context["decide_form"].fields["outcome"].choices]
    assert choices == ["no_action", "suspension", "removal"]
    assert "provider_request" not in page.context["decide_form"].fields
    asked_again = coordinator_client.post(
        concern_url(concern, "decide"), decide_data(concern, "provider_asked", provider_request="Again?")
    )
    assert asked_again.status_code == 400 and "already asked to respond" in asked_again.content.decode()

    response = coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "suspension", note="The response confirms the grounds.", **_notice_fields()),
    )
    assert response.status_code == 302
    assert (fresh(concern).status, concern.outcome) == (Status.DECIDED, Outcome.SUSPENSION)
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED
    assert [event.after["outcome"] for event in events(Action.CONCERN_DECIDED, concern).order_by("id")] == [
        "provider_asked",
        "suspension",
    ]
    # The reporter learns the final outcome; the provider can no longer respond on the concern.
    assert "Suspension" in reporter_client.get(reverse("concerns:mine")).content.decode()
    assert provider_client.post(concern_url(concern, "provider_detail"), {"text": "More."}).status_code == 409
    # Once suspended, the concern takes no further decision: only closing.
    page = coordinator_client.get(concern_url(concern))
    assert page.context["decide_form"] is None and page.context["close_form"] is not None


def test_the_providers_list_says_whether_a_response_is_still_awaited(
    coordinator_client, reporter, tool, provider_client
):
    concern = make_concern(tool, reporter)
    coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "provider_asked", provider_request="Who do you sell the tool to?"),
    )
    listing = reverse("concerns:provider_list")
    assert "Awaited" in provider_client.get(listing).content.decode()
    # Decided again without waiting for the response: no longer awaited, and the list says so.
    coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "suspension", note="Grounds confirmed.", **_notice_fields()),
    )
    html = provider_client.get(listing).content.decode()
    assert "Decided without a response" in html and "Awaited" not in html


def test_my_concerns_link_the_tool_only_for_those_who_can_open_it(reporter_client, tool, reporter):
    make_concern(tool, reporter)
    outsider = factories.MembershipFactory().user
    make_concern(tool, outsider)
    tool_link = f'href="{reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})}"'
    assert tool_link in reporter_client.get(reverse("concerns:mine")).content.decode()
    mine = sign_in(Client(), outsider).get(reverse("concerns:mine")).content.decode()
    assert tool.name in mine and tool_link not in mine


def test_provider_asked_needs_the_request(coordinator_client, reporter, tool):
    concern = make_concern(tool, reporter)
    response = coordinator_client.post(
        concern_url(concern, "decide"), decide_data(concern, "provider_asked", provider_request=" ")
    )
    assert response.status_code == 400 and "provider_request" in response.context["decide_form"].errors
    assert fresh(concern).status == Status.RECEIVED


def _notice_fields(**overrides):
    return {key: value for key, value in SUSPENSION.items() if key != "action"} | overrides


def test_suspension_through_a_concern_takes_the_tool_out_and_writes_a_notice(
    coordinator_client, coordinator, reporter, reporter_client, tool, provider_admin, provider_member
):
    # Result cards link to the tool with the way back to the search after the address.
    tool_link = f'href="{reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})}'
    assert tool_link in reporter_client.get(reverse("discovery:catalogue"), {"q": tool.name}).content.decode()
    concern = make_concern(tool, reporter)
    mail.outbox.clear()
    response = coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "suspension", note="Grounds confirmed.", **_notice_fields()),
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.SUSPENDED
    assert not ToolSearchText.objects.filter(tool=tool).exists()
    notice = Notice.objects.get(tool=tool)
    assert (notice.action, notice.summary, notice.decided_by) == ("suspended", SUSPENSION["summary"], coordinator)
    assert (fresh(concern).status, concern.outcome) == (Status.DECIDED, Outcome.SUSPENSION)
    assert events(Action.CONCERN_DECIDED, concern).get().after["notice"] == str(notice.public_id)
    assert AuditEvent.objects.filter(action=Action.TOOL_SUSPENDED, target_id=tool.slug).count() == 1
    # The provider gets the notice (safety email), the reporter the outcome.
    assert sorted(m.to[0] for m in mail.outbox if "suspended" in m.subject) == sorted(
        [provider_admin.email, provider_member.email]
    )
    assert "Suspension" in reporter_client.get(reverse("concerns:mine")).content.decode()
    # Officers see the notice instead of the entry, and the tool is gone from the catalogue.
    page = reporter_client.get(reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})).content.decode()
    assert SUSPENSION["summary"] in page
    catalogue = reporter_client.get(reverse("discovery:catalogue"), {"q": tool.name}).content.decode()
    assert tool_link not in catalogue
    # The concern page lists the decision, and the case links back to the concern.
    assert concern.notice == notice
    assert (
        reverse("moderation:case", args=[notice.public_id])
        in coordinator_client.get(concern_url(concern)).content.decode()
    )
    case = coordinator_client.get(reverse("moderation:case", args=[notice.public_id])).content.decode()
    assert concern_url(concern) in case


def test_removal_through_a_concern(coordinator_client, reporter, tool):
    concern = make_concern(tool, reporter)
    response = coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "removal", **_notice_fields(reason_code="human_rights_use")),
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.REMOVED
    assert Notice.objects.get(tool=tool).action == "removed"
    assert fresh(concern).outcome == Outcome.REMOVAL


def test_suspension_needs_the_notice_fields(coordinator_client, reporter, tool):
    concern = make_concern(tool, reporter)
    response = coordinator_client.post(
        concern_url(concern, "decide"),
        decide_data(concern, "suspension", summary="Only a summary"),
    )
    assert response.status_code == 400
    errors = response.context["decide_form"].errors
    assert {"reason_code", "officer_guidance", "provider_guidance"} <= set(errors)
    assert "Only a summary" in response.content.decode()
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED and not Notice.objects.exists()


def test_a_suspended_tool_cannot_be_suspended_again_but_can_be_removed(coordinator_client, coordinator, reporter, tool):
    concern = make_concern(tool, reporter)
    tool.refresh_from_db()
    moderation.suspend_tool(
        tool,
        by=coordinator,
        expected_version=tool.version,
        **{key: value for key, value in SUSPENSION.items() if key != "action"},
    )
    response = coordinator_client.post(
        concern_url(concern, "decide"), decide_data(concern, "suspension", **_notice_fields())
    )
    assert response.status_code == 400
    assert "Only a published tool can be suspended" in response.content.decode()
    assert fresh(concern).status == Status.RECEIVED and Notice.objects.count() == 1
    response = coordinator_client.post(
        concern_url(concern, "decide"), decide_data(concern, "removal", **_notice_fields())
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.REMOVED and fresh(concern).outcome == Outcome.REMOVAL


def test_when_the_moderation_decision_fails_the_concern_is_not_decided(coordinator, reporter, tool):
    """Same transaction: a stale tool version leaves both the tool and the concern as they were."""
    concern = make_concern(tool, reporter)
    tool.refresh_from_db()
    with pytest.raises(concerns.StaleConcern):
        concerns.decide(
            concern,
            by=coordinator,
            outcome="suspension",
            expected_version=concern.version,
            tool_version=tool.version - 1 if tool.version > 1 else tool.version + 1,
            **_notice_fields(),
        )
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED and not Notice.objects.exists()
    assert fresh(concern).status == Status.RECEIVED and not events(Action.CONCERN_DECIDED, concern).exists()


# --- two coordinators at once ------------------------------------------------------------------
def test_two_coordinators_acting_on_the_same_version(coordinator_client, reporter, tool):
    other = factories.CoordinatorFactory()
    other_client = sign_in(Client(), other)
    reauthenticate(other_client)
    concern = make_concern(tool, reporter)
    seen = concern.version

    # Both start the assessment from the same page.
    first = coordinator_client.post(concern_url(concern, "assess"), {"version": seen, "note": "Mine"})
    second = other_client.post(concern_url(concern, "assess"), {"version": seen, "note": "Theirs"})
    assert first.status_code == 302
    assert second.status_code == 409
    assert CHANGED in second.content.decode() and "nothing was saved" in second.content.decode()
    assert events(Action.CONCERN_ASSESSING, concern).count() == 1
    assert list(ConcernNote.objects.values_list("text", flat=True)) == ["Mine"]

    # Both decide from the same page: one decision, one notification to the reporter.
    seen = fresh(concern).version
    data = decide_data(concern, "provider_asked", provider_request="Explain.")
    assert coordinator_client.post(concern_url(concern, "decide"), data).status_code == 302
    response = other_client.post(concern_url(concern, "decide"), {**data, "outcome": "no_action", "note": "No"})
    assert response.status_code == 409 and CHANGED in response.content.decode()
    assert (fresh(concern).outcome, concern.version) == (Outcome.PROVIDER_ASKED, seen + 1)
    assert events(Action.CONCERN_DECIDED, concern).count() == 1
    assert Notification.objects.filter(user=reporter, message_key="concern_decided").count() == 1

    # A note written on a page that is out of date is not saved either.
    response = other_client.post(concern_url(concern, "note"), {"version": seen, "text": "Stale note"})
    assert response.status_code == 409 and not ConcernNote.objects.filter(text="Stale note").exists()
    # ...but it is not lost: it waits in the note form, now at the current version, to be sent again.
    kept = response.context["note_form"]
    assert kept.initial == {"text": "Stale note", "version": fresh(concern).version}
    assert "Stale note</textarea>" in response.content.decode()
    # Closing twice: once.
    seen = fresh(concern).version
    assert coordinator_client.post(concern_url(concern, "close"), {"version": seen, "note": "Done"}).status_code == 302
    response = other_client.post(concern_url(concern, "close"), {"version": seen, "note": "Done too"})
    assert response.status_code == 409
    assert events(Action.CONCERN_CLOSED, concern).count() == 1
    assert ConcernNote.objects.filter(status=Status.CLOSED).count() == 1


def test_two_coordinators_suspending_through_the_same_concern_suspend_once(coordinator_client, reporter, tool):
    other_client = sign_in(Client(), factories.CoordinatorFactory())
    reauthenticate(other_client)
    concern = make_concern(tool, reporter)
    data = decide_data(concern, "suspension", **_notice_fields())
    assert coordinator_client.post(concern_url(concern, "decide"), data).status_code == 302
    response = other_client.post(concern_url(concern, "decide"), data)
    assert response.status_code == 409 and CHANGED in response.content.decode()
    assert Notice.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.TOOL_SUSPENDED).count() == 1


# --- the queue --------------------------------------------------------------------------------
def test_queue_lists_open_concerns_oldest_first_with_their_age(coordinator_client, reporter, tool):
    now = timezone.now()
    old = make_concern(tool, reporter, description="old")
    Concern.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=40))
    new = make_concern(tool, reporter, description="new")
    closed = make_concern(tool, reporter, description="closed")
    Concern.objects.filter(pk=closed.pk).update(status=Status.CLOSED, outcome=Outcome.NO_ACTION)

    html = coordinator_client.get(reverse("concerns:queue")).content.decode()
    assert html.index(concern_url(old)) < html.index(concern_url(new))
    assert concern_url(closed) not in html
    assert "40 days" in html and "0 days" in html
    html = coordinator_client.get(reverse("concerns:queue"), {"status": "closed"}).content.decode()
    assert concern_url(closed) in html and concern_url(new) not in html
    html = coordinator_client.get(reverse("concerns:queue"), {"status": "all"}).content.decode()
    assert all(concern_url(c) in html for c in (old, new, closed))
    assert coordinator_client.get(reverse("concerns:queue"), {"status": "bogus"}).status_code == 400


def test_queue_query_count_is_bounded(coordinator_client, reporter, django_assert_max_num_queries):
    for index in range(20):
        tool = factories.ToolFactory(published=True)
        officer = factories.OfficerProfileFactory(verified=True).user if index % 2 else reporter
        Concern.objects.create(tool=tool, reporter=officer, category="other", description=f"Concern {index}")
    with django_assert_max_num_queries(13):  # 10, and the audit event naming the reporters shown
        response = coordinator_client.get(reverse("concerns:queue"))
    assert response.status_code == 200
    assert len(set(re.findall(r"/moderation/concerns/[0-9a-f-]{36}/", response.content.decode()))) == 20


def test_the_dashboard_counts_open_concerns_by_status_and_age(coordinator_client, reporter, tool):
    now = timezone.now()
    for days, status in [(1, "received"), (10, "received"), (40, "under_assessment"), (100, "decided"), (5, "closed")]:
        Concern.objects.create(
            tool=tool,
            reporter=reporter,
            category="other",
            description="x",
            status=status,
            created_at=now - datetime.timedelta(days=days),
        )
    html = coordinator_client.get(reverse("reports:dashboard")).content.decode()
    block = html[html.index('id="concerns"') :]
    block = block[: block.index("</section>")]
    assert "4 open concerns." in block
    assert f'href="{reverse("concerns:queue")}"' in block
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', block))
    assert rows["Received"] == "2" and rows["Under assessment"] == "1" and rows["Decided"] == "1"
    assert rows["Under 7 days"] == "1" and rows["7–30 days"] == "1"
    assert rows["30–90 days"] == "1" and rows["Over 90 days"] == "1"
    # ...and drawn: one column per age bucket, each with its count.
    chart = block[block.index('id="chart-concerns"') : block.index("</svg>")]
    assert "Under 7 days: 1" in chart and "Over 90 days: 1" in chart


# --- demo data ---------------------------------------------------------------------------------
def test_demo_seed_has_concerns_in_every_state(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    seeded = list(Concern.objects.select_related("tool"))
    assert {concern.status for concern in seeded} == set(Status.values)
    assert {concern.outcome for concern in seeded} == set(Outcome.values) | {""}
    for concern in seeded:
        if concern.outcome == Outcome.SUSPENSION:
            assert concern.tool.state == ToolState.SUSPENDED
        if concern.outcome == Outcome.REMOVAL:
            assert concern.tool.state == ToolState.REMOVED
        if concern.outcome in (Outcome.SUSPENSION, Outcome.REMOVAL):
            # The concern's history and the tool's notice name the same coordinator.
            decided = concern.notes.get(status=Status.DECIDED)
            assert decided.author == Notice.objects.filter(tool=concern.tool).latest("decided_at").decided_by
        assert concern.reporter.is_demo
    assert ConcernNote.objects.filter(text__gt="").exists()
    count = (Concern.objects.count(), ConcernNote.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Concern.objects.count(), ConcernNote.objects.count()) == count


def test_the_audit_log_names_the_tool_of_a_concern(verified_officer, tool):
    concern = concerns.report(tool, by=verified_officer, category="other", description="Looks wrong.")
    concerns.start_assessment(concern, by=factories.CoordinatorFactory(), note="", expected_version=concern.version)
    labels = set(AuditEvent.objects.filter(target_id=str(concern.public_id)).values_list("target_label", flat=True))
    assert labels == {f"Concern about {tool.name} (received)", f"Concern about {tool.name} (under_assessment)"}


def test_a_provider_finds_another_providers_tool_by_its_exact_name(tool, provider_admin):
    other = factories.MembershipFactory(organisation=factories.OrganisationFactory()).user
    client = sign_in(Client(), other)
    url = reverse("concerns:provider_list")

    response = client.get(url, {"tool": "  harbour LENS "})
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:report", args=[tool.slug])

    response = client.get(url, {"tool": "Harbour"})
    assert response.status_code == 400
    assert "No tool of another organisation with exactly that name" in response.content.decode()
    assert 'value="Harbour"' in response.content.decode()  # what was typed stays

    # A provider cannot report its own tool, so its own name is "not found" too.
    own = sign_in(Client(), provider_admin).get(url, {"tool": "Harbour Lens"})
    assert own.status_code == 400
