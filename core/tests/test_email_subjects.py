"""Email subjects are plain text (issue 13 hole 7): a provider-supplied name reaches the subject
as written, never HTML-escaped, and on one line."""

import pytest
from django.core import mail
from django.template.loader import render_to_string

from catalogue import review
from catalogue.models import ToolState
from notifications import inbox
from providers import services as provider_services
from testkit import factories

pytestmark = pytest.mark.django_db

HOSTILE = "Lens \"Pro\" <b>&</b> 'Ltd'"


def publish(tool, coordinator):
    review.publish_tool(tool, by=coordinator, expected_version=tool.version)


@pytest.fixture
def submitted_tool(organisation, provider_admin):
    return factories.ToolFactory(organisation=organisation, name=HOSTILE, state=ToolState.SUBMITTED)


def test_a_tool_name_reaches_the_inbox_email_subject_as_written(coordinator, submitted_tool):
    mail.outbox.clear()
    publish(submitted_tool, coordinator)
    subjects = [message.subject for message in mail.outbox]
    assert subjects and all(HOSTILE in subject for subject in subjects), subjects
    assert not any("&quot;" in subject or "&lt;" in subject or "&#x27;" in subject for subject in subjects)


def test_an_organisation_name_reaches_the_provider_email_subject_as_written(coordinator):
    organisation = factories.OrganisationFactory(status="pending", name=HOSTILE + "\nBcc: victim@example.com")
    factories.MembershipFactory(organisation=organisation, is_admin=True)
    mail.outbox.clear()
    provider_services.approve_organisation(organisation, by=coordinator)
    (message,) = mail.outbox
    assert "\n" not in message.subject
    assert HOSTILE in message.subject, message.subject


def test_control_an_escaping_subject_renderer_is_caught(coordinator, submitted_tool, monkeypatch):
    def escaping(template_name, context):
        return " ".join(render_to_string(template_name, context).split())

    monkeypatch.setattr(inbox, "render_subject", escaping)
    mail.outbox.clear()
    publish(submitted_tool, coordinator)
    assert mail.outbox and all("&quot;" in message.subject for message in mail.outbox)
    with pytest.raises(AssertionError):
        assert all(HOSTILE in message.subject for message in mail.outbox)
