"""Signal receivers: audit sign-ins and security changes, start session clocks."""

import time

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from allauth.usersessions.models import UserSession
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.dispatch import receiver

from audit.models import Action
from audit.services import record

from .services import register_failed_login, register_successful_login

SESSION_STARTED_KEY = "saferhub_session_started"
SESSION_LAST_SEEN_KEY = "saferhub_last_seen"
MFA_IN_SESSION_KEY = "saferhub_mfa_enrolled"
HAS_FACTOR_SESSION_KEY = "saferhub_has_factor"


@receiver(auth_signals.user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_LAST_SEEN_KEY] = now
    register_successful_login(user, request)


@receiver(auth_signals.user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, actor=user, target=user, request=request)


@receiver(mfa_signals.authentication_failed)
def on_mfa_failed(sender, request, user, **kwargs):
    register_failed_login(user, request, method="mfa")


@receiver(mfa_signals.authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    with transaction.atomic():
        record(Action.MFA_ADDED, actor=user, target=user, request=request, after={"type": authenticator.type})
    if request is not None and hasattr(request, "session"):
        # Setting up a factor proves possession of it: this session counts as MFA'd.
        request.session[MFA_IN_SESSION_KEY] = True
        record_authentication(
            request, user, method="mfa", type=authenticator.type, id=authenticator.pk, reauthenticated=True
        )
    _end_other_sessions(user, request)


@receiver(mfa_signals.authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(HAS_FACTOR_SESSION_KEY, None)
    record(Action.MFA_REMOVED, actor=user, target=user, request=request, before={"type": authenticator.type})
    _end_other_sessions(user, request)


@receiver(mfa_signals.authenticator_reset)
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    record(Action.MFA_RECOVERY_RESET, actor=user, target=user, request=request)
    _end_other_sessions(user, request)


@receiver(account_signals.password_changed)
def on_password_changed(sender, request, user, **kwargs):
    record(Action.PASSWORD_CHANGED, actor=user, target=user, request=request)
    _end_other_sessions(user, request)


@receiver(account_signals.password_reset)
def on_password_reset(sender, request, user, **kwargs):
    record(Action.PASSWORD_RESET, target=user, request=request)
    _end_other_sessions(user, None)


@receiver(account_signals.email_changed)
def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    record(Action.EMAIL_CHANGED, actor=user, target=user, request=request)
    # Keep the login address and the primary address the same.
    if to_email_address and user.email != to_email_address.email:
        user.email = to_email_address.email
        user.save(update_fields=["email"])


@receiver(account_signals.email_confirmed)
def on_email_confirmed(sender, request, email_address, **kwargs):
    record(Action.EMAIL_CONFIRMED, target=email_address.user, request=request)


def _end_other_sessions(user, request):
    """A password or MFA change ends the user's other sessions (SECURITY.md AUTH-07)."""
    current = request.session.session_key if request is not None and hasattr(request, "session") else None
    for session in UserSession.objects.filter(user=user):
        if session.session_key != current:
            session.end()
