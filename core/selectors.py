"""Read-only figures for coordinators' start page."""

from django.utils import timezone


def coordinator_overview() -> dict:
    from accounts.models import OfficerProfile, User
    from catalogue.models import Tool, ToolState
    from providers.models import Organisation

    now = timezone.now()
    oldest = (
        OfficerProfile.objects.filter(status=OfficerProfile.Status.PENDING, user__emailaddress__verified=True)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return {
        "pending_officers": OfficerProfile.objects.filter(
            status=OfficerProfile.Status.PENDING, user__emailaddress__verified=True
        ).count(),
        "oldest_pending_days": (now - oldest).days if oldest else None,
        "pending_organisations": Organisation.objects.filter(status=Organisation.Status.PENDING).count(),
        "locked_accounts": User.objects.filter(locked_until__gt=now).count(),
        "submitted_tools": Tool.objects.filter(state=ToolState.SUBMITTED).count(),
    }
