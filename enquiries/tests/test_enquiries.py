"""Officers ask a tool's provider for a demonstration, a trial or contact: the preview shows exactly
what the provider receives, the provider learns only the details the officer shared (checked
through the production path: pages, inbox, and emails delivered from the outbox by the worker),
the two write to each other, either may report the exchange, coordinators see counts per tool
and open only reported exchanges (re-authenticated, audited)."""

import datetime
import json
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data
from accounts import services as accounts_services
from audit.models import Action, AuditEvent
from core import ratelimit as core_ratelimit
from core.tests.test_privacy import deliver_outbox, email_text
from enquiries import services
from enquiries.models import AbuseReport, Enquiry, EnquiryMessage
from notifications.models import Kind, Notification
from testkit import factories

from .conftest import client_for

pytestmark = pytest.mark.django_db

MESSAGE = "Could your team show us the triage features on a test data set?"
EVERYTHING = ["name", "agency", "country", "email"]
# What identifies the canary officer, by shareable field.
CANARY = {
    "name": "Cnryname",
    "agency": "Cnryagency",
    "country": "Mongolia",
    "email": "cnrymail",
}


def ask_url(tool) -> str:
    return reverse("enquiries:ask", args=[tool.slug])


def ask_data(kind="trial", body=MESSAGE, share=(), **extra) -> dict:
    return {"kind": kind, "body": body, **{f"share_{name}": "on" for name in share}, **extra}


def send(client, tool, **fields):
    return client.post(ask_url(tool), ask_data(**fields, send="1"))


def copy_block(html: str) -> str:
    """The request as rendered for the provider (the same block on the preview)."""
    start = html.index('<div class="enquiry-copy">')
    return html[start : html.index("</div>", html.index('id="exchange-title"')) + len("</div>")]


# --- asking, with a preview ---------------------------------------------------------------------------
def test_the_officer_previews_exactly_what_the_provider_receives_and_nothing_is_sent_before(
    tool, working_organisation, canary_officer, provider_admin, provider_member
):
    officer = client_for(canary_officer)
    page = officer.get(reverse("catalogue:tool_detail", args=[tool.slug])).content.decode()
    assert f'href="{ask_url(tool)}"' in page and "Ask the provider" in page

    form = officer.get(ask_url(tool)).content.decode()
    # Each box says what would be shared; none is ticked unless the officer ticks it.
    assert "Share my name: Officer Cnryname" in form and "Share my country: Mongolia" in form
    assert "checked" not in form

    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        preview = officer.post(ask_url(tool), ask_data(share=["agency"], preview="1"))
        assert preview.status_code == 200
        previewed = copy_block(preview.content.decode())
        assert "Cnryagency Cyber Unit" in previewed and MESSAGE in previewed
        assert not any(CANARY[name] in previewed for name in ("name", "country", "email"))
        assert not Enquiry.objects.exists() and not Notification.objects.exists()

        # "Change it" comes back to the form with everything kept.
        edit = officer.post(ask_url(tool), ask_data(share=["agency"], edit="1")).content.decode()
        assert MESSAGE in edit and re.search(r'name="share_agency"[^>]*checked', edit)

        sent = send(officer, tool, share=["agency"])
    enquiry = Enquiry.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("enquiries:officer_detail", args=[enquiry.public_id])
    assert (enquiry.kind, enquiry.organisation, enquiry.shared_agency) == (
        "trial",
        tool.organisation,
        "Cnryagency Cyber Unit",
    )
    assert (enquiry.shared_name, enquiry.shared_email, enquiry.shared_country) == ("", "", "")

    # Every member of the provider is told that an officer asks: never who.
    told = Notification.objects.filter(kind=Kind.ENQUIRY)
    assert {n.user for n in told} == {provider_admin, provider_member}
    assert {n.message_key for n in told} == {"enquiry_asked_trial"}
    provider_url = reverse("enquiries:provider_detail", args=[enquiry.public_id])
    assert {n.link for n in told} == {provider_url}

    # The provider's page shows the request exactly as the preview did.
    received = client_for(provider_member).get(provider_url).content.decode()
    assert copy_block(received) == previewed


@pytest.mark.parametrize(
    "shared",
    [[], ["agency", "country"], EVERYTHING],
    ids=["nothing-but-the-message", "agency-and-country", "control-everything"],
)
def test_the_provider_learns_only_what_the_officer_shared_in_pages_inbox_and_emails(
    settings, tool, working_organisation, canary_officer, provider_admin, provider_member, shared
):
    # The production email path: pages write to the outbox, the worker delivers.
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = client_for(canary_officer)
    assert officer.post(ask_url(tool), ask_data(kind="demonstration", share=shared, preview="1")).status_code == 200
    assert send(officer, tool, kind="demonstration", share=shared).status_code == 302
    enquiry = Enquiry.objects.get()
    provider_url = reverse("enquiries:provider_detail", args=[enquiry.public_id])
    officer_url = reverse("enquiries:officer_detail", args=[enquiry.public_id])
    admin = client_for(provider_admin)
    assert admin.post(provider_url, {"body": "Gladly: which day suits you?"}).status_code == 302
    assert officer.post(officer_url, {"body": "Thursday morning, if possible."}).status_code == 302
    assert deliver_outbox() > 0

    # Everything the provider's members can read: their pages (by HTTP), inbox and emails.
    seen = []
    for member in (provider_admin, provider_member):
        client = client_for(member)
        for url in (
            reverse("enquiries:received"),
            provider_url,
            reverse("enquiries:report", args=[enquiry.public_id]),
            reverse("catalogue:provider_tool", args=[tool.slug]),
            reverse("catalogue:my_tools"),
            reverse("notifications:inbox"),
            reverse("home:home"),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            seen.append((f"{member.email} {url}", response.content.decode()))
    addresses = {provider_admin.email, provider_member.email}
    provider_mail = [message for message in mail.outbox if addresses & set(message.to)]
    # Each member was told of the request and of the officer's second message.
    assert sorted(message.to[0] for message in provider_mail) == sorted(
        [provider_admin.email, provider_member.email] * 2
    )
    emails = [(f"email {message.to} {message.subject}", email_text(message)) for message in provider_mail]

    def found(texts) -> set[str]:
        return {name for name, canary in CANARY.items() for _where, text in texts if canary.lower() in text.lower()}

    # Pages show exactly the shared details (the control, sharing everything, shows each one is
    # detectable); emails and inbox entries name none, shared or not.
    assert found(seen) == set(shared)
    assert found(emails) == set()
    detail = next(text for where, text in seen if where.endswith(provider_url))
    assert found([("detail", detail)]) == set(shared)
    assert "Thursday morning" in detail and MESSAGE in detail
    signature = "Officer Cnryname" if "name" in shared else "The officer"
    assert f'<span class="user-text">{signature}</span>' in detail


def test_an_officer_changing_their_details_later_changes_nothing_the_provider_has(
    tool, working_organisation, canary_officer, provider_member
):
    enquiry = services.send(tool, canary_officer, kind="contact", body=MESSAGE, share=["agency"])
    profile = canary_officer.officer
    profile.agency = "A new agency"
    profile.save()
    canary_officer.full_name = "A new name"
    canary_officer.save()
    html = (
        client_for(provider_member).get(reverse("enquiries:provider_detail", args=[enquiry.public_id])).content.decode()
    )
    assert "Cnryagency Cyber Unit" in html and "A new agency" not in html and "A new name" not in html


def test_only_verified_officers_ask_and_only_about_published_tools(
    tool, working_organisation, pending_officer, provider_member, coordinator, verified_officer
):
    for user in (pending_officer, provider_member, coordinator):
        client = client_for(user)
        assert client.get(ask_url(tool)).status_code == 404
        assert send(client, tool).status_code == 404
        page = client.get(reverse("catalogue:tool_detail", args=[tool.slug]))
        assert ask_url(tool) not in page.content.decode()
    draft = factories.ToolFactory(organisation=tool.organisation)
    assert client_for(verified_officer).get(ask_url(draft)).status_code == 404
    assert not Enquiry.objects.exists()


# --- the exchange -----------------------------------------------------------------------------------------
def test_the_two_sides_write_to_each_other_and_each_is_told(
    tool, working_organisation, canary_officer, provider_admin, provider_member
):
    enquiry = services.send(tool, canary_officer, kind="trial", body=MESSAGE, share=[])
    Notification.objects.all().delete()
    provider_url = reverse("enquiries:provider_detail", args=[enquiry.public_id])
    officer_url = reverse("enquiries:officer_detail", args=[enquiry.public_id])
    assert client_for(provider_member).post(provider_url, {"body": "We can set up a trial."}).status_code == 302
    told = Notification.objects.get(user=canary_officer)
    assert (told.message_key, told.link) == ("enquiry_provider_wrote", officer_url)
    officer_page = client_for(canary_officer).get(reverse("notifications:inbox")).content.decode()
    assert f"{tool.organisation.name} answered your request about {tool.name}" in officer_page
    html = client_for(canary_officer).get(officer_url).content.decode()
    assert "We can set up a trial." in html and "Nothing but your messages" in html

    officer = client_for(canary_officer)
    for text in ("Great, thank you.", "And a second question."):
        assert officer.post(officer_url, {"body": text}).status_code == 302
    # One unread "wrote again" per member, however many messages.
    wrote = Notification.objects.filter(message_key="enquiry_officer_wrote")
    assert sorted(n.user.pk for n in wrote) == sorted([provider_admin.pk, provider_member.pk])
    assert EnquiryMessage.objects.filter(enquiry=enquiry).count() == 4
    events = AuditEvent.objects.filter(action=Action.ENQUIRY_MESSAGE_SENT, target_id=str(enquiry.public_id))
    assert [e.after["side"] for e in events.order_by("id")] == ["provider", "officer", "officer"]
    assert "Great, thank you" not in str(list(events.values_list("after", flat=True)))


def test_an_exchange_is_visible_to_its_two_sides_only(tool, working_organisation, canary_officer, coordinator):
    enquiry = services.send(tool, canary_officer, kind="trial", body=MESSAGE, share=EVERYTHING)
    other_officer = factories.OfficerProfileFactory(verified=True).user
    other_provider = factories.MembershipFactory().user
    document = factories.TermsDocumentFactory(audience="providers")
    factories.TermsAcceptanceFactory(
        document=document, user=other_provider, organisation=other_provider.membership.organisation
    )
    urls = [
        reverse("enquiries:provider_detail", args=[enquiry.public_id]),
        reverse("enquiries:officer_detail", args=[enquiry.public_id]),
        reverse("enquiries:report", args=[enquiry.public_id]),
    ]
    for user in (other_officer, other_provider, coordinator):
        client = client_for(user, confirmed=user == coordinator)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"body": "Hello", "reason": "x"}).status_code == 404, (user, url)
    # Another provider's list is its own: the request is not in it.
    listing = client_for(other_provider).get(reverse("enquiries:received"))
    assert listing.status_code == 200 and str(enquiry.public_id) not in listing.content.decode()
    assert EnquiryMessage.objects.count() == 1 and not AbuseReport.objects.exists()


# --- abuse reports ----------------------------------------------------------------------------------------
def test_a_reported_exchange_is_opened_by_a_reauthenticated_coordinator_audited_and_can_be_closed(
    tool, working_organisation, canary_officer, provider_member, coordinator
):
    enquiry = services.send(tool, canary_officer, kind="contact", body=MESSAGE, share=[])
    provider = client_for(provider_member)
    provider_url = reverse("enquiries:provider_detail", args=[enquiry.public_id])
    assert provider.post(provider_url, {"body": "Buy now or lose the discount."}).status_code == 302
    Notification.objects.all().delete()
    report_url = reverse("enquiries:report", args=[enquiry.public_id])
    officer = client_for(canary_officer)
    assert officer.post(report_url, {"reason": "Sales pressure in every message."}).status_code == 302
    report = AbuseReport.objects.get()
    assert (report.by_officer, report.reporter) == (True, canary_officer)
    detail_url = reverse("enquiries:report_detail", args=[report.public_id])
    told = Notification.objects.get(user=coordinator)
    assert (told.kind, told.link) == (Kind.ENQUIRY, detail_url)

    # The list of reports names no officer; opening one asks for the password first.
    unconfirmed = client_for(coordinator)
    listing = unconfirmed.get(reverse("enquiries:reports")).content.decode()
    assert tool.name in listing and "Cnryname" not in listing and detail_url in listing
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=True):
        asked = unconfirmed.get(detail_url)
        assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
        assert "Cnryname" not in asked.content.decode()
    assert not AuditEvent.objects.filter(action=Action.ENQUIRY_OPENED).exists()
    client = client_for(coordinator, confirmed=True)
    opened = client.get(detail_url).content.decode()
    assert "Officer Cnryname" in opened and "Buy now or lose the discount." in opened and MESSAGE in opened
    event = AuditEvent.objects.get(action=Action.ENQUIRY_OPENED)
    assert (event.actor, event.target_id, event.after) == (
        coordinator,
        str(enquiry.public_id),
        {"report": str(report.public_id)},
    )
    assert AuditEvent.objects.filter(
        action=Action.OFFICER_DETAILS_VIEWED, target_id=str(canary_officer.public_id)
    ).exists()

    # The provider reports too; closing the exchange settles both reports and tells both sides.
    assert provider.post(report_url, {"reason": "The officer is rude."}).status_code == 302
    Notification.objects.all().delete()
    assert client.post(detail_url, {"decision": "closed", "note": "Sales pressure."}).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.state == Enquiry.State.CLOSED
    assert set(AbuseReport.objects.values_list("state", flat=True)) == {AbuseReport.State.CLOSED}
    assert {n.user for n in Notification.objects.filter(message_key="enquiry_closed")} >= {
        canary_officer,
        provider_member,
    }
    closed_event = AuditEvent.objects.get(action=Action.ENQUIRY_CLOSED)
    assert len(closed_event.after["reports"]) == 2 and closed_event.actor == coordinator
    refused = provider.post(provider_url, {"body": "Last offer!"})
    assert refused.status_code == 409 and "closed meanwhile" in refused.content.decode()
    assert (
        'name="body"' not in officer.get(reverse("enquiries:officer_detail", args=[enquiry.public_id])).content.decode()
    )
    # A decision already taken is not taken twice.
    again = client.post(detail_url, {"decision": "dismissed"})
    assert again.status_code == 302 and AuditEvent.objects.filter(action=Action.ENQUIRY_REPORT_DISMISSED).count() == 0


# --- coordinators' counts and the fair order ----------------------------------------------------------
def test_coordinators_see_counts_per_tool_and_nothing_of_the_exchanges(
    settings, forms, working_organisation, canary_officer, coordinator, tool
):
    settings.ENQUIRIES_PER_DAY = 100
    other = factories.ToolFactory(organisation=working_organisation, published=True, name="Aardvark Sorter")
    for kind in ("demonstration", "trial", "trial"):
        services.send(tool, canary_officer, kind=kind, body=MESSAGE, share=EVERYTHING)
    services.send(other, canary_officer, kind="contact", body=MESSAGE, share=EVERYTHING)
    html = client_for(coordinator).get(reverse("enquiries:counts")).content.decode()
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>[^<]+</td>((?:\s*<td class=\"numeric\">\d+</td>){4})", html)
    counts = {name: re.findall(r">(\d+)<", cells) for name, cells in rows}
    assert counts == {"Aardvark Sorter": ["0", "0", "1", "1"], tool.name: ["1", "2", "0", "3"]}
    assert list(counts) == sorted(counts)  # by name, never by how often a tool is asked
    assert "Cnry" not in html and MESSAGE not in html
    assert str(Enquiry.objects.first().public_id) not in html


def _catalogue_order(client) -> list[str]:
    html = client.get(reverse("discovery:catalogue")).content.decode()
    return list(dict.fromkeys(re.findall(r'href="/tools/(tool-\d+)/(?:\?[^"]*)?"', html)))


def test_the_catalogue_order_does_not_depend_on_requests_to_providers(
    settings, forms, working_organisation, canary_officer
):
    settings.ENQUIRIES_PER_DAY = 100
    tools = [factories.ToolFactory(organisation=working_organisation, published=True) for _ in range(6)]
    reader = client_for(factories.OfficerProfileFactory(verified=True).user)
    before = _catalogue_order(reader)
    assert sorted(before) == sorted(tool.slug for tool in tools)
    # The tool shown last is asked about many times; another one never.
    for _ in range(25):
        services.send(
            tools[[t.slug for t in tools].index(before[-1])], canary_officer, kind="trial", body=MESSAGE, share=[]
        )
    assert _catalogue_order(reader) == before


# --- the daily limit --------------------------------------------------------------------------------------
def test_an_officer_sends_at_most_the_daily_limit_and_keeps_what_they_typed(
    settings, tool, working_organisation, canary_officer
):
    settings.ENQUIRIES_PER_DAY = 2
    client = client_for(canary_officer)
    assert send(client, tool).status_code == 302
    assert send(client, tool).status_code == 302
    refused = send(client, tool, body="A third request, kept.")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "many requests to providers today" in html and "A third request, kept." in html
    assert Enquiry.objects.count() == 2
    # A preview is not a request: it is not counted.
    assert client.post(ask_url(tool), ask_data(preview="1")).status_code == 200


def test_when_the_cache_is_down_requests_are_refused(tool, working_organisation, canary_officer):
    with mock.patch.object(core_ratelimit.cache, "incr", side_effect=ConnectionError("cache down")):
        refused = send(client_for(canary_officer), tool)
    assert refused.status_code == 429 and not Enquiry.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.ENQUIRY_SENT).exists()


# --- audit ------------------------------------------------------------------------------------------------
def test_a_request_is_audited_with_the_names_of_the_shared_fields_never_their_values(
    tool, working_organisation, canary_officer
):
    enquiry = services.send(tool, canary_officer, kind="trial", body=MESSAGE, share=["email", "agency"])
    event = AuditEvent.objects.get(action=Action.ENQUIRY_SENT)
    assert (event.actor, event.target_id) == (canary_officer, str(enquiry.public_id))
    assert event.after["shared"] == ["agency", "email"] and event.after["kind"] == "trial"
    assert "cnry" not in str(event.after).lower() and MESSAGE not in str(event.after)


def test_a_failure_after_the_write_leaves_no_request_no_audit_event_and_no_notification(
    tool, working_organisation, canary_officer
):
    with (
        mock.patch.object(services, "notify_many", side_effect=RuntimeError("mail queue broke")),
        pytest.raises(RuntimeError),
    ):
        services.send(tool, canary_officer, kind="trial", body=MESSAGE, share=[])
    assert not Enquiry.objects.exists() and not EnquiryMessage.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.ENQUIRY_SENT).exists()
    assert not Notification.objects.exists()


# --- query counts -----------------------------------------------------------------------------------------
def _queries(client, url) -> int:
    client.get(url)  # the first request of a session settles what the middleware keeps in it
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_take_the_same_number_of_queries_for_2_or_8_requests(
    settings, forms, working_organisation, canary_officer, provider_member, coordinator
):
    settings.ENQUIRIES_PER_DAY = 100
    tools = [factories.ToolFactory(organisation=working_organisation, published=True) for _ in range(8)]

    def add(tool):
        enquiry = services.send(tool, canary_officer, kind="trial", body=MESSAGE, share=["agency", "country"])
        services.write(enquiry, by=provider_member, body="Yes.")
        services.report_abuse(enquiry, by=provider_member, reason="Test report.")

    for tool in tools[:2]:
        add(tool)
    pages = {
        client_for(canary_officer): [reverse("enquiries:mine")],
        client_for(provider_member): [reverse("enquiries:received")],
        client_for(coordinator): [reverse("enquiries:counts"), reverse("enquiries:reports")],
    }
    before = {url: _queries(client, url) for client, urls in pages.items() for url in urls}
    for tool in tools[2:]:
        add(tool)
    after = {url: _queries(client, url) for client, urls in pages.items() for url in urls}
    assert after == before


# --- personal data ----------------------------------------------------------------------------------------
def test_each_side_downloads_only_its_own_words_and_closing_the_officers_account_erases_what_they_shared(
    tool, working_organisation, canary_officer, provider_member
):
    enquiry = services.send(tool, canary_officer, kind="trial", body=MESSAGE, share=EVERYTHING)
    services.write(enquiry, by=provider_member, body="Provider-canary answer")
    officer_data = personal_data.export_for(canary_officer)["requests_to_providers"]
    [request] = officer_data["requests_sent"]
    assert request["shared_with_the_provider"] == {
        "name": "Officer Cnryname",
        "agency": "Cnryagency Cyber Unit",
        "country": "MN",
        "email": "cnrymail@police.example.org",
    }
    assert [m["text"] for m in request["messages_written"]] == [MESSAGE] and request["answers_received"] == 1
    assert "Provider-canary" not in json.dumps(officer_data)
    provider_data = json.dumps(personal_data.export_for(provider_member)["requests_to_providers"])
    assert "Provider-canary answer" in provider_data
    assert "cnry" not in provider_data.lower() and MESSAGE not in provider_data

    accounts_services.close_account(canary_officer)
    enquiry.refresh_from_db()
    assert enquiry.state == Enquiry.State.ENDED
    assert (enquiry.shared_name, enquiry.shared_agency, enquiry.shared_email, str(enquiry.shared_country)) == (
        "",
        "",
        "",
        "",
    )
    html = (
        client_for(provider_member).get(reverse("enquiries:provider_detail", args=[enquiry.public_id])).content.decode()
    )
    assert "cnry" not in html.lower() and MESSAGE in html and "The officer" in html
    assert "Ended: the officer closed their account" in html and 'name="body"' not in html
