"""The signed-in start page: one per role."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import policy

from .selectors import coordinator_overview


@require_safe
def home(request):
    """Each role's starting point."""
    user = request.user
    context = {}
    if policy.is_coordinator(user):
        context["overview"] = coordinator_overview()
        template = "home/home_coordinator.html"
    elif policy.is_provider(user):
        member = policy.membership(user)
        organisation = member.organisation
        context.update(
            organisation=organisation,
            membership=member,
            terms_accepted=policy.organisation_accepted_terms(organisation),
            may_accept_terms=policy.can(user, "organisation.accept_terms", organisation),
        )
        template = "home/home_provider.html"
    elif policy.is_officer(user):
        context["profile"] = policy.officer_profile(user)
        context["verified"] = policy.is_verified_officer(user)
        context["may_renew"] = policy.can(user, "officer.renew")
        template = "home/home_officer.html"
    else:
        template = "home/home_other.html"
    return render(request, template, context)
