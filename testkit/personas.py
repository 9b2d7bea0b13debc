"""Named personas for tests: one per role the product knows."""

from accounts.signals import MFA_IN_SESSION_KEY

from . import factories


def sign_in(client, user, *, mfa: bool = True):
    """Sign a test client in as `user`, as if they had passed the second factor."""
    if mfa and not factories.has_totp(user):
        factories.add_totp(user)
    client.force_login(user)
    if mfa:
        session = client.session
        session[MFA_IN_SESSION_KEY] = True
        session.save()
    return client


def make_personas():
    """Create one user per persona; returns a dict name -> user (None for anonymous).

    `provider_a` and `provider_b` are the admins of two approved organisations. In the URL
    table's world a current provider-terms document exists that provider A's organisation
    accepted and provider B's has not (terms/tests/url_expectations.py)."""
    pending = factories.OfficerProfileFactory(user__full_name="Pending Officer").user
    verified = factories.OfficerProfileFactory(verified=True, user__full_name="Verified Officer").user
    org_a = factories.OrganisationFactory(name="Provider A Org")
    org_b = factories.OrganisationFactory(name="Provider B Org")
    member_a = factories.MembershipFactory(organisation=org_a, is_admin=True).user
    member_b = factories.MembershipFactory(organisation=org_b, is_admin=True).user
    coordinator = factories.CoordinatorFactory(full_name="Coordinator One")
    return {
        "anonymous": None,
        "pending_officer": pending,
        "verified_officer": verified,
        "provider_a": member_a,
        "provider_b": member_b,
        "coordinator": coordinator,
    }


PERSONAS = ["anonymous", "pending_officer", "verified_officer", "provider_a", "provider_b", "coordinator"]


def reauthenticate(client, password=factories.DEFAULT_PASSWORD):
    """Confirm the password, as the re-authentication page asks before a sensitive decision."""
    from django.urls import reverse

    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response
