"""AZ-05: role, verification, staff flags and organisation are never user-settable."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerProfile, User
from providers.models import Membership
from testkit import factories
from testkit.personas import sign_in

from .test_registration import signup_data

pytestmark = pytest.mark.django_db


def extra_fields(organisation):
    return {
        "role": "coordinator",
        "status": "verified",
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "organisation": str(organisation.pk),
        "organisation_id": str(organisation.pk),
        "verified_until": "2999-01-01T00:00:00Z",
        "decided_by": "1",
        "renewal_requested_at": "2025-01-01",
        "failed_login_count": "0",
        "locked_until": "",
        "is_demo": "on",
        "public_id": "00000000-0000-0000-0000-000000000001",
        "email": "someone.else@police.example.gov",
    }


def test_extra_fields_at_signup_are_ignored(client):
    organisation = factories.OrganisationFactory()
    data = {**extra_fields(organisation), **signup_data()}
    assert client.post(reverse("account_signup"), data).status_code == 302
    user = User.objects.get(email=signup_data()["email"])
    assert user.role == User.Role.OFFICER
    assert not user.is_staff and not user.is_superuser and not user.is_demo
    assert str(user.public_id) != "00000000-0000-0000-0000-000000000001"
    assert user.officer.status == OfficerProfile.Status.PENDING
    assert user.officer.verified_until is None
    assert not Membership.objects.filter(user=user).exists()


def test_extra_fields_on_the_profile_are_ignored(pending_officer):
    organisation = factories.OrganisationFactory()
    browser = sign_in(Client(), pending_officer)
    data = {
        **extra_fields(organisation),
        "full_name": "New Name",
        "agency": "New Agency",
        "unit": "New Unit",
        "country": "PT",
        "position": "Sergeant",
    }
    assert browser.post(reverse("accounts:profile"), data).status_code == 302
    user = User.objects.get(pk=pending_officer.pk)
    assert (user.full_name, user.officer.agency, user.officer.country.code) == ("New Name", "New Agency", "PT")
    assert user.role == User.Role.OFFICER
    assert user.email == pending_officer.email
    assert not user.is_staff and not user.is_superuser
    assert user.officer.status == OfficerProfile.Status.PENDING
    assert user.officer.verified_until is None and user.officer.renewal_requested_at is None
    assert not Membership.objects.filter(user=user).exists()


def test_extra_fields_on_a_provider_profile_are_ignored(provider_member, organisation):
    other = factories.OrganisationFactory()
    browser = sign_in(Client(), provider_member)
    data = {**extra_fields(other), "full_name": "Provider Person"}
    assert browser.post(reverse("accounts:profile"), data).status_code == 302
    user = User.objects.get(pk=provider_member.pk)
    assert user.full_name == "Provider Person"
    assert user.role == User.Role.PROVIDER and not user.is_staff
    assert user.membership.organisation == organisation
    assert not OfficerProfile.objects.filter(user=user).exists()


def test_invalid_profile_input_is_a_400_that_keeps_what_was_typed(pending_officer):
    browser = sign_in(Client(), pending_officer)
    response = browser.post(
        reverse("accounts:profile"),
        {"full_name": "Kept Name", "agency": "", "unit": "Kept Unit", "country": "ZZ", "position": "P"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Kept Name"' in html and 'value="Kept Unit"' in html
    assert 'id="id_agency_error"' in html and 'id="id_country_error"' in html
