"""Providers answer a questionnaire section by section: an overview and contents with progress
per section, saving one section without touching the others, links to missing required
questions, a confirmation showing completeness before submission, and the idle limit (a
keep-alive the page's script pings; the section page carries what that script needs)."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.models import Answer, ToolState
from catalogue.tests.test_provider_helpers import working_member
from questionnaires.models import Question
from testkit import factories

pytestmark = pytest.mark.django_db

T = Question.Type
CONFIRMED = {"confirmed": "yes"}

# A Tools Form in three sections: "about" (2 questions, one required), "deployment"
# (3 questions, one required), "data" (1 question).
SPECS = [
    {"key": "purpose", "section": "about", "required": True},
    {"key": "details", "section": "about", "type": T.LONG_TEXT},
    {"key": "deployment", "section": "deployment", "type": T.SINGLE_CHOICE, "options": ["cloud", "on-premises"]},
    {"key": "offline", "section": "deployment", "type": T.YES_NO, "required": True},
    {"key": "users", "section": "deployment", "type": T.NUMBER},
    {"key": "data-types", "section": "data", "type": T.MULTIPLE_CHOICE, "options": ["images", "video"]},
]


@pytest.fixture
def version(db):
    return factories.make_questionnaire("tools-form", SPECS)


@pytest.fixture
def member(db):
    return working_member()


@pytest.fixture
def provider(signed_in, member):
    return signed_in(member)


@pytest.fixture
def tool(member):
    return factories.ToolFactory(organisation=member.membership.organisation, name="Section Tool")


def section_url(tool, section, questionnaire="tools-form"):
    return reverse("catalogue:provider_answers_section", args=[tool.slug, questionnaire, section])


def overview_url(tool, questionnaire="tools-form"):
    return reverse("catalogue:provider_answers", args=[tool.slug, questionnaire])


def stored(tool):
    return {answer.question_key: answer.value for answer in Answer.objects.filter(tool=tool)}


def text(response):
    """The page's text with tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_saving_a_section_keeps_the_other_sections_answers(provider, tool, version):
    provider.post(section_url(tool, "about"), {"purpose": "Finds.", "details": "Long.", "then": "stay"})
    response = provider.post(
        section_url(tool, "deployment"), {"deployment": "cloud", "offline": "no", "users": "12", "then": "stay"}
    )

    assert response.status_code == 302
    assert response["Location"] == section_url(tool, "deployment")
    assert stored(tool) == {
        "purpose": "Finds.",
        "details": "Long.",
        "deployment": "cloud",
        "offline": False,
        "users": 12,
    }
    # Clearing an answer in one section removes only that one.
    provider.post(section_url(tool, "about"), {"purpose": "Finds.", "details": "", "then": "stay"})
    assert stored(tool) == {"purpose": "Finds.", "deployment": "cloud", "offline": False, "users": 12}
    saved = AuditEvent.objects.filter(action=Action.TOOL_ANSWERS_SAVED).order_by("pk")
    assert [event.after["changed"] for event in saved] == [
        ["purpose", "details"],
        ["deployment", "offline", "users"],
        ["details"],
    ]


def test_a_section_page_shows_only_its_questions(provider, tool, version):
    body = provider.get(section_url(tool, "deployment")).content.decode()
    assert 'name="deployment"' in body and 'name="offline"' in body and 'name="users"' in body
    assert 'name="purpose"' not in body and 'name="data-types"' not in body
    assert provider.get(section_url(tool, "no-such-section")).status_code == 404


def test_save_and_continue_goes_to_the_next_section_then_the_overview(provider, tool, version):
    response = provider.post(section_url(tool, "about"), {"purpose": "Finds.", "then": "next"})
    assert response["Location"] == section_url(tool, "deployment")
    response = provider.post(section_url(tool, "data"), {"data-types": ["video"], "then": "next"})
    assert response["Location"] == overview_url(tool)
    assert stored(tool) == {"purpose": "Finds.", "data-types": ["video"]}


def test_invalid_answers_in_a_section_are_refused_and_kept(provider, tool, version):
    response = provider.post(section_url(tool, "deployment"), {"users": "many", "offline": "yes", "then": "next"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="many"' in body
    assert "Enter a number." in body
    assert stored(tool) == {}


def test_the_overview_and_contents_count_answers_per_section(provider, tool, version):
    provider.post(section_url(tool, "deployment"), {"deployment": "cloud", "users": "3", "then": "stay"})
    provider.post(section_url(tool, "data"), {"data-types": ["images"], "then": "stay"})

    overview = text(provider.get(overview_url(tool)))
    assert "3 of 6 questions answered" in overview
    assert "Section about — 0 of 2 answered Incomplete 1 required question left" in overview
    assert "Section deployment — 2 of 3 answered Incomplete 1 required question left" in overview
    assert "Section data — 1 of 1 answered Complete" in overview

    # Each section page carries the same contents, the current section marked.
    page = provider.get(section_url(tool, "data")).content.decode()
    assert re.search(r'href="[^"]+/data/" aria-current="page">Section data</a>', page)
    assert "2 of 3 answered" in page and "section-complete" in page


def test_missing_required_answers_link_to_their_question_on_its_section_page(provider, tool, version):
    provider.post(section_url(tool, "about"), {"purpose": "Finds.", "then": "stay"})
    expected = f'href="{section_url(tool, "deployment")}#field-offline"'

    for page in (
        overview_url(tool),
        reverse("catalogue:provider_tool", args=[tool.slug]),
        reverse("catalogue:provider_submit", args=[tool.slug]),
        section_url(tool, "deployment"),
    ):
        body = provider.get(page).content.decode()
        assert expected in body, page
        assert "#field-purpose" not in body, page
    # The anchor exists on the section page.
    assert 'id="field-offline"' in provider.get(section_url(tool, "deployment")).content.decode()


def test_submitting_asks_for_confirmation_and_shows_how_complete_the_entry_is(provider, tool, version):
    provider.post(section_url(tool, "about"), {"purpose": "Finds.", "then": "stay"})
    provider.post(section_url(tool, "deployment"), {"offline": "yes", "then": "stay"})
    submit = reverse("catalogue:provider_submit", args=[tool.slug])

    # The tool page's button only leads to the confirmation (a GET form).
    assert re.search(
        rf'<form method="get" action="{submit}">',
        provider.get(reverse("catalogue:provider_tool", args=[tool.slug])).content.decode(),
    )
    page = text(provider.get(submit))
    assert "2 of 6 questions answered." in page
    assert "Officers will see “No reply provided by the provider” for 4 questions." in page
    assert "Yes, submit for review" in page

    # A POST without the confirmation shows the page again and submits nothing.
    assert provider.post(submit).status_code == 200
    tool.refresh_from_db()
    assert tool.state == ToolState.DRAFT

    response = provider.post(submit, CONFIRMED)
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.SUBMITTED


def test_the_confirmation_uses_singular_forms_and_withholds_the_button_while_required_answers_miss(provider, tool, db):
    factories.make_questionnaire("tools-form", [{"key": "purpose", "required": True}, {"key": "extra"}])
    submit = reverse("catalogue:provider_submit", args=[tool.slug])

    page = text(provider.get(submit))
    assert "0 of 2 questions answered." in page
    assert "Yes, submit for review" not in page
    assert "These required questions need an answer" in page

    provider.post(section_url(tool, "main"), {"purpose": "Finds.", "then": "stay"})
    page = text(provider.get(submit))
    assert "1 of 2 questions answered." in page
    assert "Officers will see “No reply provided by the provider” for 1 question." in page
    assert "Yes, submit for review" in page


def test_the_overview_needs_a_fixed_number_of_queries(provider, tool, version):
    """The overview lists sections: more sections and questions must not mean more queries."""
    provider.get(overview_url(tool))  # warm the process's copy of the questionnaires
    with CaptureQueriesContext(connection) as few:
        assert provider.get(overview_url(tool)).status_code == 200
    factories.make_questionnaire(
        "tools-form",
        SPECS + [{"key": f"more-{n}", "section": f"more-{n % 4}"} for n in range(12)],
        number=2,
    )
    provider.get(overview_url(tool))
    with CaptureQueriesContext(connection) as many:
        assert "18 questions" in text(provider.get(overview_url(tool)))
    assert len(many) == len(few)


# --- the idle limit -----------------------------------------------------------------------
START = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)


def test_the_section_page_carries_the_idle_limit_and_the_draft_script(provider, tool, version):
    body = provider.get(section_url(tool, "about")).content.decode()
    tool.refresh_from_db()
    assert 'data-idle-seconds="1800"' in body and 'data-warn-seconds="180"' in body
    assert f'data-keep-alive-url="{reverse("accounts:keep_alive")}"' in body
    assert f'data-draft-key="{tool.slug}/tools-form/about" data-draft-version="{tool.version}"' in body
    assert re.search(r'<script src="/static/js/questionnaire-draft[^"]*\.js" defer></script>', body)
    assert "You will be signed out in about 3 minutes" in body


def test_the_keep_alive_holds_the_session_open_and_a_late_save_is_refused(signed_in, member, tool, version):
    keep_alive = reverse("accounts:keep_alive")
    with time_machine.travel(START, tick=False) as clock:
        provider = signed_in(member)
        assert provider.get(section_url(tool, "about")).status_code == 200
        for _ in range(3):  # 87 minutes in all, never 30 idle
            clock.shift(dt.timedelta(minutes=29))
            response = provider.get(keep_alive)
            assert response.status_code == 204
            assert response["Cache-Control"] == "no-store"
        clock.shift(dt.timedelta(minutes=29))
        assert provider.get(section_url(tool, "about")).status_code == 200

        # Control: 31 idle minutes end the session; the ping then gets the sign-in page, and a
        # save arriving after that is not accepted (the page's script keeps the typed copy).
        clock.shift(dt.timedelta(minutes=31))
        response = provider.post(section_url(tool, "about"), {"purpose": "Late.", "then": "stay"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert provider.get(keep_alive).status_code == 302
    assert stored(tool) == {}


def test_the_keep_alive_is_for_signed_in_people_only(client):
    response = client.get(reverse("accounts:keep_alive"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_text_boxes_carry_the_providers_language_on_a_page_in_another(provider, tool, version):
    """English typed on an Arabic page keeps its punctuation where it belongs."""
    tool.text_language = "en"
    tool.save(update_fields=["text_language"])
    provider.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    body = provider.get(section_url(tool, "about")).content.decode()
    assert re.search(r'<textarea[^>]*name="details"[^>]*>', body).group(0).count('lang="en"') == 1
    assert 'dir="ltr"' in re.search(r'<input[^>]*name="purpose"[^>]*>', body).group(0)
    tool.text_language = "ar"
    tool.save(update_fields=["text_language"])
    assert 'dir="rtl"' in re.search(
        r'<input[^>]*name="purpose"[^>]*>', provider.get(section_url(tool, "about")).content.decode()
    ).group(0)
