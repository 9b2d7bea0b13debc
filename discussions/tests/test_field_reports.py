"""Field reports and "my agency uses this tool": officers' experience, never a rating; providers
never see either, nor any count; declarations never order anything and bring safety notices."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_countries import countries

from api import views as api_views
from api.tests.helpers import api_client
from audit.models import Action, AuditEvent
from catalogue import provider_views
from catalogue.selectors import tool_page
from community import services as community
from community.models import CommunitySuspension
from discovery import search
from discovery.tests.test_search_helpers import make_questionnaires, tool_with
from discussions import selectors, tool_panels
from discussions import services as discussions
from discussions.models import AgencyUse, FieldReport
from discussions.regions import REGION_OF_COUNTRY, region_name
from following.models import Follow
from moderation import services as moderation
from moderation.models import NoticeAction
from notifications.models import Kind, Notification
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

CANARY = "canary-field-report-5521"
SUSPENSION = {
    "reason_code": "misleading_information",
    "summary": "The accuracy figure could not be reproduced.",
    "officer_guidance": "Check every match by hand.",
    "provider_guidance": "Publish the evaluation.",
}
REPORT = {
    "used_in": "2025-02",
    "context": f"Triage of seized phones in a regional unit ({CANARY}).",
    "data": "About 40,000 images per case.",
    "hurdles": "Procurement took four months.",
    "integration": "Two days with our forensic suite.",
    "worked": "Fast deduplication.",
    "did_not_work": "Video support was weak.",
    "attribution": "name",
}


def officer(name, country="DE"):
    user = factories.OfficerProfileFactory(verified=True, user__full_name=name, country=country).user
    # Officers appear in discussions under the display name they chose in Meet other officers.
    community.save_listing(user, listed=False, display_name=name, shown={})
    return user


@pytest.fixture
def tool(organisation):
    return factories.ToolFactory(organisation=organisation, published=True, name="Harbour Lens", slug="harbour-lens")


@pytest.fixture
def author():
    return officer("Freya Fieldwriter", country="NO")


def write(user, tool, **overrides):
    fields = {**REPORT, **overrides, "used_in": datetime.date(2025, 2, 1)}
    return discussions.write_field_report(user, tool, **fields)


def reports_url(tool):
    return reverse("discussions:field_reports", args=[tool.slug])


# --- writing and reading -------------------------------------------------------------------------
def test_officer_writes_a_report_another_officer_reads_it_newest_first(tool, author):
    client = sign_in(Client(), author)
    response = client.post(reverse("discussions:field_report_new", args=[tool.slug]), REPORT)
    assert response.status_code == 302
    report = FieldReport.objects.get()
    assert report.used_in == datetime.date(2025, 2, 1)
    assert AuditEvent.objects.filter(action=Action.FIELD_REPORT_WRITTEN, actor=author).exists()
    newer = write(officer("Nico Newer"), tool, context="A newer report.")
    html = sign_in(Client(), officer("Rita Reader")).get(reports_url(tool)).content.decode()
    assert CANARY in html and "Freya Fieldwriter" in html and "Procurement took four months." in html
    assert html.index("A newer report.") < html.index(CANARY)  # newest first
    assert newer.created_at >= report.created_at
    # Nothing on the page rates or scores the tool (beyond saying there is no rating).
    html = html.replace("No ratings, no scores.", "")
    assert not re.search(r"rating|score|stars?\b|★|<meter|<progress", html, re.IGNORECASE)


def test_pseudonymous_report_names_the_region_not_the_officer(tool, author):
    write(author, tool, attribution=FieldReport.Attribution.REGION)
    html = sign_in(Client(), officer("Rita Reader")).get(reports_url(tool)).content.decode()
    assert "An officer in Europe" in html and "Freya Fieldwriter" not in html
    assert author.officer.agency not in html


def test_every_country_has_a_region():
    missing = [country.code for country in countries if country.code not in REGION_OF_COUNTRY]
    assert missing == ["AQ"]  # Antarctica: "an officer", no region
    assert region_name("ke") == "Africa" and region_name("BR") == "the Americas" and region_name("") == ""


def test_only_the_author_edits_or_withdraws(tool, author):
    report = write(author, tool)
    other = sign_in(Client(), officer("Otto Other"))
    edit = reverse("discussions:field_report_edit", args=[report.public_id])
    assert other.get(edit).status_code == 404
    assert other.post(reverse("discussions:field_report_withdraw", args=[report.public_id])).status_code == 404
    client = sign_in(Client(), author)
    assert client.get(edit).status_code == 200
    client.post(edit, {**REPORT, "worked": "Fast deduplication and good hash support."})
    report.refresh_from_db()
    assert report.worked == "Fast deduplication and good hash support."
    event = AuditEvent.objects.get(action=Action.FIELD_REPORT_EDITED)
    assert event.before["worked"] == "Fast deduplication." and event.after["worked"].startswith("Fast dedup")
    client.post(reverse("discussions:field_report_withdraw", args=[report.public_id]))
    assert not FieldReport.objects.exists()
    assert AuditEvent.objects.filter(action=Action.FIELD_REPORT_WITHDRAWN).count() == 1


def test_bad_reports_are_refused_and_kept(tool, author):
    client = sign_in(Client(), author)
    future = (datetime.date.today() + datetime.timedelta(days=62)).strftime("%Y-%m")
    response = client.post(reverse("discussions:field_report_new", args=[tool.slug]), {**REPORT, "used_in": future})
    assert response.status_code == 400 and CANARY in response.content.decode()
    response = client.post(reverse("discussions:field_report_new", args=[tool.slug]), {**REPORT, "used_in": "March"})
    assert response.status_code == 400
    assert not FieldReport.objects.exists()


def test_coordinators_read_but_do_not_write_reports(tool, author, coordinator):
    write(author, tool)
    client = sign_in(Client(), coordinator)
    assert CANARY in client.get(reports_url(tool)).content.decode()
    assert client.get(reverse("discussions:field_report_new", args=[tool.slug])).status_code == 403


# --- providers never see reports, nor any count ------------------------------------------------
def _provider_views(provider_admin, tool):
    provider = sign_in(Client(), provider_admin)
    pages = [
        reverse("catalogue:preview", kwargs={"slug": tool.slug}),
        reverse("catalogue:provider_tool", kwargs={"slug": tool.slug}),
        reverse("catalogue:my_tools"),
        reverse("home:home"),
    ]
    seen = []
    for url in pages:
        response = provider.get(url)
        assert response.status_code == 200, url
        seen.append(response.content.decode())
    for url in (reports_url(tool), reverse("discussions:tool_space", args=[tool.slug])):
        response = provider.get(url)
        assert response.status_code == 403, url
        seen.append(response.content.decode())
    return "\n".join(seen)


def _api_views(tool, token_owner):
    client = api_client(factories.make_api_token(token_owner))
    seen = []
    for url in (reverse("api:tool", args=[tool.slug]), reverse("api:tools")):
        response = client.get(url)
        assert response.status_code == 200
        seen.append(json.loads(response.content))
    return json.dumps(seen)


def _leaks(text: str) -> list[str]:
    words = [CANARY, "Freya Fieldwriter", "field report", "field_report", "agency uses", "agency_use"]
    return [word for word in words if word.lower() in text.lower()]


def test_providers_never_see_field_reports_or_counts_page_and_api(tool, author, provider_admin, verified_officer):
    write(author, tool)
    discussions.set_agency_use(author, tool, uses=True)
    assert _leaks(_provider_views(provider_admin, tool)) == []
    # The API is the officers' (providers get no token); even there no report or count appears.
    assert _leaks(_api_views(tool, verified_officer)) == []
    provider_api = api_client(factories.make_api_token(provider_admin))
    assert provider_api.get(reverse("api:tool", args=[tool.slug])).status_code in (401, 403)
    # The panels meant for the tool page answer None to a provider (its preview shows none).
    request = RequestFactory().get("/")
    request.user = provider_admin
    assert [panel(request, tool) for panel in tool_panels.PANELS] == [None, None, None]
    request.user = verified_officer
    assert CANARY in tool_panels.field_reports(request, tool)


def test_control_a_report_on_the_preview_or_in_the_api_is_caught(
    tool, author, provider_admin, verified_officer, monkeypatch
):
    """The check above fails when a report reaches the provider's preview or the API."""
    write(author, tool)

    def leaky_tool_page(tool, *args, **kwargs):
        page = tool_page(tool, *args, **kwargs)
        page["tool"].short_description = selectors.field_reports_of(tool).first().context
        return page

    monkeypatch.setattr(provider_views, "tool_page", leaky_tool_page)
    assert CANARY in _leaks(_provider_views(provider_admin, tool))
    monkeypatch.undo()

    original = api_views.json_response
    monkeypatch.setattr(
        api_views,
        "json_response",
        lambda data, *args, **kwargs: original(
            {**data, "field_reports": [r.context for r in FieldReport.objects.all()]}
            if isinstance(data, dict)
            else data,
            *args,
            **kwargs,
        ),
    )
    assert CANARY in _leaks(_api_views(tool, verified_officer))
    # And a panel that forgot its rule would hand the provider the report.
    monkeypatch.setattr(tool_panels.policy, "can", lambda *args, **kwargs: True)
    request = RequestFactory().get("/")
    request.user = provider_admin
    assert CANARY in tool_panels.field_reports(request, tool)


# --- "my agency uses this tool" -------------------------------------------------------------------
def test_declaring_use_is_private_audited_and_undone(tool, author):
    client = sign_in(Client(), author)
    url = reverse("discussions:agency_use", args=[tool.slug])
    response = client.post(url, {"uses": "1", "next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("discussions:tool_space", args=[tool.slug])
    assert AgencyUse.objects.filter(user=author, tool=tool).exists()
    page = client.get(reverse("discussions:tool_space", args=[tool.slug])).content.decode()
    assert "My agency no longer uses this tool" in page
    # Another officer sees their own toggle, never anyone else's declaration nor a count.
    other = sign_in(Client(), officer("Otto Other")).get(reverse("discussions:tool_space", args=[tool.slug]))
    assert "My agency uses this tool" in other.content.decode() and "no longer uses" not in other.content.decode()
    client.post(url, {"uses": "0"})
    assert not AgencyUse.objects.exists()
    assert [event.action for event in AuditEvent.objects.filter(target_id=tool.slug).order_by("id")] == [
        Action.AGENCY_USE_DECLARED,
        Action.AGENCY_USE_WITHDRAWN,
    ]


def test_coordinators_see_only_aggregate_counts(tool, organisation, coordinator):
    busy = factories.ToolFactory(organisation=organisation, published=True, name="Busy Tool")
    for number in range(6):
        discussions.set_agency_use(officer(f"Declarer {number}"), busy, uses=True)
    declarer = officer("Single Declarer")
    discussions.set_agency_use(declarer, tool, uses=True)
    html = sign_in(Client(), coordinator).get(reverse("discussions:agency_use_counts")).content.decode()
    assert "Busy Tool" in html and "<td>6</td>" in html
    assert "Harbour Lens" in html and "fewer than 5" in html and "<td>1</td>" not in html
    assert "Single Declarer" not in html and declarer.email not in html


def test_suspension_reaches_declarers_like_followers_once_each(tool, coordinator):
    declarer = officer("Dana Declarer")
    both = officer("Bo Both")
    follower = officer("Fay Follower")
    lapsed = officer("Lars Lapsed")
    for user in (declarer, both, lapsed):
        discussions.set_agency_use(user, tool, uses=True)
    Follow.objects.create(user=both, tool=tool)
    Follow.objects.create(user=follower, tool=tool)
    lapsed.officer.status = "expired"
    lapsed.officer.save()
    mail.outbox.clear()
    moderation.decide(tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    for user in (declarer, both, follower, lapsed):
        assert Notification.objects.filter(user=user, kind=Kind.TOOL_SUSPENDED).count() == 1, user.full_name
        emails = [message for message in mail.outbox if message.to == [user.email]]
        assert len(emails) == 1 and SUSPENSION["officer_guidance"] in emails[0].body
        assert SUSPENSION["provider_guidance"] not in emails[0].body
    declarer_mail = next(message for message in mail.outbox if message.to == [declarer.email])
    assert "a tool your agency uses" in declarer_mail.subject
    both_mail = next(message for message in mail.outbox if message.to == [both.email])
    assert "a tool you follow" in both_mail.subject  # a follower hears as a follower
    # A lapsed declarer, like a lapsed follower, gets the guidance with the message itself.
    assert SUSPENSION["officer_guidance"] in Notification.objects.get(user=lapsed).params["detail"]
    tool.refresh_from_db()
    moderation.decide(
        tool,
        action=NoticeAction.REINSTATED,
        by=coordinator,
        expected_version=tool.version,
        reason_code="concerns_addressed",
        summary="Corrected.",
        officer_guidance="No action needed.",
    )
    assert Notification.objects.filter(user=declarer, kind=Kind.TOOL_REINSTATED).count() == 1
    assert not Notification.objects.filter(user=lapsed, kind=Kind.TOOL_REINSTATED).exists()


def test_declaring_needs_a_published_tool(tool, coordinator, author):
    moderation.decide(tool, action=NoticeAction.SUSPENDED, by=coordinator, expected_version=tool.version, **SUSPENSION)
    response = sign_in(Client(), author).post(reverse("discussions:agency_use", args=[tool.slug]), {"uses": "1"})
    assert response.status_code == 302 and not AgencyUse.objects.exists()
    with pytest.raises(discussions.NotWritable):
        write(author, tool)


# --- declarations never order the catalogue -----------------------------------------------------------
def _orders(officers):
    return [list(search.search({}, seed=search.fairness_seed(user))._ordered) for user in officers]


def _declare_for_last(tools, orders):
    """Many officers declare use of the tool each officer sees last."""
    targets = {order[-1] for order in orders}
    for number, tool in enumerate(tool for tool in tools if tool.pk in targets):
        for index in range(8):
            discussions.set_agency_use(officer(f"Declarer {number}-{index}"), tool, uses=True)


@pytest.fixture
def catalogue_tools(organisation):
    tools_form, _rai = make_questionnaires()
    return [
        tool_with(tools_form, {"workflow": ["triage"]}, organisation=organisation, name=f"Equal {n}", slug=f"equal-{n}")
        for n in range(6)
    ]


def test_discovery_order_is_independent_of_declarations(catalogue_tools):
    readers = [officer(f"Reader {n}") for n in range(5)]
    before = _orders(readers)
    _declare_for_last(catalogue_tools, before)
    assert _orders(readers) == before
    page = sign_in(Client(), readers[0]).get(reverse("discovery:catalogue")).content.decode()
    slugs = {tool.pk: tool.slug for tool in catalogue_tools}
    shown = re.findall(r'<h2 class="tool-card-name"><a href="/tools/([^/"?]+)/(?:\?[^"]*)?">', page)
    assert shown == [slugs[pk] for pk in before[0]]


def test_control_an_order_that_counts_declarations_is_caught(catalogue_tools, monkeypatch):
    readers = [officer(f"Reader {n}") for n in range(5)]
    before = _orders(readers)
    _declare_for_last(catalogue_tools, before)
    original = search.CriteriaIndex.fair_order

    def popular_first(self, seed):
        order = original(self, seed)
        used = set(AgencyUse.objects.values_list("tool_id", flat=True))
        return [tool_id for tool_id in order if tool_id in used] + [tool_id for tool_id in order if tool_id not in used]

    monkeypatch.setattr(search.CriteriaIndex, "fair_order", popular_first)
    assert _orders(readers) != before


def test_the_tool_page_shows_the_three_newest_reports_newest_first(tool, author):
    for number in range(1, 6):
        write(author, tool, context=f"Report number {number}.")
    html = sign_in(Client(), officer("Rita Reader")).get(reverse("catalogue:tool_detail", args=[tool.slug]))
    html = html.content.decode()
    shown = re.findall(r"Report number (\d)\.", html)
    assert shown == ["5", "4", "3"]


def test_a_tool_without_reports_reads_no_author_on_its_page(tool):
    client = sign_in(Client(), officer("Rita Reader"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("catalogue:tool_detail", args=[tool.slug])).content.decode()
    assert "No field report yet." in html
    report_reads = [query["sql"] for query in queries.captured_queries if "discussions_fieldreport" in query["sql"]]
    assert len(report_reads) == 1 and "accounts_user" not in report_reads[0]


def test_a_tool_without_reports_asks_about_the_readers_suspension_once(tool):
    """The panel asks whether the reader may write a report; whether they may ask authors is
    asked only when there are reports to ask about."""
    client = sign_in(Client(), officer("Rita Reader"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("catalogue:tool_detail", args=[tool.slug])).content.decode()
    assert "Write a field report" in html
    suspension_reads = [q for q in queries.captured_queries if "community_communitysuspension" in q["sql"]]
    assert len(suspension_reads) == 1


def test_a_suspended_reader_sees_reports_without_the_ask_the_author_link(tool, author):
    write(author, tool, context="Report number 1.")
    reader = officer("Rita Reader")
    client = sign_in(Client(), reader)
    asking = client.get(reverse("catalogue:tool_detail", args=[tool.slug])).content.decode()
    CommunitySuspension.objects.create(user=reader, reason="Spam")
    suspended = client.get(reverse("catalogue:tool_detail", args=[tool.slug])).content.decode()
    assert "Report number 1." in asking and "Report number 1." in suspended
    assert "Write a field report" in asking and "Write a field report" not in suspended
    assert "Ask to contact the author" in asking and "Ask to contact the author" not in suspended
