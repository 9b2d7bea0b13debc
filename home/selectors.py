"""Read-only figures for coordinators' start page."""

from django.utils import timezone

from accounts.models import User
from accounts.selectors import vetting_queue
from catalogue.models import Tool, ToolState
from providers.models import Organisation


def coordinator_overview() -> dict:
    """The back-office counts. The vetting figures come from the vetting queue's own query, so
    the start page and the queue page always agree (renewal requests included)."""
    now = timezone.now()
    queue = vetting_queue()
    oldest = queue.values_list("submitted_at", flat=True).first()
    return {
        "pending_officers": queue.count(),
        "oldest_pending_days": (now - oldest).days if oldest else None,
        "pending_organisations": Organisation.objects.filter(status=Organisation.Status.PENDING).count(),
        "locked_accounts": User.objects.filter(locked_until__gt=now).count(),
        "submitted_tools": Tool.objects.filter(state=ToolState.SUBMITTED).count(),
    }
