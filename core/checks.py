"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

E001 = "saferhub.E001"


def shared_cache_problem() -> str | None:
    """Why this configuration cannot run several processes safely, or None."""
    if settings.DEBUG or settings.REDIS_URL or settings.SINGLE_PROCESS:
        return None
    return (
        "REDIS_URL is not set while DEBUG is off. Every process would keep its own record of used "
        "TOTP codes, failed sign-ins and rate limits, so two app servers or gunicorn workers would "
        "both accept the same single-use code. Set REDIS_URL, or SINGLE_PROCESS=1 if exactly one "
        "process serves the hub."
    )


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    problem = shared_cache_problem()
    return [Error(problem, id=E001)] if problem else []
