"""Sign-up takes as long for an address that already has an account as for a new one
(SECURITY.md AUTH-06, issue 13 hole 1): otherwise the response time says which addresses are
registered, which is what "prevent enumeration" is meant to hide.

Both paths hash the password (the bulk of the work with Argon2), and the path for an existing
address then waits until about the time a real sign-up has been taking in this process (the
median of the last ones), so the database writes of a new account do not give it away either.
The "already registered" notice goes through the outbox, as the confirmation of a new account does.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque

from django.contrib.auth.hashers import make_password

_recent_signups: deque[float] = deque(maxlen=50)
_lock = threading.Lock()


def typical_signup_seconds() -> float | None:
    with _lock:
        return statistics.median(_recent_signups) if _recent_signups else None


def _observe(seconds: float) -> None:
    with _lock:
        _recent_signups.append(seconds)


NEW_ACCOUNT = "new"
ALREADY_REGISTERED = "already registered"


class EvenTimingSignupMixin:
    """For allauth sign-up forms: says which path a sign-up took, and gives the path for an
    already registered address the password hashing a new account costs."""

    def try_save(self, request):
        if self.account_already_exists:
            request.signup_outcome = ALREADY_REGISTERED
            make_password(self.cleaned_data.get("password1") or "")
        else:
            request.signup_outcome = NEW_ACCOUNT
        return super().try_save(request)


class EvenTimingSignupViewMixin:
    """For allauth sign-up views: the whole request for an already registered address lasts
    about as long as a real sign-up has been lasting in this process (timed over the whole
    view, so what follows the form's save, such as signing in and the confirmation mail, is
    covered too)."""

    def post(self, request, *args, **kwargs):
        started = time.perf_counter()
        response = super().post(request, *args, **kwargs)
        outcome = getattr(request, "signup_outcome", None)
        if outcome == NEW_ACCOUNT:
            _observe(time.perf_counter() - started)
        elif outcome == ALREADY_REGISTERED:
            typical = typical_signup_seconds()
            if typical is not None:
                remaining = typical - (time.perf_counter() - started)
                if remaining > 0:
                    time.sleep(remaining)
        return response
