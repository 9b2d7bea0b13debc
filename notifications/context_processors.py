"""The header's unread-inbox count."""

from functools import cache

from core import policy

from .inbox import unread_count


def inbox(request):
    """The header's unread count: one COUNT query, and only when a page shows it.

    Visitors who are not signed in cost no query at all.
    """
    user = getattr(request, "user", None)
    if not policy.is_signed_in(user):
        return {"inbox_unread_count": 0}

    @cache
    def unread():  # templates call it; the count runs once per request at most
        return unread_count(user)

    return {"inbox_unread_count": unread}
