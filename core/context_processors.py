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
