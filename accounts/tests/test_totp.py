"""AUTH-05: TOTP codes are single-use, recovery codes single-use, secrets encrypted at rest."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from accounts import crypto
from testkit import factories

from .helpers import ensure_totp, is_signed_in, post_code, post_password, totp_code

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 3, 9, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def officer():
    return factories.OfficerProfileFactory(verified=True).user


def test_a_totp_code_cannot_be_replayed(client, officer):
    secret = ensure_totp(officer)
    with time_machine.travel(START, tick=False):
        code = totp_code(secret)
        post_password(client, officer.email)
        assert post_code(client, code).status_code == 302
        assert is_signed_in(client)
        client.post(reverse("account_logout"))

        other = client.__class__()
        assert post_password(other, officer.email).status_code == 302
        response = post_code(other, code)
        assert response.status_code == 200
        assert not is_signed_in(other)
        assert response.context["form"].errors


def test_recovery_codes_work_once(client, officer):
    ensure_totp(officer)
    codes = RecoveryCodes.activate(officer).generate_codes()
    with time_machine.travel(START, tick=False):
        post_password(client, officer.email)
        assert post_code(client, codes[0]).status_code == 302
        assert is_signed_in(client)
        client.post(reverse("account_logout"))

        post_password(client, officer.email)
        assert post_code(client, codes[0]).status_code == 200
        assert not is_signed_in(client)
        assert post_code(client, codes[1]).status_code == 302
        assert is_signed_in(client)


def test_the_stored_secret_is_not_the_plain_secret(officer):
    secret = factories.add_totp(officer)
    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret
    assert secret not in stored
    assert stored.startswith(crypto.PREFIX)
    assert crypto.decrypt(stored) == secret


def test_recovery_code_seed_is_encrypted_too(officer):
    ensure_totp(officer)
    instance = RecoveryCodes.activate(officer).instance
    assert instance.data["seed"].startswith(crypto.PREFIX)


@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_through_the_page_stores_it_encrypted(client):
    officer = factories.OfficerProfileFactory(verified=True).user
    post_password(client, officer.email)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored
    assert crypto.decrypt(stored) == secret


def test_a_secret_encrypted_with_another_key_is_refused(officer, settings):
    stored = crypto.encrypt("JBSWY3DPEHPK3PXP")
    settings.FIELD_ENCRYPTION_KEY = "another key"
    with pytest.raises(ValueError):
        crypto.decrypt(stored)
