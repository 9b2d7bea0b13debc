import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalogue.tests.test_search_helpers import make_questionnaires, tool_with
from testkit import factories
from testkit.personas import sign_in


def reauthenticate(client, password=factories.DEFAULT_PASSWORD):
    """Confirm the password, as the re-authentication page asks before a moderation decision."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def coordinator_client(coordinator):
    client = sign_in(Client(), coordinator)
    reauthenticate(client)
    mail.outbox.clear()
    return client


@pytest.fixture
def officer_client(verified_officer):
    return sign_in(Client(), verified_officer)


@pytest.fixture
def forms(db):
    return make_questionnaires()


@pytest.fixture
def tool(forms, organisation, provider_admin, provider_member):
    """A published tool of `organisation` (two members), answering one question."""
    tools_form, _rai = forms
    return tool_with(
        tools_form,
        {"workflow": ["triage"], "summary": "Sorts seized images by scene."},
        organisation=organisation,
        name="Harbour Lens",
        slug="harbour-lens",
    )


SUSPENSION = {
    "action": "suspended",
    "reason_code": "misleading_information",
    "summary": "The entry claims 99% accuracy; the attached report shows 71%.",
    "officer_guidance": "Verify every match by hand until the provider corrects its entry.",
    "provider_guidance": "Correct the accuracy figure and attach the full evaluation.",
}


def decision(tool, **overrides):
    return {**SUSPENSION, "version": tool.version, **overrides}
