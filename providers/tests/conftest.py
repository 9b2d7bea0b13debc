import pytest
from django.urls import reverse

from testkit import factories


@pytest.fixture
def reauthenticate():
    """reauthenticate(client): confirm the password, as the re-authentication page asks."""

    def _reauthenticate(client, password=factories.DEFAULT_PASSWORD):
        response = client.post(reverse("account_reauthenticate"), {"password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return response

    return _reauthenticate


@pytest.fixture
def provider_terms(db):
    """A current version of the provider terms (so organisations must accept it)."""
    return factories.TermsDocumentFactory(audience="providers")


@pytest.fixture
def terms_accepted(organisation, provider_admin, provider_terms):
    return factories.TermsAcceptanceFactory(document=provider_terms, user=provider_admin, organisation=organisation)
