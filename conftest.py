import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from testkit import factories
from testkit.personas import make_personas, reauthenticate, sign_in


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread (LocaleMiddleware activates it and
    nothing resets it), so a test that renders without a request would otherwise speak the
    language of whichever test ran before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    factories.reset_questionnaire_state()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def coordinator(db):
    return factories.CoordinatorFactory()


@pytest.fixture
def pending_officer(db):
    return factories.OfficerProfileFactory().user


@pytest.fixture
def verified_officer(db):
    return factories.OfficerProfileFactory(verified=True).user


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def provider_admin(organisation):
    return factories.MembershipFactory(organisation=organisation, is_admin=True).user


@pytest.fixture
def provider_member(organisation):
    return factories.MembershipFactory(organisation=organisation, is_admin=False).user


@pytest.fixture
def signed_in(client):
    """signed_in(user) -> a test client signed in with MFA as that user."""

    def _sign_in(user, *, mfa=True, confirmed=None):
        """`confirmed`: the password was confirmed a moment ago (allauth's re-authentication),
        as coordinators must before pages that name officers; by default for coordinators."""
        signed = sign_in(client, user, mfa=mfa)
        if confirmed is None:
            confirmed = mfa and user.role == user.Role.COORDINATOR
        if confirmed:
            reauthenticate(signed)
        return signed

    return _sign_in
