"""Provider organisations: registration, own organisation, invitations, coordinators' review."""

from allauth.account.decorators import reauthentication_required
from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.signup_timing import EvenTimingSignupViewMixin
from core import policy
from core.policy import permission_required

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    OrganisationProfileForm,
    ProviderSignupForm,
    ReviewDecisionForm,
    ReviewFilterForm,
)
from .models import Organisation
from .rules import membership, organisation_accepted_terms, own_organisation_or_403


# --- registration ------------------------------------------------------------------
class ProviderSignupView(EvenTimingSignupViewMixin, SignupView):
    """allauth's sign-up (email confirmation, MFA, no enumeration) with the organisation's fields."""

    template_name = "providers/register.html"
    form_class = ProviderSignupForm

    def get_form_class(self):
        # allauth would pick ACCOUNT_FORMS["signup"] (the officers' form) otherwise.
        return ProviderSignupForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


register = ProviderSignupView.as_view()


# --- the member's own organisation --------------------------------------------------
def _own_organisation(request) -> Organisation:
    """The signed-in provider member's organisation; everyone else is refused."""
    return own_organisation_or_403(request, "organisation.view")


def _organisation_page(request, organisation, *, invitation_form=None, status=200):
    user = request.user
    may_invite = policy.can(user, "organisation.invite", organisation)
    may_manage = policy.can(user, "organisation.manage_members", organisation)
    if may_invite and invitation_form is None:
        invitation_form = InvitationForm(organisation=organisation)
    return render(
        request,
        "providers/my_organisation.html",
        {
            "organisation": organisation,
            "membership": membership(user),
            "terms_accepted": organisation_accepted_terms(organisation),
            "may_accept_terms": policy.can(user, "organisation.accept_terms", organisation),
            "may_edit": policy.can(user, "organisation.edit", organisation),
            "may_leave": policy.can(user, "organisation.leave", organisation),
            "may_invite": may_invite,
            "may_manage": may_manage,
            "members": selectors.members_of(organisation),
            "invitations": selectors.pending_invitations_of(organisation) if may_manage else [],
            "invitation_form": invitation_form if may_invite else None,
            "now": timezone.now(),
        },
        status=status,
    )


@require_http_methods(["GET"])
def my_organisation(request):
    """The organisation's profile, status, terms, members and pending invitations."""
    return _organisation_page(request, _own_organisation(request))


@require_http_methods(["GET", "POST"])
def edit_organisation(request):
    organisation = _own_organisation(request)
    policy.require(request.user, "organisation.edit", organisation)
    form = OrganisationProfileForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.editable_fields(organisation)}
        # Re-read the stored values: the ModelForm already copied the input onto the instance.
        organisation.refresh_from_db()
        changed = services.update_organisation(organisation, by=request.user, changes=changes, request=request)
        if changed:
            messages.success(request, _("The organisation's profile was saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("providers:my_organisation")
    if form.errors:
        organisation.refresh_from_db()
    return render(
        request,
        "providers/edit_organisation.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def invite(request):
    organisation = _own_organisation(request)
    policy.require(request.user, "organisation.invite", organisation)
    form = InvitationForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _organisation_page(request, organisation, invitation_form=form, status=400)
    invitation, _token = services.invite_member(
        organisation, by=request.user, email=form.cleaned_data["email"], request=request
    )
    messages.success(
        request, _("An invitation was sent to %(email)s. It is valid for 7 days.") % {"email": invitation.email}
    )
    return redirect("providers:my_organisation")


@require_POST
def revoke_invitation(request, public_id):
    # Looked up within the user's own organisations first: another provider's invitation is a 404.
    invitation = get_object_or_404(
        selectors.invitations_for(request.user).select_related("organisation"), public_id=public_id
    )
    policy.require(request.user, "organisation.manage_members", invitation.organisation)
    if services.revoke_invitation(invitation, by=request.user, request=request):
        messages.success(request, _("The invitation was revoked; its link no longer works."))
    else:
        messages.info(request, _("This invitation was already used or revoked."))
    return redirect("providers:my_organisation")


@require_POST
def remove_member(request, public_id):
    membership = get_object_or_404(
        selectors.memberships_for(request.user).select_related("organisation", "user"), user__public_id=public_id
    )
    policy.require(request.user, "organisation.manage_members", membership.organisation)
    if membership.is_admin or membership.user_id == request.user.pk:
        messages.error(request, _("Organisation administrators cannot be removed here. Ask the coordinators."))
        return redirect("providers:my_organisation")
    services.remove_member(membership, by=request.user, request=request)
    messages.success(request, _("The member was removed and their account disabled."))
    return redirect("providers:my_organisation")


# --- accepting an invitation (public) --------------------------------------------------
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    if request.user.is_authenticated:
        messages.info(request, _("Sign out first to accept an invitation for another address."))
        return redirect("home:home")
    invitation = services.usable_invitation(token)
    if invitation is None:
        return render(request, "providers/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except services.InvitationUnusable:
            return render(request, "providers/invitation_invalid.html", status=404)
        except services.AccountExists:
            messages.info(
                request,
                _(
                    "No new account was created for this address. If you already have a SaferHub account, "
                    "sign in with it; otherwise ask your organisation's administrator for help."
                ),
            )
            return redirect("account_login")
        messages.success(
            request,
            _("Your account was created. Sign in now; you will be asked to set up two-factor authentication."),
        )
        return redirect("account_login")
    return render(
        request,
        "providers/accept_invitation.html",
        {"invitation": invitation, "organisation": invitation.organisation, "form": form},
        status=400 if form.errors else 200,
    )


# --- coordinators' review ----------------------------------------------------------------
@require_http_methods(["GET"])
@permission_required("organisations.review")
def review_queue(request):
    filters = ReviewFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(selectors.review_queue(status), 50).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"organisation": org, "age_days": selectors.age_in_days(org, now)} for org in page]
    return render(
        request,
        "providers/review_queue.html",
        {"filters": filters, "page": page, "rows": rows},
        status=400 if filters.errors else 200,
    )


def _review_page(request, organisation, form, status=200):
    return render(
        request,
        "providers/review_detail.html",
        {
            "organisation": organisation,
            "members": selectors.members_of(organisation),
            "invitations": selectors.pending_invitations_of(organisation),
            "form": form,
            "decidable": organisation.is_pending,
            "terms_accepted": organisation_accepted_terms(organisation),
            "now": timezone.now(),
        },
        status=status,
    )


@require_http_methods(["GET"])
@permission_required("organisations.review")
def review_detail(request, public_id):
    organisation = get_object_or_404(policy.scoped("providers.organisations", request.user), public_id=public_id)
    return _review_page(request, organisation, ReviewDecisionForm(initial={"version": organisation.version}))


@require_POST
@permission_required("organisations.review")
@reauthentication_required
def review_decide(request, public_id):
    organisation = get_object_or_404(policy.scoped("providers.organisations", request.user), public_id=public_id)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        return _review_page(request, organisation, form, status=400)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_organisation(
                organisation, by=request.user, request=request, expected_version=form.cleaned_data["version"]
            )
            messages.success(request, _("The organisation was approved and its administrators told by email."))
        else:
            services.reject_organisation(
                organisation,
                by=request.user,
                reason=form.cleaned_data["reason"].strip(),
                request=request,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The organisation was rejected and its administrators told by email."))
    except services.StaleDecision:
        messages.error(
            request,
            _(
                "This organisation changed meanwhile (another coordinator decided, or its profile was edited). "
                "Nothing was saved; review the current state."
            ),
        )
        return redirect("providers:review_detail", public_id=organisation.public_id)
    return redirect("providers:review_queue")
