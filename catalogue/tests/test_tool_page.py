"""The officers' tool page and the tool's files (attachments, logo)."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from catalogue import tool_panels
from catalogue.models import ToolState
from catalogue.selectors import tool_page
from questionnaires.models import Question, QuestionnaireVersion
from testkit import factories

from .url_expectations_review import png_bytes

pytestmark = pytest.mark.django_db

STATEMENT = "Inclusion of this tool in the catalogue is not an endorsement, assessment or certification"
NO_REPLY = "No reply provided by the provider"
AGENCY_DECIDES = "The decision to use a tool rests with your agency."


def page_url(tool):
    return reverse("catalogue:tool_detail", kwargs={"slug": tool.slug})


def download_url(attachment):
    return reverse("catalogue:attachment_download", kwargs={"public_id": attachment.public_id})


def label(version, key):
    return version.questions.get(key=key).label


@pytest.fixture
def forms():
    # Only this test's questionnaires are current: the shipped ones are set aside.
    QuestionnaireVersion.objects.update(status=QuestionnaireVersion.Status.DRAFT)
    tools_form = factories.make_questionnaire(
        "test-tools-form",
        [
            {"key": "purpose", "type": Question.Type.LONG_TEXT},
            {"key": "languages", "type": Question.Type.MULTIPLE_CHOICE, "options": ["english", "french"]},
            {"key": "offline", "type": Question.Type.YES_NO},
            {"key": "pricing"},
        ],
        order=0,
    )
    rai = factories.make_questionnaire(
        "test-responsible-ai", [{"key": "bias-testing", "type": Question.Type.LONG_TEXT}, {"key": "oversight"}], order=1
    )
    return tools_form, rai


@pytest.fixture
def tool(forms):
    tools_form, _rai = forms
    tool = factories.ToolFactory(published=True, name="Lighthouse Triage", organisation__name="Harbour Labs")
    factories.AnswerFactory(
        tool=tool, question=tools_form.questions.get(key="purpose"), value="Sorts seized media by priority."
    )
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="languages"), value=["french"])
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="offline"), value=True)
    return tool


# --- what officers see ----------------------------------------------------------------
def test_every_question_is_shown_with_its_answer_or_a_visible_non_answer(signed_in, verified_officer, tool, forms):
    tools_form, rai = forms
    response = signed_in(verified_officer).get(page_url(tool))
    assert response.status_code == 200
    html = response.content.decode()
    for version in forms:
        for question in version.questions.all():
            assert question.label in html
    assert "Lighthouse Triage" in html and "Harbour Labs" in html
    assert "Sorts seized media by priority." in html
    assert "French" in html and "Yes" in html
    # pricing (Tools Form) and both Responsible AI questions are unanswered.
    assert html.count(NO_REPLY) == 3
    pricing = html.index(label(tools_form, "pricing"))
    assert html.index(NO_REPLY, pricing) < html.index(label(rai, "bias-testing"))


def test_completeness_per_questionnaire_statement_and_last_updated(signed_in, verified_officer, tool):
    html = signed_in(verified_officer).get(page_url(tool)).content.decode()
    assert "3 of 4 questions answered" in html
    assert "0 of 2 questions answered" in html
    assert STATEMENT in html
    assert AGENCY_DECIDES in html
    assert "Last updated" in html


def test_a_question_added_in_a_newer_version_shows_as_unanswered(signed_in, verified_officer, tool, forms):
    tools_form, _rai = forms
    newer = factories.QuestionnaireVersionFactory(questionnaire=tools_form.questionnaire, number=2)
    section = factories.SectionFactory(version=newer, key="main")
    factories.QuestionFactory(section=section, key="purpose", type=Question.Type.LONG_TEXT)
    added = factories.QuestionFactory(section=section, key="hardware", labels={"en": "Which hardware does it need?"})

    html = signed_in(verified_officer).get(page_url(tool)).content.decode()

    # The answer given to version 1's "purpose" still counts; the new question does not.
    assert "Sorts seized media by priority." in html
    assert "1 of 2 questions answered" in html
    after_added = html[html.index(added.label) :]
    assert after_added.index(NO_REPLY) < after_added.index("</dd>")
    # Version 1's questions that version 2 dropped are no longer shown.
    assert label(tools_form, "offline") not in html


def test_free_text_in_the_original_language_is_marked_when_no_translation_exists(tool, forms):
    tools_form, _rai = forms
    answer = tool.answers.get(question_key="purpose")
    answer.translations = {"fr": "Trie les médias saisis."}
    answer.save()
    with translation.override("fr"):
        items = {
            i["question"].key: i for p in tool_page(tool)["questionnaires"] for s in p["sections"] for i in s["items"]
        }
        assert items["purpose"]["answer"].text == "Trie les médias saisis."
        assert not items["purpose"]["shown_in_original"]
    with translation.override("es"):
        items = {
            i["question"].key: i for p in tool_page(tool)["questionnaires"] for s in p["sections"] for i in s["items"]
        }
        assert items["purpose"]["answer"].text == "Sorts seized media by priority."
        assert items["purpose"]["shown_in_original"]
        # Choice answers are labels from the questionnaire, never "untranslated".
        assert not items["languages"]["shown_in_original"]


def test_the_note_about_the_original_language_is_rendered(signed_in, verified_officer, tool):
    client = signed_in(verified_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(page_url(tool)).content.decode()
    assert 'lang="es"' in html
    # One free-text answer (purpose) has no Spanish version.
    assert html.count('class="help original-language"') == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'class="help original-language"' not in client.get(page_url(tool)).content.decode()


def test_logo_box_is_the_same_with_and_without_a_logo(signed_in, verified_officer, tool):
    plain = factories.ToolFactory(published=True)
    tool.logo.save("x.png", ContentFile(png_bytes()), save=True)
    client = signed_in(verified_officer)
    with_logo = client.get(page_url(tool)).content.decode()
    without_logo = client.get(page_url(plain)).content.decode()
    assert f'src="{reverse("catalogue:logo", kwargs={"slug": tool.slug})}"' in with_logo
    assert 'class="tool-logo"' in with_logo and 'class="tool-logo"' in without_logo
    assert "tool-logo-placeholder" in without_logo and "tool-logo-placeholder" not in with_logo


def test_attachments_are_listed_with_links_to_the_download_view(signed_in, verified_officer, tool, forms):
    attachment = factories.AttachmentFactory(tool=tool, title="Independent accuracy audit 2024")
    html = signed_in(verified_officer).get(page_url(tool)).content.decode()
    assert "Independent accuracy audit 2024" in html
    assert f'href="{download_url(attachment)}"' in html


def test_a_file_answer_links_to_its_attachment(signed_in, verified_officer, forms):
    version = factories.make_questionnaire("reports", [{"key": "assessment", "type": Question.Type.FILE}], order=3)
    tool = factories.ToolFactory(published=True)
    attachment = factories.AttachmentFactory(tool=tool, title="Third-party assessment", question_key="assessment")
    factories.AnswerFactory(tool=tool, question=version.questions.get(), value=str(attachment.public_id))
    html = signed_in(verified_officer).get(page_url(tool)).content.decode()
    assert html.count(f'href="{download_url(attachment)}"') == 2  # in the answer and in the attachments list
    assert "1 of 1 question answered" in html


def test_provider_written_text_is_escaped(signed_in, verified_officer, forms):
    tool = factories.ToolFactory(published=True, name="<script>alert(1)</script>")
    html = signed_in(verified_officer).get(page_url(tool)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def answer_of(html: str, question_label: str) -> str:
    """The `<dd>` after the question `question_label`, as HTML."""
    found = re.search(r"<dt>" + re.escape(question_label) + r"</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert found, f"no answer to {question_label!r}"
    return found.group(1).strip()


def test_each_answer_is_escaped_with_its_line_breaks(signed_in, verified_officer, tool, forms):
    tools_form, _rai = forms
    purpose = tool.answers.get(question__key="purpose")
    purpose.value = 'Sorts <b>seized</b> media & "phones"\nby priority.'
    purpose.save()
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="pricing"), value="On request <i>only</i>")
    tool.organisation.website = "https://harbour.example"
    tool.organisation.name = "Harbour <Labs>"
    tool.organisation.save()
    html = signed_in(verified_officer).get(page_url(tool)).content.decode()
    assert answer_of(html, label(tools_form, "purpose")) == (
        "Sorts &lt;b&gt;seized&lt;/b&gt; media &amp; &quot;phones&quot;<br>by priority."
    )
    assert answer_of(html, label(tools_form, "languages")) == "<ul><li>French</li></ul>"
    pricing = answer_of(html, label(tools_form, "pricing"))
    assert pricing.startswith("On request &lt;i&gt;only&lt;/i&gt;")
    assert (
        '<a href="https://harbour.example" rel="noopener noreferrer nofollow">'
        "Ask Harbour &lt;Labs&gt; for the details (provider's website)</a>" in pricing
    )
    assert "<b>seized" not in html and "<i>only" not in html and "Harbour <Labs>" not in html


def test_a_file_answer_shows_its_size_or_that_the_file_is_gone(signed_in, verified_officer, forms):
    version = factories.make_questionnaire(
        "reports", [{"key": "assessment", "type": Question.Type.FILE}, {"key": "audit", "type": Question.Type.FILE}]
    )
    tool = factories.ToolFactory(published=True)
    attachment = factories.AttachmentFactory(tool=tool, title="Assessment <2024>", size=2048)
    factories.AnswerFactory(
        tool=tool, question=version.questions.get(key="assessment"), value=str(attachment.public_id)
    )
    factories.AnswerFactory(
        tool=tool, question=version.questions.get(key="audit"), value="00000000-0000-0000-0000-000000000000"
    )
    html = signed_in(verified_officer).get(page_url(tool)).content.decode()
    assert answer_of(html, label(version, "assessment")) == (
        f'<a href="{download_url(attachment)}">Assessment &lt;2024&gt;</a> <span class="help">(PDF, 2.0\xa0KB)</span>'
    )
    assert answer_of(html, label(version, "audit")) == "The file is no longer available."


# --- who may see it ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "state", [ToolState.DRAFT, ToolState.SUBMITTED, ToolState.CHANGES_REQUESTED, ToolState.REJECTED]
)
def test_unpublished_tools_are_404_for_officers_but_visible_to_coordinators(
    signed_in, verified_officer, coordinator, client, forms, state
):
    tool = factories.ToolFactory(state=state, name="Hidden Harbour")
    response = signed_in(verified_officer).get(page_url(tool))
    assert response.status_code == 404
    assert "Hidden Harbour" not in response.content.decode()
    client.logout()
    response = signed_in(coordinator).get(page_url(tool))
    assert response.status_code == 200
    assert "Hidden Harbour" in response.content.decode()
    assert "This tool is not published" in response.content.decode()


def test_providers_and_pending_officers_never_get_the_page(signed_in, client, pending_officer, tool):
    own_member = factories.MembershipFactory(organisation=tool.organisation).user
    other_member = factories.MembershipFactory().user
    for user in (pending_officer, own_member, other_member):
        client.logout()
        response = signed_in(user).get(page_url(tool))
        assert response.status_code in (403, 404)
        assert "Lighthouse Triage" not in response.content.decode()


def test_unknown_tool_is_404(signed_in, verified_officer):
    assert signed_in(verified_officer).get("/tools/no-such-tool/").status_code == 404


# --- query count ------------------------------------------------------------------------
def _tool_with_questions(count):
    version = factories.make_questionnaire(
        f"form-{count}",
        [
            {"key": f"q{count}-{i}", "type": Question.Type.MULTIPLE_CHOICE if i % 2 else Question.Type.SHORT_TEXT}
            | ({"options": ["a", "b"]} if i % 2 else {})
            for i in range(count)
        ],
    )
    tool = factories.ToolFactory(published=True)
    for question in list(version.questions.all())[::2]:
        value = ["a"] if question.type == Question.Type.MULTIPLE_CHOICE else "Answer"
        factories.AnswerFactory(tool=tool, question=question, value=value)
    factories.AttachmentFactory(tool=tool)
    factories.AttachmentFactory(tool=tool)
    return tool


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_needs_the_same_number_of_queries_for_5_or_40_questions(
    signed_in, verified_officer, django_assert_max_num_queries
):
    client = signed_in(verified_officer)
    small = _tool_with_questions(5)
    client.get(page_url(small))  # warm the session and caches
    few = _count_queries(client, page_url(small), django_assert_max_num_queries, 25)
    # A catalogue with a second, much longer questionnaire.
    large = _tool_with_questions(40)
    client.get(page_url(large))  # the questionnaires changed: pages read them again once
    many = _count_queries(client, page_url(large), django_assert_max_num_queries, 25)
    html = client.get(page_url(large)).content.decode()
    assert len(re.findall(NO_REPLY, html)) >= 20
    assert many == few, (few, many)
    assert few < 25


# --- files ---------------------------------------------------------------------------------
def test_attachment_download_headers(signed_in, verified_officer, tool):
    attachment = factories.AttachmentFactory(tool=tool, title='Report "final"\r\nX-Evil: 1')
    response = signed_in(verified_officer).get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{tool.slug}-{attachment.public_id.hex[:12]}.pdf"' in disposition
    assert "Evil" not in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachment_download_access(signed_in, client, verified_officer, pending_officer, coordinator, tool):
    attachment = factories.AttachmentFactory(tool=tool)
    draft = factories.ToolFactory(organisation=tool.organisation)
    draft_attachment = factories.AttachmentFactory(tool=draft)
    own_member = factories.MembershipFactory(organisation=tool.organisation).user
    provider_b = factories.MembershipFactory().user

    def status(user, item):
        client.logout()
        return signed_in(user).get(download_url(item)).status_code

    assert status(verified_officer, attachment) == 200
    assert status(verified_officer, draft_attachment) == 404
    assert status(pending_officer, attachment) == 404
    assert status(provider_b, attachment) == 404
    assert status(provider_b, draft_attachment) == 404
    assert status(own_member, draft_attachment) == 200
    assert status(coordinator, draft_attachment) == 200


def test_a_missing_file_is_404_not_500(signed_in, verified_officer, tool):
    attachment = factories.AttachmentFactory(tool=tool)
    attachment.file.storage.delete(attachment.file.name)
    assert signed_in(verified_officer).get(download_url(attachment)).status_code == 404


def test_logo_is_served_inline_as_png(signed_in, client, verified_officer, tool):
    tool.logo.save("x.png", ContentFile(png_bytes()), save=True)
    url = reverse("catalogue:logo", kwargs={"slug": tool.slug})
    response = signed_in(verified_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.logout()
    assert signed_in(factories.MembershipFactory().user).get(url).status_code == 404


def test_no_logo_is_404(signed_in, verified_officer, tool):
    assert signed_in(verified_officer).get(reverse("catalogue:logo", kwargs={"slug": tool.slug})).status_code == 404


# --- what apps above the catalogue add (catalogue.tool_panels) -------------------------
def test_moderation_replaces_a_suspended_tools_page_and_adds_its_panels(signed_in, verified_officer, coordinator, tool):
    page = signed_in(verified_officer).get(page_url(tool))
    assert "Report a concern about this tool" in page.content.decode()
    assert "Suspend or remove this tool" not in page.content.decode()
    assert "Suspend or remove this tool" in signed_in(coordinator).get(page_url(tool)).content.decode()

    tool.state = ToolState.SUSPENDED
    tool.save()
    page = signed_in(verified_officer).get(page_url(tool))
    assert page.status_code == 200
    assert "moderation/tool_notice.html" in [t.name for t in page.templates]
    assert "Report a concern about this tool" in page.content.decode()  # still welcome while suspended


def test_without_a_state_page_a_suspended_tool_is_hidden_like_an_unpublished_one(
    signed_in, verified_officer, tool, monkeypatch
):
    # Control for the registry: were moderation not installed, the entry must not show.
    monkeypatch.setattr(tool_panels, "_state_pages", {})
    tool.state = ToolState.SUSPENDED
    tool.save()
    assert signed_in(verified_officer).get(page_url(tool)).status_code == 404


def test_two_apps_cannot_both_replace_the_page_of_one_state(monkeypatch):
    monkeypatch.setattr(tool_panels, "_state_pages", {})
    tool_panels.replace_page([ToolState.SUSPENDED], lambda request, tool: None)
    with pytest.raises(ImproperlyConfigured):
        tool_panels.replace_page([ToolState.SUSPENDED], lambda request, tool: None)


def test_panels_show_in_order_and_those_with_nothing_to_say_are_left_out(monkeypatch):
    monkeypatch.setattr(tool_panels, "_panels", {tool_panels.OFFICERS: [], tool_panels.PROVIDERS: []})

    def second(request, tool):
        return "<p>second</p>"

    def silent(request, tool):
        return None

    def first(request, tool):
        return "<p>first</p>"

    tool_panels.add_panel(tool_panels.OFFICERS, order=20, render=second)
    tool_panels.add_panel(tool_panels.OFFICERS, order=15, render=silent)
    tool_panels.add_panel(tool_panels.OFFICERS, order=10, render=first)
    tool_panels.add_panel(tool_panels.OFFICERS, order=10, render=first)  # registering twice adds it once
    assert tool_panels.panels(tool_panels.OFFICERS, None, None) == ["<p>first</p>", "<p>second</p>"]
    assert tool_panels.panels(tool_panels.PROVIDERS, None, None) == []
