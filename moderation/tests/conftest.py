import pytest
from django.core import mail
from django.test import Client

from discovery.tests.test_search_helpers import make_questionnaires, tool_with
from testkit.personas import reauthenticate, sign_in  # noqa: F401 - shared with the tests


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
