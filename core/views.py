"""Public pages, the signed-in home page, health and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.rules import officer_profile
from core import policy
from providers.rules import membership, organisation_accepted_terms


@login_not_required
@require_safe
def landing(request):
    return render(request, "core/landing.html")


@login_not_required
@require_safe
def about(request):
    return render(request, "core/about.html")


@require_safe
def home(request):
    """Each role's starting point."""
    user = request.user
    context = {}
    if policy.can(user, "backoffice.use"):
        from core.selectors import coordinator_overview

        context["overview"] = coordinator_overview()
        template = "core/home_coordinator.html"
    elif policy.can(user, "organisation.mine"):
        member = membership(user)
        organisation = member.organisation
        context.update(
            organisation=organisation,
            membership=member,
            terms_accepted=organisation_accepted_terms(organisation),
            may_accept_terms=policy.can(user, "organisation.accept_terms", organisation),
        )
        template = "core/home_provider.html"
    elif policy.can(user, "officer.edit_profile"):
        context["profile"] = officer_profile(user)
        # In this branch "may use the hub" means "is a verified officer".
        context["verified"] = policy.can(user, "hub.use")
        context["may_renew"] = policy.can(user, "officer.renew")
        template = "core/home_officer.html"
    else:
        template = "core/home_other.html"
    return render(request, template, context)


@login_not_required
@never_cache
@require_safe
def health(request):
    """Liveness for load balancers: database reachable or not, nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - report, never raise
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded", "database": database}, status=status)


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
