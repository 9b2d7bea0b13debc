from accounts.models import AllowedDomain
from testkit.factories import AllowedDomainFactory
from testkit.urltable import (
    COORDINATOR_ONLY,
    COORDINATOR_POST,
    LOGIN,
    PUBLIC,
    SIGNED_IN,
    Expect,
    fresh,
    no_fields,
    same,
)

# Pages only for people who are not signed in: signed-in users are sent home.
ENTRANCE = same(302, anonymous=200)
# Redirected to re-authenticate (signed in) or to sign in (anonymous).
REAUTH = same(302, anonymous=LOGIN)


def build_world(world):
    world.objects["allowed_domain"] = AllowedDomainFactory()


def officer_id(world):
    return {"public_id": world.users["pending_officer"].public_id}


def _pending_profile(world):
    return fresh(world.users["pending_officer"].officer)


EXPECTATIONS = {
    # Everyone signed in reads what is kept about them, downloads it (after confirming their
    # password) and may close their own account (the POST closes it, then signs out).
    "accounts:my_data": Expect(SIGNED_IN),
    # The questionnaire pages' "stay signed in" ping: no content, no change but the idle clock.
    "accounts:keep_alive": Expect(same(204, anonymous=LOGIN)),
    "accounts:my_data_download": Expect(SIGNED_IN, confirmed=True),
    "accounts:close_account": Expect(
        SIGNED_IN,
        body=lambda w: {"confirm": "on"},
        posted=same(302, anonymous=LOGIN),
        confirmed=True,
        # The walk signs the persona in again: a POST after this one must not find it signed out.
        signs_out=True,
    ),
    # allauth
    "account_login": Expect(ENTRANCE),
    "account_signup": Expect(ENTRANCE),
    "account_logout": Expect(same(200, anonymous=302)),
    "account_inactive": Expect(PUBLIC),
    "account_reauthenticate": Expect(SIGNED_IN),
    "account_email": Expect(SIGNED_IN),
    "account_email_verification_sent": Expect(PUBLIC),
    # Changing the password asks for recent re-authentication first (AUTH-08).
    "account_change_password": Expect(REAUTH),
    "account_set_password": Expect(same(302, anonymous=LOGIN)),
    "account_reset_password": Expect(PUBLIC),
    "account_reset_password_done": Expect(PUBLIC),
    "account_reset_password_from_key_done": Expect(PUBLIC),
    "account_reset_password_from_key": Expect(PUBLIC, kwargs=lambda w: {"uidb36": "x", "key": "bad-key"}),
    "account_confirm_email": Expect(PUBLIC, kwargs=lambda w: {"key": "bad-key"}),
    "account_confirm_login_code": Expect(same(302, anonymous=302)),
    "mfa_index": Expect(SIGNED_IN),
    "mfa_authenticate": Expect(same(302, anonymous=302)),
    "mfa_reauthenticate": Expect(SIGNED_IN),
    "mfa_activate_totp": Expect(same(302, anonymous=LOGIN)),
    # Changing a second factor asks for recent re-authentication first (AUTH-08).
    "mfa_deactivate_totp": Expect(REAUTH),
    # The personas have no recovery codes yet.
    "mfa_view_recovery_codes": Expect(same(404, anonymous=LOGIN)),
    "mfa_generate_recovery_codes": Expect(REAUTH),
    "mfa_download_recovery_codes": Expect(same(404, anonymous=LOGIN)),
    "mfa_list_webauthn": Expect(SIGNED_IN),
    "mfa_add_webauthn": Expect(REAUTH),
    "mfa_reauthenticate_webauthn": Expect(REAUTH),
    "mfa_remove_webauthn": Expect(REAUTH, kwargs=lambda w: {"pk": 999999}),
    "mfa_edit_webauthn": Expect(REAUTH, kwargs=lambda w: {"pk": 999999}),
    "usersessions_list": Expect(SIGNED_IN),
    # ours
    "accounts:profile": Expect(SIGNED_IN),
    # No persona's verification is expired or about to be: everyone is refused, and the
    # verified officer's request would change their profile if the check were missing.
    "accounts:request_renewal": Expect(same(403, anonymous=LOGIN), method="post", body=no_fields),
    # Session state only (the secret offered on the set-up page); audited like other MFA changes.
    "accounts:new_totp_secret": Expect(same(302, anonymous=LOGIN), method="post", body=no_fields),
    "accounts:vetting_queue": Expect(COORDINATOR_ONLY, confirmed=True),
    "accounts:allowed_domains": Expect(
        COORDINATOR_ONLY,
        body=lambda w: {"domain": "police.example-county.invalid", "agency": "Example County Police", "rule": "mark"},
        posted=COORDINATOR_POST,
        effect=lambda w: AllowedDomain.objects.count(),
    ),
    "accounts:allowed_domain_rule": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"pk": w.allowed_domain.pk},
        method="post",
        body=lambda w: {"rule": "fast_track"},
        effect=lambda w: AllowedDomain.objects.get(pk=w.allowed_domain.pk).rule,
    ),
    "accounts:allowed_domain_delete": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"pk": w.allowed_domain.pk},
        method="post",
        body=no_fields,
        effect=lambda w: AllowedDomain.objects.filter(pk=w.allowed_domain.pk).exists(),
    ),
    "accounts:vetting_detail": Expect(COORDINATOR_ONLY, kwargs=officer_id, confirmed=True),
    "accounts:vetting_decide": Expect(
        COORDINATOR_POST,
        kwargs=officer_id,
        method="post",
        body=lambda w: {"decision": "approve", "reason": "", "version": _pending_profile(w).version_token()},
        effect=lambda w: _pending_profile(w).status,
    ),
    "accounts:account_list": Expect(COORDINATOR_ONLY, confirmed=True),
    # Each writes its audit event even when there was nothing to undo (no lock, no session).
    "accounts:account_unlock": Expect(COORDINATOR_POST, kwargs=officer_id, method="post", body=no_fields),
    "accounts:account_enable": Expect(COORDINATOR_POST, kwargs=officer_id, method="post", body=no_fields),
    "accounts:account_end_sessions": Expect(COORDINATOR_POST, kwargs=officer_id, method="post", body=no_fields),
}
