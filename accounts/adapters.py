"""allauth hooks: lockout, audit, roles, and encrypted TOTP secrets."""

import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.emails import render_subject
from core.links import absolute_url, site_url

from . import crypto
from .services import find_user_by_email, register_failed_login


@dataclass(frozen=True)
class PublicSite:
    """What allauth's email templates call `current_site`: the hub as SITE_URL names it,
    never the host a request happened to use (a proxy's, a port of the development server)."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name="SaferHub", domain=urlsplit(site_url()).netloc)


def _first_factor_after_fresh_sign_in() -> bool:
    request = allauth_context.request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists():
        return False
    records = get_authentication_records(request, user)
    now = time.time()
    return any(now - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT for record in records)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
            # through them all, so the connecting address is the only one to trust.
            return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a label, not a bind

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and user.is_locked():
            # A locked account is refused with the same message as a wrong password, so
            # nobody learns from the login form whether an address is registered.
            register_failed_login(user, request, counts=False)
            return None
        return user

    def authentication_failed(self, request, **credentials):
        user = find_user_by_email(credentials.get("email", ""))
        register_failed_login(user, request)

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _first_factor_after_fresh_sign_in():
            # Setting up the very first factor right after signing in with the password
            # needs no second password prompt; changing an existing factor does (AUTH-08).
            return False
        return required

    # Every link in allauth's emails is built from SITE_URL (core.links), like the hub's own.
    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        # allauth's URL takes "<uidb36>-<key>" as one opaque piece (see its own implementation).
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix, email, context):
        context = {**context, "site_url": site_url(), "current_site": public_site()}
        # allauth builds these two from the request's host in its flows (signup, password
        # reset for an unknown or existing address); they are fixed pages.
        if "signup_url" in context:
            context["signup_url"] = absolute_url(reverse("account_signup"))
        if "password_reset_url" in context and "key" not in context:
            context["password_reset_url"] = absolute_url(reverse("account_reset_password"))
        return super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        # allauth renders the subject as HTML; ours are plain text (core.emails).
        message.subject = self.format_email_subject(render_subject(f"{template_prefix}_subject.txt", context))
        return message


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (SECURITY.md AUTH-05)."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def get_totp_label(self, user) -> str:
        return user.email
