"""Compressed HTML, except for responses that show a secret (BREACH, SECURITY.md).

BREACH recovers a secret from the compressed size of responses that also reflect text an
attacker chose. Django's precautions stay on: CSRF tokens are masked afresh on every response
and GZipMiddleware pads each body with random bytes. Pages that show a long-lived secret (the
TOTP key, recovery codes, a new API token, a password-reset key) are never compressed at all:
they are small, so compressing them saves nothing worth the risk."""

from functools import wraps

from django.middleware.gzip import GZipMiddleware

# Views of other packages (allauth), by URL name; the project's own views use @never_compress.
UNCOMPRESSED_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_add_webauthn",
        "account_reset_password_from_key",
    }
)


def never_compress(view):
    """Marks the responses of `view` as never to be compressed (they show a secret)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.never_compress = True
        return response

    return wrapped


def is_exempt(request, response) -> bool:
    if getattr(response, "never_compress", False):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in UNCOMPRESSED_VIEWS


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, skipping the responses that show a secret."""

    def process_response(self, request, response):
        if is_exempt(request, response):
            return response
        return super().process_response(request, response)
