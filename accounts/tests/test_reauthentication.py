"""AUTH-08: recent re-authentication (≤ 5 minutes) before sensitive changes."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerProfile
from testkit import factories
from testkit.personas import sign_in

from .helpers import ensure_totp, full_login, totp_code

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
REAUTH = reverse("account_reauthenticate")


def reauthenticate(browser):
    response = browser.post(REAUTH, {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302


def asks_to_reauthenticate(response):
    return response.status_code == 302 and response["Location"].startswith((REAUTH, reverse("mfa_reauthenticate")))


def test_timeout_is_five_minutes():
    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 300


@pytest.fixture
def decide(client, coordinator, pending_officer):
    sign_in(client, coordinator)
    profile = pending_officer.officer
    url = reverse("accounts:vetting_decide", args=[pending_officer.public_id])

    def _post():
        profile.refresh_from_db()
        return client.post(url, {"decision": "approve", "reason": "", "version": profile.version_token()})

    return _post


def test_vetting_decision_needs_reauthentication(client, decide, pending_officer):
    with time_machine.travel(START, tick=False) as clock:
        assert asks_to_reauthenticate(decide())
        assert pending_officer.officer.status == OfficerProfile.Status.PENDING
        reauthenticate(client)
        clock.shift(dt.timedelta(minutes=4))
        assert decide().status_code == 302
        pending_officer.officer.refresh_from_db()
        assert pending_officer.officer.status == OfficerProfile.Status.VERIFIED


def test_reauthentication_older_than_five_minutes_is_not_enough(client, decide, pending_officer):
    with time_machine.travel(START, tick=False) as clock:
        reauthenticate(client)
        clock.shift(dt.timedelta(minutes=5, seconds=1))
        assert asks_to_reauthenticate(decide())
    pending_officer.officer.refresh_from_db()
    assert pending_officer.officer.status == OfficerProfile.Status.PENDING


def test_the_decision_is_applied_after_reauthenticating(client, decide, pending_officer):
    """The suspended POST is resumed once the coordinator confirms the password."""
    response = decide()
    assert asks_to_reauthenticate(response)
    response = client.post(response["Location"], {"password": factories.DEFAULT_PASSWORD})
    pending_officer.officer.refresh_from_db()
    assert pending_officer.officer.status == OfficerProfile.Status.VERIFIED


def test_email_change_needs_reauthentication(client, verified_officer):
    sign_in(client, verified_officer)
    with time_machine.travel(START, tick=False) as clock:
        data = {"action_add": "", "email": "new.address@police.example.gov"}
        assert asks_to_reauthenticate(client.post(reverse("account_email"), data))
        assert not EmailAddress.objects.filter(email="new.address@police.example.gov").exists()
        reauthenticate(client)
        clock.shift(dt.timedelta(minutes=2))
        client.post(reverse("account_email"), data)
        assert EmailAddress.objects.filter(email="new.address@police.example.gov").exists()


def test_password_change_needs_reauthentication(client, verified_officer):
    new = "another long and calm pass phrase"
    sign_in(client, verified_officer)
    data = {"oldpassword": factories.DEFAULT_PASSWORD, "password1": new, "password2": new}
    with time_machine.travel(START, tick=False) as clock:
        assert asks_to_reauthenticate(client.get(reverse("account_change_password")))
        assert asks_to_reauthenticate(client.post(reverse("account_change_password"), data))
        verified_officer.refresh_from_db()
        assert verified_officer.check_password(factories.DEFAULT_PASSWORD)
        reauthenticate(client)
        clock.shift(dt.timedelta(minutes=1))
        assert client.get(reverse("account_change_password")).status_code == 200
        assert client.post(reverse("account_change_password"), data).status_code == 302
        verified_officer.refresh_from_db()
        assert verified_officer.check_password(new)


def test_mfa_changes_need_reauthentication(client, verified_officer):
    sign_in(client, verified_officer)
    assert asks_to_reauthenticate(client.post(reverse("mfa_deactivate_totp")))
    assert asks_to_reauthenticate(client.post(reverse("mfa_generate_recovery_codes")))
    assert Authenticator.objects.filter(user=verified_officer, type=Authenticator.Type.TOTP).exists()


def test_reauthentication_by_code_works_too(verified_officer):
    browser = Client()
    secret = ensure_totp(verified_officer)
    with time_machine.travel(START, tick=False) as clock:
        full_login(browser, verified_officer)
        clock.shift(dt.timedelta(seconds=30))
        response = browser.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert browser.get(reverse("account_change_password")).status_code == 200


def test_coordinator_ending_someone_s_sessions_needs_reauthentication(client, coordinator, verified_officer):
    sign_in(client, coordinator)
    url = reverse("accounts:account_end_sessions", args=[verified_officer.public_id])
    assert asks_to_reauthenticate(client.post(url))
