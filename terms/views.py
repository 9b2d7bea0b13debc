"""Reading, accepting and loading terms documents."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import policy
from core.csv_export import csv_response
from core.policy import permission_required

from . import services
from .forms import AcceptTermsForm, LoadTermsForm
from .models import Audience, TermsDocument


@login_not_required
@require_safe
def public_list(request):
    """The published terms in force, for anyone (including anonymous visitors)."""
    documents = services.current_documents(list(Audience.values))
    return render(request, "terms/public_list.html", {"documents": documents})


@login_not_required
@require_safe
def public_detail(request, audience, version):
    """Any published version, including one that takes effect later (its readers are told at
    publication, so they can read it before they are asked to accept it)."""
    document = get_object_or_404(TermsDocument, audience=audience, version=version)
    today = timezone.now().date()
    current = services.current_documents([document.audience])
    return render(
        request,
        "terms/public_detail.html",
        {
            "document": document,
            "upcoming": document.effective_from > today,
            "superseded": bool(current) and current[0].pk != document.pk and document.effective_from <= today,
            "previous": services.previous_version(document),
        },
    )


@login_not_required
@require_safe
def changes(request, audience, version):
    """What changed from the previous version: the summary and a line diff."""
    document = get_object_or_404(TermsDocument, audience=audience, version=version)
    previous = services.previous_version(document)
    if previous is None:
        raise Http404
    return render(
        request,
        "terms/changes.html",
        {"document": document, "previous": previous, "blocks": services.diff_blocks(previous.body, document.body)},
    )


@require_http_methods(["GET", "POST"])
def accept(request):
    """Accept every current document the user still has to accept personally."""
    pending = services.pending_documents_for(request.user)
    if not pending:
        return redirect("home:home")
    form = AcceptTermsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = policy.scoped("providers.own_organisation", request.user).first()
        with transaction.atomic():
            for document in pending:
                services.accept(request.user, document, request=request, organisation=organisation)
        messages.success(request, _("Thank you. Your acceptance was recorded."))
        return redirect("home:home")
    return render(
        request, "terms/accept.html", {"documents": pending, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def accept_for_organisation(request):
    """An organisation admin accepts the current provider terms on its behalf."""
    organisation = policy.scoped("providers.own_organisation", request.user).first()
    if organisation is None:
        return render(request, "errors/404.html", status=404)
    policy.require(request.user, "organisation.accept_terms", organisation)
    document = services.current_provider_terms()
    if document is None or services.organisation_has_accepted_current_terms(organisation):
        return redirect("home:home")
    form = AcceptTermsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.accept(request.user, document, request=request, organisation=organisation)
        messages.success(
            request, _("The provider terms were accepted for %(organisation)s.") % {"organisation": organisation.name}
        )
        return redirect("home:home")
    return render(
        request,
        "terms/accept_organisation.html",
        {"document": document, "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("terms.manage")
def manage(request):
    """Coordinators see every version and load new ones."""
    form = LoadTermsForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        document = services.load_terms(
            audience=form.cleaned_data["audience"],
            version=form.cleaned_data["version"],
            effective_from=form.cleaned_data["effective_from"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["file"],
            summary=form.cleaned_data["summary"],
            by=request.user,
            request=request,
        )
        messages.success(
            request,
            _("Version %(version)s was published; everyone it applies to was told in their inbox.")
            % {"version": document.version},
        )
        return redirect("terms:manage")
    documents = TermsDocument.objects.select_related("loaded_by").order_by("audience", "-effective_from")
    return render(
        request,
        "terms/manage.html",
        {"form": form, "documents": documents},
        status=400 if form.errors else 200,
    )


def _acceptances(request, audience, version):
    document = get_object_or_404(TermsDocument, audience=audience, version=version)
    return document, services.acceptance_report(document, by=request.user, request=request)


@require_safe
@permission_required("terms.manage")
@reauthentication_required
def acceptances(request, audience, version):
    """Who has and has not accepted one version (names officers: password confirmed, audited)."""
    document, rows = _acceptances(request, audience, version)
    accepted = sum(1 for row in rows if row.acceptance)
    return render(
        request,
        "terms/acceptances.html",
        {"document": document, "rows": rows, "accepted": accepted, "waiting": len(rows) - accepted},
    )


@require_safe
@permission_required("terms.manage")
@reauthentication_required
def acceptances_csv(request, audience, version):
    document, rows = _acceptances(request, audience, version)
    services.acceptances_exported(document, rows, by=request.user, request=request)
    header = [_("Name"), _("Kind"), _("Agency and country"), _("Accepted"), _("Accepted at (UTC)"), _("Accepted by")]
    lines = (
        [
            row.label,
            row.kind,
            row.detail,
            _("yes") if row.acceptance else _("no"),
            row.acceptance.accepted_at.strftime("%Y-%m-%d %H:%M") if row.acceptance else "",
            (row.acceptance.user.full_name if row.acceptance and row.kind == "organisation" else ""),
        ]
        for row in rows
    )
    return csv_response(f"terms-{document.audience}-{document.version}-acceptances.csv", header, lines)
