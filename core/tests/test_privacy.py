"""An officer's identity never reaches a provider or an anonymous visitor (SECURITY.md AZ-03).

The privacy canary: officers whose every identifying field (and everything they write) is a
unique string act before the crawl, as themselves over HTTP: they browse and compare tools,
follow provider A's tools, save searches, report concerns about A's tools (with a PDF whose
metadata names them), create an API token and use it. Coordinators then do everything that
produces pages and emails for providers: ask A to respond to a concern, suspend and reinstate
the tool, answer A's reply, approve an update (its followers are told), publish a new tool
(saved searches are told), acknowledge A's emblem notification.

Email takes the production path: `EMAIL_BACKEND` is the outbox and the worker (`run_worker
--once`) delivers it, so what providers would receive is what the test reads. Then provider A
(approved, terms accepted), provider B and an anonymous visitor crawl every URL of the URL
table and every link their pages lead to (CSV exports, files, the API). No canary may appear in
a page, a header, an email to anyone but the canary officer, or a log record.

The controls at the end make a provider-facing page and a provider email leak the reporter's
name, and the worker log recipients' addresses, and show that the same checks then fail.
"""

from __future__ import annotations

import html
import io
import logging
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter

from accounts.models import OfficerProfile
from accounts.services import approve_officer, reject_officer
from api.services import create_token
from catalogue import services as catalogue_services
from catalogue import updates
from catalogue.review import publish_tool
from community.models import Connection, DirectoryProfile, MessageReport
from concerns import services as concerns
from concerns.models import Concern
from contact.models import Conversation
from emblem import services as emblem_services
from enquiries.models import Enquiry
from moderation import services as moderation
from moderation.models import Notice
from notifications import services as notification_services
from notifications.models import OutboxMessage
from terms.services import accept, current_provider_terms
from testkit import factories
from testkit.personas import make_personas, reauthenticate, sign_in
from testkit.urltable import all_expectations, build_world

pytestmark = pytest.mark.django_db

# What identifies an officer, and what an officer writes that only coordinators may read.
IDENTITY_FIELDS = ("name", "mail", "agency", "unit", "position", "reason")
WRITTEN_FIELDS = ("words", "sources", "search", "token", "pdfauthor")
CRAWL_LIMIT = 800
LINK = re.compile(r"""(?:href|src|action|hx-get)\s*=\s*["']([^"']+)["']""")
NOTICE = {
    "reason_code": "misleading_information",
    "summary": "The entry claims an accuracy its evaluation does not show.",
    "officer_guidance": "Verify every match by hand until the entry is corrected.",
    "provider_guidance": "Correct the accuracy figure and attach the full evaluation.",
}


@pytest.fixture(autouse=True)
def _quiet_test_tooling():
    # factory_boy logs the values it builds: that is test tooling, not the application.
    logging.getLogger("factory").setLevel(logging.WARNING)


@pytest.fixture
def outbox_email(settings):
    """The production email path: pages write to the outbox, the worker delivers (to locmem)."""
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- the canary officers ----------------------------------------------------------------------
@dataclass
class Canary:
    profile: OfficerProfile
    strings: dict[str, str]

    @property
    def user(self):
        return self.profile.user

    def all(self) -> list[str]:
        return list(self.strings.values())


def make_canary(index: int, status: str) -> Canary:
    strings = {name: f"cnry{index}{name}zq" for name in IDENTITY_FIELDS + WRITTEN_FIELDS}
    profile = factories.OfficerProfileFactory(
        user__full_name=f"Officer {strings['name']}",
        user__email=f"{strings['mail']}@police.example.org",
        agency=strings["agency"],
        unit=strings["unit"],
        position=strings["position"],
        reason=strings["reason"],
        status=status,
        verified=status == OfficerProfile.Status.VERIFIED,
    )
    return Canary(profile, strings)


def seed_canary_officers(coordinator) -> list[Canary]:
    """Officers in every vetting state; the first two are verified and will act."""
    statuses = ["verified", "verified", "verified", "pending", "pending", "expired"]
    canaries = [make_canary(index, status) for index, status in enumerate(statuses)]
    approve_officer(canaries[3].profile, by=coordinator)
    reject_officer(canaries[4].profile, by=coordinator, reason="Not an officer")
    return canaries


def pdf_by(author: str) -> bytes:
    """A valid PDF whose metadata names its author, as an officer's own export would."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- what happens before the crawl ---------------------------------------------------------------
@dataclass
class Scenario:
    world: object
    canaries: list[Canary]
    concerns: list[Concern] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    extra_urls: list[str] = field(default_factory=list)

    @property
    def users(self):
        return self.world.users

    def canary_strings(self) -> list[str]:
        return [string for canary in self.canaries for string in canary.all()]


def officer_acts(canary: Canary, world, *, report_about, follow: list) -> None:
    """A verified canary officer uses the hub as themself, over HTTP."""
    client = sign_in(Client(), canary.user)
    strings = canary.strings

    def ok(response, status=200):
        assert response.status_code == status, (response.status_code, response.content[:300])
        return response

    ok(client.get(reverse("discovery:catalogue")))  # exposure is counted
    ok(client.get(reverse("discovery:catalogue"), {"q": "tool"}))
    for tool in follow:
        ok(client.get(reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})))
        ok(client.post(reverse("following:follow", kwargs={"slug": tool.slug})), 302)
    slugs = f"{world.page_tool.slug},{world.moderation_tool.slug}"
    ok(client.get(reverse("discovery:compare"), {"tools": slugs}))
    ok(client.get(reverse("discovery:compare_csv"), {"tools": slugs}))
    ok(client.get(reverse("catalogue:attachment_download", kwargs={"public_id": world.page_attachment.public_id})))
    # An empty query matches every tool: the officer hears of each newly published one.
    ok(client.post(reverse("following:save_search"), {"name": strings["search"], "query": ""}), 302)
    ok(
        client.post(
            reverse("concerns:report", kwargs={"slug": report_about.slug}),
            {
                "category": Concern.Category.INACCURATE_INFORMATION,
                "description": f"{strings['words']}: the stated accuracy does not match our test.",
                "sources": strings["sources"],
                "file": SimpleUploadedFile("evaluation.pdf", pdf_by(strings["pdfauthor"]), "application/pdf"),
            },
        ),
        302,
    )
    reauthenticate(client)  # creating a token asks for the password again
    response = client.post(reverse("api:tokens"), {"name": strings["token"]})
    assert response.status_code in (200, 302), response.status_code
    _token, secret = create_token(canary.user, f"{strings['token']} script")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    ok(api.get(reverse("api:tools")))
    ok(api.get(reverse("api:tool", kwargs={"slug": world.page_tool.slug})))
    ok(api.get(reverse("api:notices")))


def officers_meet(first: Canary, second: Canary, scenario: Scenario) -> None:
    """Two verified canary officers list themselves, connect, write and report, over HTTP."""
    clients = {canary.user.pk: sign_in(Client(), canary.user) for canary in (first, second)}

    def ok(response, status=302):
        assert response.status_code == status, (response.status_code, response.content[:300])
        return response

    for canary in (first, second):
        listing = {"listed": "on", "display_name": canary.strings["name"], "show_agency": "on", "show_unit": "on"}
        ok(clients[canary.user.pk].post(reverse("community:my_listing"), listing))
    profile = DirectoryProfile.objects.get(user=second.user)
    ok(clients[first.user.pk].get(reverse("community:directory")), 200)
    note = {"note": f"{first.strings['words']} would like to talk"}
    ok(clients[first.user.pk].post(reverse("community:connect", args=[profile.public_id]), note))
    connection = Connection.objects.get(requester=first.user)
    ok(clients[second.user.pk].post(reverse("community:respond", args=[connection.public_id]), {"decision": "accept"}))
    conversation = reverse("community:conversation", args=[connection.public_id])
    ok(clients[first.user.pk].post(conversation, {"body": f"{first.strings['words']} and {first.strings['search']}"}))
    ok(clients[second.user.pk].post(conversation, {"body": second.strings["words"]}))
    ok(clients[first.user.pk].post(reverse("community:share_email", args=[connection.public_id]), {"share": "on"}))
    message = connection.messages.get(sender=first.user)
    report = {"reason": second.strings["sources"]}
    ok(clients[second.user.pk].post(reverse("community:report", args=[message.public_id]), report))
    scenario.extra_urls += [
        conversation,
        reverse("community:officer", args=[profile.public_id]),
        reverse("community:report", args=[message.public_id]),
        reverse("community:report_detail", args=[MessageReport.objects.get(message=message).public_id]),
    ]


def officer_asks_the_provider(canary: Canary, provider, world, scenario: Scenario) -> None:
    """A canary officer asks provider A for a trial sharing nothing but the message (what they
    write to the provider is theirs to share, so it holds no canary), both sides write again, and
    the officer reports the exchange; the officer also writes to the coordinators (contact point)."""
    client = sign_in(Client(), canary.user)
    provider_client = sign_in(Client(), provider)

    def ok(response, status=302):
        assert response.status_code == status, (response.status_code, response.content[:300])

    ask = reverse("enquiries:ask", args=[world.page_tool.slug])
    request = {"kind": "trial", "body": "Could we try the tool on test material?"}
    ok(client.post(ask, {**request, "preview": "1"}), 200)
    ok(client.post(ask, {**request, "send": "1"}))
    enquiry = Enquiry.objects.filter(officer=canary.user).latest("id")
    ok(provider_client.post(reverse("enquiries:provider_detail", args=[enquiry.public_id]), {"body": "Next week?"}))
    ok(client.post(reverse("enquiries:officer_detail", args=[enquiry.public_id]), {"body": "Yes, thank you."}))
    ok(client.post(reverse("enquiries:report", args=[enquiry.public_id]), {"reason": canary.strings["sources"]}))
    words = {"category": "personal_data", "body": f"{canary.strings['words']} asks what the hub keeps about them"}
    ok(
        client.post(
            reverse("contact:write"),
            {**words, "file": SimpleUploadedFile("mine.pdf", pdf_by(canary.strings["pdfauthor"]))},
        )
    )
    conversation = Conversation.objects.filter(author=canary.user).latest("id")
    scenario.extra_urls += [
        reverse("enquiries:provider_detail", args=[enquiry.public_id]),
        reverse("enquiries:officer_detail", args=[enquiry.public_id]),
        reverse("enquiries:report", args=[enquiry.public_id]),
        reverse("enquiries:report_detail", args=[enquiry.reports.get().public_id]),
        reverse("contact:conversation", args=[conversation.public_id]),
        reverse("contact:detail", args=[conversation.public_id]),
        reverse("contact:file", args=[conversation.posts.get().public_id]),
    ]


def run_scenario() -> Scenario:
    users = make_personas()
    world = build_world(users)
    coordinator = users["coordinator"]
    provider_a, provider_b = users["provider_a"], users["provider_b"]
    # Both providers work normally: organisations approved (factory default), terms accepted.
    terms = current_provider_terms()
    for member in (provider_a, provider_b):
        accept(member, terms, organisation=member.membership.organisation)
    canaries = seed_canary_officers(coordinator)
    scenario = Scenario(world, canaries)

    # Officers act, as themselves.
    officer_acts(
        canaries[0], world, report_about=world.moderation_tool, follow=[world.page_tool, world.moderation_tool]
    )
    officer_acts(canaries[1], world, report_about=world.page_tool, follow=[world.page_tool])
    officer_acts(canaries[2], world, report_about=world.moderation_tool, follow=[world.moderation_tool])
    # Two of them meet in the community: directory, request, messages, shared email, a report.
    officers_meet(canaries[0], canaries[1], scenario)
    # One asks provider A for a trial, sharing nothing but the message, and writes to the coordinators.
    officer_asks_the_provider(canaries[0], provider_a, world, scenario)
    # The third follower's verification then lapses (as the nightly job leaves it): safety
    # notices still reach them.
    OfficerProfile.objects.filter(pk=canaries[2].profile.pk).update(status=OfficerProfile.Status.EXPIRED)
    about_moderated, about_page, about_moderated_too = Concern.objects.filter(
        reporter__in=[c.user for c in canaries[:3]]
    ).order_by("reporter__pk")
    scenario.concerns = [about_moderated, about_page, about_moderated_too]

    # Coordinators process it all, so providers get pages and emails.
    concerns.start_assessment(about_moderated, by=coordinator, expected_version=about_moderated.version)
    concerns.decide(
        about_moderated,
        by=coordinator,
        outcome=Concern.Outcome.PROVIDER_ASKED,
        provider_request="Please explain the accuracy figure of your entry.",
        expected_version=about_moderated.version,
    )
    provider_client = sign_in(Client(), provider_a)
    response = provider_client.post(
        reverse("concerns:provider_detail", kwargs={"public_id": about_moderated.public_id}),
        {"text": "The figure comes from our internal benchmark."},
    )
    assert response.status_code == 302
    about_moderated.refresh_from_db()
    _concern, suspension = concerns.decide(
        about_moderated,
        by=coordinator,
        outcome=Concern.Outcome.SUSPENSION,
        expected_version=about_moderated.version,
        **NOTICE,
    )
    moderation.reply(suspension, by=provider_a, text="We are correcting the entry.")
    moderation.answer(suspension, by=coordinator, text="Thank you; we will look at the correction.")
    tool = world.moderation_tool
    tool.refresh_from_db()
    reinstatement = moderation.reinstate_tool(
        tool,
        by=coordinator,
        reason_code="concerns_addressed",
        summary="The entry was corrected.",
        officer_guidance="The entry can be relied on again.",
        expected_version=tool.version,
    )
    scenario.notices = [suspension, reinstatement]
    concerns.decide(
        about_page,
        by=coordinator,
        outcome=Concern.Outcome.NO_ACTION,
        note="The entry is accurate.",
        expected_version=about_page.version,
    )
    about_page.refresh_from_db()
    concerns.close(about_page, by=coordinator, note="Nothing to change.", expected_version=about_page.version)
    # A second concern on the same tool is asked to the provider too, and left waiting.
    concerns.decide(
        about_moderated_too,
        by=coordinator,
        outcome=Concern.Outcome.PROVIDER_ASKED,
        provider_request="Please send the full evaluation report.",
        expected_version=about_moderated_too.version,
    )

    # An approved update of a followed tool: its followers are told.
    revision = updates.start_update(world.page_tool, by=provider_a)
    catalogue_services.update_tool(revision, by=provider_a, data={"short_description": "Now sorts video too."})
    catalogue_services.submit_tool(revision, by=provider_a)
    revision.refresh_from_db()
    publish_tool(revision, by=coordinator, expected_version=revision.version)
    # A newly published tool: every saved search (empty query) matches it.
    submitted = world.submitted_tool
    submitted.refresh_from_db()
    publish_tool(submitted, by=coordinator, expected_version=submitted.version)
    emblem = world.emblem_notification
    emblem_services.decide(
        emblem, by=coordinator, decision="acknowledged", comment="Fine.", expected_version=emblem.version
    )

    # Objects the URL table does not name, which a provider might guess or be linked to.
    for concern in scenario.concerns:
        for name in ("provider_detail", "detail", "file"):
            scenario.extra_urls.append(reverse(f"concerns:{name}", kwargs={"public_id": concern.public_id}))
    for notice in scenario.notices:
        for name in ("provider_notice", "case"):
            scenario.extra_urls.append(reverse(f"moderation:{name}", kwargs={"public_id": notice.public_id}))
    for canary in canaries:
        scenario.extra_urls.append(reverse("accounts:vetting_detail", kwargs={"public_id": canary.user.public_id}))
    for slug in (world.page_tool.slug, world.moderation_tool.slug, submitted.slug, revision.slug):
        scenario.extra_urls += [
            reverse("catalogue:provider_tool", kwargs={"slug": slug}),
            reverse("catalogue:preview", kwargs={"slug": slug}),
            reverse("catalogue:tool_detail", kwargs={"slug": slug}),
            reverse("api:tool", kwargs={"slug": slug}),
        ]
    # Error pages.
    scenario.extra_urls += [
        "/no-such-page/",
        reverse("concerns:provider_detail", kwargs={"public_id": uuid.uuid4()}),
        reverse("catalogue:provider_tool", kwargs={"slug": "no-such-tool"}),
        reverse("discovery:compare_csv") + "?tools=" + world.page_tool.slug,
    ]
    return scenario


def deliver_outbox() -> int:
    """Run the worker, as production does, until the outbox is empty; returns how many were sent.

    The URL table's world holds one dead message of its own (for the outbox pages): it is
    not part of the scenario and stays dead."""
    already_dead = set(OutboxMessage.objects.filter(state=OutboxMessage.State.DEAD).values_list("id", flat=True))
    for _attempt in range(50):
        if not OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists():
            break
        call_command("run_worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    undelivered = OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exclude(id__in=already_dead)
    assert not undelivered.exists(), list(undelivered.values_list("last_error", flat=True))[:3]
    return OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count()


# --- the checks ----------------------------------------------------------------------------------
def find_leaks(seen: list[tuple[str, str]], canaries: list[str]) -> list[tuple[str, str]]:
    """(where, canary) for every canary found in the texts seen (case-insensitive)."""
    lowered = [canary.lower() for canary in canaries]
    return [(where, canary) for where, text in seen for canary in lowered if canary in text.lower()]


def _local_links(body: str) -> list[str]:
    links = []
    for raw in LINK.findall(body):
        link = urldefrag(html.unescape(raw)).url
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not link.startswith("/"):
            continue  # another site, or a relative reference the hub does not use
        if link.startswith("/static/") or "logout" in link:
            continue
        # "?next=" only says where to go back to: one sign-in page, not one per page refused.
        query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key != "next"])
        links.append(parts.path + (f"?{query}" if query else ""))
    return links


def crawl(client: Client, start: list[str], *, follow: bool = True, limit: int = CRAWL_LIMIT) -> list[tuple[str, str]]:
    """GET each start URL and (with `follow`) every local link (href, src, form action, hx-get)
    the answers lead to, redirects included; returns (url, status + headers + body) for each."""
    queue, seen, pages = list(dict.fromkeys(start)), set(), []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        pages.append((url, f"{response.status_code} {dict(response.headers)}\n{text}"))
        if not follow:
            continue
        location = response.headers.get("Location", "")
        if location:
            queue += _local_links(f'href="{location}"')
        if "html" in response.headers.get("Content-Type", ""):
            queue += [link for link in _local_links(text) if link not in seen]
    assert len(pages) < limit, "the crawl hit its limit: raise CRAWL_LIMIT or narrow the links"
    return pages


def table_urls(world) -> list[str]:
    return [
        reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        for name, expect in sorted(all_expectations().items())
    ]


def crawl_as(scenario: Scenario, persona: str) -> list[tuple[str, str]]:
    client = Client()
    user = scenario.users[persona]
    if user is not None:
        sign_in(client, user)
    pages = crawl(client, table_urls(scenario.world) + scenario.extra_urls)
    # The API answers by token only; a provider has none, but tries one.
    api = Client(headers={"Authorization": "Bearer not-a-real-token"})
    api_urls = [url for url, _text in pages if url.startswith("/api/")]
    pages += [(f"{url} (bearer)", text) for url, text in crawl(api, api_urls, follow=False)]
    return pages


def email_text(message) -> str:
    """Everything a recipient gets: headers, subject, body, HTML alternatives, attachments."""
    parts = [message.subject, message.body, str(message.from_email)]
    parts += [*message.to, *message.cc, *message.bcc, *message.reply_to]
    parts += [f"{key}: {value}" for key, value in message.extra_headers.items()]
    parts += [f"{key}: {value}" for key, value in message.message().items()]
    parts += [str(content) for content, _mimetype in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload(decode=True)
        parts.append(content.decode(errors="replace") if isinstance(content, bytes) else str(content))
    return "\n".join(parts)


def email_leaks(messages, canaries: list[Canary]) -> list[tuple[str, str]]:
    """A canary may reach an email only when its own officer is the only recipient."""
    leaks = []
    for message in messages:
        recipients = {address.lower() for address in [*message.to, *message.cc, *message.bcc]}
        foreign = [
            string for canary in canaries if recipients != {canary.user.email.lower()} for string in canary.all()
        ]
        where = f"email to {sorted(recipients)}: {message.subject}"
        leaks += find_leaks([(where, email_text(message))], foreign)
    return leaks


def provider_emails(scenario: Scenario):
    addresses = {
        user.email for user in (scenario.users["provider_a"], scenario.users["provider_b"], scenario.world.member_a)
    }
    return [message for message in mail.outbox if addresses & set(message.to)]


def log_output(caplog) -> str:
    """What the log handlers would write: each message with its traceback, and its raw arguments."""
    return caplog.text + "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)


# --- the property ------------------------------------------------------------------------------
def test_no_officer_identity_reaches_providers_anonymous_visitors_emails_or_logs(caplog, outbox_email):
    caplog.set_level(logging.DEBUG)
    scenario = run_scenario()
    canaries = scenario.canary_strings()

    # Every email went through the outbox and the worker, as in production.
    sent = deliver_outbox()
    assert sent == len(mail.outbox) > 0
    row_ids = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert {message.extra_headers["Message-ID"] for message in mail.outbox} <= row_ids
    # The scenario did give providers something to read: asked to respond, suspension,
    # reinstatement, coordinators' answer, update applied, tool published, emblem acknowledged.
    to_providers = provider_emails(scenario)
    assert len(to_providers) >= 7, [message.subject for message in to_providers]
    leaks = email_leaks(mail.outbox, scenario.canaries)
    assert not leaks, f"officer identity reached an email: {leaks[:5]}"
    # The canary officers were told too (so the emails the check read were the real ones).
    canary_addresses = {canary.user.email for canary in scenario.canaries}
    assert any(canary_addresses & set(message.to) for message in mail.outbox)

    for persona in ("provider_a", "provider_b", "anonymous"):
        pages = crawl_as(scenario, persona)
        leaks = find_leaks(pages, canaries)
        assert not leaks, f"officer identity leaked to {persona}: {leaks[:5]}"
        if persona == "provider_a":
            # Provider A really saw its own pages about the concerned and followed tools.
            reached = {url for url, text in pages if text.startswith("200 ")}
            for concern in scenario.concerns[::2]:
                assert reverse("concerns:provider_detail", kwargs={"public_id": concern.public_id}) in reached
            for notice in scenario.notices:
                assert reverse("moderation:provider_notice", kwargs={"public_id": notice.public_id}) in reached
            assert reverse("catalogue:logo", kwargs={"slug": scenario.world.page_tool.slug}) in reached
            assert any(url.startswith("/tools/files/") for url in reached), "no attachment was followed"
            # ... and the canary officer's request, with everything written in it.
            asked = Enquiry.objects.get(officer=scenario.canaries[0].user)
            assert reverse("enquiries:provider_detail", args=[asked.public_id]) in reached

    log_text = log_output(caplog)
    assert caplog.records, "nothing was logged: the log check would be empty"
    assert not find_leaks([("logs", log_text)], canaries)


def test_vetting_decisions_email_only_the_officer_and_log_nothing_identifying(caplog, coordinator, outbox_email):
    caplog.set_level(logging.DEBUG)
    canaries = seed_canary_officers(coordinator)
    assert deliver_outbox() > 0
    for message in mail.outbox:
        # Each decision email goes to the officer concerned only, and names nobody else.
        assert len(message.to) == 1
    assert not email_leaks(mail.outbox, canaries)
    log_text = log_output(caplog)
    assert not find_leaks([("logs", log_text)], [s for c in canaries for s in c.all()])


# --- the controls: a deliberately leaking template makes the same checks fail --------------------
def leaking_template(settings, tmp_path: Path, name: str, leak: str) -> None:
    """Serve a copy of template `name` that also renders `leak`, ahead of the real one."""
    source = Path(get_template(name).origin.name).read_text()
    end = source.rfind("{% endblock %}")
    source = source[:end] + leak + source[end:] if end >= 0 else source + leak
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]


def test_control_a_provider_page_naming_the_reporter_is_caught(settings, tmp_path, outbox_email):
    leaking_template(settings, tmp_path, "concerns/provider_detail.html", "<p>{{ concern.reporter.full_name }}</p>")
    scenario = run_scenario()
    leaks = find_leaks(crawl_as(scenario, "provider_a"), scenario.canary_strings())
    page = reverse("concerns:provider_detail", kwargs={"public_id": scenario.concerns[0].public_id})
    assert (page, scenario.canaries[0].strings["name"]) in leaks


def test_control_a_provider_email_naming_the_reporter_is_caught(settings, tmp_path, outbox_email):
    leaking_template(
        settings,
        tmp_path,
        "concerns/email/provider_asked_message.txt",
        "{{ concern.reporter.full_name }} {{ concern.reporter.email }}",
    )
    scenario = run_scenario()
    deliver_outbox()
    leaked = [message for message in provider_emails(scenario) if email_leaks([message], scenario.canaries)]
    assert leaked, "the leaking provider email was not caught"
    # It went through the outbox and the worker, like every other email.
    assert {message.extra_headers["Message-ID"] for message in leaked} <= set(
        OutboxMessage.objects.values_list("message_id", flat=True)
    )
    found = {canary for _where, canary in email_leaks(leaked, scenario.canaries)}
    assert {scenario.canaries[0].strings["name"], scenario.canaries[0].strings["mail"]} <= found


def test_control_a_worker_logging_recipients_is_caught(caplog, coordinator, monkeypatch, outbox_email):
    caplog.set_level(logging.DEBUG)
    real_deliver = notification_services.deliver

    def chatty_deliver(message, *args, **kwargs):
        logging.getLogger("notifications.worker").info("Delivering to %s", message.payload["to"])
        return real_deliver(message, *args, **kwargs)

    monkeypatch.setattr(notification_services, "deliver", chatty_deliver)
    canaries = seed_canary_officers(coordinator)
    deliver_outbox()
    found = {canary for _where, canary in find_leaks([("logs", log_output(caplog))], canaries[3].all())}
    assert found == {canaries[3].strings["mail"]}
