from django.conf import settings

from core import policy


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_languages": settings.LANGUAGES,
        "is_coordinator": policy.is_coordinator(user),
        "is_provider": policy.is_provider(user),
        "is_officer": policy.is_officer(user),
        "is_verified_officer": policy.is_verified_officer(user),
    }


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
