"""Public pages, health and error pages."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import shared_records_available
from core.outage import is_database_outage


@login_not_required
@require_safe
def landing(request):
    return render(request, "core/landing.html")


@login_not_required
@require_safe
def about(request):
    return render(request, "core/about.html")


@login_not_required
@never_cache
@require_safe
def health(request):
    """Liveness for load balancers: the database (503 without it) and the shared cache (reported
    as degraded, still 200: the hub serves pages without it, only sign-ins wait)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - report, never raise
        database = "unavailable"
    cache = "ok" if shared_records_available() else "unavailable"
    status = 200 if database == "ok" else 503
    overall = "ok" if database == cache == "ok" else "degraded"
    return JsonResponse({"status": overall, "database": database, "cache": cache}, status=status)


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


RETRY_AFTER_SECONDS = 60


def database_unavailable(request) -> HttpResponse:
    """503 while the database is away: a plain page that reads nothing from it (no context
    processors, no user, no session), in the visitor's language. Django reconnects by itself on
    a later request (CONN_HEALTH_CHECKS), so nothing needs restarting."""
    if request.path_info.startswith("/api/"):
        # The API's clients read JSON (api.views.error has the same shape).
        response = JsonResponse(
            {"error": _("The hub is briefly unavailable. Please try again in a minute.")}, status=503
        )
    else:
        html = render_to_string("errors/503_database.html", {"retry_path": request.get_full_path()})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def server_error(request):
    # Django calls the 500 handler inside its `except` block, for an exception raised by a view or
    # by any middleware (the session, the user); a database outage is not a bug of ours.
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    # Without the request's context processors: they read the user and the session, which may be
    # what failed.
    return HttpResponse(render_to_string("errors/500.html"), status=500)
