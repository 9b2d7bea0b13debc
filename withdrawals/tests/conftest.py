import pytest
from django.core import mail
from django.test import Client

from discovery.tests.test_search_helpers import make_questionnaires, tool_with
from following.models import Follow
from testkit import factories
from testkit.personas import reauthenticate, sign_in


@pytest.fixture
def forms(db):
    return make_questionnaires()


@pytest.fixture
def tool(forms, organisation, provider_admin, provider_member):
    """A published tool of `organisation` (an admin and a member), answering two questions."""
    tools_form, _rai = forms
    return tool_with(
        tools_form,
        {"workflow": ["triage"], "summary": "Sorts seized images by scene."},
        organisation=organisation,
        name="Harbour Lens",
        slug="harbour-lens",
    )


@pytest.fixture
def admin_client(provider_admin):
    """The organisation's admin, signed in with MFA and having just confirmed the password."""
    client = sign_in(Client(), provider_admin)
    reauthenticate(client)
    mail.outbox.clear()
    return client


@pytest.fixture
def officer_client(verified_officer):
    return sign_in(Client(), verified_officer)


@pytest.fixture
def follower(tool):
    """A verified officer who follows the tool."""
    officer = factories.OfficerProfileFactory(verified=True).user
    Follow.objects.create(user=officer, tool=tool)
    return officer
