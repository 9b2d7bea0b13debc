"""Officer registration: all fields kept, errors next to fields, a pending profile."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import OfficerProfile, User
from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def signup_data(**overrides):
    data = {
        "full_name": "Ana Example",
        "email": "ana@police.example.gov",
        "agency": "Example National Police",
        "unit": "Online child protection",
        "country": "ES",
        "position": "Detective",
        "reason": "I lead investigations into online child sexual exploitation.",
        "password1": "a long and quiet river at dusk",
        "password2": "a long and quiet river at dusk",
    }
    data.update(overrides)
    return data


def test_registration_creates_a_pending_officer_with_every_field(client):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="ana@police.example.gov")
    assert user.role == User.Role.OFFICER
    assert user.full_name == "Ana Example"
    assert not user.is_staff and not user.is_superuser
    profile = user.officer
    assert profile.status == OfficerProfile.Status.PENDING
    assert (profile.agency, profile.unit, profile.country.code, profile.position) == (
        "Example National Police",
        "Online child protection",
        "ES",
        "Detective",
    )
    assert profile.reason.startswith("I lead investigations")
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mail.outbox] == [["ana@police.example.gov"]]
    assert AuditEvent.objects.filter(action=Action.OFFICER_REGISTERED, target_id=str(user.public_id)).exists()


def test_invalid_registration_keeps_what_was_typed_with_errors_next_to_fields(client):
    data = signup_data(email="not-an-email", country="", reason="")
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not User.objects.exists()
    form = response.context["form"]
    assert set(form.errors) >= {"email", "country", "reason"}
    for value in ["Ana Example", "Example National Police", "Online child protection", "Detective", "not-an-email"]:
        assert f'value="{value}"' in html
    for field in ["email", "country", "reason"]:
        assert f'id="id_{field}_error"' in html
    assert 'for="id_agency"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"country": "XX"},
        {"full_name": "x" * 5000},
        {"reason": "y" * 50000},
        {"email": "a@" + "b" * 300 + ".com"},
        {"password2": "different from the first one"},
        {"agency": "\x00"},
    ],
)
def test_bad_registration_input_is_a_form_error_never_a_500(client, data):
    response = client.post(SIGNUP, signup_data(**data))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_registration_page_has_labelled_fields(client):
    html = client.get(SIGNUP).content.decode()
    for field in ["full_name", "email", "agency", "unit", "country", "position", "reason", "password1", "password2"]:
        assert f'for="id_{field}"' in html


def test_the_country_list_speaks_the_reader_s_language(client):
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert ">الأردن</option>" in html and ">Jordan</option>" not in html
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Jordanie</option>" in html
