"""The signed-in start page: one per role."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.rules import officer_profile
from core import policy
from providers.rules import membership, organisation_accepted_terms

from .selectors import coordinator_overview


@require_safe
def home(request):
    """Each role's starting point."""
    user = request.user
    context = {}
    if policy.can(user, "backoffice.use"):
        context["overview"] = coordinator_overview()
        template = "home/home_coordinator.html"
    elif policy.can(user, "organisation.mine"):
        member = membership(user)
        organisation = member.organisation
        context.update(
            organisation=organisation,
            membership=member,
            terms_accepted=organisation_accepted_terms(organisation),
            may_accept_terms=policy.can(user, "organisation.accept_terms", organisation),
        )
        template = "home/home_provider.html"
    elif policy.can(user, "officer.edit_profile"):
        context["profile"] = officer_profile(user)
        # In this branch "may use the hub" means "is a verified officer".
        context["verified"] = policy.can(user, "hub.use")
        context["may_renew"] = policy.can(user, "officer.renew")
        template = "home/home_officer.html"
    else:
        template = "home/home_other.html"
    return render(request, template, context)
