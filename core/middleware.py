"""Cross-cutting request handling: size limits and response headers."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import generations
from .cache import shared_records_available


class GenerationTokensMiddleware:
    """Each generation token (core.generations) is read from the shared cache once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        generations.begin_request()
        try:
            return self.get_response(request)
        finally:
            generations.end_request()


class RequestSizeLimitMiddleware:
    """Refuse bodies larger than MAX_REQUEST_BYTES with 413 before reading them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("Malformed request."), status=400, content_type="text/plain")
        if length > settings.MAX_REQUEST_BYTES:
            return HttpResponse(_("The request is too large."), status=413, content_type="text/plain")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Signed-in pages must not be kept by browsers or proxies (SECURITY.md HDR-02)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        else:
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


# Form posts that read or write the shared records of sign-in: failed attempts and lockout, the
# used TOTP codes, the sign-in rate limits. Without the shared cache they would each run on one
# process's memory, so they are refused until it is back.
NEEDS_SHARED_RECORDS = frozenset(
    {
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_reauthenticate",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "providers:register",
    }
)


class CacheOutageMiddleware:
    """A clear 503 instead of a sign-in that would run without its shared records (REL-03)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in NEEDS_SHARED_RECORDS:
            return None
        if shared_records_available():
            return None
        response = render(request, "errors/503_signin.html", status=503)
        response["Retry-After"] = "60"
        return response
