"""The coordinators' dashboard: figures, access, CSP-safe SVG and a fixed query count."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import OfficerProfile
from catalogue.models import ToolState
from questionnaires.models import Question, QuestionnaireVersion
from reports import charts, selectors
from testkit import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")
MC = Question.Type.MULTIPLE_CHOICE
STEPS = ["intake", "triage", "review"]
CAPABILITIES = ["hashing", "faces", "ocr"]
RAI_KEYS = ["rai-1", "rai-2", "rai-3", "rai-4"]


def build_questionnaires():
    tools_form = factories.make_questionnaire(
        "tools-form",
        [
            {"key": "workflow-steps", "type": MC, "criterion": True, "options": STEPS},
            {"key": "capabilities", "type": MC, "criterion": True, "options": CAPABILITIES},
        ],
    )
    rai = factories.make_questionnaire("responsible-ai", [{"key": key} for key in RAI_KEYS], order=1)
    questions = {q.key: q for version in (tools_form, rai) for q in version.questions.all()}
    return questions


def answer(tool, question, value):
    return factories.AnswerFactory(tool=tool, question=question, value=value)


def published_tool(questions, *, steps=(), capabilities=(), rai_answered=0, **kwargs):
    tool = factories.ToolFactory(published=True, **kwargs)
    if steps:
        answer(tool, questions["workflow-steps"], list(steps))
    if capabilities:
        answer(tool, questions["capabilities"], list(capabilities))
    for key in RAI_KEYS[:rai_answered]:
        answer(tool, questions[key], "Answered")
    return tool


@pytest.fixture
def data():
    """A small hub whose figures are known."""
    now = timezone.now()
    questions = build_questionnaires()
    full = published_tool(
        questions, steps=["intake", "triage"], capabilities=["hashing"], rai_answered=4, name="Full Tool"
    )
    half = published_tool(questions, steps=["triage"], capabilities=["hashing", "faces"], rai_answered=2)
    # An empty answer does not count as answered: 1 of 4 answered, so 25–50%.
    quarter = published_tool(questions, rai_answered=1)
    answer(quarter, questions["rai-2"], "")
    bare = published_tool(questions)  # nothing answered: 0–25%
    draft = factories.ToolFactory(state=ToolState.DRAFT, updated_at=now - datetime.timedelta(days=400))
    answer(draft, questions["capabilities"], ["ocr"])  # not published: not counted
    factories.ToolFactory(state=ToolState.SUBMITTED)

    # Not confirmed for 180 days: one published tool (the draft is old too but not published).
    type(full).objects.filter(pk=full.pk).update(last_confirmed_at=now - datetime.timedelta(days=200))
    type(half).objects.filter(pk=half.pk).update(last_confirmed_at=now - datetime.timedelta(days=179))

    # Officers: France 2 verified + 4 pending, Germany 1 verified; expired and rejected do not count.
    factories.OfficerProfileFactory.create_batch(2, verified=True, country="FR")
    factories.OfficerProfileFactory(verified=True, country="DE")
    factories.OfficerProfileFactory(
        verified=True, country="DE", verified_until=now - datetime.timedelta(days=1)
    )  # expired
    factories.OfficerProfileFactory(status=OfficerProfile.Status.REJECTED, country="DE")
    for days in (1, 3, 10, 40):
        factories.OfficerProfileFactory(country="FR", submitted_at=now - datetime.timedelta(days=days))

    # Exposure in the first position over the last 30 days: full 6, half 2, quarter and bare never.
    today = timezone.now().astimezone(datetime.UTC).date()
    factories.ExposureCountFactory(tool=full, position_bucket=1, count=6, day=today)
    factories.ExposureCountFactory(tool=half, position_bucket=1, count=2, day=today - datetime.timedelta(days=3))
    factories.ExposureCountFactory(tool=quarter, position_bucket=2, count=50, day=today)  # not first position
    factories.ExposureCountFactory(tool=bare, position_bucket=1, count=9, day=today - datetime.timedelta(days=45))
    return {"full": full, "half": half, "quarter": quarter, "bare": bare, "questions": questions}


def counts(rows):
    return {row.key: row.count for row in rows}


def test_figures_on_a_small_hub(data):
    figures = selectors.dashboard()

    officers = {row.code: (row.verified, row.pending) for row in figures["officers_by_country"]}
    assert officers == {"FR": (2, 4), "DE": (1, 0)}
    assert figures["officers_by_country"][0].name == "France"  # most officers first
    assert counts(figures["queue_age"]) == {"bucket0": 1, "bucket1": 1, "bucket2": 1, "bucket3": 1}

    states = counts(figures["tools_by_state"])
    assert states["published"] == 4 and states["draft"] == 1 and states["submitted"] == 1
    assert states["rejected"] == 0
    assert counts(figures["capabilities"]) == {"hashing": 2, "faces": 1, "ocr": 0}

    assert figures["completeness"].questions == 4
    assert [row.count for row in figures["completeness"].buckets] == [1, 1, 1, 1]

    assert figures["overdue"]["count"] == 1
    assert [tool.pk for tool in figures["overdue"]["tools"]] == [data["full"].pk]

    fairness = figures["fairness"]
    assert (fairness.total, fairness.shown_first, fairness.published) == (8, 2, 4)
    assert fairness.highest_percent == 75.0 and fairness.lowest_percent == 0.0
    assert fairness.ratio is None and fairness.never_shown_first == 2

    gap = figures["gap_map"]
    cells = {step.key: dict(zip(CAPABILITIES, row, strict=True)) for step, row in gap.cells}
    assert cells == {
        "intake": {"hashing": 1, "faces": 0, "ocr": 0},
        "triage": {"hashing": 2, "faces": 1, "ocr": 0},
        "review": {"hashing": 0, "faces": 0, "ocr": 0},
    }
    assert counts(gap.steps) == {"intake": 1, "triage": 2, "review": 0}
    assert gap.empty_cells == 6


def test_exposure_ratio_when_every_published_tool_was_shown_first(data):
    today = timezone.now().astimezone(datetime.UTC).date()
    factories.ExposureCountFactory(tool=data["quarter"], position_bucket=1, count=4, day=today)
    factories.ExposureCountFactory(tool=data["bare"], position_bucket=1, count=3, day=today)
    fairness = selectors.exposure_fairness(published=4)
    # Shares 6/15, 2/15, 4/15, 3/15: the most shown first three times as often as the least.
    assert fairness.total == 15 and fairness.ratio == 3.0


def test_the_newest_answer_counts():
    questions = build_questionnaires()
    tool = published_tool(questions, capabilities=["ocr"])
    later = timezone.now() + datetime.timedelta(minutes=1)
    old_version_question = factories.QuestionFactory(
        key="capabilities", type=MC, section__version__status=QuestionnaireVersion.Status.DRAFT
    )
    factories.AnswerFactory(tool=tool, question=old_version_question, value=["faces"], answered_at=later)
    figures = selectors.dashboard()
    assert counts(figures["capabilities"]) == {"hashing": 0, "faces": 1, "ocr": 0}


@pytest.mark.parametrize(
    ("answered", "total", "bucket"), [(0, 4, 0), (1, 5, 0), (1, 4, 1), (2, 4, 2), (3, 4, 3), (4, 4, 3)]
)
def test_completeness_buckets(answered, total, bucket):
    assert selectors.completeness_bucket(answered, total) == bucket


def test_the_page_shows_the_figures_and_the_gap_map(signed_in, coordinator, data):
    response = signed_in(coordinator).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="stat-verified">3<', html)
    assert re.search(r'id="stat-queue">4<', html)
    assert re.search(r'id="stat-published">4<', html)
    assert re.search(r'id="stat-overdue">1<', html)
    assert "Full Tool" in html and reverse("catalogue:tool_detail", kwargs={"slug": data["full"].slug}) in html
    assert "Entries overdue for confirmation" in html and reverse("catalogue:confirmation_overdue") in html
    assert reverse("discovery:exposure_report") + "?days=30" in html
    assert re.search(r'id="fairness-shown">2 / 4<', html)
    assert "2 published tools were never shown first" in html
    # Zero-coverage cells are highlighted, and named for screen readers.
    assert html.count("gap-cell gap-level-0") == 6
    assert html.count('<span class="visually-hidden">none</span>') == 6
    assert "Capabilities no published tool offers:</strong> Ocr" in html
    assert "Workflow steps no published tool covers:</strong> Review" in html


def test_the_charts_are_svg_with_their_numbers_and_no_inline_styles(signed_in, coordinator, data):
    response = signed_in(coordinator).get(URL)
    html = response.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 6
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "France: 2 verified, 4 pending" in html  # the officers chart's description
    assert "Hashing: 2; Faces: 1; Ocr: 0." in html
    # CSP: no style attributes or elements, no inline scripts, no external scripts.
    assert not re.search(r"\sstyle\s*=", html)
    assert "<style" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in script
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_page_works_with_the_shipped_questionnaires_and_no_data(signed_in, coordinator):
    html = signed_in(coordinator).get(URL).content.decode()
    assert "Matching against known material (hash lists)" in html  # shipped, covered by no tool
    assert "Referral intake and detection" in html
    assert "No verified or pending officers yet." in html
    assert "Not defined: no tool was shown first in this period." in html
    assert not re.search(r"\sstyle\s*=", html)


def test_labels_are_escaped_in_charts():
    svg = charts.bar_chart("c", "Title <i>", [('<script>alert("x")</script>', [3])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Title &lt;i&gt;" in svg


@pytest.mark.parametrize("persona", ["pending_officer", "verified_officer", "provider_admin"])
def test_only_coordinators_see_the_dashboard(signed_in, persona, request):
    user = request.getfixturevalue(persona)
    assert signed_in(user).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_coordinator_home_links_to_the_dashboard(signed_in, coordinator):
    html = signed_in(coordinator).get(reverse("home:home")).content.decode()
    assert f'href="{URL}"' in html


def test_query_count_does_not_grow_with_tools_officers_or_countries(
    signed_in, coordinator, django_assert_max_num_queries
):
    questions = build_questionnaires()
    country_codes = ["FR", "DE", "ES", "IT", "NL", "PL", "PT", "BE", "AT", "SE", "FI", "IE"]

    def add(size):
        for index in range(size):
            tool = published_tool(
                questions,
                steps=[STEPS[index % 3]],
                capabilities=[CAPABILITIES[index % 3]],
                rai_answered=index % 5,
                last_confirmed_at=timezone.now() - datetime.timedelta(days=200),
            )
            factories.ExposureCountFactory(tool=tool, position_bucket=1, count=index + 1)
            factories.ToolFactory(state=ToolState.SUBMITTED)
            factories.OfficerProfileFactory(country=country_codes[index % len(country_codes)])
            factories.OfficerProfileFactory(verified=True, country=country_codes[(index + 5) % len(country_codes)])

    client = signed_in(coordinator)
    add(2)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    add(60)  # more overdue entries than the page lists
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="stat-published">62<', html)
    assert "62 published entries are overdue." in html and "The 50 longest overdue are listed." in html
    assert len(few.captured_queries) <= 17  # 12, one for the open concerns, four for the event balance


def test_the_dashboard_counts_exactly_the_vetting_queue_renewals_included(signed_in, coordinator):
    """One query behind both pages: what the queue lists is what the dashboard counts."""
    now = timezone.now()
    waiting = factories.OfficerProfileFactory(submitted_at=now - datetime.timedelta(days=3))
    # A second confirmed address must not count the officer twice.
    EmailAddress.objects.create(user=waiting.user, email="second@police.example.org", verified=True)
    renewing = factories.OfficerProfileFactory(verified=True)
    account_services.request_renewal(renewing)
    revetted = factories.OfficerProfileFactory(verified=True)
    account_services.update_officer_profile(revetted, by=revetted.user, agency="New Agency")
    # Not in the queue: decided, email unconfirmed, account disabled.
    factories.OfficerProfileFactory(verified=True)
    factories.OfficerProfileFactory(status=OfficerProfile.Status.REJECTED)
    factories.OfficerProfileFactory(user__verified_email=False)
    factories.OfficerProfileFactory(user__is_active=False)

    client = signed_in(coordinator)
    listed = {row["profile"] for row in client.get(reverse("accounts:vetting_queue")).context["rows"]}
    assert listed == {waiting, renewing, revetted}
    html = client.get(URL).content.decode()
    assert re.search(r'id="stat-queue">3<', html)
    assert sum(row.count for row in selectors.vetting_queue_age(timezone.now())) == len(listed)


def test_the_dashboard_shows_the_event_balance_with_its_warning(signed_in, coordinator):
    from events.tests.factories import EventFactory, ParticipantFactory

    loud = factories.OrganisationFactory(name="Loud Events Org")
    factories.ToolFactory(organisation=loud, published=True)
    for other in ("Second Org", "Third Org"):
        factories.ToolFactory(organisation=factories.OrganisationFactory(name=other), published=True)
    ParticipantFactory(event=EventFactory(past=True), organisation=loud)
    page = signed_in(coordinator).get(reverse("reports:dashboard")).content.decode()
    panel = page.split('id="event-balance"')[1].split("</section>")[0]
    assert "Loud Events Org: 100% of appearances" in panel
    assert reverse("events:representation") in panel
