from django.conf import settings


def navigation(request):
    """What the header needs besides the menu (which asks the policy through the `can` filter)."""
    return {"nav_languages": settings.LANGUAGES}
