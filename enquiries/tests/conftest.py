import pytest
from django.test import Client

# The moderation tests' world (questionnaires and a published tool of `organisation`) serves here too.
from moderation.tests.conftest import forms, tool  # noqa: F401
from testkit import factories
from testkit.personas import reauthenticate, sign_in


@pytest.fixture
def working_organisation(organisation, provider_admin, provider_member):
    """`organisation` (with its admin and a plain member) accepted the current provider terms."""
    document = factories.TermsDocumentFactory(audience="providers")
    factories.TermsAcceptanceFactory(document=document, user=provider_admin, organisation=organisation)
    return organisation


@pytest.fixture
def canary_officer(db):
    """A verified officer whose every detail a provider must not learn unless shared."""
    return factories.OfficerProfileFactory(
        verified=True,
        user__full_name="Officer Cnryname",
        user__email="cnrymail@police.example.org",
        agency="Cnryagency Cyber Unit",
        country="MN",
    ).user


def client_for(user, *, confirmed=False) -> Client:
    client = sign_in(Client(), user)
    if confirmed:
        reauthenticate(client)
    return client
