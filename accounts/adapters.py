"""allauth hooks: lockout, audit, roles, and encrypted TOTP secrets."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from . import crypto


class AccountAdapter(DefaultAccountAdapter):
    def authenticate(self, request, **credentials):
        from .services import register_failed_login

        user = super().authenticate(request, **credentials)
        if user is not None and user.is_locked():
            # A locked account is refused with the same message as a wrong password, so
            # nobody learns from the login form whether an address is registered.
            register_failed_login(user, request, counts=False)
            return None
        return user

    def authentication_failed(self, request, **credentials):
        from .services import find_user_by_email, register_failed_login

        user = find_user_by_email(credentials.get("email", ""))
        register_failed_login(user, request)

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        context.setdefault("site_url", settings.SITE_URL)
        return super().send_mail(template_prefix, email, context)


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (SECURITY.md AUTH-05)."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def get_totp_label(self, user) -> str:
        return user.email
