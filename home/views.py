"""The signed-in start page: one per role."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.rules import officer_profile
from core import policy
from core.policy import permission_required
from core.time_zones import get_zone
from discovery import exposure
from discovery import search as tool_search
from learning import selectors as learning
from providers.rules import membership, organisation_accepted_terms

from . import selectors, services


@require_safe
def home(request):
    """Each role's starting point."""
    user = request.user
    # Dates and times on every start page are shown in the reader's own time zone.
    context = {"reader_zone": get_zone(user.time_zone)}
    if policy.can(user, "backoffice.use"):
        context["overview"] = selectors.coordinator_overview()
        template = "home/home_coordinator.html"
    elif policy.can(user, "organisation.mine"):
        member = membership(user)
        organisation = member.organisation
        context.update(
            organisation=organisation,
            membership=member,
            terms_accepted=organisation_accepted_terms(organisation),
            may_accept_terms=policy.can(user, "organisation.accept_terms", organisation),
            tasks=selectors.provider_tasks(user, organisation),
        )
        template = "home/home_provider.html"
    elif policy.can(user, "officer.edit_profile"):
        context["profile"] = officer_profile(user)
        # In this branch "may use the hub" means "is a verified officer".
        context["verified"] = policy.can(user, "hub.use")
        context["may_renew"] = policy.can(user, "officer.renew")
        if context["verified"]:
            since, visited_before = services.since_last_visit(user, request.session)
            context.update(
                news=selectors.officer_home(user, since),
                visited_before=visited_before,
                first_visit_days=services.FIRST_VISIT_WINDOW.days,
            )
        template = "home/home_officer.html"
    else:
        template = "home/home_other.html"
    return render(request, template, context)


# A few tools on the hub's search page; the catalogue has them all, in the same order.
TOOLS_SHOWN = 5
MAX_QUERY = 200


@require_safe
@permission_required("learning.search")
def search(request):
    """The hub's search: tools (the catalogue's search and fair order for this officer, counted in
    the exposure statistics like any catalogue page) and learning content in the reader's language."""
    q = request.GET.get("q", "")[:MAX_QUERY].strip()
    context = {"q": q, "tools": [], "tool_count": 0, "items": []}
    if q:
        results = tool_search.search({}, seed=tool_search.fairness_seed(request.user), q=q)
        tools = tool_search.attach_tools(list(results[:TOOLS_SHOWN]))
        if policy.can(request.user, "catalogue.count_exposure"):
            exposure.record([result.tool_id for result in tools], first_position=1)
        context.update(tools=tools, tool_count=len(results), items=learning.search(q))
    return render(request, "home/search.html", context)
