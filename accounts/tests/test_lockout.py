"""AUTH-03: five consecutive failures lock the account for ten minutes."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import reauthenticate, sign_in

from .helpers import ensure_totp, full_login, is_signed_in, normalise, post_code, post_password, totp_code

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
WRONG = "not the right password at all"


@pytest.fixture
def officer():
    user = factories.OfficerProfileFactory(verified=True).user
    ensure_totp(user)
    return user


def fail_passwords(client, user, times, **extra):
    for _ in range(times):
        response = post_password(client, user.email, WRONG, **extra)
        assert response.status_code == 200
        assert not is_signed_in(client)
    return response


def error_text(response):
    return response.context["form"].non_field_errors()


def test_five_failures_lock_then_ten_minutes_later_the_right_password_works(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        wrong = fail_passwords(client, officer, 5)
        officer.refresh_from_db()
        assert officer.is_locked()

        refused = post_password(client, officer.email)
        assert refused.status_code == 200
        assert not is_signed_in(client)
        # The same generic message as a wrong password: nothing tells a locked account apart.
        assert error_text(refused) == error_text(wrong)
        assert normalise(refused.content.decode()) == normalise(wrong.content.decode())

        clock.shift(dt.timedelta(minutes=9, seconds=59))
        assert post_password(client, officer.email).status_code == 200
        assert not is_signed_in(client)

        clock.shift(dt.timedelta(seconds=2))
        response = full_login(client, officer)
        assert response.status_code == 302
        assert is_signed_in(client)


def test_success_resets_the_count(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        fail_passwords(client, officer, 4)
        full_login(client, officer)
        assert is_signed_in(client)
        client.post(reverse("account_logout"))
        clock.shift(dt.timedelta(seconds=31))
        fail_passwords(client, officer, 4)
        officer.refresh_from_db()
        assert not officer.is_locked()
        full_login(client, officer)
        assert is_signed_in(client)


def test_failed_codes_count_and_lock_the_second_factor_step(client, officer):
    with time_machine.travel(START, tick=False):
        secret = ensure_totp(officer)
        assert post_password(client, officer.email).status_code == 302
        for _ in range(5):
            response = post_code(client, "000000" if totp_code(secret) != "000000" else "111111")
            assert response.status_code == 200
        officer.refresh_from_db()
        assert officer.is_locked()
        # Even the right code is refused now.
        response = post_code(client, totp_code(secret))
        assert response.status_code == 200
        assert not is_signed_in(client)
        assert AuditEvent.objects.filter(action=Action.MFA_FAILED, target_id=str(officer.public_id)).count() == 5


def test_mixed_password_and_code_failures_lock(client, officer):
    with time_machine.travel(START, tick=False):
        fail_passwords(client, officer, 3)
        assert post_password(client, officer.email).status_code == 302
        post_code(client, "000001")
        post_code(client, "000002")
        officer.refresh_from_db()
        assert officer.is_locked()


def test_forged_forwarded_for_does_not_reset(client, officer):
    with time_machine.travel(START, tick=False):
        for n in range(5):
            post_password(client, officer.email, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", REMOTE_ADDR="10.0.0.9")
        officer.refresh_from_db()
        assert officer.is_locked()
        response = post_password(client, officer.email, HTTP_X_FORWARDED_FOR="198.51.100.77")
        assert response.status_code == 200
        assert not is_signed_in(client)
        # A fresh client (new cookies, new claimed address) is refused as well.
        other = client.__class__()
        post_password(other, officer.email, HTTP_X_FORWARDED_FOR="198.51.100.78")
        assert not is_signed_in(other)


def test_the_locked_user_is_emailed_once(client, officer):
    with time_machine.travel(START, tick=False):
        fail_passwords(client, officer, 7)
    to_officer = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(to_officer) == 1
    assert "10" in to_officer[0].body
    # The same notice waits in the inbox, and cannot be turned off by email preferences.
    from notifications.models import Kind, Notification

    notice = Notification.objects.get(user=officer)
    assert notice.kind == Kind.ACCOUNT_SECURITY and notice.message_key == "account_locked"


def test_coordinator_unlocks_and_the_user_is_told(client, officer, coordinator):
    with time_machine.travel(START, tick=False):
        fail_passwords(client, officer, 5)
        mail.outbox.clear()
        staff_client = sign_in(client.__class__(), coordinator)
        reauthenticate(staff_client)  # the account list names officers
        # A NUL byte in the search box is dropped, not sent to the database (PostgreSQL refuses it).
        assert staff_client.get(reverse("accounts:account_list"), {"q": "a\x00b"}).status_code == 200
        listing = staff_client.get(reverse("accounts:account_list"), {"state": "locked"})
        assert officer.email in listing.content.decode()
        response = staff_client.post(reverse("accounts:account_unlock", args=[officer.public_id]))
        assert response.status_code == 302
        officer.refresh_from_db()
        assert not officer.is_locked()
        assert [m.to for m in mail.outbox] == [[officer.email]]
        assert AuditEvent.objects.filter(action=Action.ACCOUNT_UNLOCKED, actor=coordinator).exists()
        full_login(client, officer)
        assert is_signed_in(client)


def test_only_coordinators_unlock(client, officer, verified_officer, signed_in):
    User.objects.filter(pk=officer.pk).update(locked_until=START + dt.timedelta(days=3650))
    signed_in(verified_officer)
    response = client.post(reverse("accounts:account_unlock", args=[officer.public_id]))
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.locked_until is not None


def test_production_settings_throttle_per_ip():
    """The per-IP throttle exists in production settings (tests switch it off)."""
    code = "import json, config.settings as s; print(json.dumps(s.ACCOUNT_RATE_LIMITS))"
    env = {"SECRET_KEY": "x" * 50, "DEBUG": "0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(  # noqa: S603 - fixed code, our own interpreter
        [sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    limits = json.loads(out.stdout)
    assert "/ip" in limits["login_failed"]
    assert "/ip" in limits["signup"]
    assert "/ip" in limits["reset_password"]


@pytest.mark.django_db
def test_too_few_forwarded_addresses_never_cause_a_server_error(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,50/10m/key"}
    response = client.post(
        "/accounts/login/",
        {"login": "nobody@example.org", "password": "wrong password here"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 200
