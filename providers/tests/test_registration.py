"""Registering a technology-provider organisation with its first member."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from providers.models import Membership, Organisation
from testkit import factories

pytestmark = pytest.mark.django_db

URL = reverse("providers:register")


def form_data(**overrides):
    data = {
        "organisation_name": "Lantern Analytics GmbH",
        "kind": "company",
        "country": "DE",
        "website": "https://lantern.example.com",
        "contact_name": "Dana Contact",
        "contact_email": "contact@lantern.example.com",
        "contact_phone": "+49 30 123456",
        "full_name": "Robin First",
        "email": "robin@lantern.example.com",
        "password1": "violet kettle orbit 9931",
        "password2": "violet kettle orbit 9931",
    }
    data.update(overrides)
    return data


def test_the_form_asks_for_the_organisation_and_its_first_member(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["organisation_name", "kind", "country", "website", "contact_name", "contact_email", "contact_phone"]:
        assert f'name="{name}"' in html
    for name in ["full_name", "email", "password1", "password2"]:
        assert f'name="{name}"' in html
    assert "Academic institution" in html and "Other entity" in html


def test_registration_creates_a_pending_organisation_with_its_admin(client):
    response = client.post(URL, form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="robin@lantern.example.com")
    assert user.role == User.Role.PROVIDER
    assert user.full_name == "Robin First"
    organisation = Organisation.objects.get(name="Lantern Analytics GmbH")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.kind == "company"
    assert organisation.country.code == "DE"
    assert organisation.contact_phone == "+49 30 123456"
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation and membership.is_admin
    event = AuditEvent.objects.get(action=Action.ORG_REGISTERED)
    assert event.actor == user and event.target_id == str(organisation.public_id)
    # allauth asks for the address to be confirmed before the first sign-in.
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mail.outbox] == [["robin@lantern.example.com"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_an_existing_email_gets_the_same_answer_and_no_second_account(client):
    factories.OfficerProfileFactory(user__email="taken@example.org")
    fresh = client.post(URL, form_data(email="new-person@example.org"))
    taken = client.post(URL, form_data(email="taken@example.org", organisation_name="Second Org"))

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert User.objects.get(email="taken@example.org").role == User.Role.OFFICER
    assert not Organisation.objects.filter(name="Second Org").exists()


def test_bad_input_answers_400_next_to_the_fields_and_keeps_what_was_typed(client):
    response = client.post(URL, form_data(kind="", website="not a url", password2="something else entirely"))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Lantern Analytics GmbH"' in html
    assert 'value="Dana Contact"' in html
    assert html.count('class="field-errors"') >= 3
    assert not User.objects.filter(email="robin@lantern.example.com").exists()
    assert not Organisation.objects.exists()


def test_a_weak_password_is_refused(client):
    response = client.post(URL, form_data(password1="short", password2="short"))
    assert response.status_code == 400
    assert not User.objects.exists()


def test_role_status_and_flags_cannot_be_posted(client):
    client.post(URL, form_data(role="coordinator", status="approved", is_staff="on", is_admin="off"))
    user = User.objects.get(email="robin@lantern.example.com")
    assert user.role == User.Role.PROVIDER and not user.is_staff
    assert Organisation.objects.get().status == Organisation.Status.PENDING


def test_signed_in_people_are_sent_home(signed_in, verified_officer):
    client = signed_in(verified_officer)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
