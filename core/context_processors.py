from django.conf import settings

from core import policy


def navigation(request):
    """What the header needs besides the menu (which asks the policy through the `can` filter)."""
    return {"nav_languages": settings.LANGUAGES}


def inbox(request):
    """The header's unread count: one COUNT query, and only when a page shows it.

    Visitors who are not signed in cost no query at all.
    """
    from functools import cache

    user = getattr(request, "user", None)
    if not policy.is_signed_in(user):
        return {"inbox_unread_count": 0}

    @cache
    def unread():  # templates call it; the count runs once per request at most
        from notifications.inbox import unread_count

        return unread_count(user)

    return {"inbox_unread_count": unread}
