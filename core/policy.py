"""The one place that answers "may this user do this (to this object)?" — the mechanism only.

Each domain app owns its rules and listing scopes in its own `rules.py`, registered here when
the app is ready (its `AppConfig.ready()` imports that module). Views, templates and the API ask
only `can()`/`require()`/`permission_required()` and `scoped()`; role checks live inside rules.

An unknown rule or scope name is a programming error (a typo, or an app that forgot to register
its rules), not a "no": `can()` raises `UnknownRule` rather than denying, so the mistake shows up
as a failing test (core/tests/test_policy.py checks every name used in the code is registered)
instead of as a page that quietly refuses everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

Rule = Callable[..., bool]

RULES: dict[str, Rule] = {}
SCOPES: dict[str, Callable] = {}


class UnknownRule(ImproperlyConfigured, LookupError):
    """A rule or scope name nobody registered."""


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# --- registration (from the apps' ready()) ----------------------------------------
def register(name: str, predicate: Rule) -> Rule:
    """Register `predicate(user, obj=None) -> bool` as the rule `name`; one owner per name."""
    if RULES.get(name, predicate) is not predicate:
        raise ImproperlyConfigured(f"The policy rule {name!r} is registered twice.")
    RULES[name] = predicate
    return predicate


def rule(*names: str):
    """Decorator: register the function as the rule for each of `names`."""

    def decorator(predicate: Rule) -> Rule:
        for name in names:
            register(name, predicate)
        return predicate

    return decorator


def scope(name: str):
    """Decorator: register `function(user) -> QuerySet` as the listing scope `name`."""

    def decorator(function):
        if SCOPES.get(name, function) is not function:
            raise ImproperlyConfigured(f"The policy scope {name!r} is registered twice.")
        SCOPES[name] = function
        return function

    return decorator


# --- asking ---------------------------------------------------------------------------
def can(user, action: str, obj=None) -> bool:
    """True when `user` may perform `action` (on `obj`).

    Nobody who is not signed in (or is deactivated) may do anything. An unregistered `action`
    raises `UnknownRule` (see the module docstring for why it does not simply deny)."""
    predicate = RULES.get(action)
    if predicate is None:
        raise UnknownRule(f"No policy rule named {action!r}: is it registered in its app's rules.py?")
    if not is_signed_in(user):
        return False
    return bool(predicate(user, obj) if obj is not None else predicate(user))


def require(user, action: str, obj=None, *, hide: bool = False) -> None:
    """Raise 403 (or 404 when the object's existence must not leak) unless allowed."""
    if not can(user, action, obj):
        raise Http404 if hide else PermissionDenied


def permission_required(action: str):
    """View decorator for actions that do not depend on one object."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def scoped(name: str, user):
    """The objects of the listing scope `name` that `user` may see (a queryset)."""
    function = SCOPES.get(name)
    if function is None:
        raise UnknownRule(f"No policy scope named {name!r}: is it registered in its app's rules.py?")
    return function(user)
