"""Own account pages and the coordinators' vetting and account pages."""

import json

from allauth.account.decorators import reauthentication_required
from allauth.account.views import SignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.policy import permission_required

from . import personal_data, selectors, services
from .forms import (
    AllowedDomainForm,
    AllowedDomainRuleForm,
    CloseAccountForm,
    NameForm,
    OfficerProfileForm,
    VettingDecisionForm,
)
from .models import AllowedDomain, OfficerProfile, User
from .rules import officer_profile
from .signup_timing import EvenTimingSignupViewMixin


@require_POST
def new_totp_secret(request):
    """Replace the secret offered on the TOTP set-up page (for example when the person
    could not scan it). Only the pending secret in the session changes: an authenticator
    already set up is untouched."""
    services.offer_new_totp_secret(request)
    messages.info(request, _("A new key was made. Scan the new QR code, or type the new key, in your app."))
    return redirect("mfa_activate_totp")


@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in user's own details and vetting status."""
    user = request.user
    officer = officer_profile(user)
    if officer is not None:
        form = OfficerProfileForm(request.POST if request.method == "POST" else None, instance=officer, user=user)
    else:
        form = NameForm(request.POST if request.method == "POST" else None, initial={"full_name": user.full_name})
    # Read before saving: "use the catalogue again" is only true for someone who had it.
    was_verified = officer is not None and officer.status == OfficerProfile.Status.VERIFIED
    if request.method == "POST" and form.is_valid():
        officer_changes = None
        if officer is not None:
            officer_changes = {field: form.cleaned_data[field] for field in services.OFFICER_EDITABLE_FIELDS}
        saved = services.update_own_profile(
            user, full_name=form.cleaned_data["full_name"], officer_changes=officer_changes, request=request
        )
        if saved.sent_back_to_vetting and not was_verified:
            messages.warning(
                request,
                _(
                    "Your profile was saved. Because you changed your agency, your application went back to "
                    "the end of the coordinators' queue; they will check it with the new agency."
                ),
            )
        elif saved.sent_back_to_vetting:
            messages.warning(
                request,
                _(
                    "Your profile was saved. Because you changed your agency, your account is back with the "
                    "coordinators for vetting: you can use the catalogue again once they approve it."
                ),
            )
        else:
            messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "officer": officer,
            "may_renew": policy.can(user, "officer.renew"),
            "organisation": policy.scoped("providers.own_organisation", user).first(),
        },
        status=400 if form.errors else 200,
    )


class OfficerSignupView(EvenTimingSignupViewMixin, SignupView):
    """allauth's sign-up, answering as fast for a registered address as for a new one."""


signup = OfficerSignupView.as_view()


@require_POST
@permission_required("officer.renew")
def request_renewal(request):
    services.request_renewal(officer_profile(request.user), request=request)
    messages.success(request, _("Your renewal request was sent to the coordinators."))
    return redirect("accounts:profile")


@permission_required("vetting.review")
@reauthentication_required
def vetting_queue(request):
    """Officers' names and addresses: shown after a recent password confirmation, and audited."""
    rules = dict(AllowedDomain.objects.values_list("domain", "rule"))
    queue = list(selectors.vetting_queue().select_related("first_approved_by"))
    services.officers_listed(
        [profile.user for profile in queue], by=request.user, request=request, page="vetting_queue"
    )
    now = timezone.now()
    rows = [
        {
            "profile": profile,
            "age_days": (now - profile.submitted_at).days,
            "allowlisted": profile.email_domain in rules,
            "rule": rules.get(profile.email_domain),
        }
        for profile in queue
    ]
    # Fast-tracked domains first; otherwise the longest waiting first (the selector's order).
    rows.sort(key=lambda row: row["rule"] != AllowedDomain.Rule.FAST_TRACK)
    return render(request, "accounts/vetting_queue.html", {"rows": rows, "Rule": AllowedDomain.Rule})


@require_http_methods(["GET", "POST"])
@permission_required("vetting.review")
@reauthentication_required
def vetting_detail(request, public_id):
    profile = get_object_or_404(
        OfficerProfile.objects.select_related("user", "decided_by", "first_approved_by"), user__public_id=public_id
    )
    form = VettingDecisionForm(initial={"version": profile.version_token()})
    if request.method == "GET":
        services.officer_details_viewed(profile.user, by=request.user, request=request)
    return render(request, "accounts/vetting_detail.html", _vetting_context(profile, form))


def _vetting_context(profile, form) -> dict:
    return {
        "profile": profile,
        "form": form,
        "domain": services.allowed_domain_of(profile.user.email),
        "Rule": AllowedDomain.Rule,
        "decidable": profile.awaiting_decision,
    }


@require_POST
@permission_required("vetting.decide")
@reauthentication_required
def vetting_decide(request, public_id):
    profile = get_object_or_404(OfficerProfile.objects.select_related("user"), user__public_id=public_id)
    form = VettingDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/vetting_detail.html", _vetting_context(profile, form), status=400)
    try:
        if form.cleaned_data["decision"] == "approve":
            decided = services.approve_officer(
                profile, by=request.user, request=request, expected_version=form.cleaned_data["version"]
            )
            if decided.status != OfficerProfile.Status.VERIFIED:
                messages.success(
                    request,
                    _(
                        "Your approval is recorded. This agency's domain asks for a second coordinator's approval before the officer is verified."
                    ),
                )
                return redirect("accounts:vetting_queue")
            messages.success(request, _("The officer was approved and has been told by email."))
        else:
            services.reject_officer(
                profile,
                by=request.user,
                reason=form.cleaned_data["reason"].strip(),
                request=request,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The application was rejected and the applicant has been told by email."))
    except services.SameCoordinator:
        messages.error(
            request,
            _("You gave the first approval already. Another coordinator must give the second one."),
        )
        return redirect("accounts:vetting_detail", public_id=public_id)
    except services.StaleDecision:
        messages.error(
            request,
            _(
                "Another coordinator decided on this application meanwhile. Nothing was changed; review the current state."
            ),
        )
        return redirect("accounts:vetting_detail", public_id=public_id)
    return redirect("accounts:vetting_queue")


@require_http_methods(["GET", "POST"])
@permission_required("vetting.manage_domains")
def allowed_domains(request):
    form = AllowedDomainForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_allowed_domain(
            form.cleaned_data["domain"],
            form.cleaned_data["agency"],
            rule=form.cleaned_data["rule"],
            by=request.user,
            request=request,
        )
        messages.success(request, _("The domain was added."))
        return redirect("accounts:allowed_domains")
    return render(
        request,
        "accounts/allowed_domains.html",
        {"form": form, "domains": AllowedDomain.objects.all(), "rules": AllowedDomain.Rule.choices},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("vetting.manage_domains")
def allowed_domain_rule(request, pk):
    item = get_object_or_404(AllowedDomain, pk=pk)
    form = AllowedDomainRuleForm(request.POST, instance=item)
    if form.is_valid():
        if services.change_domain_rule(item, form.cleaned_data["rule"], by=request.user, request=request):
            messages.success(request, _("The domain's rule was changed."))
    else:
        messages.error(request, _("Choose one of the rules."))
    return redirect("accounts:allowed_domains")


@require_POST
@permission_required("vetting.manage_domains")
def allowed_domain_delete(request, pk):
    item = get_object_or_404(AllowedDomain, pk=pk)
    services.remove_allowed_domain(item, by=request.user, request=request)
    messages.success(request, _("The domain was removed."))
    return redirect("accounts:allowed_domains")


@permission_required("accounts.manage")
@reauthentication_required
def account_list(request):
    """Coordinators find accounts to unlock, re-enable or sign out."""
    # Control characters (a NUL byte) can be in no name or address, and PostgreSQL refuses them.
    query = "".join(char for char in request.GET.get("q", "") if char.isprintable()).strip()[:200]
    state = request.GET.get("state", "")
    users = User.objects.order_by("email")
    now = timezone.now()
    if query:
        users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    if state == "locked":
        users = users.filter(locked_until__gt=now)
    elif state == "disabled":
        users = users.filter(is_active=False)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    services.officers_listed(page.object_list, by=request.user, request=request, page="account_list")
    return render(request, "accounts/account_list.html", {"page": page, "query": query, "state": state, "now": now})


def _account_for_coordinator(public_id):
    return get_object_or_404(User, public_id=public_id)


@require_POST
@permission_required("accounts.manage")
def account_unlock(request, public_id):
    services.unlock_account(_account_for_coordinator(public_id), by=request.user, request=request)
    messages.success(request, _("The account was unlocked and its owner told by email."))
    return redirect("accounts:account_list")


@require_POST
@permission_required("accounts.manage")
def account_enable(request, public_id):
    services.enable_account(_account_for_coordinator(public_id), by=request.user, request=request)
    messages.success(request, _("The account was re-enabled."))
    return redirect("accounts:account_list")


@require_POST
@permission_required("accounts.manage")
@reauthentication_required
def account_end_sessions(request, public_id):
    target = _account_for_coordinator(public_id)
    ended = services.end_all_sessions(target, by=request.user, request=request, keep_current=target == request.user)
    messages.success(request, _("%(count)d sessions were ended.") % {"count": ended})
    return redirect("accounts:account_list")


@require_safe
@permission_required("account.own_data")
def my_data(request):
    """What the hub keeps about the user, the download of it, and closing the account."""
    return render(request, "accounts/my_data.html", {"deletion_months": settings.DISUSED_ACCOUNT_DELETION_MONTHS})


@require_safe
@permission_required("account.own_data")
@reauthentication_required
def my_data_download(request):
    """The user's own data as JSON (after a recent password confirmation; audited)."""
    data = personal_data.export_for(request.user)
    services.personal_data_downloaded(request.user, request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="saferhub-my-data.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@permission_required("account.close")
@reauthentication_required
def close_account(request):
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.close_account(request.user, request=request)
        logout(request)
        messages.success(request, _("Your account was closed. Thank you for having been part of the hub."))
        return redirect("/")
    return render(request, "accounts/close_account.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
@permission_required("account.keep_session")
def keep_alive(request):
    """Pinged by pages where people type for long (static/js/session-keeper.js): the request
    itself counts as activity for the idle limit (SessionLimitsMiddleware); nothing else changes."""
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
