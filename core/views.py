"""Public pages, health and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import shared_records_available


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


@login_not_required
def server_error(request):
    return render(request, "errors/500.html", status=500)
