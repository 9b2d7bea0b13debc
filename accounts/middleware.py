"""Session limits and mandatory MFA (SECURITY.md SES-01, AUTH-01)."""

import time
from datetime import timedelta

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time_zones import get_zone

from .signals import HAS_FACTOR_SESSION_KEY, MFA_IN_SESSION_KEY, SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY

# Pages a signed-in user may reach before setting up MFA.
MFA_SETUP_URL_NAMES = {
    "mfa_index",
    "mfa_activate_totp",
    "accounts:new_totp_secret",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "account_logout",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "set_language",
    "core:health",
}


def url_name(request) -> str:
    try:
        return resolve(request.path_info).view_name or ""
    except Resolver404:
        return ""


# What a browser fetches on a page's behalf (icons, images, scripts, fetch()) as opposed to
# the page itself: Sec-Fetch-Dest tells, where the browser sends it.
NAVIGATION_DESTINATIONS = {"", "document"}


def is_navigation(request) -> bool:
    """A top-level page load the person asked for (address bar, link, redirect), not a
    background request. Only such a request may be redirected to a page: a redirected
    icon or fetch() request would otherwise load that page unseen (and, for the TOTP
    set-up page, replace the secret the person is scanning)."""
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return False
    if request.headers.get("Sec-Fetch-Dest", "").lower() not in NAVIGATION_DESTINATIONS:
        return False
    return "text/html" in request.headers.get("Accept", "")


def refuse_background_request(request, message: str):
    """403 for a request that is not a page load: an HTML page when HTML is accepted,
    otherwise a short text."""
    if "text/html" in request.headers.get("Accept", ""):
        return render(request, "accounts/mfa_required.html", {"message": message}, status=403)
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")


def is_static(request) -> bool:
    return request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))


class SessionLimitsMiddleware:
    """End a session after 30 idle minutes or 12 hours in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not is_static(request):
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_long = now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_long:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            request.session.setdefault(SESSION_STARTED_KEY, started)
            # Writing the session once a minute (not on every request) keeps pages cheap;
            # the idle limit is then enforced to within a minute, never later.
            if now - last_seen >= LAST_SEEN_WRITE_INTERVAL or SESSION_LAST_SEEN_KEY not in request.session:
                request.session[SESSION_LAST_SEEN_KEY] = now
                record_user_session(request)
            elif not request.session.get(USER_SESSION_RECORDED_KEY):
                record_user_session(request)
            touch_last_seen(user)
        return self.get_response(request)


USER_SESSION_RECORDED_KEY = "saferhub_user_session_recorded"


def record_user_session(request) -> None:
    """Keep the user's list of sessions (allauth usersessions) current, at most once a minute,
    so users and coordinators can see and end every session (SECURITY.md SES-03)."""
    if request.session.session_key:
        UserSession.objects.create_from_request(request)
        request.session[USER_SESSION_RECORDED_KEY] = True


LAST_SEEN_PRECISION = timedelta(hours=1)
LAST_SEEN_WRITE_INTERVAL = 60  # seconds


def touch_last_seen(user) -> None:
    """Keep `last_seen_at` (inactivity job, AZ-06) current with at most one write an hour."""
    now = timezone.now()
    if user.last_seen_at is None or now - user.last_seen_at >= LAST_SEEN_PRECISION:
        user._meta.model.objects.filter(pk=user.pk).update(last_seen_at=now)
        user.last_seen_at = now


def session_passed_mfa(request, user) -> bool:
    if request.session.get(MFA_IN_SESSION_KEY):
        return True
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


class MfaRequiredMiddleware:
    """Every role must use MFA: without it, only set-up and sign-out are reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_static(request):
            return self.get_response(request)
        name = url_name(request)
        # Remembered in the session once seen; removing a factor forgets it (accounts.signals).
        has_factor = (
            request.session.get(HAS_FACTOR_SESSION_KEY)
            or Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        )
        if has_factor and not request.session.get(HAS_FACTOR_SESSION_KEY):
            request.session[HAS_FACTOR_SESSION_KEY] = True
        if not has_factor:
            if name in MFA_SETUP_URL_NAMES:
                return self.get_response(request)
            if not is_navigation(request):
                return refuse_background_request(request, _("Set up two-factor authentication to continue."))
            messages.info(request, _("Set up two-factor authentication to continue."))
            return redirect("mfa_activate_totp")
        if not session_passed_mfa(request, user):
            # A session that signed in without the second factor (for example one that
            # predates the factor) must sign in again.
            logout(request)
            if not is_navigation(request):
                return refuse_background_request(request, _("Your session has ended. Please sign in again."))
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class ReaderTimeZoneMiddleware:
    """Shows times in the signed-in reader's own zone (User.time_zone; empty or unknown: UTC).

    Dates and times are stored in UTC; activating the zone per request makes every `date`
    filter and core's `local_date`/`local_datetime` read in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        timezone.activate(get_zone(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
