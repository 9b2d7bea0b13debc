"""AUTH-06: login, registration and password reset do not reveal whether an email is registered."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerProfile, User
from testkit import factories

from .helpers import ensure_totp, normalise, post_password
from .test_registration import signup_data

pytestmark = pytest.mark.django_db

KNOWN = "known.officer@police.example.gov"
UNKNOWN = "nobody.here@police.example.gov"


@pytest.fixture
def known():
    user = factories.OfficerProfileFactory(user__email=KNOWN).user
    ensure_totp(user)
    return user


def answer(response, client):
    """Status, redirect target and the normalised body of the page the visitor ends on."""
    location = response.get("Location", "")
    if response.status_code == 302:
        response = client.get(location)
    body = normalise(response.content.decode()).replace(KNOWN, "EMAIL").replace(UNKNOWN, "EMAIL")
    return response.status_code, location, body


def test_login_with_known_and_unknown_email_looks_the_same(known):
    a, b = Client(), Client()
    assert answer(post_password(a, KNOWN, "wrong password here"), a) == answer(
        post_password(b, UNKNOWN, "wrong password here"), b
    )


def test_login_of_a_locked_account_looks_like_a_wrong_password(known):
    User.objects.filter(pk=known.pk).update(locked_until="2999-01-01T00:00:00Z")
    a, b = Client(), Client()
    assert answer(post_password(a, KNOWN), a) == answer(post_password(b, UNKNOWN, "wrong password here"), b)


def test_registration_with_known_and_unknown_email_looks_the_same(known):
    a, b = Client(), Client()
    first = answer(a.post(reverse("account_signup"), signup_data(email=KNOWN)), a)
    second = answer(b.post(reverse("account_signup"), signup_data(email=UNKNOWN)), b)
    assert first == second
    assert first[0] == 200
    # The existing account is untouched and no second profile appears.
    assert User.objects.filter(email=KNOWN).count() == 1
    assert OfficerProfile.objects.filter(user__email=KNOWN).count() == 1
    known.refresh_from_db()
    assert known.full_name != "Ana Example"
    # Each address gets a mail: the known one is told it already has an account.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([KNOWN, UNKNOWN])


def test_password_reset_with_known_and_unknown_email_looks_the_same(known):
    a, b = Client(), Client()
    url = reverse("account_reset_password")
    assert answer(a.post(url, {"email": KNOWN}), a) == answer(b.post(url, {"email": UNKNOWN}), b)
    # Both addresses get a mail (a link for the known one, a notice for the unknown one).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([KNOWN, UNKNOWN])
    assert "/accounts/password/reset/key/" in next(m.body for m in mail.outbox if m.to == [KNOWN])
    assert "/accounts/password/reset/key/" not in next(m.body for m in mail.outbox if m.to == [UNKNOWN])
