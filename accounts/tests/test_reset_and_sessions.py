"""AUTH-07: password reset never bypasses MFA; links single-use and expiring; changes end other sessions."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from testkit import factories
from testkit.navigation import PAGE_LOAD
from testkit.personas import sign_in

from .helpers import MFA_URL, ensure_totp, full_login, is_signed_in, post_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new and quite long pass phrase"
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer():
    user = factories.OfficerProfileFactory(verified=True).user
    ensure_totp(user)
    return user


def reset_link(client, user):
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)


def use_link(client, link, password=NEW_PASSWORD):
    response = client.get(link)
    if response.status_code != 302:
        return response
    return client.post(response["Location"], {"password1": password, "password2": password})


def active_client(user):
    """A browser signed in as `user` (with MFA) that has made a request."""
    browser = sign_in(Client(), user)
    assert browser.get(reverse("accounts:profile")).status_code == 200
    return browser


def test_after_a_reset_signing_in_still_asks_for_the_code(client, officer):
    link = reset_link(client, officer)
    response = use_link(client, link)
    assert response.status_code == 302
    assert not is_signed_in(client)  # no login on reset
    response = post_password(client, officer.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(MFA_URL)
    assert not is_signed_in(client)
    assert client.get(reverse("home:home")).status_code == 302


def test_a_reset_link_works_once(client, officer):
    link = reset_link(client, officer)
    assert use_link(client, link).status_code == 302
    second = use_link(Client(), link, password="yet another long pass phrase")
    assert second.status_code == 200
    assert second.context["token_fail"]
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)


def test_a_reset_link_expires(client, officer, settings):
    with time_machine.travel(START, tick=False) as clock:
        link = reset_link(client, officer)
        clock.shift(dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        response = use_link(Client(), link)
        assert response.status_code == 200
        assert response.context["token_fail"]
    officer.refresh_from_db()
    assert officer.check_password(factories.DEFAULT_PASSWORD)
    assert settings.PASSWORD_RESET_TIMEOUT <= 3600


def test_a_reset_ends_every_session(client, officer):
    elsewhere = active_client(officer)
    use_link(client, reset_link(client, officer))
    assert not is_signed_in(elsewhere)
    assert elsewhere.get(reverse("accounts:profile")).status_code == 302


def reauthenticate(browser):
    response = browser.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_password_change_ends_the_other_sessions_but_not_this_one(officer):
    here = Client()
    full_login(here, officer)
    elsewhere = active_client(officer)
    reauthenticate(here)
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": factories.DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_signed_in(here)
    assert here.get(reverse("accounts:profile")).status_code == 200
    assert not is_signed_in(elsewhere)


@pytest.mark.django_db(transaction=True)
def test_an_mfa_change_ends_the_other_sessions():
    officer = factories.OfficerProfileFactory(verified=True).user
    ensure_totp(officer)
    here = Client()
    full_login(here, officer)
    elsewhere = active_client(officer)
    reauthenticate(here)
    response = here.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert not is_signed_in(elsewhere)
    assert is_signed_in(here)


@pytest.mark.django_db(transaction=True)
def test_removing_the_factor_ends_the_other_sessions():
    officer = factories.OfficerProfileFactory(verified=True).user
    ensure_totp(officer)
    here = Client()
    full_login(here, officer)
    elsewhere = active_client(officer)
    reauthenticate(here)
    response = here.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not is_signed_in(elsewhere)
    # Without a factor, this session is sent back to set one up.
    assert here.get(reverse("home:home"), **PAGE_LOAD)["Location"] == reverse("mfa_activate_totp")
