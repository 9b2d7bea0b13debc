"""Preview, general attachments and submission of a tool; the whole provider flow."""

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.models import Attachment, Tool, ToolState
from catalogue.tests.test_provider_helpers import (
    make_forms,
    pdf_bytes,
    png_bytes,
    upload,
    working_member,
)
from notifications.models import Kind, Notification
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
    return factories.ToolFactory(organisation=member.membership.organisation, name="Preview Tool")


def test_preview_shows_the_entry_with_non_answers_and_a_banner(provider, tool, forms):
    tools_form, _rai = forms
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="purpose"), value="Finds things.")

    response = provider.get(reverse("catalogue:preview", args=[tool.slug]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Preview — not published" in body
    assert "Preview Tool" in body
    assert "Finds things." in body
    assert "No reply provided by the provider" in body
    assert "not an endorsement" in body
    assert "1 of 8 questions answered" in body


def test_preview_uses_the_same_entry_as_the_officers_page(provider, tool, forms):
    response = provider.get(reverse("catalogue:preview", args=[tool.slug]))
    assert "catalogue/_tool_entry.html" in [template.name for template in response.templates]


# --- attachments -----------------------------------------------------------------------------
def test_attach_and_remove_a_pdf(provider, tool, member):
    target = reverse("catalogue:provider_attachment_upload", args=[tool.slug])
    response = provider.post(
        target, {"title": "Independent accuracy audit", "file": upload("audit.pdf", pdf_bytes(), "application/pdf")}
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(tool=tool)
    assert attachment.title == "Independent accuracy audit"
    assert attachment.question_key == ""
    assert attachment.uploaded_by == member
    assert AuditEvent.objects.filter(action=Action.TOOL_ATTACHMENT_ADDED).exists()
    page = provider.get(reverse("catalogue:provider_tool", args=[tool.slug])).content.decode()
    assert "Independent accuracy audit" in page
    assert reverse("catalogue:attachment_download", args=[attachment.public_id]) in page

    response = provider.post(reverse("catalogue:provider_attachment_delete", args=[tool.slug, attachment.public_id]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action=Action.TOOL_ATTACHMENT_REMOVED).exists()


@pytest.mark.parametrize(
    "data,title,message",
    [
        (pdf_bytes(), "", "This field is required."),
        (png_bytes(), "A picture", "must be a PDF"),
        (b"%PDF-1.4\n<script>", "Fake", "must be a PDF"),
        (pdf_bytes(javascript=True), "Scripted", "scripts"),
    ],
    ids=["no-title", "png", "fake-pdf", "javascript"],
)
def test_bad_attachments_are_refused(provider, tool, data, title, message):
    response = provider.post(
        reverse("catalogue:provider_attachment_upload", args=[tool.slug]),
        {"title": title, "file": upload("x.pdf", data, "application/pdf")},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachments_of_a_submitted_tool_stay(provider, tool):
    attachment = factories.AttachmentFactory(tool=tool)
    tool.state = ToolState.SUBMITTED
    tool.save()
    provider.post(reverse("catalogue:provider_attachment_delete", args=[tool.slug, attachment.public_id]))
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# What the confirmation page's button sends (catalogue/provider/submit.html).
CONFIRMED = {"confirmed": "yes"}


# --- submission -----------------------------------------------------------------------------
def test_submit_is_refused_while_required_questions_are_missing_then_accepted(provider, tool, forms):
    active = factories.CoordinatorFactory(email="coord@coordinators.example.org")
    factories.CoordinatorFactory(email="gone@coordinators.example.org", is_active=False)
    submit = reverse("catalogue:provider_submit", args=[tool.slug])

    response = provider.post(submit, CONFIRMED)

    assert response.status_code == 400
    body = response.content.decode()
    assert "was not submitted" in body
    assert "Question purpose?" in body and "Question bias-testing?" in body
    tool.refresh_from_db()
    assert tool.state == ToolState.DRAFT
    assert not mail.outbox

    provider.post(
        reverse("catalogue:provider_answers_section", args=[tool.slug, "tools-form", "main"]), {"purpose": "Finds."}
    )
    provider.post(
        reverse("catalogue:provider_answers_section", args=[tool.slug, "responsible-ai", "main"]),
        {"bias-testing": "Yes."},
    )
    response = provider.post(submit, CONFIRMED)

    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.state == ToolState.SUBMITTED
    assert tool.submitted_at is not None
    assert AuditEvent.objects.filter(action=Action.TOOL_SUBMITTED, target_id=tool.slug).exists()
    assert [message.to for message in mail.outbox] == [[active.email]]
    assert "Preview Tool" in mail.outbox[0].subject
    assert f"/tools/review/{tool.slug}/" in mail.outbox[0].body
    told = Notification.objects.get(user=active)
    assert (told.kind, told.link) == (Kind.TOOL_REVIEW, f"/tools/review/{tool.slug}/")

    # Submitted: no more changes, no second submission.
    response = provider.post(submit, CONFIRMED, follow=True)
    assert "cannot be changed now" in response.content.decode()
    assert len(mail.outbox) == 1
    page = provider.get(reverse("catalogue:provider_tool", args=[tool.slug])).content.decode()
    assert "Submitted for review" in page
    assert "Submit for review" not in page


def test_a_tool_with_changes_requested_can_be_resubmitted(provider, tool, forms):
    tools_form, rai = forms
    factories.AnswerFactory(tool=tool, question=tools_form.questions.get(key="purpose"))
    factories.AnswerFactory(tool=tool, question=rai.questions.get(key="bias-testing"))
    tool.state = ToolState.CHANGES_REQUESTED
    tool.save()
    factories.ReviewFactory(tool=tool, decision="request_changes", comment="Drop the word 'best'.")

    page = provider.get(reverse("catalogue:provider_tool", args=[tool.slug])).content.decode()
    assert "Drop the word" in page

    provider.post(reverse("catalogue:provider_submit", args=[tool.slug]), CONFIRMED)
    tool.refresh_from_db()
    assert tool.state == ToolState.SUBMITTED


def test_whole_provider_flow(provider, forms):
    """Create, answer, attach, preview and submit, as a provider would."""
    response = provider.post(
        reverse("catalogue:provider_tool_create"),
        {
            "name": "Flow Tool",
            "short_description": "Short.",
            "logo": upload("logo.png", png_bytes(), "image/png"),
        },
    )
    tool = Tool.objects.get(name="Flow Tool")
    assert response["Location"] == reverse("catalogue:provider_tool", args=[tool.slug])
    overview = provider.get(response["Location"]).content.decode()
    assert "0 of 8 questions answered" in overview

    provider.post(
        reverse("catalogue:provider_answers_section", args=[tool.slug, "tools-form", "main"]), {"purpose": "Sorts."}
    )
    provider.post(
        reverse("catalogue:provider_answers_section", args=[tool.slug, "responsible-ai", "main"]),
        {"bias-testing": "Across age and skin tone.", "assessment-report": upload("r.pdf", pdf_bytes())},
    )
    preview = provider.get(reverse("catalogue:preview", args=[tool.slug])).content.decode()
    assert "Sorts." in preview and "Across age and skin tone." in preview
    assert "2 of 2 questions answered" in preview

    assert provider.post(reverse("catalogue:provider_submit", args=[tool.slug]), CONFIRMED).status_code == 302
    listing = provider.get(reverse("catalogue:my_tools")).content.decode()
    assert "Flow Tool" in listing and "Submitted for review" in listing
