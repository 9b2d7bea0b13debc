"""AZ-06: accounts unused for 90 days are disabled and signed out; coordinators re-enable."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import disable_inactive_accounts
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import reauthenticate, sign_in

from .helpers import ensure_totp, full_login, is_signed_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)


def test_inactivity_limit_is_ninety_days():
    assert settings.INACTIVITY_DISABLE_DAYS == 90


def test_unused_accounts_are_disabled_and_signed_out():
    with time_machine.travel(START, tick=False) as clock:
        idle = factories.OfficerProfileFactory(verified=True).user
        active = factories.OfficerProfileFactory(verified=True).user
        demo = factories.OfficerProfileFactory(verified=True, user__is_demo=True).user
        browser = sign_in(Client(), idle)
        browser.get(reverse("accounts:profile"))
        clock.shift(dt.timedelta(days=89))
        sign_in(Client(), active).get(reverse("accounts:profile"))
        clock.shift(dt.timedelta(days=1, minutes=1))
        assert disable_inactive_accounts() == 1
    idle.refresh_from_db()
    assert not idle.is_active
    assert idle.disabled_for_inactivity_at is not None
    assert User.objects.get(pk=active.pk).is_active
    assert User.objects.get(pk=demo.pk).is_active
    assert not is_signed_in(browser)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, target_id=str(idle.public_id)).exists()


def test_never_used_accounts_count_from_registration():
    with time_machine.travel(START, tick=False) as clock:
        user = factories.OfficerProfileFactory().user
        clock.shift(dt.timedelta(days=91))
        assert disable_inactive_accounts() == 1
    user.refresh_from_db()
    assert not user.is_active


def test_a_disabled_account_cannot_sign_in_until_re_enabled(coordinator):
    with time_machine.travel(START, tick=False) as clock:
        user = factories.OfficerProfileFactory(verified=True).user
        ensure_totp(user)
        clock.shift(dt.timedelta(days=100))
        disable_inactive_accounts()
        browser = Client()
        browser.post(reverse("account_login"), {"login": user.email, "password": factories.DEFAULT_PASSWORD})
        assert not is_signed_in(browser)

        staff = sign_in(Client(), coordinator)
        reauthenticate(staff)  # the account list names officers
        listing = staff.get(reverse("accounts:account_list"), {"state": "disabled"})
        assert user.email in listing.content.decode()
        assert staff.post(reverse("accounts:account_enable", args=[user.public_id])).status_code == 302
        user.refresh_from_db()
        assert user.is_active
        assert AuditEvent.objects.filter(action=Action.ACCOUNT_ENABLED, actor=coordinator).exists()
        # Re-enabling counts as activity, so the next run does not disable the account again.
        assert disable_inactive_accounts() == 0
        clock.shift(dt.timedelta(minutes=1))
        full_login(Client(), user)


def test_only_coordinators_re_enable(verified_officer):
    other = factories.OfficerProfileFactory().user
    User.objects.filter(pk=other.pk).update(is_active=False)
    browser = sign_in(Client(), verified_officer)
    assert browser.post(reverse("accounts:account_enable", args=[other.public_id])).status_code == 403
    assert not User.objects.get(pk=other.pk).is_active


def test_last_seen_is_written_at_most_once_an_hour(verified_officer, django_assert_max_num_queries):
    with time_machine.travel(START, tick=False) as clock:
        browser = sign_in(Client(), verified_officer)
        browser.get(reverse("accounts:profile"))
        first = User.objects.get(pk=verified_officer.pk).last_seen_at
        assert first == START
        clock.shift(dt.timedelta(minutes=25))
        browser.get(reverse("accounts:profile"))
        assert User.objects.get(pk=verified_officer.pk).last_seen_at == first
        clock.shift(dt.timedelta(minutes=25))
        browser.get(reverse("accounts:profile"))
        clock.shift(dt.timedelta(minutes=25))
        browser.get(reverse("accounts:profile"))
        assert User.objects.get(pk=verified_officer.pk).last_seen_at == START + dt.timedelta(minutes=75)
