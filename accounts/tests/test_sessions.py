"""SES-03: new key at login, server-side logout, users and coordinators end sessions."""

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import sign_in

from .helpers import ensure_totp, full_login, is_signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    user = factories.OfficerProfileFactory(verified=True).user
    ensure_totp(user)
    return user


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_login_issues_a_new_session_key(client, officer):
    # An anonymous session exists before login (for example planted by an attacker).
    session = client.session
    session["planted"] = "yes"
    session.save()
    before = session.session_key
    full_login(client, officer)
    after = session_key(client)
    assert after != before
    assert is_signed_in(client)
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session_on_the_server(client, officer):
    full_login(client, officer)
    key = session_key(client)
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie does not bring the session back.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(reverse("accounts:profile")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=officer).exists()


def test_users_see_and_end_their_own_other_sessions(officer):
    elsewhere_browser = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
    here, elsewhere = Client(), Client(HTTP_USER_AGENT=elsewhere_browser)
    full_login(here, officer)
    sign_in(elsewhere, officer)
    assert elsewhere.get(reverse("accounts:profile")).status_code == 200
    page = here.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert "Firefox on Android" in page.content.decode()
    assert page.context["session_count"] == 2
    here.post(reverse("usersessions_list"))
    assert not is_signed_in(elsewhere)
    assert is_signed_in(here)
    assert UserSession.objects.filter(user=officer).count() == 1


def test_users_see_only_their_own_sessions(officer, verified_officer):
    other = sign_in(Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; CrOS x86_64) Chrome/131.0.0.0"), verified_officer)
    other.get(reverse("accounts:profile"))
    mine = sign_in(Client(), officer)
    assert "ChromeOS" not in mine.get(reverse("usersessions_list")).content.decode()


def test_coordinators_end_anyone_s_sessions(officer, coordinator):
    browsers = [sign_in(Client(), officer) for _ in range(2)]
    for browser in browsers:
        assert browser.get(reverse("accounts:profile")).status_code == 200
    staff = sign_in(Client(), coordinator)
    staff.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    response = staff.post(reverse("accounts:account_end_sessions", args=[officer.public_id]))
    assert response.status_code == 302
    assert not any(is_signed_in(browser) for browser in browsers)
    assert is_signed_in(staff)
    event = AuditEvent.objects.get(action=Action.SESSIONS_ENDED, actor=coordinator)
    assert event.after == {"ended": 2}


def test_others_cannot_end_someone_s_sessions(officer, verified_officer):
    browser = sign_in(Client(), officer)
    browser.get(reverse("accounts:profile"))
    attacker = sign_in(Client(), verified_officer)
    attacker.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert attacker.post(reverse("accounts:account_end_sessions", args=[officer.public_id])).status_code == 403
    assert is_signed_in(browser)
