"""Providers fill in the questionnaires: every question type, validation, partial saves,
translations and PDF files."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.answers import format_answer
from catalogue.models import Answer, Attachment, ToolState
from catalogue.tests.test_provider_helpers import (
    make_forms,
    pdf_bytes,
    upload,
    working_member,
)
from core.tests.pages import summary_problems
from questionnaires.selectors import bump_generation
from testkit import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms(db):
    return make_forms()


@pytest.fixture
def member(db):
    return working_member()


@pytest.fixture
def provider(signed_in, member):
    """A client signed in as a member of an organisation that accepted the current terms."""
    return signed_in(member)


@pytest.fixture
def tool(member):
    return factories.ToolFactory(organisation=member.membership.organisation, name="Answering Tool")


def url(tool, questionnaire="tools-form", section="main"):
    """The section page holding the test questionnaires' questions (all in section "main")."""
    return reverse("catalogue:provider_answers_section", args=[tool.slug, questionnaire, section])


def stored(tool):
    return {answer.question_key: answer for answer in Answer.objects.filter(tool=tool)}


FULL = {
    "purpose": "Finds known material in seized media.",
    "details": "It compares hashes\nand classifies new images.",
    "deployment": "on-premises",
    "data-types": ["images", "video"],
    "offline": "yes",
    "accuracy": "97.5",
    "release-date": "2024-03-01",
    "documentation": "https://docs.example.com/tool",
}


def test_the_form_shows_every_question_in_its_section(provider, tool, forms):
    response = provider.get(url(tool))

    assert response.status_code == 200
    body = response.content.decode()
    for key in FULL:
        assert f'name="{key}"' in body
    assert 'type="radio"' in body and 'type="checkbox"' in body and 'type="date"' in body
    assert "<legend>Section main</legend>" in body
    assert "Add translations" in body
    assert 'name="purpose__fr"' in body and 'name="purpose__en"' not in body
    assert "required to submit" in body


def test_answers_of_every_type_are_stored_typed(provider, tool, forms):
    tools_form, _rai = forms
    response = provider.post(url(tool), FULL)

    assert response.status_code == 302
    answers = stored(tool)
    assert answers["purpose"].value == FULL["purpose"]
    assert answers["details"].value == FULL["details"]
    assert answers["deployment"].value == "on-premises"
    assert answers["data-types"].value == ["images", "video"]
    assert answers["offline"].value is True
    assert answers["accuracy"].value == 97.5
    assert answers["release-date"].value == "2024-03-01"
    assert answers["documentation"].value == "https://docs.example.com/tool"
    assert all(answer.question.version_id == tools_form.pk for answer in answers.values())
    event = AuditEvent.objects.get(action=Action.TOOL_ANSWERS_SAVED)
    assert set(event.after["changed"]) == set(FULL)

    # The saved answers are shown again.
    body = provider.get(url(tool)).content.decode()
    assert 'value="on-premises" id="id_deployment_2" checked' in body or 'value="on-premises"' in body
    assert "Finds known material in seized media." in body
    assert 'value="2024-03-01"' in body


def test_no_and_whole_numbers_are_stored(provider, tool, forms):
    provider.post(url(tool), {"offline": "no", "accuracy": "12"})
    answers = stored(tool)
    assert answers["offline"].value is False
    assert answers["accuracy"].value == 12


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("accuracy", "lots", "Enter a number."),
        ("release-date", "31/31/2024", "Enter a valid date."),
        ("documentation", "not a url at all", "Enter a valid URL."),
        ("deployment", "in-the-sky", "Select a valid choice."),
        ("data-types", "telepathy", "Select a valid choice."),
        ("offline", "maybe", "Select a valid choice."),
        ("purpose", "x" * 301, "at most 300 characters"),
        ("details", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_invalid_answers_are_refused_next_to_the_field_and_typed_values_kept(
    provider, tool, forms, field, value, message
):
    data = {**FULL, field: value}
    response = provider.post(url(tool), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body or "field-errors" in body
    kept = "https://docs.example.com/tool" if field != "documentation" else "Finds known material in seized media."
    assert kept in body  # what was typed elsewhere is kept
    assert value[:50] in body  # and so is the refused value
    assert summary_problems(body) == []  # the summary links to the field, radio and checkbox groups too
    assert not Answer.objects.filter(tool=tool).exists()


def test_partial_progress_is_saved_and_clearing_removes_an_answer(provider, tool, forms):
    provider.post(url(tool), {"purpose": "First words.", "offline": "yes"})
    assert set(stored(tool)) == {"purpose", "offline"}

    provider.post(url(tool), {"purpose": "", "offline": "yes", "accuracy": "3"})

    answers = stored(tool)
    assert set(answers) == {"offline", "accuracy"}


def test_an_answer_to_an_older_version_is_replaced_not_duplicated(provider, tool, forms):
    old = factories.make_questionnaire("tools-form", [{"key": "purpose"}], number=0)
    factories.AnswerFactory(tool=tool, question=old.questions.get(), value="Old answer")
    # The current version shows the old answer (same key).
    assert "Old answer" in provider.get(url(tool)).content.decode()

    provider.post(url(tool), {"purpose": "New answer"})

    answers = Answer.objects.filter(tool=tool, question_key="purpose")
    assert [answer.value for answer in answers] == ["New answer"]
    assert answers.get().question.version.number == 1


def test_translations_of_free_text_are_stored(provider, tool, forms):
    provider.post(
        url(tool),
        {"purpose": "Finds images.", "purpose__fr": "Trouve des images.", "purpose__ar": "", "details__es": ""},
    )

    answer = stored(tool)["purpose"]
    assert answer.value == "Finds images."
    assert answer.translations == {"fr": "Trouve des images."}
    body = provider.get(url(tool)).content.decode()
    assert "Trouve des images." in body
    assert '<details class="translations" open>' in body


def test_a_translation_needs_the_original(provider, tool, forms):
    response = provider.post(url(tool), {"purpose": "", "purpose__fr": "Seulement en français"})
    assert response.status_code == 400
    assert "original language" in response.content.decode()
    assert not Answer.objects.exists()


# --- file questions ----------------------------------------------------------------------------
def test_a_pdf_answer_is_stored_as_an_attachment(provider, tool, forms):
    response = provider.post(
        url(tool, "responsible-ai"),
        {"bias-testing": "Tested.", "assessment-report": upload("Report (final).pdf", pdf_bytes(), "application/pdf")},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(tool=tool)
    assert attachment.question_key == "assessment-report"
    assert attachment.file.name.startswith("attachments/") and "final" not in attachment.file.name
    assert attachment.size == len(pdf_bytes())
    assert stored(tool)["assessment-report"].value == str(attachment.public_id)

    # Shown on the form, and can be removed.
    body = provider.get(url(tool, "responsible-ai")).content.decode()
    assert "Current file" in body
    provider.post(url(tool, "responsible-ai"), {"bias-testing": "Tested.", "assessment-report__remove": "on"})
    assert not Attachment.objects.filter(tool=tool).exists()
    assert "assessment-report" not in stored(tool)


def test_replacing_a_pdf_answer_removes_the_old_file(provider, tool, forms):
    target = url(tool, "responsible-ai")
    provider.post(target, {"assessment-report": upload("a.pdf", pdf_bytes(), "application/pdf")})
    first = Attachment.objects.get()
    provider.post(target, {"assessment-report": upload("b.pdf", pdf_bytes(), "application/pdf")})
    second = Attachment.objects.get()
    assert second.pk != first.pk
    assert stored(tool)["assessment-report"].value == str(second.public_id)


@pytest.mark.parametrize(
    "data,message",
    [
        (b"<html>not a pdf</html>", "must be a PDF"),
        (b"%PDF-1.7\nthis is not really a pdf", "must be a PDF"),
        (pdf_bytes(password="secret"), "Encrypted"),
        (pdf_bytes(javascript=True), "scripts"),
        (pdf_bytes() + b"\0" * (10 * 1024 * 1024), "10 MB"),
    ],
    ids=["html", "fake-header", "encrypted", "javascript", "oversized"],
)
def test_bad_pdf_answers_are_refused(provider, tool, forms, data, message):
    response = provider.post(
        url(tool, "responsible-ai"),
        {"bias-testing": "Typed text stays.", "assessment-report": upload("r.pdf", data, "application/pdf")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Typed text stays." in body
    assert not Attachment.objects.exists() and not Answer.objects.exists()


def test_answers_of_a_submitted_tool_cannot_change(provider, tool, forms):
    tool.state = ToolState.SUBMITTED
    tool.save()
    response = provider.post(url(tool), FULL, follow=True)
    assert "cannot be changed now" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_unknown_questionnaire_is_not_found(provider, tool, forms):
    assert provider.get(url(tool, "no-such-form")).status_code == 404


@pytest.fixture
def agencies(forms):
    """A number question that counts agencies: whole numbers only (as in the shipped tools form)."""
    tools_form, _rai = forms
    question = factories.QuestionFactory(
        section=tools_form.sections.get(), key="agencies", type="number", whole_number=True, order=99
    )
    bump_generation()
    return question


def test_a_whole_number_question_refuses_a_decimal_and_keeps_what_was_typed(provider, tool, agencies):
    response = provider.post(url(tool), {**FULL, "agencies": "12.5"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a whole number." in body
    assert 'value="12.5"' in body
    assert '<a href="#id_agencies">' in body  # the error summary leads to the field
    assert not Answer.objects.filter(tool=tool).exists()


def test_a_whole_number_is_stored_and_shown_without_decimals(provider, tool, agencies):
    response = provider.post(url(tool), {**FULL, "agencies": "12"})

    assert response.status_code == 302
    answers = stored(tool)
    assert answers["agencies"].value == 12 and isinstance(answers["agencies"].value, int)
    assert answers["accuracy"].value == 97.5  # a decimal question still takes decimals
    body = provider.get(url(tool)).content.decode()
    assert 'name="agencies" value="12" step="1"' in body
    assert 'name="accuracy" value="97.5" step="any"' in body


def test_a_whole_number_stored_as_a_float_shows_no_decimal_point(provider, tool, agencies):
    factories.AnswerFactory(tool=tool, question=agencies, value=12.0)
    shown = format_answer(agencies, Answer.objects.get(tool=tool, question_key="agencies"))
    assert shown.text == "12"
    body = provider.get(url(tool)).content.decode()
    assert 'name="agencies" value="12" step="1"' in body
