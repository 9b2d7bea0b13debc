"""The coordinators' view of the outbox: how much waits, and what could not be delivered.

Bodies and recipients' addresses are never shown: they may be officers'.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.policy import permission_required

from . import services
from .forms import RetryForm
from .models import OutboxMessage

PAGE_SIZE = 50


def _render_outbox(request, form=None, status=200):
    dead = (
        OutboxMessage.objects.filter(state=OutboxMessage.State.DEAD)
        .only("id", "created_at", "attempts", "last_error", "payload")
        .order_by("-created_at", "-id")
    )
    page = Paginator(dead, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "counts": [(OutboxMessage.State(state).label, count) for state, count in services.state_counts().items()],
        "page": page,
        "form": form,
    }
    return render(request, "notifications/outbox.html", context, status=status)


@require_safe
@permission_required("outbox.view")
def outbox(request):
    return _render_outbox(request)


@require_POST
@permission_required("outbox.retry")
def outbox_retry(request):
    form = RetryForm(request.POST)
    if not form.is_valid():
        return _render_outbox(request, form=form, status=400)
    count = services.retry_dead(form.message_ids(), by=request.user, request=request)
    messages.success(
        request,
        ngettext(
            "%(count)d message was queued for delivery again.",
            "%(count)d messages were queued for delivery again.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:outbox")
