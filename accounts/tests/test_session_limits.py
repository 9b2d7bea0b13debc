"""SES-01: 30 idle minutes or 12 hours in all end a session; no "trust this browser"."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from testkit import factories

from .helpers import MFA_URL, ensure_totp, full_login, is_signed_in, post_password

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC)
PAGE = reverse("accounts:profile")


@pytest.fixture
def officer():
    user = factories.OfficerProfileFactory(verified=True).user
    ensure_totp(user)
    return user


def test_limits_are_thirty_minutes_and_twelve_hours():
    assert dt.timedelta(minutes=30) == settings.SESSION_IDLE_TIMEOUT
    assert dt.timedelta(hours=12) == settings.SESSION_ABSOLUTE_TIMEOUT


def test_thirty_one_idle_minutes_sign_out(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        full_login(client, officer)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not is_signed_in(client)
        assert client.get(PAGE).status_code == 302


def test_activity_every_twenty_minutes_ends_at_twelve_hours(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        full_login(client, officer)
        for _ in range(36):  # 36 x 20 minutes = 12 hours
            clock.shift(dt.timedelta(minutes=20))
            assert client.get(PAGE).status_code == 200
        clock.shift(dt.timedelta(minutes=20))
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not is_signed_in(client)


def test_no_trust_this_browser(client, officer):
    assert settings.MFA_TRUST_ENABLED is False
    with time_machine.travel(START, tick=False) as clock:
        response = full_login(client, officer)
        assert response.status_code == 302
        assert "trust" not in response["Location"]
        client.post(reverse("account_logout"))
        clock.shift(dt.timedelta(minutes=1))
        # The same browser is asked for the code again.
        response = post_password(client, officer.email)
        assert response["Location"].startswith(MFA_URL)
        assert not is_signed_in(client)
